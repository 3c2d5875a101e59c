import { PAGE_SIZE, walkList, type Pagination, type PagerResult } from './pager.js';
import type { WixSort } from './query.js';
import type { Item, PageRequest } from './resources.js';
import { STORES_CATEGORY_TREE } from './resources.js';
import { SDK_REQUESTED_FIELDS } from '../specs/requested-fields.js';
import { WIX_LISTS, type WixList } from '../specs/lists.js';
import { WixqError } from '../errors.js';

/**
 * What `wixq snapshot` reads: the site's lists in the wire shape, through raw requests (not the SDK, which renames
 * fields), paged by the same walker as `--all` (parallel offset pages, keyset past the Stores ceiling, cursors).
 */

/** One raw request with the session's token: the parsed JSON object of a 2xx answer; anything else throws. */
export type WireCall = (method: 'GET' | 'POST', path: string, body?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * What the snapshot does not ask for: MERCHANT_DATA is admin only (docs/wix-api.md 6), and PRODUCT_CHOICES_MEDIA_REFERENCES
 * empties `linkedMedia` ("the `linked_media` field will be returned empty", `RequestedFields` typings), which a
 * request without it gets.
 */
const NOT_ASKED = new Set(['MERCHANT_DATA', 'PRODUCT_CHOICES_MEDIA_REFERENCES']);

const asked = (endpoint: keyof typeof SDK_REQUESTED_FIELDS): string[] => SDK_REQUESTED_FIELDS[endpoint].values.filter((f) => !NOT_ASKED.has(f));

/**
 * The `fields` of a V3 product query: every value the typings declare (`RequestedFields` of
 * @wix/auto_sdk_stores_products-v-3, DISCOUNT_INFO included) but NOT_ASKED. The snapshot holds each product with
 * everything a visitor can ask for, and the copy drops what a request did not ask for.
 */
export const V3_PRODUCT_FIELDS: readonly string[] = asked('productsV3List');

/** The `fields` of Get Product, for the products whose variants Query Variants cannot give (`SingleEntityOpsRequestedFields`). */
export const V3_GET_FIELDS: readonly string[] = asked('productsV3Get');

/** The `fields` of Query Variants (`RequestedFields` of @wix/auto_sdk_stores_read-only-variants-v-3): CURRENCY, SUBSCRIPTION_PRICES_INFO, … */
export const V3_VARIANT_FIELDS: readonly string[] = asked('variantsV3Query');

/** Every `fields` value of categories (`RequestedFields` in @wix/auto_sdk_categories_categories). */
export const CATEGORY_FIELDS = ['BREADCRUMBS_INFO', 'DESCRIPTION', 'RICH_CONTENT_DESCRIPTION'] as const;

/** A list as the wire serves it: its query endpoint, the key of its items, how it pages, what else each request carries. */
export interface WireList extends Pagination {
  /** Its key in the snapshot file. */
  key: NonNullable<WixList['snapshotKey']>;
  path: string;
  /** The filter of every first page (default: none). */
  filter?: Record<string, unknown>;
  /** The order to read in (default: the API's own). */
  sort?: WixSort[];
  /** Items per page. */
  pageSize?: number;
  itemsKey: string;
  /** Top-level request fields besides `query` (fields, treeReference, conditionalFields, ...). */
  extra?: Record<string, unknown>;
}

/** A row of the list table as the snapshot reads it raw: its query endpoint's REST path, paging, ceiling and key. */
function wireListOf(row: WixList, more: Partial<WireList> = {}): WireList {
  const query = row.targets.find((t) => t.endpoint === 'query')!;
  return {
    key: row.snapshotKey!,
    noun: row.noun,
    path: query.path,
    itemsKey: row.itemsKey,
    paging: row.paging,
    ...(row.pageSize !== PAGE_SIZE && { pageSize: row.pageSize }),
    ...(row.maxOffset !== undefined && { maxOffset: row.maxOffset }),
    ...(row.keysetField !== undefined && { keysetField: row.keysetField }),
    ...more,
  };
}

/** Catalog V1 products: offset pages, the 10,000 ceiling passed by keyset on numericId (docs/wix-api.md 4.5). */
export const WIRE_PRODUCTS_V1: WireList = wireListOf(WIX_LISTS.productsV1);

/** Catalog V3 products: cursor pages, every field a visitor may ask for. */
export const WIRE_PRODUCTS_V3: WireList = wireListOf(WIX_LISTS.productsV3, { extra: { fields: [...V3_PRODUCT_FIELDS] } });

export const WIRE_COLLECTIONS_V1: WireList = wireListOf(WIX_LISTS.collectionsV1);

/** The Stores category tree, hidden categories included (products may name them), with every optional field. */
export const WIRE_CATEGORIES: WireList = wireListOf(WIX_LISTS.categories, {
  extra: { treeReference: STORES_CATEGORY_TREE, fields: [...CATEGORY_FIELDS], returnNonVisibleCategories: true },
});

/**
 * Bookings services, every one the query answers (hidden ones and other apps' too: `services list` scopes them
 * itself), with STAFF_MEMBER_DETAILS so the copy can name the staff; the snapshot takes the details off each service.
 */
export const WIRE_SERVICES: WireList = wireListOf(WIX_LISTS.services, { extra: { conditionalFields: ['STAFF_MEMBER_DETAILS'] } });

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
    { filter: list.filter ?? {}, sort: list.sort ?? [], offset: 0, concurrency: options.concurrency, ...(list.pageSize !== undefined && { pageSize: list.pageSize }) },
    hooks,
  );
}


