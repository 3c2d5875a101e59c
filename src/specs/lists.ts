/**
 * One row per Wix list wixq reads: its endpoints (Wix's REST path, and the path the SDK module really sends when that
 * differs), how it pages, the page it asks for, its offset ceiling and keyset field, its default scope, the query spec
 * each endpoint is checked against, and the catalog it belongs to. `list`, `get`, `check` and `snapshot` read their
 * facts from here (through src/wix/resources.ts and src/wix/snapshot.ts); `test/sdk/list-paths.test.ts` drives each
 * row's SDK method against the emulator and compares the recorded path with the row.
 *
 * Pure data, beside the query specs: no imports from other rooms (the emulator may read it; it keeps its own routes).
 * Adding a Wix list (Blog posts, Events, Pricing Plans) is one row here, plus its columns where they are new: the
 * spec in query-specs.ts, the SDK module in src/wix/modules.ts, the calls in src/wix/resources.ts
 * (docs/ARCHITECTURE.md, "Adding a Wix list").
 */
import type { SpecName } from './types.js';

/** A site's Stores catalog: Catalog V1, Catalog V3, or no Wix Stores at all (the one definition). */
export type CatalogVersion = 'v1' | 'v3' | 'none';
export const CATALOG_VERSIONS: readonly CatalogVersion[] = ['v1', 'v3', 'none'];

/** One endpoint a list can be read from, and the spec Wix checks its queries against. */
export interface ListTarget {
  endpoint: 'query' | 'search';
  /** The query spec its filter and sort are checked against (absent: a list whose fields are the data's own, the CMS). */
  spec?: SpecName;
  /** Wix's REST path (its reference's), for messages and for wixq's own raw reads: `/stores/v3/products/search`. */
  path: string;
  /** The path the SDK module sends, where it differs from the REST path (the same API under another prefix). */
  sdkPath?: string;
  /** The method the SDK module sends it with (default POST; GET: the query in the URL's `.r`, docs/wix-api.md 4.2). */
  sdkMethod?: 'GET' | 'POST';
}

/** An endpoint whose queries are checked against a spec before they are sent (every list but the CMS's). */
export type QueryTarget = ListTarget & { spec: SpecName };

/** How a list pages: offset (`paging {limit, offset}`, a total) or cursor (`cursorPaging`, the cursor carries the query). */
export type PagingKind = 'offset' | 'cursor';

/** What a list shows by default: everything the query answers, the visible ones, or Bookings' own services that are not hidden. */
export type ListScope = 'all' | 'visible' | 'bookings-own-visible';

export type ListId = 'productsV1' | 'productsV3' | 'collectionsV1' | 'categories' | 'services' | 'variantsV3' | 'dataItems' | 'dataCollections';

export interface WixList {
  id: ListId;
  /** Plural noun for messages: "products". */
  noun: string;
  /** Singular noun for messages: "product". */
  singular: string;
  /** The catalog it belongs to (absent: any site). */
  catalog?: 'v1' | 'v3';
  /** "Catalog V1", "Bookings services": for messages. */
  label: string;
  /** Its endpoints in order of preference (the first whose spec allows the whole query serves it). */
  targets: readonly ListTarget[];
  /** One item by id and by slug, as the SDK module sends them (`{id}`, `{slug}` filled in), where the API has them. */
  get?: { byId: string; bySlug?: string };
  paging: PagingKind;
  /** Items per page a walk asks for. */
  pageSize: number;
  /** The API refuses offset + limit past this (the Stores 10,000-item ceiling). */
  maxOffset?: number;
  /** A unique, sortable field for keyset paging past maxOffset. */
  keysetField?: string;
  scope: ListScope;
  /** The key of its items in a wire answer: `products`, `dataItems`. */
  itemsKey: string;
  /** Its key in a snapshot file, where `wixq snapshot` writes it. */
  snapshotKey?: 'products' | 'productsV3' | 'variants' | 'collections' | 'categories' | 'services' | 'items';
}

/** The largest page every Wix list API accepts (docs/wix-api.md 4.5). */
export const PAGE_SIZE = 100;

