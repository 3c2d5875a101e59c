import { applicationError, bodyObject, type EmulatorRequest, type Reply } from '../http.js';
import { QueryCache, resolveOffsetPaging, valuesAt, type OffsetPaging } from '../query-engine.js';
import type { Router } from '../router.js';
import type { EmulatorState } from '../state.js';
import type { TokenClaims } from '../tokens.js';
import { readTextSearch, textSearchPredicate } from '../text-search.js';
import { referencedCollectionOf } from '../site/cms.js';
import type { CmsCollection, CmsField, CmsItem } from '../site/types.js';
import { cursorPage, decodeCursor, encodeCursor, withQueryErrors } from './common.js';

/**
 * Wix Data (CMS) routes: the Data Items API that `@wix/wix-data-items-sdk` calls and the reader part of the Data
 * Collections API (`@wix/auto_sdk_data_collections`), under `https://www.wixapis.com/wix-data/v2` (docs/wix-api.md 12).
 */

const BASE = '/wix-data/v2';

/**
 * Page sizes (docs/wix-api.md 12.3): the SDK's default is 50, search's 100; a native collection's pages are at most
 * 1,000 items by offset and 100 by cursor (`DataCollection.maxPageSize`).
 */
const DEFAULT_LIMIT = 50;
const DEFAULT_SEARCH_LIMIT = 100;
const MAX_LIMIT = 1000;
const MAX_CURSOR_LIMIT = 100;
/** Referenced items included per item and field by default (docs/wix-api.md 12.5). */
const DEFAULT_INCLUDE_LIMIT = 50;

/** Items are sorted by creation date, newest first, when a query names no sort (docs/wix-api.md 12.1). */
const DEFAULT_SORT = [{ fieldName: '_createdDate', order: 'DESC' }];

/** The filter operators the Data API declares (docs/wix-api.md 12.1); `$and`, `$or` and `$not` besides. */
const DATA_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$hasSome', '$hasAll', '$startsWith', '$endsWith', '$contains', '$exists']);

// ---------------------------------------------------------------------------------------------------------------
// Errors, in the bodies of docs/wix-api.md 12.4

/** A Wix Data application error: the description carries the WDE code, the message repeats it. */
function wdeError(status: number, code: string, description: string, data: Record<string, unknown> = {}) {
  return applicationError(status, code, description, { message: description, data });
}

function collectionNotFound(id: string) {
  // Real answers quote "WDE0025: The VideoGallery collection does not exist" (docs/wix-api.md 12.4).
  return wdeError(404, 'WDE0025', `WDE0025: The ${id} collection does not exist`, { collectionName: id });
}

function itemNotFound(collectionId: string, itemId: string) {
  return wdeError(404, 'WDE0073', `WDE0073: Item [${itemId}] does not exist in collection [${collectionId}].`, { itemId, collectionName: collectionId });
}

function permissionDenied(collectionId: string, operation: string) {
  return wdeError(403, 'WDE0027', `WDE0027: The current user does not have permissions to ${operation} on the ${collectionId} collection.`, { collectionName: collectionId, operation });
}

function invalidRequest(description: string) {
  return wdeError(400, 'WDE0075', `WDE0075: ${description}`);
}

function notMultiReference(collectionId: string, field: string) {
  return wdeError(400, 'WDE0020', `WDE0020: Provided property [${field}] is not a multi-reference field.`, { collectionName: collectionId, propertyName: field });
}

// ---------------------------------------------------------------------------------------------------------------
// The CMS index: each collection's items, by id, and a query cache over their query views

/**
 * A query view: the item with `{$date}` values as Date objects. The query engine compares a Date only with a Date, as
 * the Data API compares a date only with a date (docs/wix-api.md 12.1): a plain ISO string matches no date value.
 */
const ITEM = Symbol('item');
type View = Record<string, unknown> & { [ITEM]: CmsItem };

