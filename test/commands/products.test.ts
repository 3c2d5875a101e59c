import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBase64UrlJson } from '../../src/emulator/http.js';
import { tempConfigDir } from '../helpers/cli.js';
import { startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';

/**
 * Products on both catalogs against the strict emulator: the catalog-neutral names, which endpoint serves each query
 * (recorded request paths), --search, --category, and refusals before any request.
 */
type World = { emu: RunningEmulator; config: ReturnType<typeof tempConfigDir> };
const worlds: Record<'v1' | 'v3', World> = {} as Record<'v1' | 'v3', World>;

beforeAll(async () => {
  for (const catalog of ['v1', 'v3'] as const) worlds[catalog] = { emu: await startTestEmulator({ catalog }), config: tempConfigDir() };
});
afterAll(async () => {
  for (const w of Object.values(worlds)) {
    await w.emu.close();
    w.config.cleanup();
  }
});

function run(catalog: 'v1' | 'v3', args: string[]) {
  const { emu, config } = worlds[catalog];
  return runInProcess(args, { env: { WIXQ_API_URL: emu.url, WIXQ_CLIENT_ID: emu.clientId, WIXQ_CONFIG_DIR: config.dir } });
}

/** API requests (not tokens, not the catalog detection) since the last reset, as `METHOD path`. */
function apiPaths(catalog: 'v1' | 'v3'): string[] {
  return worlds[catalog].emu
    .requests()
    .filter((r) => r.path !== '/oauth2/token' && r.path !== '/stores/v3/provision/version')
    .map((r) => r.path);
}

/** The query or search object a recorded products request carried (POST body, or the GET `.r` parameter). */
function sent(catalog: 'v1' | 'v3', index = -1): Record<string, any> {
  const list = worlds[catalog].emu.requests().filter((r) => r.path.includes('/products/'));
  const r = list.at(index)!;
  const body = (r.body ?? decodeBase64UrlJson(String(r.query['.r']))) as Record<string, any>;
  return body.query ?? body.search ?? body;
}

const json = (stdout: string): Record<string, any>[] => JSON.parse(stdout) as Record<string, any>[];
const amount = (p: Record<string, any>) => Number(p.actualPriceRange?.minValue?.amount ?? p.price?.price);

describe('Catalog V3: query when it can, search when the filter or sort needs it', () => {
  beforeAll(async () => {
    await run('v3', ['products', 'list', '--limit', '1']); // warm: catalog detected, session stored
  });

  it('no filter, or only fields query declares (slug, visible): /stores/v3/products/query', async () => {
    worlds.v3.emu.reset();
    const slug = worlds.v3.emu.site.products.find((p) => p.visible !== false)!.slug;
    const r = await run('v3', ['products', 'list', '--filter', `slug=${slug}`, '--filter', 'visible=true']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).map((p) => p.slug)).toEqual([slug]);
    expect(apiPaths('v3')).toEqual(['/stores/v3/products/query']);
  });

  it('name, price and stock filters and name and price sorts go to search, and return the right items', async () => {
    worlds.v3.emu.reset();
    const r = await run('v3', ['products', 'list', '--filter', 'price>=20', '--filter', 'price<60', '--filter', 'stock=IN_STOCK', '--sort', '-price', '--all']);
    expect(r.code, r.stderr).toBe(0);
    const items = json(r.stdout);
    expect(items.length).toBeGreaterThan(3);
    expect(items.every((p) => amount(p) >= 20 && amount(p) < 60 && p.inventory.availabilityStatus === 'IN_STOCK')).toBe(true);
    expect(items.map(amount)).toEqual([...items.map(amount)].sort((a, b) => b - a));
    expect(new Set(apiPaths('v3'))).toEqual(new Set(['/stores/v3/products/search']));
    expect(sent('v3', 0).filter).toEqual({
      $and: [{ 'actualPriceRange.minValue.amount': { $gte: 20 } }, { 'actualPriceRange.minValue.amount': { $lt: 60 } }, { 'inventory.availabilityStatus': 'IN_STOCK' }],
    });

    worlds.v3.emu.reset();
    const byName = await run('v3', ['products', 'list', '--filter', 'name^=premium', '--sort', 'name', '--all']);
    const names = json(byName.stdout).map((p) => String(p.name));
    expect(names.length).toBeGreaterThan(1);
    expect(names.every((n) => n.toLowerCase().startsWith('premium'))).toBe(true);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(apiPaths('v3')).toEqual(['/stores/v3/products/search']);
  });

  it('--search sends search.expression to search', async () => {
    worlds.v3.emu.reset();
    const r = await run('v3', ['products', 'list', '--search', 'enamel', '--limit', '5']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout).length).toBeGreaterThan(0);
    expect(apiPaths('v3')).toEqual(['/stores/v3/products/search']);
    expect(sent('v3').search).toEqual({ expression: 'enamel' });
  });

  it('--category by slug: products of the category and its subcategories, via search; the slug is cached', async () => {
    const site = worlds.v3.emu.site as any;
    const kitchen = site.categories.find((c: any) => c.slug === 'kitchen');
    worlds.v3.emu.reset();
    const r = await run('v3', ['products', 'list', '--category', 'kitchen', '--all', '--fields', '_id']);
    expect(r.code, r.stderr).toBe(0);
    const ids = new Set(json(r.stdout).map((p) => p._id));
    expect(ids.size).toBeGreaterThan(10);
    expect(apiPaths('v3')).toEqual(['/categories/v1/categories/slug/kitchen', ...Array(apiPaths('v3').length - 1).fill('/stores/v3/products/search')]);
    expect(sent('v3', 0).filter).toEqual({ 'allCategoriesInfo.categories': { $matchItems: [{ id: { $in: [kitchen.id] } }] } });
    // Warm: one request, the slug comes from the cache.
    worlds.v3.emu.reset();
    expect((await run('v3', ['products', 'list', '--category', 'kitchen', '--limit', '5'])).code).toBe(0);
    expect(worlds.v3.emu.requests().map((r) => r.path)).toEqual(['/stores/v3/products/search']);
  });

  it('an unknown category slug is exit 3 naming it', async () => {
    const r = await run('v3', ['products', 'list', '--category', 'no-such-category']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no category with slug "no-such-category"/);
  });

  it('refuses before any request: a sort search cannot do (stock), a field no endpoint declares, with suggestions', async () => {
    worlds.v3.emu.reset();
    const stock = await run('v3', ['products', 'list', '--sort', 'stock']);
    expect(stock.code).toBe(2);
    expect(stock.stderr).toMatch(/Catalog V3 cannot sort on "stock"/);
    const typo = await run('v3', ['products', 'list', '--filter', 'nme=Mug']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/cannot filter on "nme" at \/stores\/v3\/products\/search \(Catalog V3\): not a declared field \(did you mean name\?\)/);
    expect(worlds.v3.emu.requests()).toEqual([]);
  });

  it('categories list|get, and collections list answers with the categories and a notice', async () => {
    const list = await run('v3', ['categories', 'list', '--all']);
    expect(list.code, list.stderr).toBe(0);
    const cats = json(list.stdout);
    expect(cats.map((c) => c.slug)).toContain('kitchen');
    expect(cats.every((c) => c.visible !== false)).toBe(true);
    const get = await run('v3', ['categories', 'get', 'kitchen']);
    expect(JSON.parse(get.stdout).name).toBe('Kitchen');
    const byId = await run('v3', ['categories', 'get', cats[0]!._id]);
    expect(JSON.parse(byId.stdout)._id).toBe(cats[0]!._id);
    worlds.v3.emu.reset();
    const collections = await run('v3', ['collections', 'list', '--limit', '3']);
    expect(collections.code, collections.stderr).toBe(0);
    expect(collections.stderr).toMatch(/Catalog V3, which groups products in categories, not collections: showing its categories/);
    expect(json(collections.stdout)[0]).toHaveProperty('itemCounter');
    expect(apiPaths('v3')).toEqual(['/categories/v1/categories/query']);
  });
});