/** Read-Only Variants V3: up to 1,000 a page (the table's row, `variantsV3`). */
export const VARIANTS_PAGE_SIZE = WIX_LISTS.variantsV3.pageSize;

/** The variants of these products through Query Variants, as @wix/headless-stores reads them (`$in` on `productData.productId`). */
export function wireVariantsV3(productIds: readonly string[]): WireList {
  return wireListOf(WIX_LISTS.variantsV3, {
    filter: { 'productData.productId': { $in: [...productIds] } },
    extra: { fields: [...V3_VARIANT_FIELDS] },
  });
}

/**
 * A read-only variant (`ReadOnlyVariant`: `variantId`, `optionChoices`, `productData`) in the shape of a product's
 * `variantsInfo.variants` (`Variant` of @wix/auto_sdk_stores_products-v-3: `id`, `choices`), keys in the order they
 * came: `id` takes the place of the read-only `id` (the deprecated repeat of `variantId`) and `productData` goes.
 */
export function productVariantOf(variant: Item): Item {
  const out: Item = {};
  const id = variant.variantId ?? variant.id;
  let placed = false;
  for (const [key, value] of Object.entries(variant)) {
    if (key === 'id' || key === 'variantId') {
      if (!placed) out.id = id;
      placed = true;
    } else if (key === 'optionChoices') out.choices = value;
    else if (key !== 'productData') out[key] = value;
  }
  return out;
}

/** The product with its `variantsInfo`, placed where Get Product sends it (before `variantSummary`). */
export function withVariantsInfo(product: Item, variantsInfo: unknown): Item {
  if (variantsInfo === undefined) return product;
  if (!('variantSummary' in product)) return { ...product, variantsInfo };
  const out: Item = {};
  for (const [key, value] of Object.entries(product)) {
    if (key === 'variantsInfo') continue;
    if (key === 'variantSummary') out.variantsInfo = variantsInfo;
    out[key] = value;
  }
  return out;
}

/**
 * Why Query Variants cannot give a product's variants as Get Product sends them, or undefined when it can: the count
 * must match the product's `variantSummary.variantCount`, and a product with automatic discounts (`discountInfo`)
 * has each variant's `price.priceAfterDiscount` only in Get Product (the read-only `PriceInfo` has no such field).
 */
export function variantsNeedGet(product: Item, read: number): string | undefined {
  const count = (product.variantSummary as { variantCount?: unknown } | undefined)?.variantCount;
  if (typeof count !== 'number') return 'no variant count';
  if (count !== read) return `${count} variants, ${read} read`;
  const rules = (product.discountInfo as { discountRuleNames?: unknown } | undefined)?.discountRuleNames;
  if (Array.isArray(rules) && rules.length > 0) return 'automatic discounts';
  return undefined;
}

/**
 * A sink that works on each page (`work`, e.g. reading its variants) while the walk reads the next one, and hands the
 * results to `write` in order: one page ahead at most, so memory stays a page or two. `flush` waits for the last page
 * and throws the first failure.
 */