interface CollectionIndex {
  collection: CmsCollection;
  fields: Map<string, CmsField>;
  byId: Map<string, CmsItem>;
  cache: QueryCache<View>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isWireDate(v: unknown): v is { $date: string } {
  return isObject(v) && typeof v.$date === 'string' && Object.keys(v).length === 1;
}

function viewOf(item: CmsItem): View {
  // No prototype: an item field named `__proto__` is a field like any other.
  const view = Object.assign(Object.create(null), { [ITEM]: item }) as View;
  for (const key of Object.keys(item)) {
    const value = item[key];
    view[key] = isWireDate(value) ? new Date(value.$date) : value;
  }
  return view;
}

function collections(state: EmulatorState): Map<string, CmsCollection> {
  return state.memo('cms:collections', () => new Map((state.site.dataCollections ?? []).map((c) => [c.id, c])));
}

/** The collection's index, built on first use (the big demo collection is generated then). */
function indexOf(state: EmulatorState, collection: CmsCollection): CollectionIndex {
  return state.memo(`cms:index:${collection.id}`, () => {
    const views = collection.items.map(viewOf);
    return {
      collection,
      fields: new Map(collection.fields.map((f) => [f.key, f])),
      byId: new Map(collection.items.map((item) => [item._id, item])),
      // Wix Data compares a value only with a value of its own type (docs/wix-api.md 12.1).
      cache: new QueryCache(views, 64, { strictTypes: true }),
    };
  });
}

function requireCollection(state: EmulatorState, id: unknown): CmsCollection {
  if (typeof id !== 'string' || id === '') throw invalidRequest('dataCollectionId is required');
  const collection = collections(state).get(id);
  if (!collection) throw collectionNotFound(id);
  return collection;
}

/**
 * The owner scope of a visitor on a members-only collection under `membersOnlyRead: 'empty'`: an `_owner` no item has,
 * so that every read (query, search, count, get, references) finds nothing.
 */
const NO_ONE = '\u0000no-one';

/**
 * What the caller may read: all items, the items they own (SITE_MEMBER_AUTHOR), or nothing: a 403, or, for a visitor
 * on a members-only collection when the emulator is told to (`membersOnlyRead: 'empty'`), zero items (docs/wix-api.md 12.4).
 */
function readScope(collection: CmsCollection, claims: TokenClaims, membersOnlyRead: EmulatorState['settings']['membersOnlyRead']): { owner?: string } {
  const role = collection.permissions.read;
  if (role === 'ANYONE') return {};
  if (claims.role === 'member' && claims.memberId) {
    if (role === 'SITE_MEMBER') return {};
    // "Signed-in users who added content can only access items that they created" (docs/wix-api.md 12.4).
    if (role === 'SITE_MEMBER_AUTHOR') return { owner: claims.memberId };
  } else if (membersOnlyRead === 'empty' && (role === 'SITE_MEMBER' || role === 'SITE_MEMBER_AUTHOR')) {
    return { owner: NO_ONE };
  }
  throw permissionDenied(collection.id, 'read');
}

// ---------------------------------------------------------------------------------------------------------------
// Filters, sorts, paging

/** Checks a filter against the Data API's operators and turns `{$date}` operands into Dates. */
function normalizeFilter(filter: unknown, where: string): unknown {
  if (filter === undefined || filter === null) return undefined;
  if (!isObject(filter)) throw invalidRequest(`Invalid filter: ${where} should be an Object`);
  // No prototype: a field named `__proto__` stays a key (docs/reference.md 7.5).
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(filter)) {
    const at = `${where}.${key}`;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) throw invalidRequest(`Invalid filter: ${at} should be an Array`);
      out[key] = value.map((f, i) => normalizeFilter(f, `${at}[${i}]`));
    } else if (key === '$not') {
      // The SDK sends `$not: [filter]`; a plain object is accepted too.
      const inner = Array.isArray(value) ? (value.length === 1 ? value[0] : invalidArray(at)) : value;
      out[key] = normalizeFilter(inner, at) ?? {};
    } else if (key.startsWith('$')) {
      throw invalidRequest(`Invalid filter: Unexpected operator ${at}`);
    } else {
      out[key] = normalizeCondition(value, at);
    }
  }
  return out;
}

function invalidArray(at: string): never {
  throw invalidRequest(`Invalid filter: ${at} Array should have length 1`);
}

function dateOperand(value: unknown, at: string): unknown {
  if (!isWireDate(value)) return value;
  const date = new Date(value.$date);
  if (Number.isNaN(date.getTime())) throw invalidRequest(`Invalid filter: ${at} is not a valid $date`);
  return date;
}

