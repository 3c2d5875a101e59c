import { createClient, OAuthStrategy } from '@wix/sdk';
import { catalogVersioning, collections, products } from '@wix/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PRODUCTS_COLLECTION_ID } from '../../src/emulator/index.js';
import type { V1Product } from '../../src/emulator/site/types.js';
import { redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/**
 * The official SDK (products, collections, catalogVersioning) against the emulator over real HTTP.
 * Every builder operator must return exactly what a plain JS filter of the site's data returns.
 */

let emu: RunningEmulator;
let restore: () => void;
let client: ReturnType<typeof makeClient>;
let visible: V1Product[];

function makeClient(clientId: string) {
  return createClient({ modules: { products, collections, catalogVersioning }, auth: OAuthStrategy({ clientId }) });
}

/** Runs a builder query to the end through hasNext()/next(), 100 at a time. */
async function collect(query: any): Promise<string[]> {
  let page = await query.limit(100).find();
  const ids: string[] = page.items.map((p: any) => p._id);
  while (page.hasNext()) {
    page = await page.next();
    ids.push(...page.items.map((p: any) => p._id));
  }
  return ids;
}

const price = (p: V1Product) => (p.priceData as { price: number }).price;
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

beforeAll(async () => {
  emu = await startTestEmulator();
  restore = redirectFetch(emu.url);
  client = makeClient(emu.clientId);
  visible = emu.site.products.filter((p) => p.visible);
});

afterAll(async () => {
  restore();
  await emu.close();
});

describe('Catalog V1 products through the SDK builder', () => {
  const q = () => client.products.queryProducts() as any;
  const sample = () => visible[17]!;
  const collectionOf = (name: string) => emu.site.collections.find((c) => c.name === name)!.id;

  const cases: [string, () => any, (p: V1Product) => boolean][] = [
    ['eq', () => q().eq('name', sample().name), (p) => p.name === sample().name],
    ['ne', () => q().ne('name', sample().name), (p) => p.name !== sample().name],
    ['gt', () => q().gt('priceData.price', 50), (p) => price(p) > 50],
    ['ge', () => q().ge('priceData.price', 50), (p) => price(p) >= 50],
    ['lt', () => q().lt('priceData.price', 30), (p) => price(p) < 30],
    ['le', () => q().le('priceData.price', 30), (p) => price(p) <= 30],
    ['between (half-open)', () => q().between('priceData.price', 20, 40), (p) => price(p) >= 20 && price(p) < 40],
    ['gt on numericId strings', () => q().gt('numericId', sample().numericId), (p) => p.numericId > sample().numericId],
    ['ge on a date', () => q().ge('lastUpdated', '2023-06-01T00:00:00.000Z'), (p) => Date.parse(String(p.lastUpdated)) >= Date.parse('2023-06-01T00:00:00Z')],
    ['lt on _createdDate', () => q().lt('_createdDate', '2023-03-01T00:00:00.000Z'), (p) => Date.parse(String(p.createdDate)) < Date.parse('2023-03-01T00:00:00Z')],
    ['gt on _createdDate as a Date', () => q().gt('_createdDate', new Date('2024-06-01T00:00:00Z')), (p) => Date.parse(String(p.createdDate)) > Date.parse('2024-06-01T00:00:00Z')],
    ['in (a hidden id stays hidden)', () => q().in('_id', [visible[3]!.id, visible[9]!.id, emu.site.products.find((p) => !p.visible)!.id]), (p) => [visible[3]!.id, visible[9]!.id].includes(p.id)],
    ['hasSome', () => q().hasSome('collectionIds', [collectionOf('Kitchen'), collectionOf('Outdoor')]), (p) => p.collectionIds.includes(collectionOf('Kitchen')) || p.collectionIds.includes(collectionOf('Outdoor'))],
    ['hasAll', () => q().hasAll('collectionIds', [ALL_PRODUCTS_COLLECTION_ID, collectionOf('Sale')]), (p) => p.collectionIds.includes(collectionOf('Sale'))],
    ['startsWith (case-insensitive)', () => q().startsWith('name', 'classic'), (p) => p.name.toLowerCase().startsWith('classic')],
    ['in on names', () => q().in('name', [visible[2]!.name, visible[4]!.name]), (p) => p.name === visible[2]!.name || p.name === visible[4]!.name],
    ['startsWith on sku', () => q().startsWith('sku', 'kit-'), (p) => String(p.sku).toLowerCase().startsWith('kit-')],
    ['exists on price', () => q().exists('price'), (p) => p.price != null],
    ['ne on sku', () => q().ne('sku', sample().sku), (p) => p.sku !== sample().sku],
    ['isNotEmpty', () => q().isNotEmpty('sku'), (p) => p.sku != null],
    ['or', () => q().startsWith('name', 'classic').or(q().gt('priceData.price', 150)), (p) => p.name.toLowerCase().startsWith('classic') || price(p) > 150],
    ['and', () => q().gt('priceData.price', 20).and(q().lt('priceData.price', 60)), (p) => price(p) > 20 && price(p) < 60],
    ['not', () => q().not(q().startsWith('name', 'classic')), (p) => !p.name.toLowerCase().startsWith('classic')],
    ['chained conditions', () => q().startsWith('name', 'b').gt('priceData.price', 25).startsWith('sku', 'app'), (p) => p.name.toLowerCase().startsWith('b') && price(p) > 25 && String(p.sku).startsWith('APP')],
    ['eq on the productType enum', () => q().eq('productType', 'physical'), (p) => p.productType === 'physical'],
  ];

  it.each(cases)('%s returns exactly the matching items', async (_name, build, predicate) => {
    const expected = visible.filter(predicate).map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await collect(build())).toEqual(expected);
  });

  it('ascending and descending, on several fields, keep the order of a JS sort', async () => {
    const expectedByName = [...visible].sort((a, b) => byString(a.name, b.name)).map((p) => p.id);
    expect(await collect(q().ascending('name'))).toEqual(expectedByName);
    const expectedMulti = [...visible].sort((a, b) => price(b) - price(a) || byString(a.name, b.name)).map((p) => p.id);
    expect(await collect(q().descending('priceData.price').ascending('name'))).toEqual(expectedMulti);
  });

  it('limit and skip page like a slice', async () => {
    const page = await q().ascending('numericId').skip(10).limit(5).find();
    const expected = [...visible].sort((a, b) => byString(a.numericId, b.numericId)).slice(10, 15).map((p) => p.id);
    expect(page.items.map((p: any) => p._id)).toEqual(expected);
    expect(page.totalCount).toBe(visible.length);
  });

  it('hasNext()/next() walk every page exactly once', async () => {
    let page = await q().limit(37).find();
    const seen: string[] = [];
    let pages = 1;
    seen.push(...page.items.map((p: any) => p._id));
    while (page.hasNext()) {
      page = await page.next();
      pages++;
      seen.push(...page.items.map((p: any) => p._id));
    }
    expect(pages).toBe(Math.ceil(visible.length / 37));
    expect(seen).toEqual(visible.map((p) => p.id));
    await expect(page.next()).rejects.toThrow(/No next page/);
  });

  it('returns items in the SDK shape: _id, _createdDate, numeric prices, untouched media', async () => {
    const page = await q().eq('_id', visible[0]!.id).find();
    const item = page.items[0];
    expect(item._id).toBe(visible[0]!.id);
    // @wix/sdk turns the wire's timestamps into Dates (docs/wix-api.md 0.3); wixq's client keeps the strings.
    expect(item._createdDate).toEqual(new Date(visible[0]!.createdDate as string));
    expect(typeof item.priceData.price).toBe('number');
    expect(item.media.mainMedia.image.url).toMatch(/^https:\/\/static\.wixstatic\.com\/media\//);
  });

  it('gets a product by id with the {product} wrapper, and 404s an unknown one', async () => {
    const got = await client.products.getProduct(visible[5]!.id);
    expect(got.product?._id).toBe(visible[5]!.id);
    expect(got.product?.name).toBe(visible[5]!.name);
    const error = await client.products.getProduct('00000000-0000-4000-8000-000000000000').catch((e: any) => e);
    expect(error.status).toBe(404);
    expect(error.details.applicationError.code).toBe('NOT_FOUND');
  });

  it('refuses includeMerchantSpecificData to a visitor with 403', async () => {
    const error = await client.products.getProduct(visible[5]!.id, { includeMerchantSpecificData: true }).catch((e: any) => e);
    expect(error.status).toBe(403);
    expect(error.details.applicationError.code).toBe('PERMISSION_DENIED');
  });

  it('queries the variants of a product by choices', async () => {
    const product = visible.find((p) => (p.productOptions as unknown[]).length === 2)!;
    const size = (product.productOptions as { name: string; choices: { description: string }[] }[])[0]!;
    const result = await client.products.queryProductVariants(product.id, { choices: { [size.name]: size.choices[1]!.description } });
    const colors = (product.productOptions as { choices: unknown[] }[])[1]!.choices.length;
    expect(result.variants).toHaveLength(colors);
    expect(result.totalResults).toBe(colors);
    expect(result.variants!.every((v: any) => v.choices[size.name] === size.choices[1]!.description)).toBe(true);
  });

  it('gets a store variant by {productId}-{variantId}', async () => {
    const product = visible.find((p) => (p.productOptions as unknown[]).length > 0)!;
    const { variants } = await client.products.queryProductVariants(product.id, {});
    const variantId = (variants![0] as any)._id;
    const got = await client.products.getStoreVariant(`${product.id}-${variantId}`);
    expect(got.variant).toMatchObject({ productId: product.id, variantId, productName: product.name });
  });

  it('reports the catalog version', async () => {
    expect(await client.catalogVersioning.getCatalogVersion()).toEqual({ catalogVersion: 'V1_CATALOG' });
  });

  it('answers a page over 100 with a 400 validation error', async () => {
    const error = await q().limit(101).find().catch((e: any) => e);
    expect(error.status).toBe(400);
    expect(error.details.validationError.fieldViolations[0]).toMatchObject({ description: 'must not be greater than 100', violatedRule: 'MAX' });
  });

  it('answers the Catalog V3 module on a V1 site with 428', async () => {
    const { productsV3 } = await import('@wix/stores');
    const v3 = createClient({ modules: { productsV3 }, auth: OAuthStrategy({ clientId: emu.clientId }) });
    const error = await v3.productsV3.queryProducts().find().catch((e: any) => e);
    expect(error.status).toBe(428);
    expect(error.details.applicationError.code).toBe('CATALOG_V1_SITE_CALLING_CATALOG_V3_API');
    expect(JSON.parse(error.message).message).toMatch(/^Endpoint belongs to the wrong catalog version\. This site is using CATALOG_V1\./);
  });
});

describe('collections through both SDK paths', () => {
  it('queries collections with operators, sort and paging', async () => {
    const all = emu.site.collections;
    const names = await (client.collections.queryCollections() as any).startsWith('name', 's').ascending('name').find();
    expect(names.items.map((c: any) => c._id)).toEqual(
      all.filter((c) => c.name.toLowerCase().startsWith('s')).sort((a, b) => byString(a.name, b.name)).map((c) => c.id),
    );
    const first = await client.collections.queryCollections().limit(4).find();
    expect(first.totalCount).toBe(all.length);
    expect(first.hasNext()).toBe(true);
    const second = await first.next();
    expect(second.items.map((c: any) => c._id)).toEqual(all.slice(4, 8).map((c) => c.id));
  });

  it('gets a collection by id (unwrapped) and by slug (both modules)', async () => {
    const sale = emu.site.collections.find((c) => c.slug === 'sale')!;
    const byId = await client.collections.getCollection(sale.id);
    expect(byId._id).toBe(sale.id);
    expect(byId.numberOfProducts).toBe(emu.site.products.filter((p) => p.collectionIds.includes(sale.id)).length);
    expect((await client.collections.getCollectionBySlug('sale')).collection?._id).toBe(sale.id);
    expect((await client.products.getCollectionBySlug('sale')).collection?._id).toBe(sale.id);
    const missing = await client.products.getCollectionBySlug('no-such-collection').catch((e: any) => e);
    expect(missing.status).toBe(404);
    expect(missing.details.applicationError.code).toBe('NOT_FOUND');
  });

  it('includes "All Products" with the well-known id', async () => {
    const got = await client.collections.getCollection(ALL_PRODUCTS_COLLECTION_ID);
    expect(got.name).toBe('All Products');
    expect(got.numberOfProducts).toBe(emu.site.products.length);
  });
});
