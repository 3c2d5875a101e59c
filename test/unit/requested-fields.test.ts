import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUESTED_FIELDS, REQUESTED_FIELDS_OVERRIDES, SDK_REQUESTED_FIELDS, type FieldsEndpoint } from '../../src/specs/requested-fields.js';
import { V3_FIELD_EFFECTS, VARIANT_FIELD_EFFECTS } from '../../src/emulator/site/v3.js';
import { V3_PRODUCT_FIELDS, V3_GET_FIELDS, V3_VARIANT_FIELDS } from '../../src/wix/snapshot.js';

/** The V3 requested-fields lists against the installed SDK: a drift test (update src/specs/requested-fields.ts after an SDK update). */

const root = resolve(__dirname, '../..');
const require = createRequire(import.meta.url);

/** The members of `declare enum <name>` in the package's typings (build/cjs), in declaration order. */
function typingsEnum(sdkPackage: string, name: string): string[] {
  const dir = join(root, 'node_modules', sdkPackage, 'build', 'cjs');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.d.ts')).sort()) {
    const match = new RegExp(`declare enum ${name} \\{([\\s\\S]*?)\\n\\}`).exec(readFileSync(join(dir, file), 'utf8'));
    if (match) return [...match[1]!.matchAll(/^\s*(\w+) = "(\w+)"/gm)].map((m) => m[2]!);
  }
  throw new Error(`${sdkPackage}: no typings declare enum ${name}`);
}

const endpoints = Object.keys(SDK_REQUESTED_FIELDS) as FieldsEndpoint[];

describe('V3 requested fields', () => {
  it.each(endpoints)('%s: the SDK list is the typings enum of the endpoint, in order', (endpoint) => {
    const source = SDK_REQUESTED_FIELDS[endpoint];
    expect(typingsEnum(source.sdkPackage, source.sdkEnum)).toEqual(source.values);
  });

  it.each(endpoints)('%s: the accepted list is the runtime enum of the installed package (typings plus the overrides)', (endpoint) => {
    const source = SDK_REQUESTED_FIELDS[endpoint];
    const runtime = require(source.sdkPackage)[source.sdkEnum] as Record<string, string>;
    expect([...REQUESTED_FIELDS[endpoint]].sort()).toEqual(Object.values(runtime).sort());
  });

  it('names the typings of each request: get has its own enum, query and search share one', () => {
    const typings = readdirSync(join(root, 'node_modules/@wix/auto_sdk_stores_products-v-3/build/cjs')).filter((f) => f.includes('.universal-') && f.endsWith('.d.ts'));
    const text = readFileSync(join(root, 'node_modules/@wix/auto_sdk_stores_products-v-3/build/cjs', typings[0]!), 'utf8');
    for (const endpoint of ['productsV3List', 'productsV3Get'] as const) {
      for (const request of SDK_REQUESTED_FIELDS[endpoint].requests) {
        const body = new RegExp(`interface ${request} \\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1];
        expect(body, request).toMatch(new RegExp(`fields\\?: ${SDK_REQUESTED_FIELDS[endpoint].sdkEnum}WithLiterals\\[\\]`));
      }
    }
    expect(SDK_REQUESTED_FIELDS.productsV3Get.values).not.toContain('MIN_PRICE_VARIANT');
    expect(SDK_REQUESTED_FIELDS.productsV3List.values).toContain('DISCOUNT_INFO');
  });

  it.each(REQUESTED_FIELDS_OVERRIDES.map((o) => [`${o.endpoint} ${o.value}`, o] as const))('override %s adds a value the typings lack and cites a source', (_label, o) => {
    expect(SDK_REQUESTED_FIELDS[o.endpoint].values).not.toContain(o.value);
    expect(o.source).toMatch(/^https:\/\/\S+$|^@wix\/\S+ \w+$/);
    expect(o.why.trim()).not.toBe('');
  });

  it('the emulator decides what every accepted value changes', () => {
    for (const value of [...REQUESTED_FIELDS.productsV3List, ...REQUESTED_FIELDS.productsV3Get]) expect(V3_FIELD_EFFECTS, value).toHaveProperty([value]);
    for (const value of REQUESTED_FIELDS.variantsV3Query) expect(VARIANT_FIELD_EFFECTS, value).toHaveProperty([value]);
  });

  it('the snapshot asks for declared values only: no MERCHANT_DATA (admin), no PRODUCT_CHOICES_MEDIA_REFERENCES (it empties linkedMedia)', () => {
    const check = (asked: readonly string[], endpoint: FieldsEndpoint) => {
      for (const f of asked) expect(SDK_REQUESTED_FIELDS[endpoint].values).toContain(f);
      expect(asked).not.toContain('MERCHANT_DATA');
      expect(asked).not.toContain('PRODUCT_CHOICES_MEDIA_REFERENCES');
    };
    check(V3_PRODUCT_FIELDS, 'productsV3List');
    check(V3_GET_FIELDS, 'productsV3Get');
    check(V3_VARIANT_FIELDS, 'variantsV3Query');
    expect(V3_PRODUCT_FIELDS).toContain('DISCOUNT_INFO');
    expect(V3_GET_FIELDS).toContain('DISCOUNT_INFO');
    expect(V3_GET_FIELDS).toContain('VARIANT_OPTION_CHOICE_NAMES');
    expect(V3_VARIANT_FIELDS).toContain('CURRENCY');
  });
});
