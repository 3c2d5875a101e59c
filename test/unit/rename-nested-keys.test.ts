import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renameAllNestedKeys as fast } from '../../src/wix/sdk/rename-nested-keys.js';
import { KNOWN_FIELD_RENAME_FILE, KNOWN_RENAME_FILE } from '../../scripts/sdk-runtime-plugin.mjs';
import { BUILT_CLI } from '../helpers/build.js';

// wixq's key renaming against the SDK's own file (the copy nested in the products module), on generated answers:
// the same objects, the same key order, in place. The bundle uses wixq's only for the file whose hash is below.
const RUNTIME = resolve(__dirname, '../../node_modules/@wix/auto_sdk_stores_products/node_modules/@wix/sdk-runtime/build');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(join(RUNTIME, file), 'utf8')).digest('hex');

type Rename = (payload: unknown, renameMap: Record<string, string>, ignorePaths: string[]) => unknown;

const KEYS = ['id', '_id', 'createdDate', 'updatedDate', '_createdDate', 'sort', 'fieldName', 'a.id', 'x.sort', 'order', 'constructor', 'toString', '', '1', 'name', 'items'];
const leaf = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('id', 'a.id.createdDate', 'x.updatedDate', 'sort.fieldName'), fc.integer(), fc.boolean(), fc.constant(null));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 5 })),
})).node;
const PATHS = ['id', 'items', 'items.id', 'sort.fieldName', 'a.id', 'sort', 'items.sort.fieldName', 'name.id'];

describe('the SDK key renaming, with less work (src/wix/sdk/rename-nested-keys.ts)', () => {
  it('is written against the SDK files installed here (the bundle replaces only these)', () => {
    expect(sha256('rename-all-nested-keys.js')).toBe(KNOWN_RENAME_FILE);
    expect(sha256('field-rename.js')).toBe(KNOWN_FIELD_RENAME_FILE);
  });

  it('gives what the SDK gives on 3,000 generated answers, ignored paths and both directions included', async () => {
    const original = (await import(join(RUNTIME, 'rename-all-nested-keys.js'))) as { renameAllNestedKeys: Rename };
    const { renameSortFieldNameValue } = (await import(join(RUNTIME, 'field-rename.js'))) as { renameSortFieldNameValue: (p: string, v: unknown, m: Record<string, string>) => unknown };
    const constants = (await import(join(RUNTIME, 'constants.js'))) as Record<string, Record<string, string>>;
    const maps = [constants.RESTResponseToSDKResponseRenameMap!, constants.SDKRequestToRESTRequestRenameMap!];
    fc.assert(
      fc.property(tree, fc.subarray(PATHS), fc.integer({ min: 0, max: 1 }), (payload, ignore, m) => {
        const json = JSON.stringify(payload);
        const a = JSON.parse(json) as unknown;
        const b = JSON.parse(json) as unknown;
        const ra = original.renameAllNestedKeys(a, maps[m]!, ignore);
        const rb = fast(b, maps[m]!, ignore, renameSortFieldNameValue);
        expect(rb).toBe(b); // in place, as the SDK's
        expect(ra).toBe(a);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 3000, seed: 21 },
    );
  });

  // Needs the build (npm test builds first): skipped, not passed, straight after npm ci.
  it.skipIf(!existsSync(BUILT_CLI))('every copy in the bundle is the replacement: no chunk holds the SDK walk', () => {
    const dist = resolve(__dirname, '../../dist');
    const files = readdirSync(dist).filter((f) => f.endsWith('.cjs'));
    const walk = files.filter((f) => readFileSync(join(dist, f), 'utf8').includes('const isIgnored = (path) => ignorePaths.includes(path)'));
    expect(walk).toEqual([]);
    expect(files.some((f) => readFileSync(join(dist, f), 'utf8').includes('// src/wix/sdk/rename-nested-keys.ts'))).toBe(true);
  });
});
