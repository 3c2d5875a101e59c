import { ExitCode, UsageError, WixqError } from '../errors.js';
import { notWixApi } from './errors.js';

import { CATALOG_VERSIONS, type CatalogVersion } from '../specs/lists.js';

/** A site's Stores catalog: Catalog V1, Catalog V3, or no Wix Stores at all (defined once, in the list table). */
export type { CatalogVersion };
export { CATALOG_VERSIONS };

/** The catalog a command runs against, and how wixq knows it. */
export interface CatalogAnswer {
  version: CatalogVersion;
  /** `flag`: --catalog; `cache`: detected on an earlier run; `detected`: asked Wix just now. */
  source: 'flag' | 'cache' | 'detected';
  /** How a `detected` answer was found: the version endpoint, or (when that was refused) one V3 products query. */
  detectedBy?: 'version-endpoint' | 'probe';
  /** The status the version endpoint was refused with, when the probe answered instead. */
  refusedWith?: number;
}

/** A cached answer as config.json holds it. */
export interface CachedCatalog {
  version: CatalogVersion;
  /** When it was detected (ISO 8601), as written; anything else counts as expired. */
  detectedAt?: unknown;
}

/**
 * How long a cached Catalog V1 answer is trusted. Sites move from V1 to V3 (one way), and on a moved site Wix's V1
 * reader (`/stores-reader/v1/…`) has been seen answering 200 from a stale shim instead of the 428 that would tell
 * (docs/wix-api.md 2.0), so a V1 answer is asked again after an hour. A V3 answer never expires.
 */
export const V1_CACHE_TTL_MS = 3_600_000;

/** Whether a cached answer may be used at `nowMs`: V3 always, V1 for an hour; a missing, bad or future `detectedAt` never. */
export function cachedAnswerIsCurrent(entry: CachedCatalog, nowMs: number): boolean {
  const detectedAt = typeof entry.detectedAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(entry.detectedAt) ? Date.parse(entry.detectedAt) : NaN;
  if (!Number.isFinite(detectedAt) || detectedAt > nowMs) return false;
  return entry.version === 'v3' || nowMs - detectedAt < V1_CACHE_TTL_MS;
}

export interface CatalogLookup {
  /** The --catalog flag, if given. */
  override?: string;
  /** Skip the cache (`check`, `snapshot`, and after a 428 on a cached answer). */
  fresh?: boolean;
  /** The API base URL the requests go to, for the message when it does not answer like Wix. */
  apiUrl: string;
  now(): number;
  cache: { get(): CachedCatalog | undefined; set(version: CatalogVersion): Promise<void> };
  /** One `catalogVersioning.getCatalogVersion()` call. */
  fetchVersion(): Promise<{ catalogVersion?: unknown } | undefined>;
  /** One V3 Query Products with limit 1: 200 on V3, a 428 naming the catalog on V1 or without Stores. */
  probeV3(): Promise<unknown>;
  warn(line: string): void;
}

/** What to do when detection fails (snapshot has no --catalog: it reads the catalog the site has). */
const OVERRIDE_HINT = 'Check the client ID and the API URL (wixq auth status); products, collections, categories and check take --catalog v1 or --catalog v3.';

const VERSION_PATH = 'GET /stores/v3/provision/version';
const PROBE_PATH = 'POST /stores/v3/products/query';

/** The --catalog override, the cached answer while it is current, or detection (cached unless Stores is missing). */
export async function resolveCatalog(lookup: CatalogLookup): Promise<CatalogAnswer> {
  if (lookup.override !== undefined) {
    if (lookup.override !== 'v1' && lookup.override !== 'v3') throw new UsageError(`--catalog must be v1 or v3, got "${lookup.override}"`);
    return { version: lookup.override, source: 'flag' };
  }
  const cached = lookup.fresh ? undefined : lookup.cache.get();
  if (cached && cached.version !== 'none' && cachedAnswerIsCurrent(cached, lookup.now())) return { version: cached.version, source: 'cache' };
  const answer = await detectCatalog(lookup);
  // "Not installed" is not cached: the owner may add Wix Stores at any time.
  if (answer.version !== 'none') {
    try {
      await lookup.cache.set(answer.version);
    } catch (error) {
      lookup.warn(`Warning: could not cache the catalog version: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return answer;
}

/**
 * Asks Wix: the version endpoint, or, when it is refused to this caller (403 or 404; a 401 has already been renewed
 * and retried by the session), one V3 products query whose answers live sites have shown (docs/wix-api.md 11).
 */
async function detectCatalog(lookup: CatalogLookup): Promise<CatalogAnswer> {
  let refused: WixqError;
  try {
    return { version: catalogFromWire((await lookup.fetchVersion())?.catalogVersion), source: 'detected', detectedBy: 'version-endpoint' };
  } catch (error) {
    if (!(error instanceof WixqError) || (error.status !== 403 && error.status !== 404)) throw error;
    refused = error;
  }
  const answer = (version: CatalogVersion): CatalogAnswer => ({ version, source: 'detected', detectedBy: 'probe', refusedWith: refused.status });
  try {
    await lookup.probeV3();
    return answer('v3');
  } catch (error) {
    if (!(error instanceof WixqError)) throw error;
    if (error.status === 428 && error.code === 'CATALOG_V1_SITE_CALLING_CATALOG_V3_API') return answer('v1');
    if (error.status === 428 && error.code === 'REQUIRED_APP_NOT_INSTALLED') return answer('none');
    if (refused.status === 404 && error.status === 404) throw notWixApi(lookup.apiUrl, `${VERSION_PATH} and ${PROBE_PATH} both answered 404`);
    // Authentication and network failures keep their own exit codes and words.
    if (error.exitCode === ExitCode.AUTH || error.exitCode === ExitCode.TEMPORARY) throw error;
    throw new WixqError(
      `could not detect the Stores catalog version: ${VERSION_PATH} answered ${refused.status} and ${PROBE_PATH} answered ${error.status ?? 'no status'}${error.code ? ` ${error.code}` : ''}`,
      error.exitCode,
      { hint: OVERRIDE_HINT, requestId: error.requestId, status: error.status, code: error.code },
    );
  }
}

/** The values of `GetCatalogVersionResponse.catalogVersion` (@wix/auto_sdk_stores_catalog-versioning). */
function catalogFromWire(value: unknown): CatalogVersion {
  if (value === 'V1_CATALOG') return 'v1';
  if (value === 'V3_CATALOG') return 'v3';
  if (value === 'STORES_NOT_INSTALLED') return 'none';
  throw new WixqError(`Wix answered an unknown catalog version "${String(value)}"`, undefined, { hint: OVERRIDE_HINT });
}

/** The catalog as the wire names it (`V1_CATALOG`, …), as snapshot files hold it. */
export function catalogToWire(version: CatalogVersion): 'V1_CATALOG' | 'V3_CATALOG' | 'STORES_NOT_INSTALLED' {
  return version === 'v1' ? 'V1_CATALOG' : version === 'v3' ? 'V3_CATALOG' : 'STORES_NOT_INSTALLED';
}
