import { bodyObject, decodeBase64UrlJson, MAX_JSON_DEPTH, nestsDeeperThan, encodeBase64UrlJson, invalidField, validationError, type EmulatorRequest, HttpError, wixCodeError } from '../http.js';
import { QueryValidationError } from '../query-engine.js';
import { readTextSearch, type TextSearch } from '../text-search.js';
import type { EmulatorState } from '../state.js';
import type { CatalogVersion } from '../site/types.js';

/** Helpers shared by the API route families. */

/** Runs `fn`, turning query-language rejections into Wix's 400 validationError. */
export function withQueryErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof QueryValidationError) throw validationError(error.violations);
    throw error;
  }
}

/** The `query` object of a query request (`{query:{filter,sort,paging}}`), with string filters/sorts parsed. */
export function readQuery(req: EmulatorRequest, key = 'query'): { filter: unknown; sort: unknown; paging: unknown; cursorPaging: unknown } {
  const raw = bodyObject(req)[key];
  const query = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return {
    filter: parseMaybeJson(query.filter, `${key}.filter`),
    sort: parseMaybeJson(query.sort, `${key}.sort`),
    paging: query.paging,
    cursorPaging: query.cursorPaging,
  };
}

/** Legacy endpoints send filter and sort as JSON strings; accept both. */
function parseMaybeJson(value: unknown, field: string): unknown {
  if (typeof value !== 'string') return value;
  if (value.trim() === '') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw invalidField(field, 'is not valid JSON');
  }
}

/** A flag sent either in the JSON body or as a query parameter (`?includeMerchantSpecificData=true`). */
export function flag(req: EmulatorRequest, name: string): boolean {
  const fromBody = bodyObject(req)[name];
  if (fromBody === true || fromBody === 'true') return true;
  return req.query.get(name) === 'true';
}

/** 428 when Wix Stores is not installed (Stores and Categories APIs alike). */
export function requireStores(state: EmulatorState): void {
  // wix/skills skills/headless/skills/wix-headless-stores/references/PRODUCT_CATALOG.md (Step 0): /stores/v3 and /categories/v1 answer this.
  if (state.site.catalogVersion === 'STORES_NOT_INSTALLED') throw wixCodeError(428, 'REQUIRED_APP_NOT_INSTALLED', 'Wix Stores app is not installed for site');
}

const CATALOG_VERSIONING_DOC = 'https://dev.wix.com/docs/rest/business-solutions/stores/catalog-versioning/introduction';

/** 428 when the site runs the other catalog version, or has no Stores, with the bodies real sites send. */
export function requireCatalog(state: EmulatorState, version: CatalogVersion): void {
  if (state.site.catalogVersion === version) return;
  requireStores(state);
  if (version === 'V3_CATALOG') {
    // V3 endpoint on a V1 site: 428 per wix/skills skills/wix-app-management/stores/references/query-products-catalog-v1.md; body as real sites log it.
    throw wixCodeError(428, 'CATALOG_V1_SITE_CALLING_CATALOG_V3_API', `Endpoint belongs to the wrong catalog version. This site is using CATALOG_V1. Read more about catalog versioning: ${CATALOG_VERSIONING_DOC}`);
  }
  // V1 endpoint on a V3 site: message of https://github.com/safak/next-ecommerce/issues/39; live probes report this code (no "_SITE_").
  throw wixCodeError(428, 'CATALOG_V3_CALLING_CATALOG_V1_API', 'Endpoint belongs to CATALOG_V1, but your site is using CATALOG_V3.');
}

/** An opaque cursor: the state a next-page request needs, since such requests carry no filter or sort. */
export function encodeCursor(state: Record<string, unknown>): string {
  return encodeBase64UrlJson({ v: 1, ...state });
}

/** Reads a cursor made by encodeCursor; a 400 on `field` otherwise. */
export function decodeCursor(cursor: string, field: string): Record<string, unknown> & { o: number } {
  const raw = decodeBase64UrlJson(cursor) as Record<string, unknown> | undefined;
  // The emulator issues no cursor nested deeper than a request may be (MAX_JSON_DEPTH).
  if (!raw || typeof raw !== 'object' || nestsDeeperThan(raw, MAX_JSON_DEPTH + 2) || raw.v !== 1 || typeof raw.o !== 'number' || raw.o < 0) throw invalidField(field, 'is not a cursor this API issued');
  return raw as Record<string, unknown> & { o: number };
}

export { HttpError };

/**
 * The free text of a first search request (`{search: {search: {expression, …}}}`); aggregations are refused loudly
 * rather than answered with empty facets, since the emulator computes none.
 */
export function readSearchRequest(req: EmulatorRequest, searchable: readonly string[]): TextSearch | undefined {
  const wrapper = bodyObject(req).search as { search?: unknown; aggregations?: unknown } | undefined;
  if (Array.isArray(wrapper?.aggregations) && wrapper.aggregations.length > 0) throw invalidField('search.aggregations', 'aggregations are not supported by the Wix API emulator');
  return readTextSearch(wrapper?.search, searchable, 'search.search');
}

/** One cursor page of a selection: the items from the cursor's offset, and `pagingMetadata` with next and prev cursors. */
export function cursorPage<T, C extends { offset: number }>(
  all: readonly T[],
  current: C,
  limit: number,
  toCursor: (state: C) => string,
): { items: T[]; pagingMetadata: { count: number; cursors: Record<string, string>; hasNext: boolean } } {
  const items = all.slice(current.offset, current.offset + limit);
  const hasNext = current.offset + items.length < all.length;
  const cursors: Record<string, string> = {};
  // cursors.next is absent on the last page: the SDK's hasNext() is !!cursors.next (docs/wix-api.md 2.5).
  if (hasNext) cursors.next = toCursor({ ...current, offset: current.offset + items.length });
  if (current.offset > 0) cursors.prev = toCursor({ ...current, offset: Math.max(0, current.offset - limit) });
  return { items, pagingMetadata: { count: items.length, cursors, hasNext } };
}
