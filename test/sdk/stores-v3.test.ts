import { createClient, OAuthStrategy } from '@wix/sdk';
import { catalogVersioning, products, productsV3 } from '@wix/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';
import { toV3Product, type V3Product } from '../../src/emulator/site/v3.js';

/** The SDK's productsV3 (Catalog V3, cursor paging) against an emulated V3 site. */

let emu: RunningEmulator;
let restore: () => void;
let client: ReturnType<typeof makeClient>;
let visible: V3Product[];

function makeClient(clientId: string) {
  return createClient({ modules: { productsV3, products, catalogVersioning }, auth: OAuthStrategy({ clientId }) });
}

const minPrice = (p: V3Product) => Number((p.actualPriceRange as { minValue: { amount: string } }).minValue.amount);

/** Walks a cursor query to the end and checks every page arrives once. */
async function collect(query: any): Promise<{ ids: string[]; pages: number }> {
  let page = await query.find();
  const ids: string[] = page.items.map((p: any) => p._id);
  let pages = 1;
  while (page.hasNext()) {
    page = await page.next();
    pages++;
    ids.push(...page.items.map((p: any) => p._id));
  }
  return { ids, pages };
}

beforeAll(async () => {
  emu = await startTestEmulator({ catalog: 'v3' });
  restore = redirectFetch(emu.url);
  client = makeClient(emu.clientId);
  visible = emu.site.products.filter((p) => p.visible).map((p) => toV3Product(p, emu.site));
});

afterAll(async () => {
  restore();
  await emu.close();
});

