import { NotFoundError } from '../errors.js';
import { scopeServicesFilter } from './bookings.js';
import type { WixClient } from './client.js';
import { sdkErrorStatus } from './errors.js';
import type { ModuleName } from './modules.js';
import type { QueryRules } from './query-plan.js';
import type { WixSort } from './query.js';
import { listForNoun, WIX_LISTS, type CatalogNoun, type CatalogVersion, type ListId, type WixList } from '../specs/lists.js';

export type Item = Record<string, unknown>;

/** One page of a list, in the SDK's item shape (`_id`, ...). */
export interface Page {
  items: Item[];
  /** Total matching items, when the API counts them (offset paging). */
  total?: number;
  /** The cursor of the next page (cursor paging); absent or null on the last page. */
  nextCursor?: string | null;
  /** True when the answer says more follow (`pagingMetadata.hasNext`) though it gives no total (a CMS search). */
  hasNext?: boolean;
}

export interface PageRequest {
  filter: Record<string, unknown>;
  sort: WixSort[];
  limit: number;
  offset?: number;
  cursor?: string;
  /** Which endpoint serves the list (query unless the plan needs search). */
  endpoint?: 'query' | 'search';
  /** Free text for a search endpoint (`search.expression`). */
  search?: string;
}

/** The facts of a list a resource takes from its row in the table (src/specs/lists.ts). */
type ListFacts = Pick<WixList, 'noun' | 'singular' | 'catalog' | 'paging' | 'pageSize' | 'maxOffset' | 'keysetField' | 'scope'>;

/** Everything wixq needs to list and get one kind of thing; commands are built from these. */
export interface ResourceDef extends ListFacts {
  /** Which list this is, e.g. `productsV3` (its row in the table; commands key their table columns by it). */
  id: Extract<ListId, 'productsV1' | 'productsV3' | 'collectionsV1' | 'categories' | 'services'>;
  modules: ModuleName[];
  list(client: WixClient, request: PageRequest): Promise<Page>;
  get(client: WixClient, idOrSlug: string): Promise<Item>;
  /** Its endpoints and the fields each lets a query filter and sort on. */
  rules: QueryRules;
  /** The filter a list sends for the user's: a default scope ANDed in (services: Bookings' own, not hidden). */
  scopeFilter?(filter: Record<string, unknown>, scope: ListScope): Record<string, unknown>;
}

/** A row's facts, as a resource carries them (the row is the one place they are written). */
function factsOf(row: WixList): ListFacts {
  const { noun, singular, catalog, paging, pageSize, maxOffset, keysetField, scope } = row;
  return { noun, singular, paging, pageSize, scope, ...(catalog !== undefined && { catalog }), ...(maxOffset !== undefined && { maxOffset }), ...(keysetField !== undefined && { keysetField }) };
}

/** What widens a list's default scope. */
export interface ListScope {
  includeHidden?: boolean;
}

/** Wix IDs are GUIDs (some system ones, like the All Products collection, have odd group lengths). */
export function looksLikeId(value: string): boolean {
  return /^[0-9a-f]{8}(-[0-9a-f]{4,12}){3,4}$/i.test(value);
}

/** A lookup that found nothing: wixq's own not-found, or Wix's 404 (or a 400 refusing the id's shape, for an id lookup). */
function missed(error: unknown, refusedId = false): boolean {
  if (error instanceof NotFoundError) return true;
  const status = sdkErrorStatus(error);
  return status === 404 || (refusedId && status === 400);
}

/**
 * `get <id|slug>`: a GUID is an id; anything else is a slug first and, only when no item has that slug, once more as
 * an id (ids that are not GUIDs, such as a data file's `p1`, are addressable too; issue 19). When the id lookup also
 * finds nothing (404, or a 400 refusing the id), the slug's not-found stands.
 */
export async function getByIdOrSlug(idOrSlug: string, byId: (id: string) => Promise<Item>, bySlug: (slug: string) => Promise<Item>): Promise<Item> {
  if (looksLikeId(idOrSlug)) return byId(idOrSlug);
  try {
    return await bySlug(idOrSlug);
  } catch (slugMiss) {
    if (!missed(slugMiss)) throw slugMiss;
    try {
      return await byId(idOrSlug);
    } catch (idMiss) {
      throw missed(idMiss, true) ? slugMiss : idMiss;
    }
  }
}