function normalizeCondition(value: unknown, at: string): unknown {
  if (isWireDate(value)) return dateOperand(value, at);
  if (!isObject(value) || !Object.keys(value).some((k) => k.startsWith('$'))) return value;
  const out: Record<string, unknown> = Object.create(null);
  for (const [op, operand] of Object.entries(value)) {
    if (op === '$regex') throw wdeError(400, 'WDE0070', 'WDE0070: $regex keyword is not allowed.');
    if (op === '$matches') throw invalidRequest(`Invalid filter: ${at}.$matches is not supported by the Wix API emulator`);
    if (!DATA_OPERATORS.has(op)) throw invalidRequest(`Invalid filter: Unknown operator ${at}.${op}`);
    out[op] = Array.isArray(operand) ? operand.map((v) => dateOperand(v, `${at}.${op}`)) : dateOperand(operand, `${at}.${op}`);
  }
  return out;
}

interface ReadQuery {
  /** The filter as sent (dates as `{$date}`), which cursors carry; `filter` is it normalized for the engine. */
  wireFilter: unknown;
  filter: unknown;
  sort: unknown;
  fields?: string[];
  /** Where this page starts. */
  offset: number;
  limit: number;
  /** Cursor paging (the first request asked for it, or a cursor was sent). */
  cursor: boolean;
}

function readFields(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((f) => typeof f !== 'string')) throw invalidRequest(`${where} must be an array of field names`);
  return value.length === 0 ? undefined : (value as string[]);
}

/** Validates `paging` (offset) or `cursorPaging` (named by `field`) against the page size of its mode. */
function resolveLimit(paging: unknown, defaultLimit: number, field: string): OffsetPaging {
  const maxLimit = field.endsWith('cursorPaging') ? MAX_CURSOR_LIMIT : MAX_LIMIT;
  return resolveOffsetPaging(paging, { defaultLimit: Math.min(defaultLimit, maxLimit), maxLimit, field });
}

/**
 * The query of a request: `{filter, sort, fields, paging | cursorPaging}` at `where` (`query` or `search`). A request
 * with a cursor carries no filter or sort: they come from the cursor, which is bound to the collection. `extra` is
 * more state for the cursors of this query (its includes).
 */
function readQuery(container: Record<string, unknown>, where: string, collectionId: string, defaultLimit: number, extra?: Record<string, unknown>): ReadQuery & { state: Record<string, unknown> } {
  const cursorPaging = container.cursorPaging;
  if (container.paging !== undefined && cursorPaging !== undefined) throw invalidRequest(`${where}.paging and ${where}.cursorPaging cannot be used together`);
  const cursorText = isObject(cursorPaging) && typeof cursorPaging.cursor === 'string' && cursorPaging.cursor !== '' ? cursorPaging.cursor : undefined;
  if (cursorText !== undefined) {
    // Empty ones, as the SDK's builder sends them, are no filter or sort.
    const hasFilter = container.filter !== undefined && container.filter !== null && !(isObject(container.filter) && Object.keys(container.filter).length === 0);
    const hasSort = container.sort !== undefined && container.sort !== null && !(Array.isArray(container.sort) && container.sort.length === 0);
    if (hasFilter || hasSort) {
      throw invalidRequest(`${where}.filter and ${where}.sort cannot be sent with a cursor`);
    }
    const state = withQueryErrors(() => decodeCursor(cursorText, `${where}.cursorPaging.cursor`));
    if (state.c !== collectionId) throw invalidRequest(`${where}.cursorPaging.cursor belongs to another collection`);
    const { limit } = withQueryErrors(() => resolveLimit({ limit: (cursorPaging as Record<string, unknown>).limit ?? state.l }, defaultLimit, `${where}.cursorPaging`));
    return { wireFilter: state.f, filter: normalizeFilter(state.f, `${where}.filter`), sort: state.s, fields: state.p as string[] | undefined, offset: state.o, limit, cursor: true, state };
  }
  const filter = normalizeFilter(container.filter, `${where}.filter`);
  const sort = container.sort === undefined || container.sort === null || (Array.isArray(container.sort) && container.sort.length === 0) ? DEFAULT_SORT : container.sort;
  const fields = readFields(container.fields, `${where}.fields`);
  if (cursorPaging !== undefined) {
    const { limit } = withQueryErrors(() => resolveLimit({ limit: isObject(cursorPaging) ? cursorPaging.limit : undefined }, defaultLimit, `${where}.cursorPaging`));
    return { wireFilter: container.filter, filter, sort, fields, offset: 0, limit, cursor: true, state: { ...extra } };
  }
  const { limit, offset } = withQueryErrors(() => resolveLimit(container.paging, defaultLimit, `${where}.paging`));
  return { wireFilter: container.filter, filter, sort, fields, offset, limit, cursor: false, state: { ...extra } };
}