describe('Catalog V3 products through the SDK', () => {
  const q = () => client.productsV3.queryProducts() as any;

  it('reports V3_CATALOG', async () => {
    expect(await client.catalogVersioning.getCatalogVersion()).toEqual({ catalogVersion: 'V3_CATALOG' });
  });

  /** Runs a search to the end, cursor page by cursor page, as a caller of searchProducts does. */
  async function searchAll(search: Record<string, unknown>, limit: number): Promise<{ products: any[]; pages: number }> {
    let page: any = await client.productsV3.searchProducts({ ...search, cursorPaging: { limit } } as any);
    const products = [...(page.products ?? [])];
    let pages = 1;
    while (page.pagingMetadata?.cursors?.next) {
      page = await client.productsV3.searchProducts({ cursorPaging: { cursor: page.pagingMetadata.cursors.next, limit } } as any);
      products.push(...(page.products ?? []));
      pages++;
    }
    return { products, pages };
  }

  // Name, price, stock and ribbon filters belong to search on V3 (V3ProductSearchSpec); query refuses them.
  it.each<[string, Record<string, unknown>, (p: V3Product) => boolean]>([
    ['gt on an amount string', { 'actualPriceRange.minValue.amount': { $gt: 60 } }, (p) => minPrice(p) > 60],
    ['startsWith', { name: { $startsWith: 'vintage' } }, (p) => p.name.toLowerCase().startsWith('vintage')],
    ['eq on a nested enum', { 'inventory.availabilityStatus': 'OUT_OF_STOCK' }, (p) => (p.inventory as { availabilityStatus: string }).availabilityStatus === 'OUT_OF_STOCK'],
    ['exists on the ribbon name', { 'ribbon.name': { $exists: true } }, (p) => p.ribbon !== undefined],
  ])('search: %s returns exactly the matching items across cursor pages', async (_name, filter, predicate) => {
    const expected = visible.filter(predicate).map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);
    expect((await searchAll({ filter }, 10)).products.map((p) => p._id)).toEqual(expected);
  });

  it('query: in on ids returns exactly the matching items across cursor pages', async () => {
    const expected = [visible[1]!.id, visible[2]!.id];
    expect((await collect(q().in('_id', expected).limit(1))).ids).toEqual(expected);
  });

  it('walks every page exactly once; the cursor keeps the filter', async () => {
    emu.reset();
    const since = '2024-01-01T00:00:00.000Z';
    const expected = visible.filter((p) => Date.parse(String(p.createdDate)) > Date.parse(since)).map((p) => p.id);
    expect(expected.length).toBeGreaterThan(25);
    const { ids, pages } = await collect(q().gt('_createdDate', since).limit(25));
    expect(ids).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 25));
    // Next-page requests carry only the cursor (docs/wix-api.md 2.5).
    const nextPages = emu.requests('/stores/v3/products/query').slice(1);
    expect(nextPages.length).toBe(pages - 1);
    for (const r of nextPages) expect((r.body as any).query).toEqual({ cursorPaging: { cursor: expect.any(String), limit: 25 } });
  });

  it('search: the cursor keeps filter and sort; amount strings sort numerically', async () => {
    const expected = visible
      .filter((p) => minPrice(p) >= 20)
      .sort((a, b) => minPrice(b) - minPrice(a))
      .map((p) => minPrice(p));
    const { products: found, pages } = await searchAll(
      { filter: { 'actualPriceRange.minValue.amount': { $gte: 20 } }, sort: [{ fieldName: 'actualPriceRange.minValue.amount', order: 'DESC' }] },
      25,
    );
    expect(found.map((p) => Number(p.actualPriceRange.minValue.amount))).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 25));
  });

  it('has no next cursor on the last page', async () => {
    const page = await q().in('_id', [visible[0]!.id]).find();
    expect(page.hasNext()).toBe(false);
    expect(page.cursors.next ?? null).toBeNull();
  });

  it('adds requested fields only: URL, CURRENCY', async () => {
    const plain = await q().eq('_id', visible[0]!.id).find();
    expect(plain.items[0].url).toBeUndefined();
    expect(plain.items[0].currency).toBeUndefined();
    const withFields = await (client.productsV3.queryProducts as any)({ fields: ['URL', 'CURRENCY'] }).eq('_id', visible[0]!.id).find();
    expect(withFields.items[0].currency).toBe('USD');
    expect(withFields.items[0].url).toMatch(/^https:\/\/.*\/product-page\//);
  });

  it('returns the V3 shape through the SDK transforms', async () => {
    const p = await client.productsV3.getProduct(visible[0]!.id);
    expect(p._id).toBe(visible[0]!.id);
    expect(p.name).toBe(visible[0]!.name);
    expect(p.media?.main?.image).toMatch(/^wix:image:\/\/v1\//);
    expect(p.actualPriceRange?.minValue?.amount).toMatch(/^\d+(\.\d+)?$/);
    expect(p.actualPriceRange?.minValue?.formattedAmount).toMatch(/^\$/);
    expect(p.inventory?.availabilityStatus).toMatch(/IN_STOCK|OUT_OF_STOCK|PARTIALLY_OUT_OF_STOCK/);
    expect(Array.isArray(p.variantsInfo?.variants)).toBe(true);
    expect(p._createdDate).toBeTruthy();
  });

  it('gets by slug with the {product} wrapper', async () => {
    const got = await client.productsV3.getProductBySlug(visible[3]!.slug);
    expect(got.product?._id).toBe(visible[3]!.id);
  });

  it('404s an unknown product', async () => {
    const error = await client.productsV3.getProduct('00000000-0000-4000-8000-000000000000').catch((e: any) => e);
    expect(error.status).toBe(404);
    expect(error.details.applicationError.code).toBe('NOT_FOUND');
  });

  it('refuses MERCHANT_DATA to a visitor with 403', async () => {
    const error = await (client.productsV3.queryProducts as any)({ fields: ['MERCHANT_DATA'] }).find().catch((e: any) => e);
    expect(error.status).toBe(403);
  });

  it('answers Catalog V1 calls on a V3 site with 428', async () => {
    const error = await client.products.queryProducts().find().catch((e: any) => e);
    expect(error.status).toBe(428);
    expect(error.details.applicationError.code).toBe('CATALOG_V3_CALLING_CATALOG_V1_API');
    expect(JSON.parse(error.message).message).toMatch(/^Endpoint belongs to CATALOG_V1, but your site is using CATALOG_V3\./);
  });
});

