import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PRODUCTS_COLLECTION_ID, BOOKINGS_APP_ID, DEMO_CLIENT_ID, DEMO_MEMBERS, generateSite, loadSiteFile, parseSiteData, SiteDataError } from '../../src/emulator/index.js';
import { toV3Product } from '../../src/emulator/site/v3.js';
import { CategoryTree, demoLeavesByItem } from '../../src/emulator/site/categories.js';
import { fromLocal, parseLocalIso, toLocalIso } from '../../src/emulator/time-zones.js';
import { startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/** The generated demo site, data files, and the time-zone arithmetic behind time slots. */

describe('generated demo site', () => {
  const site = generateSite();

  it('is byte-identical for the same seed and differs for another', () => {
    expect(JSON.stringify(generateSite())).toBe(JSON.stringify(site));
    expect(JSON.stringify(generateSite({ seed: 2 }))).not.toBe(JSON.stringify(site));
  });

  it('has at least 200 realistic products with unique slugs', () => {
    expect(site.products.length).toBeGreaterThanOrEqual(200);
    for (const p of site.products) expect(p.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][\w& -]+$/);
    expect(new Set(site.products.map((p) => p.slug)).size).toBe(site.products.length);
    expect(new Set(site.products.map((p) => p.id)).size).toBe(site.products.length);
  });

  it('covers prices, discounts, stock states, ribbons, options, media and hidden products', () => {
    const statuses = new Set(site.products.map((p) => (p.stock as { inventoryStatus: string }).inventoryStatus));
    expect([...statuses].sort()).toEqual(['IN_STOCK', 'OUT_OF_STOCK', 'PARTIALLY_OUT_OF_STOCK']);
    expect(new Set(site.products.map((p) => (p.discount as { type: string }).type))).toEqual(new Set(['NONE', 'PERCENT', 'AMOUNT']));
    for (const p of site.products) {
      const price = p.priceData as { price: number; discountedPrice: number; formatted: { price: string } };
      expect(price.price).toBeGreaterThan(0);
      expect(price.discountedPrice).toBeLessThanOrEqual(price.price);
      expect(price.formatted.price).toMatch(/^\$\d/);
      expect((p.media as { mainMedia: { image: { url: string } } }).mainMedia.image.url).toMatch(/^https:\/\/static\.wixstatic\.com\/media\//);
    }
    const ribbons = new Set(site.products.map((p) => p.ribbon).filter(Boolean));
    expect(ribbons).toContain('Sale');
    expect(ribbons).toContain('New');
    const optionNames = new Set(site.products.flatMap((p) => (p.productOptions as { name: string }[]).map((o) => o.name)));
    expect(optionNames).toEqual(new Set(['Size', 'Color']));
    const hidden = site.products.filter((p) => !p.visible).length;
    expect(hidden).toBeGreaterThanOrEqual(3);
    expect(hidden).toBeLessThan(20);
  });

  it('gives numericId strings of equal length, strictly increasing', () => {
    const ids = site.products.map((p) => p.numericId);
    expect(new Set(ids.map((n) => n.length)).size).toBe(1);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('has at least 6 collections plus All Products, with product counts', () => {
    const all = site.collections.find((c) => c.id === ALL_PRODUCTS_COLLECTION_ID)!;
    expect(all.name).toBe('All Products');
    expect(all.numberOfProducts).toBe(site.products.length);
    expect(site.collections.length).toBeGreaterThanOrEqual(7);
    for (const c of site.collections) expect(c.numberOfProducts).toBeGreaterThan(0);
  });

  it('has at least 12 services of every type, with staff, locations, categories and price kinds', () => {
    expect(site.services.length).toBeGreaterThanOrEqual(12);
    expect(new Set(site.services.map((s) => s.type))).toEqual(new Set(['APPOINTMENT', 'CLASS', 'COURSE']));
    const rateTypes = new Set(site.services.map((s) => (s.payment as { rateType: string }).rateType));
    for (const t of ['FIXED', 'VARIED', 'NO_FEE']) expect(rateTypes).toContain(t);
    for (const s of site.services) {
      expect(s.staffMemberIds.length).toBeGreaterThan(0);
      expect((s.category as { name: string }).name).toBeTruthy();
      expect((s.locations as unknown[]).length).toBeGreaterThan(0);
      const money = (s.payment as { fixed?: { price: { value: unknown } } }).fixed?.price.value;
      if (money !== undefined) expect(typeof money).toBe('string');
    }
    expect(new Set(site.staff.map((s) => s.id)).size).toBe(site.staff.length);
  });

  it('has services as a real site holds them: hidden ones, other apps\' ones, and ones at several locations', () => {
    const bookings = site.services.filter((s) => s.appId === BOOKINGS_APP_ID);
    expect(site.services.filter((s) => s.hidden === true).length).toBeGreaterThanOrEqual(2);
    expect(site.services.filter((s) => s.appId !== BOOKINGS_APP_ID).length).toBeGreaterThanOrEqual(2);
    expect(bookings.filter((s) => !s.hidden).length).toBeGreaterThanOrEqual(12);
    const multi = site.services.filter((s) => (s.locations as { type: string }[]).filter((l) => l.type === 'BUSINESS').length >= 2);
    expect(new Set(multi.map((s) => s.type))).toEqual(new Set(['APPOINTMENT', 'CLASS']));
    for (const s of multi) {
      for (const l of s.locations as { id: string; business: { id: string; name: string; address: { formattedAddress: string } } }[]) {
        expect(l.id).toBe(l.business.id);
        expect(l.business.name).toBeTruthy();
        expect(l.business.address.formattedAddress).toMatch(/Springfield/);
      }
    }
  });

  it('keeps the ids of earlier services when services are added', () => {
    // The id seed 1 gave the first service before services were added: new ones draw from their own stream.
    expect(site.services[0]).toMatchObject({ id: 'cd4ad24f-f998-46bc-9e2f-429087781954', name: 'Haircut & Style' });
    expect(new Set(site.services.map((s) => s.id)).size).toBe(site.services.length);
  });

  it('has the demo client and members in every login state', () => {
    expect(site.clients).toEqual([{ id: DEMO_CLIENT_ID, name: 'wixq demo' }]);
    expect(site.members.map((m) => m.email)).toEqual(DEMO_MEMBERS.map((m) => m.email));
    expect(new Set(site.members.map((m) => m.status))).toEqual(new Set(['ACTIVE', 'PENDING_EMAIL_VERIFICATION', 'PENDING_OWNER_APPROVAL']));
    expect(site.members.some((m) => m.captchaRequired)).toBe(true);
  });

  it('generates 20,000 products, the first ones unchanged', () => {
    const big = generateSite({ products: 20_000 });
    expect(big.products).toHaveLength(20_000);
    expect(big.products[0]!.name).toBe(site.products[0]!.name);
    expect(new Set(big.products.map((p) => p.slug)).size).toBe(20_000);
  });

  it('converts products to the Catalog V3 shape', () => {
    const p = site.products.find((x) => (x.discount as { type: string }).type !== 'NONE' && (x.productOptions as unknown[]).length > 0)!;
    const v3 = toV3Product(p, site);
    const price = p.priceData as { price: number; discountedPrice: number };
    expect(v3).toMatchObject({
      id: p.id,
      name: p.name,
      slug: p.slug,
      visible: p.visible,
      actualPriceRange: { minValue: { amount: String(price.discountedPrice), formattedAmount: expect.stringMatching(/^\$/) } },
      compareAtPriceRange: { minValue: { amount: String(price.price) } },
      inventory: { availabilityStatus: (p.stock as { inventoryStatus: string }).inventoryStatus },
      createdDate: p.createdDate,
    });
    expect((v3.options as unknown[]).length).toBe((p.productOptions as unknown[]).length);
    expect(((v3.variantsInfo as { variants: unknown[] }).variants).length).toBeGreaterThan(1);
  });
});

describe('the category tree of the generated Catalog V3 site', () => {
  const v3 = generateSite({ catalog: 'v3' });
  const categories = v3.categories!;
  const byName = (name: string) => categories.find((c) => c.name === name)!;
  const tree = new CategoryTree(categories, v3.productCategoryIds!, v3.products);

  it('exists on V3 sites only, and leaves the V1 catalog as it was', () => {
    expect(generateSite().categories).toBeUndefined();
    expect(JSON.stringify(v3.products)).toBe(JSON.stringify(generateSite().products));
    expect(JSON.stringify(generateSite({ catalog: 'v3' }))).toBe(JSON.stringify(v3));
  });

  it('gives every kind of item of every department exactly one subcategory', () => {
    for (const [item, homes] of demoLeavesByItem()) expect(homes, item).toHaveLength(1);
  });

  it('has top-level categories, subcategories three levels deep, and a hidden branch', () => {
    expect(categories.filter((c) => !c.parentId).length).toBeGreaterThanOrEqual(8);
    expect(tree.ancestors(byName('Drinkware').id)).toEqual([byName('Kitchen').id, byName('Tableware').id]);
    expect(tree.isVisible(byName('Archive').id)).toBe(false);
    expect(tree.isVisible(byName('Winter 2023').id)).toBe(false);
    expect(new Set(categories.map((c) => c.slug)).size).toBe(categories.length);
  });

  it('places every product in All Products and in one subcategory; all categories add the ancestors', () => {
    // Subcategories that hold kinds of item (the hidden Winter 2023 holds a selection across departments).
    const leaves = new Set(categories.filter((c) => c.parentId && c.name !== 'Winter 2023' && !categories.some((d) => d.parentId === c.id)).map((c) => c.id));
    for (const p of v3.products) {
      const direct = v3.productCategoryIds![p.id]!;
      expect(direct[0]).toBe(byName('All Products').id);
      expect(direct.filter((id) => leaves.has(id) || id === byName('Tableware').id).length).toBe(1);
      const info = tree.categoriesOfProduct(p.id);
      expect(info.direct.map((c) => c.id)).toEqual(direct);
      const expectedAll = new Set(direct.flatMap((id) => [id, ...tree.ancestors(id)]));
      expect(new Set(info.all.map((c) => c.id))).toEqual(expectedAll);
    }
    expect(tree.itemCounter(byName('All Products').id)).toBe(v3.products.length);
    expect(tree.itemCounter(byName('Kitchen').id)).toBe(0);
    expect(tree.itemCounter(byName('Winter 2023').id)).toBeGreaterThan(0);
  });

  it('numbers products within each category in catalog order', () => {
    const inSale = v3.products.filter((p) => v3.productCategoryIds![p.id]!.includes(byName('Sale').id));
    expect(inSale.map((p) => tree.categoriesOfProduct(p.id).direct.find((c) => c.id === byName('Sale').id)!.index)).toEqual(inSale.map((_, i) => i));
  });

  it('carries the placement into the V3 product shape', () => {
    const p = v3.products.find((x) => v3.productCategoryIds![x.id]!.includes(byName('Drinkware').id))!;
    const product = toV3Product(p, v3, tree.categoriesOfProduct(p.id));
    expect(product.mainCategoryId).toBe(byName('Drinkware').id);
    expect((product.breadcrumbsInfo as { breadcrumbs: { categoryName: string }[] }).breadcrumbs.map((b) => b.categoryName)).toEqual(['Kitchen', 'Tableware', 'Drinkware']);
    expect((product.directCategoriesInfo as { categories: { id: string }[] }).categories.map((c) => c.id)).toEqual(v3.productCategoryIds![p.id]);
  });

  it('builds the tree for 20,000 products with the first ones placed as in the small catalog', () => {
    const big = generateSite({ products: 20_000, catalog: 'v3' });
    expect(Object.keys(big.productCategoryIds!)).toHaveLength(20_000);
    expect(big.productCategoryIds![big.products[3]!.id]).toEqual(v3.productCategoryIds![v3.products[3]!.id]);
  });
});

describe('site data files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wixq-site-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const minimal = { clientIds: ['c1'], products: [{ id: 'p1', name: 'Blue Mug', price: 12.5 }] };

  it('fills defaults for a minimal file', () => {
    const site = parseSiteData(minimal);
    expect(site.catalogVersion).toBe('V1_CATALOG');
    expect(site.timeZone).toBe('UTC');
    expect(site.products[0]).toMatchObject({ id: 'p1', name: 'Blue Mug', slug: 'blue-mug', visible: true, collectionIds: [ALL_PRODUCTS_COLLECTION_ID], priceData: { price: 12.5, discountedPrice: 12.5, currency: 'USD' } });
    expect(site.collections[0]).toMatchObject({ id: ALL_PRODUCTS_COLLECTION_ID, numberOfProducts: 1 });
  });

  it.each<[string, unknown, string]>([
    ['a missing client list', { products: [] }, 'clientIds: is required'],
    ['an empty client list', { clientIds: [] }, 'clientIds: needs at least one client ID'],
    ['a product without a name', { clientIds: ['c'], products: [{ id: 'p' }] }, 'products[0].name: is required'],
    ['a duplicate product id', { clientIds: ['c'], products: [{ id: 'p', name: 'A' }, { id: 'p', name: 'B' }] }, 'products[1].id: duplicate id p'],
    ['a bad visible flag', { clientIds: ['c'], products: [{ id: 'p', name: 'A', visible: 'yes' }] }, 'products[0].visible: expected true or false'],
    ['a non-digit numericId', { clientIds: ['c'], products: [{ id: 'p', name: 'A', numericId: 'x1' }] }, 'products[0].numericId: expected a string of digits'],
    ['a bad stock status', { clientIds: ['c'], products: [{ id: 'p', name: 'A', stock: { inventoryStatus: 'MAYBE' } }] }, 'products[0].stock.inventoryStatus'],
    ['a bad service type', { clientIds: ['c'], services: [{ id: 's', name: 'S', type: 'PARTY' }] }, 'services[0].type: expected APPOINTMENT, CLASS or COURSE'],
    ['an unknown staff id', { clientIds: ['c'], services: [{ id: 's', name: 'S', type: 'CLASS', staffMemberIds: ['nobody'] }] }, 'services[0].staffMemberIds[0]: unknown staff member id nobody'],
    ['a bad member email', { clientIds: ['c'], members: [{ email: 'nope', password: 'x' }] }, 'members[0].email: expected an email address'],
    ['a bad member status', { clientIds: ['c'], members: [{ email: 'a@b.c', password: 'x', status: 'BANNED' }] }, 'members[0].status'],
    ['a bad catalog version', { clientIds: ['c'], catalogVersion: 'v2' }, 'catalogVersion: expected "v1", "v3" or "none"'],
    ['an unknown time zone', { clientIds: ['c'], timeZone: 'Mars/Base' }, 'timeZone: unknown IANA time zone Mars/Base'],
    ['a relative redirect URI', { clientIds: [{ id: 'c', redirectUris: ['/cb'] }] }, 'clientIds[0].redirectUris[0]: expected an absolute URL'],
    ['a bad hidden flag', { clientIds: ['c'], services: [{ id: 's', name: 'S', type: 'CLASS', hidden: 'no' }] }, 'services[0].hidden: expected true or false'],
    ['an empty appId', { clientIds: ['c'], services: [{ id: 's', name: 'S', type: 'CLASS', appId: '' }] }, 'services[0].appId: expected a non-empty string'],
    ['locations that are not a list', { clientIds: ['c'], services: [{ id: 's', name: 'S', type: 'CLASS', locations: {} }] }, 'services[0].locations: expected an array of locations'],
    ['a bad location type', { clientIds: ['c'], services: [{ id: 's', name: 'S', type: 'CLASS', locations: [{ type: 'MOON' }] }] }, 'services[0].locations[0].type: expected BUSINESS, CUSTOM or CUSTOMER'],
    ['a business location without business', { clientIds: ['c'], services: [{ id: 's', name: 'S', type: 'CLASS', locations: [{ type: 'BUSINESS' }] }] }, 'services[0].locations[0].business: is required'],
    ['a business location without id', { clientIds: ['c'], services: [{ id: 's', name: 'S', type: 'CLASS', locations: [{ business: { name: 'X' } }] }] }, 'services[0].locations[0].business.id: is required'],
    ['a location listed twice', { clientIds: ['c'], services: [{ id: 's', name: 'S', type: 'CLASS', locations: [{ business: { id: 'l1' } }, { business: { id: 'l1' } }] }] }, 'services[0].locations: lists a business location twice'],
    ['an unknown authorize redirect', { clientIds: ['c'], authorizeRedirect: 'html' }, 'authorizeRedirect: expected "302", "meta-refresh", "script", "none"'],
    ['a category without a name', { clientIds: ['c'], categories: [{ id: 'k' }] }, 'categories[0].name: is required'],
    ['a duplicate category id', { clientIds: ['c'], categories: [{ id: 'k', name: 'A' }, { id: 'k', name: 'B' }] }, 'categories[1].id: duplicate id k'],
    ['a duplicate category slug', { clientIds: ['c'], categories: [{ id: 'k', name: 'A' }, { id: 'l', name: 'a' }] }, 'categories[1].slug: duplicate slug a'],
    ['an unknown parent category', { clientIds: ['c'], categories: [{ id: 'k', name: 'A', parentId: 'nope' }] }, 'categories[0].parentId: unknown category id nope'],
    ['a category cycle', { clientIds: ['c'], categories: [{ id: 'k', name: 'A', parentId: 'l' }, { id: 'l', name: 'B', parentId: 'k' }] }, 'categories[0].parentId: makes a cycle through category k'],
    ['a tree deeper than 5 levels', { clientIds: ['c'], categories: ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i, all) => ({ id, name: id, ...(i > 0 && { parentId: all[i - 1] }) })) }, 'categories[5].parentId: nests the category deeper than 5 levels'],
    ['a visible child of a hidden category', { clientIds: ['c'], categories: [{ id: 'k', name: 'A', visible: false }, { id: 'l', name: 'B', parentId: 'k', visible: true }] }, 'categories[1].visible: cannot be true under the hidden category k'],
    ['a product in an unknown category', { clientIds: ['c'], categories: [{ id: 'k', name: 'A' }], products: [{ id: 'p', name: 'P', categoryIds: ['k', 'x'] }] }, 'products[0].categoryIds[1]: unknown category id x'],
    ['a product in a category twice', { clientIds: ['c'], categories: [{ id: 'k', name: 'A' }], products: [{ id: 'p', name: 'P', categoryIds: ['k', 'k'] }] }, 'products[0].categoryIds[1]: duplicate category id k'],
    ['category ids that are not strings', { clientIds: ['c'], products: [{ id: 'p', name: 'P', categoryIds: [1] }] }, 'products[0].categoryIds: expected an array of strings'],
  ])('rejects %s with one line naming the field', (_name, data, message) => {
    try {
      parseSiteData(data, 'data file x.json');
      expect.unreachable('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(SiteDataError);
      expect((error as Error).message).toContain(`data file x.json: ${message}`);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('reads service appId, hidden flag and business locations, defaulting appId to Wix Bookings', () => {
    const site = parseSiteData({
      clientIds: ['c'],
      authorizeRedirect: 'meta-refresh',
      services: [
        { id: 's1', name: 'Two Rooms', type: 'APPOINTMENT', locations: [{ business: { id: 'l1', name: 'North', address: { formattedAddress: '1 North St' } } }, { type: 'BUSINESS', business: { id: 'l2', name: 'South' } }] },
        { id: 's2', name: 'Elsewhere', type: 'CLASS', hidden: true, appId: 'other-app' },
      ],
    });
    expect(site.authorizeRedirect).toBe('meta-refresh');
    expect(site.services[0]).toMatchObject({ appId: BOOKINGS_APP_ID, hidden: false, locations: [{ id: 'l1', type: 'BUSINESS', business: { id: 'l1', name: 'North' } }, { id: 'l2', type: 'BUSINESS' }] });
    expect(site.services[1]).toMatchObject({ appId: 'other-app', hidden: true, locations: [] });
  });

  it('reads a category tree and places products in it, keeping categoryIds out of the V1 product', () => {
    const site = parseSiteData({
      clientIds: ['c1'],
      catalogVersion: 'v3',
      categories: [
        { id: 'k1', name: 'Mugs & Cups' },
        { id: 'k2', name: 'Espresso', parentId: 'k1', description: 'Small ones' },
        { id: 'k3', name: 'Old stock', visible: false },
      ],
      products: [{ id: 'p1', name: 'Blue Mug', price: 12.5, categoryIds: ['k2', 'k3'] }, { id: 'p2', name: 'Plate' }],
    });
    expect(site.categories).toMatchObject([
      { id: 'k1', slug: 'mugs-and-cups', visible: true },
      { id: 'k2', parentId: 'k1', description: 'Small ones' },
      { id: 'k3', visible: false },
    ]);
    expect(site.productCategoryIds).toEqual({ p1: ['k2', 'k3'] });
    expect(site.products[0]).not.toHaveProperty('categoryIds');
  });

  it('serves the collections of a V3 data file without a tree as top-level categories', async () => {
    const emu = await startTestEmulator({ data: { ...parseSiteData({ clientIds: ['c1'], collections: [{ id: 'col1', name: 'Sale' }], products: [{ id: 'p1', name: 'Mug', collectionIds: ['col1'] }] }), catalogVersion: 'V3_CATALOG' } });
    try {
      const { access_token } = (await (await fetch(`${emu.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'c1', grantType: 'anonymous' }) })).json()) as { access_token: string };
      const r = await fetch(`${emu.url}/categories/v1/categories/query`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: access_token }, body: JSON.stringify({ query: {}, treeReference: { appNamespace: '@wix/stores' } }) });
      const body = (await r.json()) as { categories: { id: string; name: string; itemCounter: number }[] };
      expect(body.categories.map((c) => [c.id, c.name, c.itemCounter])).toEqual([['col1', 'Sale', 1]]);
    } finally {
      await emu.close();
    }
  });

  it('reads files and reports unreadable or non-JSON ones', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(minimal));
    expect(loadSiteFile(good).products).toHaveLength(1);
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{ nope');
    expect(() => loadSiteFile(notJson)).toThrow(/is not valid JSON/);
    expect(() => loadSiteFile(join(dir, 'missing.json'))).toThrow(/cannot read data file .*missing\.json \(ENOENT\)/);
  });

  it('serves a data file site with its own client and redirect URI list', async () => {
    const file = join(dir, 'clients.json');
    writeFileSync(file, JSON.stringify({ ...minimal, clientIds: [{ id: 'c1', redirectUris: ['https://shop.example.com/cb'] }], members: [{ email: 'a@example.com', password: 'pw' }] }));
    const emu = await startTestEmulator({ data: file });
    try {
      expect(emu.clientId).toBe('c1');
      const token = await fetch(`${emu.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'c1', grantType: 'anonymous' }) });
      const { access_token } = (await token.json()) as { access_token: string };
      const session = (uri: string) =>
        fetch(`${emu.url}/_api/redirects-api/v1/redirect-session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: access_token },
          body: JSON.stringify({ auth: { authRequest: { clientId: 'c1', redirectUri: uri, codeChallenge: 'x'.repeat(43), codeChallengeMethod: 'S256', responseType: 'code' }, prompt: 'login' } }),
        });
      expect((await session('https://shop.example.com/cb')).status).toBe(200);
      expect((await session('http://127.0.0.1:9000/cb')).status).toBe(400);
    } finally {
      await emu.close();
    }
  });
});

describe('big catalog over HTTP', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startTestEmulator({ products: 20_000 });
    const r = await fetch(`${emu.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: emu.clientId, grantType: 'anonymous' }) });
    token = ((await r.json()) as { access_token: string }).access_token;
  });
  afterAll(() => emu.close());

  const query = async (q: unknown) => {
    const r = await fetch(`${emu.url}/stores-reader/v1/products/query-platformized`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ query: q }) });
    expect(r.status).toBe(200);
    return (await r.json()) as { products: { id: string; numericId: string }[]; metadata: { total: number } };
  };

  // Speed is measured by `npm run bench` (20,000 products with --all); these tests pin behaviour, not timings.
  it('answers a repeated filter+sort query over 20,000 products with the same page every time', async () => {
    const q = { filter: { 'priceData.price': { $gt: 40 }, name: { $startsWith: 'c' } }, sort: [{ fieldName: 'name', order: 'ASC' }], paging: { limit: 20, offset: 40 } };
    const first = await query(q);
    expect(first.products).toHaveLength(20);
    for (let i = 0; i < 5; i++) expect((await query(q)).products.map((p) => p.id)).toEqual(first.products.map((p) => p.id));
  });

  it('pages through all 20,000 (offset pages 4 at a time to the ceiling, then keyset on numericId)', async () => {
    const seen = new Set<string>();
    const sort = [{ fieldName: 'numericId', order: 'ASC' }];
    for (let offset = 0; offset < 10_000; offset += 400) {
      const pages = await Promise.all([0, 100, 200, 300].map((d) => query({ sort, paging: { limit: 100, offset: offset + d } })));
      for (const page of pages) for (const p of page.products) seen.add(p.id);
    }
    let last = [...emu.site.products.filter((p) => p.visible)][9_999]!.numericId;
    for (;;) {
      const page = await query({ filter: { numericId: { $gt: last } }, sort, paging: { limit: 100, offset: 0 } });
      if (page.products.length === 0) break;
      for (const p of page.products) seen.add(p.id);
      last = page.products[page.products.length - 1]!.numericId;
    }
    expect(seen.size).toBe(emu.site.products.filter((p) => p.visible).length);
  });
});