/** The matching views in order; the owner scope of SITE_MEMBER_AUTHOR collections is ANDed in. */
function select(index: CollectionIndex, filter: unknown, sort: unknown, owner: string | undefined): View[] {
  const scoped = owner === undefined ? filter : filter === undefined ? { _owner: owner } : { $and: [filter, { _owner: owner }] };
  return withQueryErrors(() => index.cache.select(scoped, sort));
}

// ---------------------------------------------------------------------------------------------------------------
// Items in the wire shape, with projections and included references

interface Include {
  field: string;
  limit: number;
}

function readIncludes(body: Record<string, unknown>): Include[] {
  const out: Include[] = [];
  const refs = body.includeReferences;
  if (refs !== undefined && refs !== null) {
    if (!Array.isArray(refs)) throw invalidRequest('includeReferences must be an array of {field, limit}');
    refs.forEach((r, i) => {
      if (!isObject(r) || typeof r.field !== 'string' || r.field === '') throw invalidRequest(`includeReferences[${i}].field must be a non-empty string`);
      const limit = r.limit === undefined || r.limit === null ? DEFAULT_INCLUDE_LIMIT : Number(r.limit);
      if (!Number.isInteger(limit) || limit < 0) throw invalidRequest(`includeReferences[${i}].limit must be a whole number`);
      out.push({ field: r.field, limit });
    });
  }
  // The deprecated form: a list of field names (QueryDataItemsRequest.includeReferencedItems).
  const names = body.includeReferencedItems;
  if (Array.isArray(names)) for (const name of names) if (typeof name === 'string' && name !== '') out.push({ field: name, limit: DEFAULT_INCLUDE_LIMIT });
  return out;
}

function project(data: CmsItem, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return data;
  // "The _id system field is always returned."
  const out: Record<string, unknown> = { _id: data._id };
  for (const f of fields) {
    const top = f.split('.')[0]!;
    if (top in data) out[top] = data[top];
  }
  return out;
}

/** The data object sent for an item: multi-reference fields only when included, references resolved when asked. */
function itemData(state: EmulatorState, claims: TokenClaims, index: CollectionIndex, item: CmsItem, includes: readonly Include[]): CmsItem {
  let data: CmsItem | undefined;
  const copy = () => (data ??= { ...item });
  for (const field of index.collection.fields) {
    if (field.type === 'MULTI_REFERENCE' && item[field.key] !== undefined && !includes.some((inc) => inc.field === field.key)) {
      // "Multiple reference field: returned items do not contain the multiple reference field at all."
      delete copy()[field.key];
    }
  }
  for (const inc of includes) {
    const field = index.fields.get(inc.field);
    const target = field ? referencedCollectionOf(field) : undefined;
    const value = item[inc.field];
    if (!field || target === undefined || value === undefined || value === null) continue;
    const referenced = referencedItems(state, claims, target, Array.isArray(value) ? (value as string[]) : [value as string]);
    if (!referenced) continue;
    if (field.type === 'REFERENCE') {
      if (referenced[0]) copy()[inc.field] = referenced[0];
    } else {
      copy()[inc.field] = referenced.slice(0, inc.limit);
    }
  }
  return data ?? item;
}

/** The referenced items the caller may read, in the order of `ids`; undefined when the collection is not readable. */
function referencedItems(state: EmulatorState, claims: TokenClaims, collectionId: string, ids: readonly string[]): CmsItem[] | undefined {
  const collection = collections(state).get(collectionId);
  if (!collection) return undefined;
  let owner: string | undefined;
  try {
    owner = readScope(collection, claims, state.settings.membersOnlyRead).owner;
  } catch {
    return undefined;
  }
  const index = indexOf(state, collection);
  const out: CmsItem[] = [];
  for (const id of ids) {
    const item = index.byId.get(id);
    if (item && (owner === undefined || item._owner === owner)) out.push(itemData(state, claims, index, item, []));
  }
  return out;
}

