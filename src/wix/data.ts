import { NotFoundError } from '../errors.js';
import type { WixClient } from './client.js';
import { mapFilterFields, type WixFilter } from './filter.js';
import type { ModuleName } from './modules.js';
import type { Pagination } from './pager.js';
import { WIX_LISTS } from '../specs/lists.js';
import type { Item, Page, PageRequest } from './resources.js';

/**
 * The Wix Data API (CMS collections and their items) as wixq reads it: `items` of @wix/data through
 * @wix/wix-data-items-sdk, collections through @wix/auto_sdk_data_collections. Field names are the items' own
 * (`_id`, `_createdDate`, `title`, …): the Data API has no wire renaming and no schema wixq could check a query
 * against (docs/wix-api.md 12.9).
 */

export const DATA_ITEMS_MODULES: readonly ModuleName[] = ['dataItems'];
export const DATA_COLLECTIONS_MODULES: readonly ModuleName[] = ['dataCollections'];

/**
 * The largest page the Data API takes for an offset query of a native collection (`limit` at most 1000;
 * @wix/auto_sdk_data_collections DataCollection.maxPageSize: "1000 for offset-based queries", and the
 * WixDataQuery.limit() reference, https://dev.wix.com/docs/sdk/backend-modules/data/items/wix-data-query/limit).
 */
export const DATA_PAGE_SIZE = WIX_LISTS.dataItems.pageSize;

/** How a list of data items is read: which collection, which references to include, and how. */
export interface DataItemsRequest {
  collectionId: string;
  /** Reference fields whose referenced items come back in place of their IDs (`includeReferences`). */
  includeReferences?: string[];
  /** Read from the primary database (`consistentRead`), not a possibly stale replica. */
  consistentRead?: boolean;
  /** Free text: read through `items.search` instead of `items.query`. */
  search?: string;
}

/** A data items list the pager can walk: offset paging without a ceiling (Wix documents none, docs/wix-api.md 12.3). */
export interface DataItemsSource extends Pagination {
  list(client: WixClient, request: PageRequest): Promise<Page>;
}

/**
 * The read options every items call shares. A search never carries `consistentRead`: `SearchDataItemsRequest`
 * (@wix/wix-data-items-common data-item-types.d.ts) declares none, unlike the query, get and count requests, so Wix
 * does not promise it there (`data items list --search` refuses `--consistent-read` before sending, docs/wix-api.md 12.9).
 */
function readOptions(request: DataItemsRequest, endpoint: 'query' | 'search' | 'get' = 'query'): Record<string, unknown> {
  return {
    ...(request.includeReferences?.length ? { includeReferences: request.includeReferences.map((field) => ({ field })) } : {}),
    ...(request.consistentRead && endpoint !== 'search' ? { consistentRead: true } : {}),
  };
}

/**
 * The items of a collection, page by page; the first page asks for the total (it costs Wix a count, so only once). The
 * first page is known by its offset, so a retry of it (after a 401) asks again.
 */
export function dataItemsSource(request: DataItemsRequest): DataItemsSource {
  let firstOffset: number | undefined;
  return {
    noun: WIX_LISTS.dataItems.noun,
    paging: WIX_LISTS.dataItems.paging,
    async list(client, page) {
      const body = {
        ...(Object.keys(page.filter).length ? { filter: dataFilter(page.filter) } : {}),
        ...(page.sort.length ? { sort: page.sort } : {}),
        paging: { limit: page.limit, offset: page.offset ?? 0 },
      };
      firstOffset ??= page.offset ?? 0;
      const returnTotalCount = (page.offset ?? 0) === firstOffset;
      const response =
        request.search !== undefined
          ? await client.dataItems.search(request.collectionId, { ...body, search: { expression: request.search } }, readOptions(request, 'search'))
          : await client.dataItems.query(request.collectionId, body, { ...readOptions(request), ...(returnTotalCount ? { returnTotalCount } : {}) });
      const meta = response?.pagingMetadata ?? {};
      return {
        items: ((response?.items ?? []) as Item[]).map(plainItem),
        total: typeof meta.total === 'number' && !meta.tooManyToCount ? meta.total : undefined,
        ...(meta.hasNext === true && { hasNext: true }),
      };
    },
  };
}

/**
 * Wix's answer to a visitor reading a members-only collection is not settled: a 403 `WDE0027` was observed, and Wix's
 * own skill notes say a visitor "gets ZERO items" (docs/wix-api.md 12.4). A visitor cannot tell that gate from an empty
 * answer (`getDataCollection` shows a visitor no permissions), so every empty answer to a visitor says so, in one line.
 */