describe('time zones', () => {
  it.each([
    ['2026-03-09T09:00:00', 'America/New_York', '2026-03-09T13:00:00.000Z'],
    ['2026-03-06T09:00:00', 'America/New_York', '2026-03-06T14:00:00.000Z'],
    ['2026-07-01T12:00:00', 'Asia/Kolkata', '2026-07-01T06:30:00.000Z'],
    ['2026-10-25T01:30:00', 'Europe/Berlin', '2026-10-24T23:30:00.000Z'],
  ])('%s in %s is %s', (local, zone, instant) => {
    expect(new Date(fromLocal(parseLocalIso(local)!, zone)).toISOString()).toBe(instant);
    expect(toLocalIso(Date.parse(instant), zone)).toBe(local);
  });

  it('reads an ambiguous fall-back time as the earlier instant', () => {
    expect(new Date(fromLocal(parseLocalIso('2026-11-01T01:30:00')!, 'America/New_York')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('moves a time in the spring-forward gap past the gap', () => {
    const instant = fromLocal(parseLocalIso('2026-03-08T02:30:00')!, 'America/New_York');
    expect(toLocalIso(instant, 'America/New_York')).toBe('2026-03-08T03:30:00');
  });

  it.each(['2026-03-09', '2026-13-01T00:00:00', '2026-03-09T25:00:00', '2026-03-09T09:00:00Z'])('rejects %s as a local date-time', (text) => {
    expect(parseLocalIso(text)).toBeUndefined();
  });
});