function wireItem(collectionId: string, data: Record<string, unknown>) {
  return { id: data._id, dataCollectionId: collectionId, data };
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers

/**
 * One page of a selection (docs/wix-api.md 12.3): offset paging's metadata (the total when asked for), or a cursor
 * page (common.ts cursorPage) whose cursors carry `cursorState` and the next offset.
 */
function pageOf<T>(
  selection: readonly T[],
  paging: { offset: number; limit: number; cursor: boolean },
  returnTotalCount: boolean,
  cursorState: Record<string, unknown>,
): { items: T[]; pagingMetadata: Record<string, unknown> } {
  if (paging.cursor) return cursorPage(selection, { offset: paging.offset }, paging.limit, (next) => encodeCursor({ ...cursorState, o: next.offset }));
  const items = selection.slice(paging.offset, paging.offset + paging.limit);
  const meta: Record<string, unknown> = { count: items.length, offset: paging.offset };
  if (returnTotalCount) Object.assign(meta, { total: selection.length, tooManyToCount: false });
  meta.hasNext = paging.offset + items.length < selection.length;
  return { items, pagingMetadata: meta };
}

/** What the cursors of an items query or search carry: the query itself, bound to its collection. */
function queryCursorState(q: ReadQuery & { state: Record<string, unknown> }, collectionId: string): Record<string, unknown> {
  return { ...q.state, c: collectionId, f: q.wireFilter, s: q.sort, ...(q.fields && { p: q.fields }), l: q.limit };
}

/** The collection a request names, the caller's read scope on it (or Wix's 403), and its index. */
function readableCollection(state: EmulatorState, req: EmulatorRequest, id: unknown) {
  const claims = state.authenticate(req);
  const collection = requireCollection(state, id);
  const { owner } = readScope(collection, claims, state.settings.membersOnlyRead);
  return { claims, collection, owner, index: indexOf(state, collection) };
}

function queryItems(state: EmulatorState, req: EmulatorRequest): Reply {
  const body = bodyObject(req);
  const { claims, collection, owner, index } = readableCollection(state, req, body.dataCollectionId);
  const query = isObject(body.query) ? body.query : {};
  const includes = readIncludes(body);
  const q = readQuery(query, 'query', collection.id, DEFAULT_LIMIT, { i: includes });
  const effectiveIncludes = q.cursor && Array.isArray(q.state.i) ? (q.state.i as Include[]) : includes;
  const page = pageOf(select(index, q.filter, q.sort, owner), q, body.returnTotalCount === true, queryCursorState(q, collection.id));
  return {
    json: {
      dataItems: page.items.map((v) => wireItem(collection.id, project(itemData(state, claims, index, v[ITEM], effectiveIncludes), q.fields))),
      pagingMetadata: page.pagingMetadata,
    },
  };
}

function searchItems(state: EmulatorState, req: EmulatorRequest): Reply {
  const body = bodyObject(req);
  const { claims, collection, owner, index } = readableCollection(state, req, body.dataCollectionId);
  const search = isObject(body.search) ? body.search : {};
  const includes = readIncludes(body);
  const q = readQuery(search, 'search', collection.id, DEFAULT_SEARCH_LIMIT);
  // The text search: every string field is searchable (the emulator's approximation, docs/wix-api.md 12.7).
  const searchable = searchableFields(index);
  const details = q.cursor && q.state.t !== undefined ? q.state.t : search.search;
  const text = withQueryErrors(() => readTextSearch(details, searchable, 'search.search'));
  let selection = select(index, q.filter, q.sort, owner);
  if (text) {
    const predicate = textSearchPredicate(text, (item, field) => valuesAt(item, field).flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string') : [])));
    selection = selection.filter((v) => predicate(v));
  }
  const page = pageOf(selection, q, false, queryCursorState({ ...q, state: { ...q.state, ...(details !== undefined && { t: details }) } }, collection.id));
  return {
    json: {
      dataItems: page.items.map((v) => wireItem(collection.id, project(itemData(state, claims, index, v[ITEM], includes), q.fields))),
      pagingMetadata: page.pagingMetadata,
    },
  };
}

function searchableFields(index: CollectionIndex): string[] {
  const keys = new Set<string>();
  for (const f of index.collection.fields) if (['TEXT', 'RICH_TEXT', 'EMAIL', 'URL', 'SLUG', 'ARRAY_STRING'].includes(f.type)) keys.add(f.key);
  if (keys.size === 0) for (const item of index.collection.items.slice(0, 100)) for (const [k, v] of Object.entries(item)) if (typeof v === 'string' && !k.startsWith('_')) keys.add(k);
  return [...keys];
}

function getItem(state: EmulatorState, req: EmulatorRequest): Reply {
  const { claims, collection, owner, index } = readableCollection(state, req, req.query.get('dataCollectionId') ?? bodyObject(req).dataCollectionId);
  const id = req.params.id!;
  const item = index.byId.get(id);
  if (!item || (owner !== undefined && item._owner !== owner)) throw itemNotFound(collection.id, id);
  // The SDK sends a GET's request as query parameters, or as `.r` (decoded into the body) when it has objects in it.
  const body = bodyObject(req);
  const listParam = (name: string) => (req.query.getAll(name).length > 0 ? req.query.getAll(name) : undefined);
  const fields = readFields(body.fields ?? listParam('fields'), 'fields');
  const includes = readIncludes({ includeReferences: body.includeReferences, includeReferencedItems: body.includeReferencedItems ?? listParam('includeReferencedItems') });
  return { json: { dataItem: wireItem(collection.id, project(itemData(state, claims, index, item, includes), fields)) } };
}

function countItems(state: EmulatorState, req: EmulatorRequest): Reply {
  const body = bodyObject(req);
  const { owner, index } = readableCollection(state, req, body.dataCollectionId);
  const filter = normalizeFilter(body.filter, 'filter');
  return { json: { totalCount: select(index, filter, undefined, owner).length } };
}

function queryReferenced(state: EmulatorState, req: EmulatorRequest): Reply {
  const body = bodyObject(req);
  const { claims, collection, owner, index } = readableCollection(state, req, body.dataCollectionId);
  const cursorPaging = body.cursorPaging;
  const cursorText = isObject(cursorPaging) && typeof cursorPaging.cursor === 'string' && cursorPaging.cursor !== '' ? cursorPaging.cursor : undefined;
  const cursorState = cursorText === undefined ? undefined : withQueryErrors(() => decodeCursor(cursorText, 'cursorPaging.cursor'));
  if (cursorState && cursorState.c !== collection.id) throw invalidRequest('cursorPaging.cursor belongs to another collection');
  const fieldName = cursorState ? cursorState.n : body.referringItemFieldName;
  const referring = cursorState ? (cursorState.r as string[]) : Array.isArray(body.referringItemIds) ? body.referringItemIds : body.referringItemId !== undefined ? [body.referringItemId] : [];
  if (typeof fieldName !== 'string' || fieldName === '') throw invalidRequest('referringItemFieldName is required');
  if (referring.length === 0 || referring.some((r) => typeof r !== 'string')) throw invalidRequest('referringItemId is required');
  const field = index.fields.get(fieldName);
  const target = field?.type === 'MULTI_REFERENCE' ? referencedCollectionOf(field) : undefined;
  if (!field || target === undefined) throw notMultiReference(collection.id, fieldName);
  const targetCollection = requireCollection(state, target);
  const targetScope = readScope(targetCollection, claims, state.settings.membersOnlyRead);
  const targetIndex = indexOf(state, targetCollection);
  const order = cursorState ? cursorState.d : body.order;
  const results: { referringItemId: string; item: CmsItem }[] = [];
  for (const refId of referring as string[]) {
    const item = index.byId.get(refId);
    if (!item || (owner !== undefined && item._owner !== owner)) throw itemNotFound(collection.id, refId);
    const ids = Array.isArray(item[fieldName]) ? (item[fieldName] as string[]) : [];
    const refs = ids.map((id) => targetIndex.byId.get(id)).filter((r): r is CmsItem => r !== undefined && (targetScope.owner === undefined || r._owner === targetScope.owner));
    if (order === 'DESC') refs.reverse();
    for (const r of refs) results.push({ referringItemId: refId, item: r });
  }
  const paging = withQueryErrors(() =>
    cursorState ? resolveLimit({ limit: (cursorPaging as Record<string, unknown>).limit ?? cursorState.l }, DEFAULT_LIMIT, 'cursorPaging') : resolveLimit(body.paging ?? (isObject(cursorPaging) ? { limit: cursorPaging.limit } : undefined), DEFAULT_LIMIT, body.paging !== undefined ? 'paging' : 'cursorPaging'),
  );
  const offset = cursorState ? cursorState.o : paging.offset;
  const fields = readFields(body.fields, 'fields');
  const page = pageOf(results, { offset, limit: paging.limit, cursor: cursorState !== undefined || cursorPaging !== undefined }, body.returnTotalCount === true, {
    c: collection.id,
    n: fieldName,
    r: referring,
    d: order,
    l: paging.limit,
  });
  return {
    json: {
      results: page.items.map((r) => ({ referringItemId: r.referringItemId, dataItem: wireItem(target, project(itemData(state, claims, targetIndex, r.item, []), fields)) })),
      pagingMetadata: page.pagingMetadata,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Data Collections (docs/wix-api.md 12.6)

/** Roles as the Data Collections API names them: its `Role` enum has ADMIN for the roles above a member. */
function wireRole(role: string): string {
  return role === 'CMS_EDITOR' || role === 'PRIVILEGED' ? 'ADMIN' : role;
}

const SYSTEM_FIELDS = [
  { key: '_id', displayName: 'ID', type: 'TEXT', systemField: true },
  { key: '_createdDate', displayName: 'Created Date', type: 'DATETIME', systemField: true },
  { key: '_updatedDate', displayName: 'Updated Date', type: 'DATETIME', systemField: true },
  { key: '_owner', displayName: 'Owner', type: 'TEXT', systemField: true },
];

function wireCollection(collection: CmsCollection, full: boolean): Record<string, unknown> {
  // A file written from a real collection may list the system fields itself; they are served once.
  const own = collection.fields.filter((f) => !SYSTEM_FIELDS.some((sf) => sf.key === f.key));
  const fields: CmsField[] = [...SYSTEM_FIELDS, ...own.map((f) => ({ systemField: false, ...f }))];
  const displayField = collection.fields.find((f) => f.type === 'TEXT')?.key ?? '_id';
  if (!full) {
    // A visitor gets only what displaying the data needs (getDataCollection's doc in @wix/auto_sdk_data_collections).
    return {
      id: collection.id,
      displayName: collection.displayName ?? collection.id,
      displayField,
      plugins: [],
      fields: fields.map((f) => ({ key: f.key, displayName: f.displayName, type: f.type, ...(f.typeMetadata !== undefined && { typeMetadata: f.typeMetadata }) })),
    };
  }
  const p = collection.permissions;
  return {
    id: collection.id,
    collectionType: 'NATIVE',
    displayName: collection.displayName ?? collection.id,
    defaultDisplayOrder: { fieldKey: '_createdDate', direction: 'DESC' },
    displayField,
    capabilities: { dataOperations: ['AGGREGATE', 'COUNT', 'DISTINCT', 'FIND', 'GET', 'QUERY_REFERENCED', 'IS_REFERENCED'], collectionOperations: [], indexLimits: { regular: 3, unique: 1, total: 4 } },
    fields,
    permissions: { insert: wireRole(p.insert), update: wireRole(p.update), remove: wireRole(p.remove), read: wireRole(p.read) },
    plugins: [],
    maxPageSize: 1000,
    pagingModes: ['OFFSET'],
    createdDate: collection.createdDate,
    updatedDate: collection.createdDate,
  };
}

function getCollection(state: EmulatorState, req: EmulatorRequest): Reply {
  const claims = state.authenticate(req);
  const collection = requireCollection(state, req.params.id);
  return { json: { collection: wireCollection(collection, claims.role === 'member') } };
}

function listCollections(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  // ListDataCollections is `@applicableIdentity APP` with permission WIX_DATA.LIST_COLLECTIONS: visitor and member
  // tokens do not have it (docs/wix-api.md 12.6).
  throw applicationError(403, 'PERMISSION_DENIED', 'Listing data collections requires the WIX_DATA.LIST_COLLECTIONS permission; visitor and member tokens do not have it', {
    message: 'PERMISSION_DENIED: Listing data collections requires the WIX_DATA.LIST_COLLECTIONS permission; visitor and member tokens do not have it',
  });
}

/** Registers the Wix Data routes. */
export function registerDataRoutes(router: Router, state: EmulatorState): void {
  // The SDK sends a query as GET with `.r` when its URL stays short, as POST otherwise (docs/wix-api.md 12.1).
  router.add(['GET', 'POST'], `${BASE}/items/query`, (req) => queryItems(state, req));
  router.add('POST', `${BASE}/items/count`, (req) => countItems(state, req));
  router.add('POST', `${BASE}/items/search`, (req) => searchItems(state, req));
  router.add('POST', `${BASE}/items/query-referenced`, (req) => queryReferenced(state, req));
  router.add('GET', `${BASE}/items/:id`, (req) => getItem(state, req));
  router.add('GET', `${BASE}/collections`, (req) => listCollections(state, req));
  router.add('GET', `${BASE}/collections/:id`, (req) => getCollection(state, req));
}

