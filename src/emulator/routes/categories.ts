import { bodyObject, entityNotFound, invalidField, HttpError, type EmulatorRequest, type Reply } from '../http.js';
import { compileFilter, QueryCache, resolveOffsetPaging, sortItems, valuesAt } from '../query-engine.js';
import type { Router } from '../router.js';
import type { EmulatorState } from '../state.js';
import { CategoryTree } from '../site/categories.js';
import type { StoreCategory } from '../site/types.js';
import { readTextSearch, textSearchPredicate, type TextSearch } from '../text-search.js';
import { enforceQuerySpec } from '../query-spec-guard.js';
import { cursorPage, decodeCursor, encodeCursor, flag, readQuery, readSearchRequest, requireStores, withQueryErrors } from './common.js';

/**
 * The Wix Categories API as the SDK calls it (@wix/auto_sdk_categories_categories: QueryCategories, SearchCategories,
 * CountCategories, GetCategory, GetCategoryBySlug under /categories/v1/categories). Only the Wix Stores tree exists.
 */

/** The only tree there is: "Currently, only `@wix/stores` is supported" (SDK `TreeReference.appNamespace`). */
const STORES_NAMESPACE = '@wix/stores';

/** `fields` values and the properties each adds (SDK `RequestedFields`, `SingleEntityOpsRequestedFields`). */
const REQUESTED_FIELDS: Record<string, string> = {
  DESCRIPTION: 'description',
  BREADCRUMBS_INFO: 'breadcrumbsInfo',
  RICH_CONTENT_DESCRIPTION: 'richContentDescription',
};
const OPTIONAL_KEYS = Object.values(REQUESTED_FIELDS);

/** `CategorySearchSpec.searchable` in the SDK typings. */
const SEARCHABLE = ['description', 'name'] as const;

/** CursorPaging.limit is `@max 1000` for categories. */
const MAX_LIMIT = 1000;

/** The categories a site serves, in the wire shape with every optional field, and a query cache over them. */
interface CategoryIndex {
  all: Record<string, unknown>[];
  bySlug: Map<string, Record<string, unknown>>;
  byId: Map<string, Record<string, unknown>>;
  visible: QueryCache<Record<string, unknown>>;
  everything: QueryCache<Record<string, unknown>>;
}

function categoryIndex(state: EmulatorState): CategoryIndex {
  return state.memo('categories', () => {
    // Catalog V1 sites organise products in collections: their Stores tree is empty.
    const tree = state.site.catalogVersion === 'V3_CATALOG' ? state.categoryTree : new CategoryTree([], {}, []);
    // A snapshot of a V3 site serves its categories as the site sent them.
    const all: Record<string, unknown>[] = state.site.categoriesWire ?? tree.list.map((c) => wireCategory(tree, c));
    const visible = all.filter((c) => c.visible === true);
    const bySlug = new Map<string, Record<string, unknown>>();
    for (const c of all) if (!bySlug.has(String(c.slug))) bySlug.set(String(c.slug), c);
    return { all, bySlug, byId: new Map(all.map((c) => [String(c.id), c])), visible: new QueryCache(visible), everything: new QueryCache(all) };
  });
}

/** A category in the wire shape (`_id` is `id` on the wire), optional fields included. */
function wireCategory(tree: CategoryTree, c: StoreCategory): Record<string, unknown> {
  const description = c.description ?? '';
  return {
    id: c.id,
    revision: '1',
    createdDate: c.createdDate,
    updatedDate: c.updatedDate,
    name: c.name,
    ...(c.image && { image: c.image }),
    itemCounter: tree.itemCounter(c.id),
    ...(description && { description }),
    visible: tree.isVisible(c.id),
    breadcrumbsInfo: { breadcrumbs: tree.breadcrumbs(c.id) },
    ...(c.parentId && { parentCategory: { id: c.parentId, index: tree.indexAmongSiblings(c.id) } }),
    slug: c.slug,
    seoData: { tags: [], settings: { preventAutoRedirect: false, keywords: [] } },
    ...(description && {
      richContentDescription: { nodes: [{ type: 'PARAGRAPH', id: c.id.slice(0, 8), nodes: [{ type: 'TEXT', id: '', nodes: [], textData: { text: description, decorations: [] } }], paragraphData: {} }] },
    }),
    treeReference: { appNamespace: STORES_NAMESPACE },
  };
}

/** The category as sent for these `fields`: description, breadcrumbs and rich content only on request. */
function project(category: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const wanted = new Set(fields.map((f) => REQUESTED_FIELDS[f]));
  const out = { ...category };
  for (const key of OPTIONAL_KEYS) if (!wanted.has(key)) delete out[key];
  return out;
}

function requestedFields(req: EmulatorRequest): string[] {
  const fromBody = bodyObject(req).fields;
  const fields = Array.isArray(fromBody) ? fromBody.map(String) : req.query.getAll('fields');
  for (const f of fields) {
    if (!(f in REQUESTED_FIELDS)) throw invalidField('fields', `unknown field ${f}; expected one of ${Object.keys(REQUESTED_FIELDS).join(', ')}`);
  }
  return fields;
}

/**
 * Checks `treeReference` (body, decoded `.r`, or `treeReference.appNamespace` query parameters on a raw GET).
 * Every request needs one (https://dev.wix.com/docs/api-reference/business-management/categories/introduction).
 */