/**
 * One page of an offset-paged SDK query through its typed overload (`queryX({filter, sort, paging})`), which answers
 * the raw renamed response `{<itemsKey>: items, metadata|pagingMetadata: {count, offset, total}}`.
 */
async function queryOffsetPage(
  query: (q: Record<string, unknown>) => Promise<Record<string, any>>,
  req: PageRequest,
  itemsKey: string,
  metaKey: 'metadata' | 'pagingMetadata',
): Promise<Page> {
  const response = await query({
    filter: req.filter,
    ...(req.sort.length ? { sort: req.sort } : {}),
    paging: { limit: req.limit, offset: req.offset ?? 0 },
  });
  const meta = response?.[metaKey] ?? {};
  return {
    items: (response?.[itemsKey] ?? []) as Item[],
    total: typeof meta.total === 'number' && !meta.tooManyToCount ? meta.total : undefined,
  };
}

/** Catalog V1 products (`products` module, offset paging, 10,000-item offset ceiling). */
export const productsV1: ResourceDef = {
  id: 'productsV1',
  ...factsOf(WIX_LISTS.productsV1),
  modules: ['products'],
  rules: {
    label: WIX_LISTS.productsV1.label,
    targets: WIX_LISTS.productsV1.targets,
    vocabulary: {
      name: { filter: 'name', sort: 'name' },
      slug: { filter: 'slug', sort: 'slug' },
      // V1's own `price` compares and sorts as a number (the discounted price lives in priceData).
      price: { filter: 'price', sort: 'price' },
      stock: {},
      visible: {},
      created: { filter: 'createdDate' },
    },
    // V1 has no search endpoint, and its spec declares no $contains: free text is a name prefix.
    textFilter: (text) => ({ name: { $startsWith: text } }),
  },
  list: (client, req) => queryOffsetPage((q) => client.products.queryProducts(q), req, 'products', 'metadata'),
  get: (client, idOrSlug) =>
    getByIdOrSlug(
      idOrSlug,
      async (id) => (await client.products.getProduct(id)).product as Item,
      async (slug) => {
        const page = await productsV1.list(client, { filter: { slug }, sort: [], limit: 1 });
        if (!page.items[0]) throw new NotFoundError(`no product with slug "${slug}"`, { hint: 'List them with: wixq products list --fields _id,slug,name' });
        return page.items[0];
      },
    ),
};

/** The query of a cursor-paged page: filter, sort and limit first; later pages send only the cursor, which carries them. */
function cursorPageQuery(req: PageRequest): Record<string, unknown> {
  if (req.cursor) return { cursorPaging: { limit: req.limit, cursor: req.cursor } };
  return { filter: req.filter, ...(req.sort.length ? { sort: req.sort } : {}), cursorPaging: { limit: req.limit } };
}

/** One Catalog V3 product by ID or slug, with the optional `fields` asked for (CURRENCY, URL, …). */
export async function getProductV3(client: WixClient, idOrSlug: string, fields: string[]): Promise<Item> {
  return getByIdOrSlug(
    idOrSlug,
    async (id) => (await client.productsV3.getProduct(id, { fields })) as Item,
    async (slug) => (await client.productsV3.getProductBySlug(slug, { fields })).product as Item,
  );
}

/** Catalog V3 products (`productsV3` module, cursor paging; the cursor carries filter and sort). */
export const productsV3: ResourceDef = {
  id: 'productsV3',
  ...factsOf(WIX_LISTS.productsV3),
  modules: ['productsV3'],
  rules: {
    label: WIX_LISTS.productsV3.label,
    // Query serves what its spec declares; name, price, stock, categories and every sort need search.
    targets: WIX_LISTS.productsV3.targets,
    vocabulary: {
      name: { filter: 'name', sort: 'name' },
      slug: { filter: 'slug' },
      price: { filter: 'actualPriceRange.minValue.amount', sort: 'actualPriceRange.minValue.amount' },
      stock: { filter: 'inventory.availabilityStatus' },
      visible: { filter: 'visible' },
      created: { filter: 'createdDate', sort: 'createdDate' },
    },
  },
  async list(client, req) {
    const paging = cursorPageQuery(req);
    const response =
      req.endpoint === 'search'
        ? await client.productsV3.searchProducts(
            { ...paging, ...(req.search !== undefined && !req.cursor ? { search: { expression: req.search } } : {}) },
            { fields: ['CURRENCY'] },
          )
        : await client.productsV3.queryProducts(paging, { fields: ['CURRENCY'] });
    const meta = response?.pagingMetadata ?? {};
    return { items: (response?.products ?? []) as Item[], nextCursor: meta.cursors?.next ?? null };
  },
  async get(client, idOrSlug) {
    // Variant choices carry option and choice names only with VARIANT_OPTION_CHOICE_NAMES (V3 OptionChoice typings).
    return getProductV3(client, idOrSlug, ['CURRENCY', 'VARIANT_OPTION_CHOICE_NAMES']);
  },
};