export const WIX_LISTS = {
  // Catalog V1 products: offset pages, the 10,000 ceiling passed by keyset on numericId (docs/wix-api.md 2.1, 4.5).
  productsV1: {
    id: 'productsV1',
    noun: 'products',
    singular: 'product',
    catalog: 'v1',
    label: 'Catalog V1',
    targets: [{ endpoint: 'query', spec: 'productsV1', path: '/stores-reader/v1/products/query-platformized', sdkMethod: 'GET' }],
    get: { byId: '/stores-reader/v1/products/{id}' },
    paging: 'offset',
    pageSize: PAGE_SIZE,
    maxOffset: 10_000,
    keysetField: 'numericId',
    scope: 'all',
    itemsKey: 'products',
    snapshotKey: 'products',
  },
  // Catalog V3 products: cursor pages; query serves what its spec declares, search the rest (docs/wix-api.md 2.5).
  productsV3: {
    id: 'productsV3',
    noun: 'products',
    singular: 'product',
    catalog: 'v3',
    label: 'Catalog V3',
    targets: [
      { endpoint: 'query', spec: 'productsV3Query', path: '/stores/v3/products/query', sdkMethod: 'GET' },
      { endpoint: 'search', spec: 'productsV3Search', path: '/stores/v3/products/search', sdkMethod: 'GET' },
    ],
    get: { byId: '/stores/v3/products/{id}', bySlug: '/stores/v3/products/slug/{slug}' },
    paging: 'cursor',
    pageSize: PAGE_SIZE,
    scope: 'all',
    itemsKey: 'products',
    snapshotKey: 'productsV3',
  },
  // Catalog V1 collections: the SDK sends them under /v2/collections, the REST reference under the reader (docs/wix-api.md 2.4).
  collectionsV1: {
    id: 'collectionsV1',
    noun: 'collections',
    singular: 'collection',
    catalog: 'v1',
    label: 'Catalog V1 collections',
    targets: [{ endpoint: 'query', spec: 'collectionsV1', path: '/stores-reader/v1/collections/query', sdkPath: '/v2/collections/query', sdkMethod: 'GET' }],
    get: { byId: '/v2/collections/{id}', bySlug: '/v2/collections/slug/{slug}' },
    paging: 'offset',
    pageSize: PAGE_SIZE,
    scope: 'all',
    itemsKey: 'collections',
    snapshotKey: 'collections',
  },
  // Catalog V3 categories: the Categories API on the Stores tree, visible ones unless asked (docs/wix-api.md 2.6).
  categories: {
    id: 'categories',
    noun: 'categories',
    singular: 'category',
    catalog: 'v3',
    label: 'Categories',
    targets: [
      { endpoint: 'query', spec: 'categoriesQuery', path: '/categories/v1/categories/query' },
      { endpoint: 'search', spec: 'categoriesSearch', path: '/categories/v1/categories/search' },
    ],
    get: { byId: '/categories/v1/categories/{id}', bySlug: '/categories/v1/categories/slug/{slug}' },
    paging: 'cursor',
    pageSize: PAGE_SIZE,
    scope: 'visible',
    itemsKey: 'categories',
    snapshotKey: 'categories',
  },
  // Bookings services v2: the SDK's prefix is /_api (docs/wix-api.md 3.1); a list shows Bookings' own, not hidden.
  services: {
    id: 'services',
    noun: 'services',
    singular: 'service',
    label: 'Bookings services',
    targets: [{ endpoint: 'query', spec: 'servicesQuery', path: '/bookings/v2/services/query', sdkPath: '/_api/bookings/v2/services/query' }],
    get: { byId: '/_api/bookings/v2/services/{id}' },
    paging: 'offset',
    pageSize: PAGE_SIZE,
    scope: 'bookings-own-visible',
    itemsKey: 'services',
    snapshotKey: 'services',
  },
  // Read-Only Variants V3: up to 1,000 a page (`CursorPaging.limit` "@max 1000", @wix/auto_sdk_stores_read-only-variants-v-3).
  variantsV3: {
    id: 'variantsV3',
    noun: 'variants',
    singular: 'variant',
    catalog: 'v3',
    label: 'Catalog V3 variants',
    targets: [{ endpoint: 'query', spec: 'variantsV3Query', path: '/stores/v3/products/query-variants' }],
    paging: 'cursor',
    pageSize: 1000,
    scope: 'all',
    itemsKey: 'variants',
    snapshotKey: 'variants',
  },
  // CMS items: offset pages of up to 1,000, no documented ceiling (docs/wix-api.md 12.3); fields are the collection's own.
  dataItems: {
    id: 'dataItems',
    noun: 'items',
    singular: 'item',
    label: 'Wix Data items',
    targets: [
      { endpoint: 'query', path: '/wix-data/v2/items/query', sdkMethod: 'GET' },
      { endpoint: 'search', path: '/wix-data/v2/items/search' },
    ],
    paging: 'offset',
    pageSize: 1000,
    scope: 'all',
    itemsKey: 'dataItems',
    snapshotKey: 'items',
  },
  // CMS collections the caller may see (docs/wix-api.md 12.6).
  dataCollections: {
    id: 'dataCollections',
    noun: 'collections',
    singular: 'collection',
    label: 'Wix Data collections',
    targets: [{ endpoint: 'query', path: '/wix-data/v2/collections', sdkMethod: 'GET' }],
    get: { byId: '/wix-data/v2/collections/{id}' },
    paging: 'offset',
    pageSize: PAGE_SIZE,
    scope: 'all',
    itemsKey: 'collections',
  },
} as const satisfies Record<ListId, WixList>;

/** The commands' nouns that answer with a catalog's list; a noun absent from a catalog answers with its counterpart. */
export type CatalogNoun = 'products' | 'collections' | 'categories' | 'services';

/**
 * The catalog → list choice, written once: which list a noun reads on a site of this catalog. Catalog V1 groups
 * products in collections, V3 in categories: each word answers with what the site has. Services are on any site.
 */
const NOUN_LISTS: Readonly<Record<CatalogNoun, { v1: ListId; v3: ListId } | ListId>> = {
  products: { v1: 'productsV1', v3: 'productsV3' },
  collections: { v1: 'collectionsV1', v3: 'categories' },
  categories: { v1: 'collectionsV1', v3: 'categories' },
  services: 'services',
};

/** Whether a noun's list depends on the site's catalog (products, collections, categories). */
export function nounNeedsCatalog(noun: CatalogNoun): boolean {
  return typeof NOUN_LISTS[noun] !== 'string';
}

/** The list a noun reads on a site of `catalog` (undefined for a catalog noun on a site without Stores). */
export function listForNoun(noun: CatalogNoun, catalog: CatalogVersion | undefined): ListId | undefined {
  const entry = NOUN_LISTS[noun];
  if (typeof entry === 'string') return entry;
  return catalog === 'v1' || catalog === 'v3' ? entry[catalog] : undefined;
}