function requireStoresTree(req: EmulatorRequest): void {
  const raw = bodyObject(req).treeReference;
  const tree = (typeof raw === 'object' && raw !== null ? raw : {}) as { appNamespace?: unknown; treeKey?: unknown };
  const appNamespace = tree.appNamespace ?? req.query.get('treeReference.appNamespace') ?? undefined;
  const treeKey = tree.treeKey ?? req.query.get('treeReference.treeKey') ?? undefined;
  if (appNamespace === undefined || appNamespace === '') {
    // Real sites answer a request without one with 400 "treeReference must not be empty".
    throw new HttpError(400, {
      message: 'treeReference must not be empty',
      details: { validationError: { fieldViolations: [{ field: 'treeReference', description: 'must not be empty', violatedRule: 'REQUIRED_FIELD', ruleName: 'VALIDATION_ERROR', data: {} }] } },
    });
  }
  // Wix Stores has one tree, with no key (SDK `TreeReference.treeKey`: "For Wix Stores, pass null or omit").
  if (appNamespace !== STORES_NAMESPACE || (treeKey !== undefined && treeKey !== null && treeKey !== 'null' && treeKey !== '')) {
    throw invalidField('treeReference.appNamespace', `no category tree for ${String(appNamespace)}${treeKey ? ` with key ${String(treeKey)}` : ''}; only ${STORES_NAMESPACE} is supported`);
  }
}

/** What a categories cursor carries (next-page requests send only the cursor). */
interface CursorState {
  filter: unknown;
  sort: unknown;
  search?: TextSearch;
  hidden: boolean;
  offset: number;
}

function toCursor(c: CursorState): string {
  return encodeCursor({ f: c.filter ?? null, s: c.sort ?? null, x: c.search ?? null, h: c.hidden, o: c.offset });
}

function fromCursor(cursor: string, field: string): CursorState {
  const raw = decodeCursor(cursor, field);
  return { filter: raw.f ?? undefined, sort: raw.s ?? undefined, search: (raw.x as TextSearch | null) ?? undefined, hidden: raw.h === true, offset: raw.o };
}

function textOf(item: unknown, field: string): string[] {
  return valuesAt(item, field).filter((v): v is string => typeof v === 'string');
}

function selection(index: CategoryIndex, c: CursorState, prefix: string): Record<string, unknown>[] {
  const cache = c.hidden ? index.everything : index.visible;
  if (!c.search) return cache.select(c.filter, c.sort);
  const predicate = compileFilter(c.filter, `${prefix}.filter`);
  const matches = textSearchPredicate(c.search, textOf);
  const base = c.hidden ? index.all : index.all.filter((x) => x.visible === true);
  return sortItems(base.filter((x) => predicate(x) && matches(x)), c.sort, `${prefix}.sort`);
}

/** Query and search share paging: `prefix` is the request's wrapper key. */
function listCategories(state: EmulatorState, req: EmulatorRequest, prefix: 'query' | 'search'): Reply {
  state.authenticate(req);
  requireStores(state);
  const fields = requestedFields(req);
  const q = readQuery(req, prefix);
  enforceQuerySpec(prefix === 'query' ? 'categoriesQuery' : 'categoriesSearch', q.filter, q.sort, prefix);
  const cursorPaging = (typeof q.cursorPaging === 'object' && q.cursorPaging !== null ? q.cursorPaging : {}) as { limit?: unknown; cursor?: unknown };
  const cursor = typeof cursorPaging.cursor === 'string' && cursorPaging.cursor !== '' ? cursorPaging.cursor : undefined;
  // Search: "Pass treeReference only in the first request" (SDK SearchCategoriesRequest.treeReference).
  if (prefix === 'query' || !cursor) requireStoresTree(req);
  return withQueryErrors(() => {
    const { limit } = resolveOffsetPaging({ limit: cursorPaging.limit }, { defaultLimit: 100, maxLimit: MAX_LIMIT, field: `${prefix}.cursorPaging` });
    let current: CursorState;
    if (cursor) {
      current = fromCursor(cursor, `${prefix}.cursorPaging.cursor`);
    } else {
      const search = prefix === 'search' ? readSearchRequest(req, SEARCHABLE) : undefined;
      current = { filter: q.filter, sort: q.sort, search, hidden: flag(req, 'returnNonVisibleCategories'), offset: 0 };
    }
    const { items, pagingMetadata } = cursorPage(selection(categoryIndex(state), current, prefix), current, limit, toCursor);
    return { json: { categories: items.map((c) => project(c, fields)), pagingMetadata } };
  });
}

function countCategories(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  requireStores(state);
  requireStoresTree(req);
  const body = bodyObject(req);
  return withQueryErrors(() => {
    const search = readTextSearch(body.search, SEARCHABLE, 'search');
    const c: CursorState = { filter: body.filter, sort: undefined, search, hidden: flag(req, 'returnNonVisibleCategories'), offset: 0 };
    return { json: { count: selection(categoryIndex(state), c, 'query').length } };
  });
}

function getCategory(state: EmulatorState, req: EmulatorRequest, by: 'id' | 'slug'): Reply {
  state.authenticate(req);
  requireStores(state);
  requireStoresTree(req);
  const fields = requestedFields(req);
  const index = categoryIndex(state);
  const category = by === 'id' ? index.byId.get(req.params.categoryId!) : index.bySlug.get(req.params.slug!);
  // Hidden categories stay readable by id or slug ("still accessible via API calls": SDK `Category.visible`).
  if (!category) throw entityNotFound();
  return { json: { category: project(category, fields) } };
}

/** Registers the Categories API routes. */
export function registerCategoriesRoutes(router: Router, state: EmulatorState): void {
  const base = '/categories/v1/categories';
  router.add('POST', `${base}/query`, (req) => listCategories(state, req, 'query'));
  router.add('POST', `${base}/search`, (req) => listCategories(state, req, 'search'));
  router.add('POST', `${base}/count`, (req) => countCategories(state, req));
  router.add('GET', `${base}/slug/:slug`, (req) => getCategory(state, req, 'slug'));
  router.add('GET', `${base}/:categoryId`, (req) => getCategory(state, req, 'id'));
}