describe('Catalog V1: the same neutral names, its own endpoint', () => {
  it('price filter and sort use V1\'s numeric price on query-platformized', async () => {
    worlds.v1.emu.reset();
    const r = await run('v1', ['products', 'list', '--filter', 'price>20', '--sort', '-price', '--limit', '10']);
    expect(r.code, r.stderr).toBe(0);
    const items = json(r.stdout);
    expect(items.every((p) => p.priceData.price > 20)).toBe(true);
    expect(items.map((p) => p.priceData.price)).toEqual([...items.map((p) => p.priceData.price)].sort((a, b) => b - a));
    expect(apiPaths('v1')).toEqual(['/stores-reader/v1/products/query-platformized']);
  });

  it('--search is a name prefix; --category takes a collection slug', async () => {
    const search = await run('v1', ['products', 'list', '--search', 'premium', '--all']);
    expect(json(search.stdout).every((p) => String(p.name).toLowerCase().startsWith('premium'))).toBe(true);
    const collection = worlds.v1.emu.site.collections.find((c) => c.slug !== 'all-products')!;
    const inIt = await run('v1', ['products', 'list', '--category', collection.slug, '--all', '--fields', '_id,collectionIds']);
    expect(inIt.code, inIt.stderr).toBe(0);
    expect(json(inIt.stdout).every((p) => p.collectionIds.includes(collection.id))).toBe(true);
  });

  it('stock and visible cannot be filtered on V1: exit 2 naming the field and the catalog, nothing sent', async () => {
    await run('v1', ['products', 'list', '--limit', '1']);
    worlds.v1.emu.reset();
    for (const filter of ['stock=IN_STOCK', 'visible=true']) {
      const r = await run('v1', ['products', 'list', '--filter', filter]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`Catalog V1 cannot filter on "${filter.split('=')[0]}"`));
    }
    const old = await run('v1', ['products', 'list', '--filter', 'price.price>10']);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/did you mean priceData\.price\?/);
    expect(worlds.v1.emu.requests()).toEqual([]);
  });

  it('categories list answers with the collections and a notice', async () => {
    const r = await run('v1', ['categories', 'list']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Catalog V1, which groups products in collections, not categories/);
    expect(json(r.stdout)[0]).toHaveProperty('numberOfProducts');
  });
});