export function visitorEmptyNote(collectionId: string): string {
  return `Note: members-only collections read empty for visitors: if ${collectionId} is one, log in (wixq auth login) and read it again.`;
}

/** The same for `wixq check` (a `data:<id>` check that counted no items as a visitor). */
export function visitorEmptyCheckHint(checkName: string): string {
  return `members-only collections read empty for visitors: if ${checkName} is one, log in (wixq auth login) and check again.`;
}

/** The same for `wixq snapshot`: the collections a visitor's snapshot wrote with no items. */
export function visitorEmptySnapshotNote(collectionIds: readonly string[]): string {
  return `Note: written empty from a visitor session: ${collectionIds.map((id) => `data:${id}`).join(', ')}. Members-only collections read empty for visitors: if one of these is, log in (wixq auth login) and take the snapshot again.`;
}

/** One item by ID; the SDK answers null for a missing one (WDE0073), which is exit 3 here. */
export async function getDataItem(client: WixClient, request: DataItemsRequest, itemId: string): Promise<Item> {
  const item = (await client.dataItems.get(request.collectionId, itemId, readOptions(request, 'get'))) as Item | null;
  if (!item) {
    throw new NotFoundError(`no item "${itemId}" in the collection "${request.collectionId}"`, {
      hint: `List its items with: wixq data items list ${request.collectionId} --fields _id`,
    });
  }
  return plainItem(item);
}

/** How many items match the filter (the Data API's count endpoint). */
export async function countDataItems(client: WixClient, request: DataItemsRequest, filter: WixFilter): Promise<number> {
  const count = await client.dataItems.count(request.collectionId, {
    ...(Object.keys(filter).length ? { filter: dataFilter(filter) } : {}),
    ...(request.consistentRead ? { consistentRead: true } : {}),
  });
  return Number(count);
}

/** A page of the collections the caller may see (Data Collections API, offset paging). */
export async function listDataCollections(client: WixClient, paging: { limit: number; offset: number }): Promise<Page> {
  const response = await client.dataCollections.listDataCollections({ paging });
  const meta = response?.pagingMetadata ?? {};
  return {
    items: ((response?.collections ?? []) as Item[]).map(plainItem),
    total: typeof meta.total === 'number' && !meta.tooManyToCount ? meta.total : undefined,
  };
}

/** One collection by ID: its fields and permissions. */
export async function getDataCollection(client: WixClient, collectionId: string): Promise<Item> {
  return plainItem((await client.dataCollections.getDataCollection(collectionId)) as Item);
}

/** The system fields every data item has, whose values are dates (`_createdDate`, `_updatedDate`). */
export const DATE_SYSTEM_FIELDS: ReadonlySet<string> = new Set(['_createdDate', '_updatedDate']);

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The filter as the Data API takes it: sent as written, except that a date or timestamp compared with
 * `_createdDate` or `_updatedDate` becomes a Date, which the SDK sends as `{"$date": "…"}` (the Data API compares
 * dates only with dates; docs/wix-api.md 12.9). Any other field's text stays text: the API has no schema to say
 * it holds dates (`--query` can send `{"$date": …}` for those).
 */
export function dataFilter(filter: WixFilter): WixFilter {
  return mapFilterFields(filter, (field, condition) => [field, DATE_SYSTEM_FIELDS.has(field) ? datesIn(condition) : condition]);
}

/** A condition on a date field with its ISO texts as Dates, in operator objects and lists alike. */
function datesIn(value: unknown): unknown {
  if (typeof value === 'string') return ISO_TIMESTAMP.test(value) ? toDate(value) : value;
  if (Array.isArray(value)) return value.map(datesIn);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([op, inner]) => [op, datesIn(inner)]));
}

function toDate(text: string): Date | string {
  const date = new Date(/T/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text);
  return Number.isNaN(date.getTime()) ? text : date;
}

/** An item with `_id` first and its Dates (the SDK decodes `{"$date"}` into Date objects) as ISO strings, at any depth. */
export function plainItem(item: Item): Item {
  const out = plain(item) as Item;
  if (!('_id' in out) || Object.keys(out)[0] === '_id') return out;
  const { _id, ...rest } = out;
  return { _id, ...rest };
}

function plain(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    Object.defineProperty(out, key, { value: plain(inner), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
