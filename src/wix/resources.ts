import { NotFoundError } from '../errors.js';
import { scopeServicesFilter } from './bookings.js';
import type { WixClient } from './client.js';
import { sdkErrorStatus } from './errors.js';
import type { ModuleName } from './modules.js';
import type { QueryRules } from './query-plan.js';
import type { WixSort } from './query.js';

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

/** Everything wixq needs to list and get one kind of thing; commands are built from these. */
export interface ResourceDef {
  /** Which API this is, e.g. `productsV3` (commands key their table columns by it). */
  id: 'productsV1' | 'productsV3' | 'collectionsV1' | 'categories' | 'services';
  /** Plural noun for messages: "products". */
  noun: string;
  /** Singular noun for messages: "product". */
  singular: string;
  modules: ModuleName[];
  paging: 'offset' | 'cursor';
  /** The API refuses offset + limit past this (the Stores 10,000-item ceiling). */
  maxOffset?: number;
  /** A unique, sortable field for keyset paging past maxOffset. */
  keysetField?: string;
  list(client: WixClient, request: PageRequest): Promise<Page>;
  get(client: WixClient, idOrSlug: string): Promise<Item>;
  /** Its endpoints and the fields each lets a query filter and sort on. */
  rules: QueryRules;
  /** The filter a list sends for the user's: a default scope ANDed in (services: Bookings' own, not hidden). */
  scopeFilter?(filter: Record<string, unknown>, scope: ListScope): Record<string, unknown>;
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
  noun: 'products',
  singular: 'product',
  modules: ['products'],
  paging: 'offset',
  maxOffset: 10_000,
  keysetField: 'numericId',
  rules: {
    label: 'Catalog V1',
    targets: [{ endpoint: 'query', spec: 'productsV1', path: '/stores-reader/v1/products/query-platformized' }],
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
  noun: 'products',
  singular: 'product',
  modules: ['productsV3'],
  paging: 'cursor',
  rules: {
    label: 'Catalog V3',
    // Query serves what its spec declares; name, price, stock, categories and every sort need search.
    targets: [
      { endpoint: 'query', spec: 'productsV3Query', path: '/stores/v3/products/query' },
      { endpoint: 'search', spec: 'productsV3Search', path: '/stores/v3/products/search' },
    ],
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
  noun: 'collections',
  singular: 'collection',
  modules: ['collections'],
  paging: 'offset',
  rules: { label: 'Catalog V1 collections', targets: [{ endpoint: 'query', spec: 'collectionsV1', path: '/stores-reader/v1/collections/query' }] },
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
  noun: 'categories',
  singular: 'category',
  modules: ['categories'],
  paging: 'cursor',
  rules: {
    label: 'Categories',
    targets: [
      { endpoint: 'query', spec: 'categoriesQuery', path: '/categories/v1/categories/query' },
      { endpoint: 'search', spec: 'categoriesSearch', path: '/categories/v1/categories/search' },
    ],
  },
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
  noun: 'services',
  singular: 'service',
  modules: ['services'],
  paging: 'offset',
  rules: { label: 'Bookings services', targets: [{ endpoint: 'query', spec: 'servicesQuery', path: '/bookings/v2/services/query' }] },
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