/** Catalog V1 collections (`collections` module). */
export const collectionsV1: ResourceDef = {
  id: 'collectionsV1',
  ...factsOf(WIX_LISTS.collectionsV1),
  modules: ['collections'],
  rules: { label: WIX_LISTS.collectionsV1.label, targets: WIX_LISTS.collectionsV1.targets },
  list: (client, req) => queryOffsetPage((q) => client.collections.queryCollections(q), req, 'collections', 'metadata'),
  get: (client, idOrSlug) =>
    getByIdOrSlug(
      idOrSlug,
      async (id) => (await client.collections.getCollection(id)) as Item,
      async (slug) => (await client.collections.getCollectionBySlug(slug)).collection as Item,
    ),
};

/** Wix Stores' category tree: categories of Catalog V3 live in the Categories API under this app namespace. */
export const STORES_CATEGORY_TREE = { appNamespace: '@wix/stores' } as const;

/** Catalog V3 categories (`categories` module of @wix/categories, the Stores tree, cursor paging; visible ones only). */
export const categories: ResourceDef = {
  id: 'categories',
  ...factsOf(WIX_LISTS.categories),
  modules: ['categories'],
  rules: { label: WIX_LISTS.categories.label, targets: WIX_LISTS.categories.targets },
  async list(client, req) {
    const paging = cursorPageQuery(req);
    const response =
      req.endpoint === 'search'
        ? await client.categories.searchCategories(paging, { treeReference: STORES_CATEGORY_TREE })
        : await client.categories.queryCategories(paging, { treeReference: STORES_CATEGORY_TREE });
    const meta = response?.pagingMetadata ?? {};
    return { items: (response?.categories ?? []) as Item[], nextCursor: meta.cursors?.next ?? null };
  },
  get: (client, idOrSlug) =>
    getByIdOrSlug(
      idOrSlug,
      async (id) => (await client.categories.getCategory(id, STORES_CATEGORY_TREE)) as Item,
      async (slug) => (await client.categories.getCategoryBySlug(slug, STORES_CATEGORY_TREE)).category as Item,
    ),
};

/** Bookings services v2 (`services` module, offset paging). */
export const services: ResourceDef = {
  id: 'services',
  ...factsOf(WIX_LISTS.services),
  modules: ['services'],
  rules: { label: WIX_LISTS.services.label, targets: WIX_LISTS.services.targets },
  list: (client, req) => queryOffsetPage((q) => client.services.queryServices(q), req, 'services', 'pagingMetadata'),
  scopeFilter: scopeServicesFilter,
  // Unscoped: a hidden service is still found by its id or slug (a private booking link names it).
  get: (client, idOrSlug) =>
    getByIdOrSlug(
      idOrSlug,
      async (id) => (await client.services.getService(id)) as Item,
      async (slug) => {
        const page = await services.list(client, { filter: { 'mainSlug.name': slug }, sort: [], limit: 1 });
        if (!page.items[0]) throw new NotFoundError(`no service with slug "${slug}"`, { hint: 'List them with: wixq services list --fields _id,mainSlug.name,name' });
        return page.items[0];
      },
    ),
};

/** The resource of each list `list`, `get` and `check` read through the SDK, by its row in the table. */
export const RESOURCES: Readonly<Record<ResourceDef['id'], ResourceDef>> = { productsV1, productsV3, collectionsV1, categories, services };

/**
 * The resource a noun reads on a site of `catalog`: the table's catalog → list choice (src/specs/lists.ts
 * `listForNoun`), the one place it is made. Undefined for a Stores noun on a site without Stores.
 */
export function resourceFor(noun: CatalogNoun, catalog: CatalogVersion | undefined): ResourceDef | undefined {
  const id = listForNoun(noun, catalog);
  return id === undefined ? undefined : RESOURCES[id as ResourceDef['id']];
}