export function oneAhead(work: (page: Item[]) => Promise<Item[]>, write: (items: Item[]) => Promise<void>): { sink: (page: Item[]) => Promise<void>; flush: () => Promise<void> } {
  let previous: Promise<void> = Promise.resolve();
  return {
    async sink(page) {
      const done = work(page);
      await previous;
      previous = done.then(write);
      // Awaited by the next page or by flush; until then a failure must not count as unhandled.
      previous.catch(() => {});
    },
    flush: () => previous,
  };
}

/** What adding variants to the pages of a V3 snapshot cost: Query Variants pages and Get Product reads. */
export interface VariantStats {
  variants: number;
  variantPages: number;
  productGets: number;
  /** Query Variants answered 403 to this session: every product is read one by one (said once, through `refused`). */
  bulkRefused?: boolean;
}

/**
 * A page of V3 products (Query Products: no variant data) with each product's `variantsInfo`: read in bulk through
 * Query Variants, one walk for the page (`$in` on its product ids), and mapped to the product shape; Get Product
 * (with V3_GET_FIELDS) only for a product whose variants the mapping cannot give (variantsNeedGet).
 */
export async function addV3Variants(
  products: Item[],
  call: WireCall,
  options: { concurrency: number; refused?: (notice: string) => void },
  stats: VariantStats,
): Promise<Item[]> {
  const byProduct = new Map<string, Item[]>();
  const ids = products.map((p) => String(p.id));
  if (ids.length > 0 && !stats.bulkRefused) {
    try {
      await readWireList(wireVariantsV3(ids), call, { concurrency: 1 }, {
        sink: async (variants) => {
          stats.variantPages++;
          for (const v of variants) {
            const productId = String((v.productData as { productId?: unknown } | undefined)?.productId);
            let list = byProduct.get(productId);
            if (!list) byProduct.set(productId, (list = []));
            list.push(productVariantOf(v));
          }
        },
      });
    } catch (error) {
      // Whether every visitor or member may call Query Variants is not documented (docs/wix-api.md 6): if this session
      // may not, the variants are still right, one Get Product per product, and the command says what that costs.
      if (!(error instanceof WixqError) || error.status !== 403 || stats.variantPages > 0) throw error;
      stats.bulkRefused = true;
      byProduct.clear();
      options.refused?.('Note: this session may not read variants in bulk (Query Variants answered 403); each product is read one by one (Get Product), one request per product.');
    }
  }
  const out: Item[] = new Array(products.length);
  const gets: number[] = [];
  products.forEach((product, i) => {
    const variants = byProduct.get(String(product.id)) ?? [];
    if (!stats.bulkRefused && variantsNeedGet(product, variants.length) === undefined) {
      stats.variants += variants.length;
      out[i] = withVariantsInfo(product, { variants });
    } else gets.push(i);
  });
  const query = V3_GET_FIELDS.map((f) => `fields=${encodeURIComponent(f)}`).join('&');
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < gets.length) {
      const i = gets[next++]!;
      const product = products[i]!;
      const got = (await call('GET', `/stores/v3/products/${encodeURIComponent(String(product.id))}?${query}`)).product as Item | undefined;
      stats.productGets++;
      const info = got?.variantsInfo as { variants?: unknown[] } | undefined;
      stats.variants += info?.variants?.length ?? 0;
      out[i] = withVariantsInfo(product, info);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, gets.length) }, worker));
  return out;
}

/**
 * Referenced items included per multi-reference field. Wix includes 50 by default and documents no maximum
 * (docs/wix-api.md 12.5); the snapshot asks for 1,000 and says so when an item reaches it.
 */
export const DATA_INCLUDE_LIMIT = 1000;

/**
 * The items of a CMS collection as the Data API sends them (`dataItems[].data`): offset pages of 1,000 with the total,
 * in parallel after the first, oldest first (ties by `_id`), with each multi-reference field
 * included (queries leave them out otherwise).
 */
export function wireDataItems(collectionId: string, multiReferenceFields: readonly string[]): WireList {
  return wireListOf(WIX_LISTS.dataItems, {
    noun: `items of ${collectionId}`,
    // `_id` breaks the ties of a bulk import (items sharing `_createdDate`): parallel offset pages then cut one order.
    sort: [
      { fieldName: '_createdDate', order: 'ASC' },
      { fieldName: '_id', order: 'ASC' },
    ],
    extra: {
      dataCollectionId: collectionId,
      returnTotalCount: true,
      ...(multiReferenceFields.length > 0 && { includeReferences: multiReferenceFields.map((field) => ({ field, limit: DATA_INCLUDE_LIMIT })) }),
    },
  });
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
