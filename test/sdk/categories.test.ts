import { createClient, OAuthStrategy } from '@wix/sdk';
import * as categories from '@wix/auto_sdk_categories_categories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSite } from '../../src/emulator/index.js';
import type { StoreCategory } from '../../src/emulator/site/types.js';
import { redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/** The SDK's categories module (@wix/auto_sdk_categories_categories) against the Stores tree of an emulated V3 site. */

let emu: RunningEmulator;
let restore: () => void;
let client: ReturnType<typeof makeClient>;
let tree: StoreCategory[];

const STORES = { appNamespace: '@wix/stores' };

function makeClient(clientId: string) {
  return createClient({ modules: { categories }, auth: OAuthStrategy({ clientId }) });
}

const byName = (name: string) => tree.find((c) => c.name === name)!;
/** Visible when it and every ancestor are (visibility cascades). */
const shown = (c: StoreCategory): boolean => c.visible && (!c.parentId || shown(tree.find((p) => p.id === c.parentId)!));
/** The demo tree in pre-order (parents before children), as the API lists it. */
function preorder(parentId?: string): StoreCategory[] {
  return tree.filter((c) => c.parentId === parentId).flatMap((c) => [c, ...preorder(c.id)]);
}

beforeAll(async () => {
  emu = await startTestEmulator({ catalog: 'v3' });
  restore = redirectFetch(emu.url);
  client = makeClient(emu.clientId);
  tree = emu.site.categories!;
});

afterAll(async () => {
  restore();
  await emu.close();
});

async function collect(query: any): Promise<any[]> {
  let page = await query.find();
  const items = [...page.items];
  while (page.hasNext()) {
    page = await page.next();
    items.push(...page.items);
  }
  return items;
}

describe('queryCategories', () => {
  const q = (options: Record<string, unknown> = {}) => client.categories.queryCategories({ treeReference: STORES, ...options } as any) as any;

  it('lists the visible categories parents-first across cursor pages, and sends the tree reference at the top level', async () => {
    emu.reset();
    const items = await collect(q().limit(7));
    expect(items.map((c) => c.name)).toEqual(preorder().filter(shown).map((c) => c.name));
    const [first, second] = emu.requests('/categories/v1/categories/query');
    expect(first).toMatchObject({ method: 'POST', body: { query: { filter: {}, cursorPaging: { limit: 7 } }, treeReference: STORES } });
    expect((second!.body as any).query).toEqual({ cursorPaging: { cursor: expect.any(String), limit: 7 } });
  });

  it('returns the real Category shape: renamed ids, parent, counter, tree reference, image', async () => {
    const [apparel] = (await q().eq('slug', 'apparel').find()).items;
    expect(apparel).toMatchObject({ _id: byName('Apparel').id, name: 'Apparel', slug: 'apparel', visible: true, treeReference: STORES, itemCounter: 0, revision: '1' });
    expect(apparel.parentCategory).toBeUndefined();
    expect(apparel.image).toMatch(/^wix:image:\/\/v1\//);
    // @wix/sdk turns the wire's timestamps into Dates (docs/wix-api.md 0.3); wixq's client keeps the strings.
    expect(apparel._createdDate).toEqual(new Date(byName('Apparel').createdDate));
    expect(apparel.description).toBeUndefined();
    const [tops] = (await q().eq('slug', 'tops').find()).items;
    expect(tops.parentCategory).toEqual({ _id: byName('Apparel').id, index: 0 });
    const directlyInTops = Object.values(emu.site.productCategoryIds!).filter((ids) => ids.includes(byName('Tops').id)).length;
    expect(directlyInTops).toBeGreaterThan(0);
    expect(tops.itemCounter).toBe(directlyInTops);
  });

  it.each<[string, () => any, (c: StoreCategory) => boolean]>([
    ['subcategories of a parent, by name', () => q().eq('parentCategory._id', byName('Kitchen').id).ascending('name'), (c) => c.parentId === byName('Kitchen').id],
    ['top-level categories', () => q().exists('parentCategory._id', false), (c) => !c.parentId],
    ['names from a list', () => q().in('name', ['Sale', 'Bags', 'Nope']), (c) => c.name === 'Sale' || c.name === 'Bags'],
  ])('filters %s', async (_name, build, predicate) => {
    const got = (await collect(build())).map((c) => c.name);
    expect(got.sort()).toEqual(tree.filter((c) => shown(c) && predicate(c)).map((c) => c.name).sort());
    expect(got.length).toBeGreaterThan(0);
  });

  it('sorts by name descending', async () => {
    const got = (await collect(q().descending('name'))).map((c) => c.name);
    expect(got).toEqual([...got].sort().reverse());
  });

  it('shows hidden categories only with returnNonVisibleCategories; visibility cascades to children', async () => {
    const hidden = await collect(q({ returnNonVisibleCategories: true }).eq('visible', false));
    expect(hidden.map((c) => c.name)).toEqual(['Archive', 'Winter 2023']);
    expect(hidden[1].parentCategory._id).toBe(byName('Archive').id);
    expect(await collect(q().eq('visible', false))).toEqual([]);
  });

  it('adds description and breadcrumbs only when asked with fields', async () => {
    const [drinkware] = (await q({ fields: ['DESCRIPTION', 'BREADCRUMBS_INFO'] }).eq('slug', 'drinkware').find()).items;
    expect(drinkware.description).toBe('Drinkware from the wixq demo store.');
    expect(drinkware.breadcrumbsInfo.breadcrumbs).toEqual([
      { categoryId: byName('Kitchen').id, categoryName: 'Kitchen', categorySlug: 'kitchen' },
      { categoryId: byName('Tableware').id, categoryName: 'Tableware', categorySlug: 'tableware' },
    ]);
  });

  it('refuses a query without a tree reference (400 "treeReference must not be empty") and a foreign tree', async () => {
    const missing: any = await (client.categories.queryCategories({} as any) as any).find().catch((e: any) => e);
    expect(missing.status).toBe(400);
    expect(missing.response.data.message).toBe('treeReference must not be empty');
    expect(JSON.parse(missing.message).message).toBe('INVALID_ARGUMENT: "treeReference" must not be empty');
    expect(missing.details.validationError.fieldViolations[0].field).toBe('treeReference');
    const foreign: any = await q({ treeReference: { appNamespace: '@wix/blog' } }).find().catch((e: any) => e);
    expect(foreign.status).toBe(400);
    expect(foreign.details.validationError.fieldViolations[0].field).toBe('treeReference.appNamespace');
  });
});

describe('getCategory and getCategoryBySlug', () => {
  it('gets a category by id (unwrapped), hidden ones included, with requested fields', async () => {
    emu.reset();
    const archive = byName('Winter 2023');
    const got = await client.categories.getCategory(archive.id, STORES, { fields: ['BREADCRUMBS_INFO'] } as any);
    expect(got).toMatchObject({ _id: archive.id, name: 'Winter 2023', visible: false, breadcrumbsInfo: { breadcrumbs: [{ categoryName: 'Archive' }] } });
    const [request] = emu.requests(`/categories/v1/categories/${archive.id}`);
    expect(request).toMatchObject({ method: 'GET', query: { 'treeReference.appNamespace': '@wix/stores', fields: 'BREADCRUMBS_INFO' } });
  });

  it('gets a category by slug, keeping the {category} wrapper', async () => {
    const got = await client.categories.getCategoryBySlug('on-the-go', STORES);
    expect(got.category?._id).toBe(byName('On the Go').id);
  });

  it('answers an unknown id with 404 NOT_FOUND', async () => {
    const e: any = await client.categories.getCategory('00000000-0000-4000-8000-000000000000', STORES).catch((x: any) => x);
    expect(e.status).toBe(404);
    expect(e.details.applicationError.code).toBe('NOT_FOUND');
    expect(JSON.parse(e.message).message).toBe('Entity not found: UNKNOWN');
  });
});

describe('searchCategories and countCategories', () => {
  it('matches words of name and description at their start, any term by default, every term with AND', async () => {
    const any = await client.categories.searchCategories({ search: { expression: 'dress bag' }, cursorPaging: { limit: 50 } } as any, { treeReference: STORES } as any);
    expect(any.categories!.map((c) => c.name).sort()).toEqual(['Bags', 'Dresses & Outerwear']);
    expect(any.pagingMetadata).toMatchObject({ count: 2, hasNext: false });
    const all = await client.categories.searchCategories({ search: { expression: 'demo drinkware', mode: 'AND' } } as any, { treeReference: STORES } as any);
    expect(all.categories!.map((c) => c.name)).toEqual(['Drinkware']);
    const midWord = await client.categories.searchCategories({ search: { expression: 'rinkware' } } as any, { treeReference: STORES } as any);
    expect(midWord.categories).toEqual([]);
  });

  it('pages a search with the cursor only; filters and sorts', async () => {
    const first = await client.categories.searchCategories({ filter: { visible: true }, sort: [{ fieldName: 'name', order: 'ASC' }], cursorPaging: { limit: 5 } } as any, { treeReference: STORES } as any);
    const names = first.categories!.map((c) => c.name);
    const second = await client.categories.searchCategories({ cursorPaging: { cursor: first.pagingMetadata!.cursors!.next, limit: 5 } } as any, {} as any);
    names.push(...second.categories!.map((c) => c.name));
    expect(names).toEqual(tree.filter(shown).map((c) => c.name).sort().slice(0, 10));
  });

  it('counts categories like a search does', async () => {
    expect(await client.categories.countCategories({ treeReference: STORES } as any)).toEqual({ count: tree.filter(shown).length });
    expect(await client.categories.countCategories({ treeReference: STORES, returnNonVisibleCategories: true, search: { expression: 'winter' } } as any)).toEqual({ count: 1 });
  });
});

describe('sites without a Stores category tree', () => {
  it('a Catalog V1 site answers with an empty Stores tree; a site without Stores with 428 REQUIRED_APP_NOT_INSTALLED', async () => {
    const v1 = await startTestEmulator({ catalog: 'v1' });
    const none = await startTestEmulator({ data: { ...generateSite(), catalogVersion: 'STORES_NOT_INSTALLED' } });
    const undo = [redirectFetch(v1.url)];
    try {
      const onV1 = makeClient(v1.clientId);
      const page = await (onV1.categories.queryCategories({ treeReference: STORES } as any) as any).find();
      expect(page.items).toEqual([]);
      expect(page.hasNext()).toBe(false);
      undo.push(redirectFetch(none.url));
      const e: any = await (makeClient(none.clientId).categories.queryCategories({ treeReference: STORES } as any) as any).find().catch((x: any) => x);
      expect(e.status).toBe(428);
      expect(e.details.applicationError.code).toBe('REQUIRED_APP_NOT_INSTALLED');
    } finally {
      for (const u of undo.reverse()) u();
      await v1.close();
      await none.close();
    }
  });
});
