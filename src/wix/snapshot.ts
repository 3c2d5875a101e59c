import { walkList, type Pagination, type PagerResult } from './pager.js';
import type { WixSort } from './query.js';
import type { Item, PageRequest } from './resources.js';
import { STORES_CATEGORY_TREE } from './resources.js';
import { DATA_PAGE_SIZE } from './data.js';

/**
 * What `wixq snapshot` reads: the site's lists in the wire shape, through raw requests (not the SDK, which renames
 * fields), paged by the same walker as `--all` (parallel offset pages, keyset past the Stores ceiling, cursors).
 */

/** One raw request with the session's token: the parsed JSON object of a 2xx answer; anything else throws. */
export type WireCall = (method: 'GET' | 'POST', path: string, body?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * Every `fields` value of Catalog V3 products but MERCHANT_DATA (admin only, docs/wix-api.md 6): the snapshot holds
 * each product with everything a visitor can ask for, and the copy drops what a request did not ask for
 * (`RequestedFields` in @wix/auto_sdk_stores_products-v-3).
 */
export const V3_PRODUCT_FIELDS = [
  'URL',
  'CURRENCY',
  'INFO_SECTION',
  'PLAIN_DESCRIPTION',
  'INFO_SECTION_PLAIN_DESCRIPTION',
  'SUBSCRIPTION_PRICES_INFO',
  'BREADCRUMBS_INFO',
  'WEIGHT_MEASUREMENT_UNIT_INFO',
  'VARIANT_OPTION_CHOICE_NAMES',
  'MEDIA_ITEMS_INFO',
  'DESCRIPTION',
  'DIRECT_CATEGORIES_INFO',
  'ALL_CATEGORIES_INFO',
  'INFO_SECTION_DESCRIPTION',
  'THUMBNAIL',
  'PRODUCT_CHOICES_MEDIA_REFERENCES',
  'PRODUCT_CHOICES_DISPLAY_IMAGE',
  'MIN_PRICE_VARIANT',
] as const;

/** Every `fields` value of categories (`RequestedFields` in @wix/auto_sdk_categories_categories). */
export const CATEGORY_FIELDS = ['BREADCRUMBS_INFO', 'DESCRIPTION', 'RICH_CONTENT_DESCRIPTION'] as const;

/** A list as the wire serves it: its query endpoint, the key of its items, how it pages, what else each request carries. */
export interface WireList extends Pagination {
  /** Its key in the snapshot file. */
  key: 'products' | 'productsV3' | 'collections' | 'categories' | 'services' | 'items';
  path: string;
  /** The order to read in (default: the API's own). */
  sort?: WixSort[];
  /** Items per page (default 100, which every Wix list API takes). */
  pageSize?: number;
  itemsKey: string;
  /** Top-level request fields besides `query` (fields, treeReference, conditionalFields, ...). */
  extra?: Record<string, unknown>;
}

/** Catalog V1 products: offset pages, the 10,000 ceiling passed by keyset on numericId (docs/wix-api.md 4.5). */
export const WIRE_PRODUCTS_V1: WireList = {
  key: 'products',
  noun: 'products',
  path: '/stores-reader/v1/products/query-platformized',
  itemsKey: 'products',
  paging: 'offset',
  maxOffset: 10_000,
  keysetField: 'numericId',
};

/** Catalog V3 products: cursor pages, every field a visitor may ask for. */
export const WIRE_PRODUCTS_V3: WireList = {
  key: 'productsV3',
  noun: 'products',
  path: '/stores/v3/products/query',
  itemsKey: 'products',
  paging: 'cursor',
  extra: { fields: [...V3_PRODUCT_FIELDS] },
};

export const WIRE_COLLECTIONS_V1: WireList = {
  key: 'collections',
  noun: 'collections',
  path: '/stores-reader/v1/collections/query',
  itemsKey: 'collections',
  paging: 'offset',
};

/** The Stores category tree, hidden categories included (products may name them), with every optional field. */
export const WIRE_CATEGORIES: WireList = {
  key: 'categories',
  noun: 'categories',
  path: '/categories/v1/categories/query',
  itemsKey: 'categories',
  paging: 'cursor',
  extra: { treeReference: STORES_CATEGORY_TREE, fields: [...CATEGORY_FIELDS], returnNonVisibleCategories: true },
};

/**
 * Bookings services, every one the query answers (hidden ones and other apps' too: `services list` scopes them
 * itself), with STAFF_MEMBER_DETAILS so the copy can name the staff; the snapshot takes the details off each service.
 */
export const WIRE_SERVICES: WireList = {
  key: 'services',
  noun: 'services',
  path: '/bookings/v2/services/query',
  itemsKey: 'services',
  paging: 'offset',
  extra: { conditionalFields: ['STAFF_MEMBER_DETAILS'] },
};

/** The request body of one page. */
export function wirePageBody(list: WireList, req: PageRequest): Record<string, unknown> {
  const shape = {
    ...(Object.keys(req.filter).length > 0 && { filter: req.filter }),
    ...(req.sort.length > 0 && { sort: req.sort }),
  };
  let query: Record<string, unknown>;
  if (list.paging === 'cursor') query = req.cursor ? { cursorPaging: { limit: req.limit, cursor: req.cursor } } : { ...shape, cursorPaging: { limit: req.limit } };
  else query = { ...shape, paging: { limit: req.limit, offset: req.offset ?? 0 } };
  return { query, ...list.extra };
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a whole list in the wire shape and hands its items to `sink` in order, a window of pages at a time. */
export async function readWireList(
  list: WireList,
  call: WireCall,
  options: { concurrency: number },
  hooks: { sink: (items: Item[]) => Promise<void>; progress?: (count: number, total: number | undefined) => void },
): Promise<PagerResult> {
  return walkList(
    list,
    async (req) => {
      const json = await call('POST', list.path, wirePageBody(list, req));
      const items = Array.isArray(json[list.itemsKey]) ? (json[list.itemsKey] as Item[]) : [];
      const meta = isObject(json.pagingMetadata) ? json.pagingMetadata : isObject(json.metadata) ? json.metadata : {};
      const next = isObject(meta.cursors) && typeof meta.cursors.next === 'string' ? meta.cursors.next : null;
      return { items, total: typeof meta.total === 'number' && meta.tooManyToCount !== true ? meta.total : undefined, nextCursor: next };
    },
    { filter: {}, sort: list.sort ?? [], offset: 0, concurrency: options.concurrency, ...(list.pageSize !== undefined && { pageSize: list.pageSize }) },
    hooks,
  );
}


/**
 * Referenced items included per multi-reference field. Wix includes 50 by default and documents no maximum
 * (docs/wix-api.md 12.5); the snapshot asks for 1,000 and says so when an item reaches it.
 */
export const DATA_INCLUDE_LIMIT = 1000;

/**
 * The items of a CMS collection as the Data API sends them (`dataItems[].data`): offset pages of 1,000 with the total,
 * in parallel after the first, oldest first (ties in the collection's own order), with each multi-reference field
 * included (queries leave them out otherwise).
 */
export function wireDataItems(collectionId: string, multiReferenceFields: readonly string[]): WireList {
  return {
    key: 'items',
    noun: `items of ${collectionId}`,
    path: '/wix-data/v2/items/query',
    itemsKey: 'dataItems',
    paging: 'offset',
    pageSize: DATA_PAGE_SIZE,
    sort: [{ fieldName: '_createdDate', order: 'ASC' }],
    extra: {
      dataCollectionId: collectionId,
      returnTotalCount: true,
      ...(multiReferenceFields.length > 0 && { includeReferences: multiReferenceFields.map((field) => ({ field, limit: DATA_INCLUDE_LIMIT })) }),
    },
  };
}

/** The system fields every collection has; a snapshot's `fields` lists the collection's own (docs/reference.md 7.3). */
const DATA_SYSTEM_FIELDS = new Set(['_id', '_createdDate', '_updatedDate', '_owner']);

/** A CMS collection as the `dataCollections` format holds it, from the Data Collections API's wire collection. */
export function dataCollectionEntry(wire: Record<string, any>, role: 'visitor' | 'member'): Record<string, unknown> {
  const fields = (Array.isArray(wire.fields) ? (wire.fields as Record<string, any>[]) : [])
    .filter((f) => f.systemField !== true && !DATA_SYSTEM_FIELDS.has(String(f.key)))
    .map((f) => ({ key: f.key, ...(f.displayName !== undefined && { displayName: f.displayName }), type: f.type, ...(f.typeMetadata !== undefined && { typeMetadata: f.typeMetadata }) }));
  return {
    id: wire.id,
    ...(typeof wire.displayName === 'string' && { displayName: wire.displayName }),
    // A member's session sees the permissions; a visitor's does not, and reads only what anyone may (the default).
    ...(role === 'member' && isObject(wire.permissions) && { permissions: wire.permissions }),
    fields,
  };
}

/** The collection a reference or multi-reference field points at (`typeMetadata.reference|multiReference.referencedCollectionId`). */
export function referencedCollection(field: Record<string, any>): string | undefined {
  const meta = field.typeMetadata;
  const id = field.type === 'REFERENCE' ? meta?.reference?.referencedCollectionId : field.type === 'MULTI_REFERENCE' ? meta?.multiReference?.referencedCollectionId : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