describe('Catalog V3 search as storefronts use it (categories, price, stock, free text)', () => {
  const STORES_APP_TREE = () => emu.site.categories!;
  const categoryId = (name: string) => STORES_APP_TREE().find((c) => c.name === name)!.id;
  /** Direct categories of a product plus all their ancestors. */
  function allCategoryIds(productId: string): Set<string> {
    const tree = STORES_APP_TREE();
    const ids = new Set<string>();
    for (let id of emu.site.productCategoryIds![productId] ?? []) {
      for (let c = tree.find((x) => x.id === id); c; c = tree.find((x) => x.id === c!.parentId)) ids.add(c.id);
    }
    return ids;
  }
  const inCategory = (name: string) => (p: V3Product) => allCategoryIds(p.id).has(categoryId(name));
  const directlyIn = (name: string) => (p: V3Product) => (emu.site.productCategoryIds![p.id] ?? []).includes(categoryId(name));

  /** Runs a search and follows its cursors to the end (next pages send only the cursor). */
  async function searchAll(search: Record<string, unknown>, options?: Record<string, unknown>): Promise<any[]> {
    let page: any = await client.productsV3.searchProducts({ ...search, cursorPaging: { limit: 40 } } as any, options as any);
    const products = [...page.products];
    while (page.pagingMetadata.cursors?.next) {
      page = await client.productsV3.searchProducts({ cursorPaging: { cursor: page.pagingMetadata.cursors.next, limit: 40 } } as any, options as any);
      products.push(...page.products);
    }
    return products;
  }

  it.each<[string, () => Record<string, unknown>, (p: V3Product) => boolean]>([
    ['a parent category with $matchItems on allCategoriesInfo: products of subcategories count', () => ({ 'allCategoriesInfo.categories': { $matchItems: [{ _id: { $in: [categoryId('Kitchen')] } }] } }), inCategory('Kitchen')],
    ['a category with $matchItems and implicit equality', () => ({ 'allCategoriesInfo.categories': { $matchItems: [{ _id: categoryId('Drinkware') }] } }), inCategory('Drinkware')],
    ['a leaf category on directCategoriesInfo', () => ({ 'directCategoriesInfo.categories': { $matchItems: [{ _id: { $eq: categoryId('Drinkware') } }] } }), directlyIn('Drinkware')],
    ['a hidden category (its visible products)', () => ({ 'allCategoriesInfo.categories': { $matchItems: [{ _id: { $in: [categoryId('Archive')] } }] } }), inCategory('Winter 2023')],
    ['a price range on actualPriceRange.minValue.amount', () => ({ $and: [{ 'actualPriceRange.minValue.amount': { $gte: '20' } }, { 'actualPriceRange.minValue.amount': { $lt: '50' } }] }), (p) => minPrice(p) >= 20 && minPrice(p) < 50],
    ['stock status and a name prefix', () => ({ 'inventory.availabilityStatus': { $in: ['OUT_OF_STOCK', 'PARTIALLY_OUT_OF_STOCK'] }, name: { $startsWith: 'rustic' } }), (p) => (p.inventory as { availabilityStatus: string }).availabilityStatus !== 'IN_STOCK' && p.name.startsWith('Rustic')],
  ])('filters by %s', async (_name, filter, predicate) => {
    const expected = visible.filter(predicate).map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);
    expect((await searchAll({ filter: filter() })).map((p) => p._id)).toEqual(expected);
  });

  it('puts no product directly in a parent category', async () => {
    expect(await searchAll({ filter: { 'directCategoriesInfo.categories': { $matchItems: [{ _id: categoryId('Kitchen') }] } } })).toEqual([]);
  });

  it('sorts a category by price, cheapest first, across pages', async () => {
    emu.reset();
    const got = await searchAll({ filter: { 'allCategoriesInfo.categories': { $matchItems: [{ _id: { $in: [categoryId('Apparel')] } }] } }, sort: [{ fieldName: 'actualPriceRange.minValue.amount', order: 'ASC' }] });
    const prices = got.map((p) => Number(p.actualPriceRange.minValue.amount));
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(new Set(got.map((p) => p._id))).toEqual(new Set(visible.filter(inCategory('Apparel')).map((p) => p.id)));
    const [first] = emu.requests('/stores/v3/products/search');
    expect(first!.method).toBe('GET');
    expect((first!.body as any).search).toMatchObject({ filter: { 'allCategoriesInfo.categories': { $matchItems: [{ id: { $in: [categoryId('Apparel')] } }] } }, cursorPaging: { limit: 40 } });
  });

  it('searches free text at word starts over the searchable fields: any term by default, every term with AND', async () => {
    const words = (p: V3Product) => `${p.name} ${String(p.plainDescription).replace(/<[^>]*>/g, ' ')}`.toLowerCase().split(/[^a-z0-9]+/);
    const any = await searchAll({ search: { expression: 'LINEN hammock' } });
    expect(any.map((p) => p._id)).toEqual(visible.filter((p) => words(p).some((w) => w.startsWith('linen') || w.startsWith('hammock'))).map((p) => p.id));
    const all = await searchAll({ search: { expression: 'linen shirt', mode: 'AND' } });
    expect(all.map((p) => p._id)).toEqual(visible.filter((p) => words(p).some((w) => w.startsWith('linen')) && words(p).some((w) => w.startsWith('shirt'))).map((p) => p.id));
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThan(any.length);
    expect(await searchAll({ search: { expression: 'inen' } })).toEqual([]);
  });

  it('searches only the fields asked for, and finds variant SKUs', async () => {
    const inName = await searchAll({ search: { expression: 'cotton', fields: ['name'] } });
    expect(inName.map((p) => p._id)).toEqual(visible.filter((p) => /\bcotton\b/i.test(p.name)).map((p) => p.id));
    const sku = String(emu.site.products.find((p) => p.visible)!.sku);
    const bySku = await searchAll({ search: { expression: sku } });
    expect(bySku.map((p) => p._id)).toContain(visible[0]!.id);
    const e: any = await client.productsV3.searchProducts({ search: { expression: 'x', fields: ['slug'] } } as any).catch((x: any) => x);
    expect(e.status).toBe(400);
  });

  it('adds category info only with fields, as {_id, index} lists; main category and breadcrumbs follow the deepest category', async () => {
    const product = visible.find(directlyIn('Drinkware'))!;
    const [plain] = await searchAll({ filter: { _id: product.id } });
    expect(plain.allCategoriesInfo).toBeUndefined();
    expect(plain.mainCategoryId).toBe(categoryId('Drinkware'));
    const [full] = await searchAll({ filter: { _id: product.id } }, { fields: ['ALL_CATEGORIES_INFO', 'DIRECT_CATEGORIES_INFO', 'BREADCRUMBS_INFO'] });
    const direct = full.directCategoriesInfo.categories.map((c: any) => c._id);
    expect(direct).toEqual(emu.site.productCategoryIds![product.id]);
    expect(new Set(full.allCategoriesInfo.categories.map((c: any) => c._id))).toEqual(allCategoryIds(product.id));
    for (const c of full.allCategoriesInfo.categories) expect(Number.isInteger(c.index)).toBe(true);
    expect(full.breadcrumbsInfo.breadcrumbs.map((b: any) => b.categoryName)).toEqual(['Kitchen', 'Tableware', 'Drinkware']);
  });

  it('counts what a search finds', async () => {
    const filter = { 'allCategoriesInfo.categories': { $matchItems: [{ _id: { $in: [categoryId('Outdoor')] } }] } };
    expect(await client.productsV3.countProducts({ filter } as any)).toEqual({ count: visible.filter(inCategory('Outdoor')).length });
  });
});
