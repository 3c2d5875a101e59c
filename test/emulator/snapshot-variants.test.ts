import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID } from '../../src/emulator/index.js';
import { oneAhead, productVariantOf, V3_GET_FIELDS, V3_PRODUCT_FIELDS, V3_VARIANT_FIELDS, variantsNeedGet, withVariantsInfo } from '../../src/wix/snapshot.js';
import { startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/**
 * The snapshot's mapping of read-only variants (Query Variants) to a product's `variantsInfo.variants`, against Get
 * Product on the same data, over the wire (the shapes the snapshot reads and writes, before any SDK renames).
 */

type Json = Record<string, any>;

let emu: RunningEmulator;
let token: string;

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Json> {
  const headers: Record<string, string> = { authorization: token };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${emu.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Json;
}

beforeAll(async () => {
  emu = await startTestEmulator({ catalog: 'v3' });
  const res = await fetch(`${emu.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: DEMO_CLIENT_ID, grantType: 'anonymous' }) });
  token = ((await res.json()) as Json).access_token;
});

afterAll(async () => emu.close());

describe('read-only variants mapped to the product shape', () => {
  it('equal Get Product variant for variant, key for key and in order, for every product of the catalogue', async () => {
    const products: Json[] = (await call('POST', '/stores/v3/products/query', { query: { cursorPaging: { limit: 100 } }, fields: V3_PRODUCT_FIELDS })).products;
    expect(products.length).toBeGreaterThan(40);
    const read: Json[] = [];
    let body: Json = { query: { filter: { 'productData.productId': { $in: products.map((p) => p.id) } }, cursorPaging: { limit: 50 } }, fields: V3_VARIANT_FIELDS };
    for (;;) {
      const page = await call('POST', '/stores/v3/products/query-variants', body);
      read.push(...page.variants);
      if (!page.pagingMetadata.cursors.next) break;
      body = { query: { cursorPaging: { limit: 50, cursor: page.pagingMetadata.cursors.next } }, fields: V3_VARIANT_FIELDS };
    }
    const query = V3_GET_FIELDS.map((f) => `fields=${f}`).join('&');
    let compared = 0;
    for (const p of products) {
      const mine = read.filter((v) => v.productData.productId === p.id).map(productVariantOf);
      const got = (await call('GET', `/stores/v3/products/${p.id}?${query}`)).product;
      expect(JSON.stringify(mine), p.id).toBe(JSON.stringify(got.variantsInfo.variants));
      expect(variantsNeedGet(p, mine.length)).toBeUndefined();
      // And the product as the snapshot writes it is Get Product's but for what only lists return (MIN_PRICE_VARIANT).
      const written = withVariantsInfo(p, { variants: mine });
      expect(Object.keys(written)).toEqual(Object.keys(got));
      compared += mine.length;
    }
    expect(compared).toBe(read.length);
  });

  it('renames variantId, optionChoices and drops productData, keeping the order the keys came in', () => {
    const v = { id: 'v1', visible: true, optionChoices: [{ optionChoiceIds: { optionId: 'o', choiceId: 'c' } }], price: { actualPrice: { amount: '1' } }, productData: { productId: 'p' }, variantId: 'v1' };
    expect(JSON.stringify(productVariantOf(v))).toBe(JSON.stringify({ id: 'v1', visible: true, choices: v.optionChoices, price: v.price }));
    // Without the deprecated id, variantId is the id, where it came.
    expect(Object.keys(productVariantOf({ sku: 's', variantId: 'v2' }))).toEqual(['sku', 'id']);
  });

  it('asks Get Product only where the mapping cannot give the variants', () => {
    const product = { id: 'p', variantSummary: { variantCount: 2 } };
    expect(variantsNeedGet(product, 2)).toBeUndefined();
    expect(variantsNeedGet(product, 1)).toBe('2 variants, 1 read');
    expect(variantsNeedGet({ id: 'p' }, 1)).toBe('no variant count');
    expect(variantsNeedGet({ ...product, discountInfo: { discountRuleNames: ['Sale'] } }, 2)).toBe('automatic discounts');
    expect(variantsNeedGet({ ...product, discountInfo: { discountRuleNames: [] } }, 2)).toBeUndefined();
  });

  it('places variantsInfo before variantSummary, as Get Product sends it', () => {
    expect(Object.keys(withVariantsInfo({ id: 'p', variantSummary: {}, url: {} }, { variants: [] }))).toEqual(['id', 'variantsInfo', 'variantSummary', 'url']);
    expect(Object.keys(withVariantsInfo({ id: 'p' }, { variants: [] }))).toEqual(['id', 'variantsInfo']);
    expect(withVariantsInfo({ id: 'p' }, undefined)).toEqual({ id: 'p' });
  });

  it('oneAhead works on a page while the next is read, and writes in order; a failure surfaces at the next page or at flush', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { sink, flush } = oneAhead(
      async (page) => {
        log.push(`work ${page[0]!.n}`);
        if (page[0]!.n === 1) await gate;
        return page;
      },
      async (items) => void log.push(`write ${items[0]!.n}`),
    );
    await sink([{ n: 1 }]); // returns while page 1 is still being worked on
    log.push('read 2');
    const second = sink([{ n: 2 }]);
    release();
    await second;
    await flush();
    expect(log).toEqual(['work 1', 'read 2', 'work 2', 'write 1', 'write 2']);

    const failing = oneAhead(async () => Promise.reject(new Error('boom')), async () => {});
    await failing.sink([{ n: 1 }]);
    await expect(failing.flush()).rejects.toThrow('boom');
  });
});
