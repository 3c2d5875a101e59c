import { UsageError, WixqError } from '../errors.js';

/** A site's Stores catalog: Catalog V1, Catalog V3, or no Wix Stores at all. */
export type CatalogVersion = 'v1' | 'v3' | 'none';

/** The catalog a command runs against, and how wixq knows it. */
export interface CatalogAnswer {
  version: CatalogVersion;
  /** `flag`: --catalog; `cache`: detected on an earlier run; `detected`: asked Wix just now. */
  source: 'flag' | 'cache' | 'detected';
}

export interface CatalogLookup {
  /** The --catalog flag, if given. */
  override?: string;
  /** Skip the cache (after a 428 on a cached answer: sites move from V1 to V3). */
  fresh?: boolean;
  cache: { get(): CatalogVersion | undefined; set(version: CatalogVersion): Promise<void> };
  /** One `catalogVersioning.getCatalogVersion()` call. */
  fetchVersion(): Promise<{ catalogVersion?: unknown } | undefined>;
  warn(line: string): void;
}

/** The --catalog override, the cached answer, or one request to Wix (cached unless Stores is missing). */
export async function resolveCatalog(lookup: CatalogLookup): Promise<CatalogAnswer> {
  if (lookup.override !== undefined) {
    if (lookup.override !== 'v1' && lookup.override !== 'v3') throw new UsageError(`--catalog must be v1 or v3, got "${lookup.override}"`);
    return { version: lookup.override, source: 'flag' };
  }
  const cached = lookup.fresh ? undefined : lookup.cache.get();
  if (cached) return { version: cached, source: 'cache' };
  const version = catalogFromWire((await lookup.fetchVersion())?.catalogVersion);
  // "Not installed" is not cached: the owner may add Wix Stores at any time.
  if (version !== 'none') {
    try {
      await lookup.cache.set(version);
    } catch (error) {
      lookup.warn(`Warning: could not cache the catalog version: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { version, source: 'detected' };
}

/** The values of `GetCatalogVersionResponse.catalogVersion` (@wix/auto_sdk_stores_catalog-versioning). */
function catalogFromWire(value: unknown): CatalogVersion {
  if (value === 'V1_CATALOG') return 'v1';
  if (value === 'V3_CATALOG') return 'v3';
  if (value === 'STORES_NOT_INSTALLED') return 'none';
  throw new WixqError(`Wix answered an unknown catalog version "${String(value)}"`, undefined, { hint: 'Pass --catalog v1 or --catalog v3.' });
}
