import { applicationError, bodyObject, decodeBase64UrlJson, encodeBase64UrlJson, invalidField, validationError, type EmulatorRequest, HttpError } from '../http.js';
import { QueryValidationError } from '../query-engine.js';
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

/** 428 when the site runs the other catalog version (wix-wire.md 2.0). */
export function requireCatalog(state: EmulatorState, version: CatalogVersion): void {
  if (state.site.catalogVersion === version) return;
  // No stored doc gives Wix's answer for a site without Stores; the emulator keeps it a precondition failure.
  if (state.site.catalogVersion === 'STORES_NOT_INSTALLED') {
    throw applicationError(428, 'STORES_NOT_INSTALLED', 'Wix Stores is not installed on this site', {
      message: 'FAILED_PRECONDITION: Wix Stores is not installed',
      data: { catalogVersion: state.site.catalogVersion },
    });
  }
  const family = version === 'V1_CATALOG' ? 'Catalog V1' : 'Catalog V3';
  throw applicationError(428, 'CATALOG_VERSION_MISMATCH', `This site uses ${state.site.catalogVersion}; ${family} APIs are not available`, {
    message: `FAILED_PRECONDITION: site catalog version is ${state.site.catalogVersion}`,
    data: { catalogVersion: state.site.catalogVersion },
  });
}

/** An opaque cursor: the state a next-page request needs, since such requests carry no filter or sort. */
export function encodeCursor(state: Record<string, unknown>): string {
  return encodeBase64UrlJson({ v: 1, ...state });
}

/** Reads a cursor made by encodeCursor; a 400 on `field` otherwise. */
export function decodeCursor(cursor: string, field: string): Record<string, unknown> & { o: number } {
  const raw = decodeBase64UrlJson(cursor) as Record<string, unknown> | undefined;
  if (!raw || typeof raw !== 'object' || raw.v !== 1 || typeof raw.o !== 'number' || raw.o < 0) throw invalidField(field, 'is not a cursor this API issued');
  return raw as Record<string, unknown> & { o: number };
}

export { HttpError };
