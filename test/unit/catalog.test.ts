import { describe, expect, it } from 'vitest';
import { AuthError, ExitCode, TemporaryError, WixqError } from '../../src/errors.js';
import { cachedAnswerIsCurrent, resolveCatalog, V1_CACHE_TTL_MS, type CachedCatalog, type CatalogLookup, type CatalogVersion } from '../../src/wix/catalog.js';

/** The catalog rule of src/wix/catalog.ts: which cached answers are current, and detection with its probe. */

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

describe('cachedAnswerIsCurrent', () => {
  it.each<[string, CachedCatalog, boolean]>([
    ['V1 detected a minute ago', { version: 'v1', detectedAt: iso(NOW - 60_000) }, true],
    ['V1 detected just under an hour ago', { version: 'v1', detectedAt: iso(NOW - V1_CACHE_TTL_MS + 1) }, true],
    ['V1 detected an hour ago', { version: 'v1', detectedAt: iso(NOW - V1_CACHE_TTL_MS) }, false],
    ['V3 detected a year ago', { version: 'v3', detectedAt: iso(NOW - 365 * 86_400_000) }, true],
    ['V3 without detectedAt', { version: 'v3' }, false],
    ['V1 without detectedAt', { version: 'v1' }, false],
    ['V1 with a number', { version: 'v1', detectedAt: NOW }, false],
    ['V1 with text that is no date', { version: 'v1', detectedAt: 'soon' }, false],
    ['V1 with a date-like text that is no date', { version: 'v1', detectedAt: '2026-13-45T99:00:00Z' }, false],
    ['V1 detected in the future', { version: 'v1', detectedAt: iso(NOW + 60_000) }, false],
  ])('%s: %s', (_label, entry, current) => {
    expect(cachedAnswerIsCurrent(entry, NOW)).toBe(current);
  });
});

function lookup(options: { cached?: CachedCatalog; version?: () => Promise<unknown>; probe?: () => Promise<unknown>; fresh?: boolean }) {
  const calls: string[] = [];
  const stored: CatalogVersion[] = [];
  const l: CatalogLookup = {
    fresh: options.fresh,
    apiUrl: 'http://127.0.0.1:9',
    now: () => NOW,
    cache: { get: () => options.cached, set: async (v) => void stored.push(v) },
    fetchVersion: async () => {
      calls.push('version');
      return (await (options.version ?? (async () => ({ catalogVersion: 'V1_CATALOG' })))()) as { catalogVersion?: unknown };
    },
    probeV3: async () => {
      calls.push('probe');
      return (options.probe ?? (async () => ({ products: [] })))();
    },
    warn: () => {},
  };
  return { l, calls, stored };
}

const refusal = (status: number, code?: string) => new WixqError(`answered ${status}`, status === 403 ? ExitCode.AUTH : status === 404 ? ExitCode.NOT_FOUND : ExitCode.ERROR, { status, code });

describe('resolveCatalog', () => {
  it('uses a current cached answer without a request, and detects past it', async () => {
    const warm = lookup({ cached: { version: 'v1', detectedAt: iso(NOW - 1000) } });
    expect(await resolveCatalog(warm.l)).toEqual({ version: 'v1', source: 'cache' });
    expect(warm.calls).toEqual([]);
    const stale = lookup({ cached: { version: 'v1', detectedAt: iso(NOW - 2 * V1_CACHE_TTL_MS) }, version: async () => ({ catalogVersion: 'V3_CATALOG' }) });
    expect(await resolveCatalog(stale.l)).toEqual({ version: 'v3', source: 'detected', detectedBy: 'version-endpoint' });
    expect(stale.stored).toEqual(['v3']);
    const fresh = lookup({ cached: { version: 'v3', detectedAt: iso(NOW) }, fresh: true });
    expect((await resolveCatalog(fresh.l)).source).toBe('detected');
  });

  it.each<[string, () => Promise<unknown>, CatalogVersion]>([
    ['200: Catalog V3', async () => ({ products: [] }), 'v3'],
    ['428 CATALOG_V1_SITE_CALLING_CATALOG_V3_API: Catalog V1', async () => Promise.reject(refusal(428, 'CATALOG_V1_SITE_CALLING_CATALOG_V3_API')), 'v1'],
    ['428 REQUIRED_APP_NOT_INSTALLED: no Stores', async () => Promise.reject(refusal(428, 'REQUIRED_APP_NOT_INSTALLED')), 'none'],
  ])('a refused version endpoint: the probe answers %s', async (_label, probe, version) => {
    for (const status of [403, 404]) {
      const t = lookup({ version: async () => Promise.reject(refusal(status)), probe });
      expect(await resolveCatalog(t.l)).toEqual({ version, source: 'detected', detectedBy: 'probe', refusedWith: status });
      expect(t.calls).toEqual(['version', 'probe']);
      expect(t.stored).toEqual(version === 'none' ? [] : [version]);
    }
  });

  it('any other failure of the version endpoint is not probed', async () => {
    for (const error of [refusal(400), new AuthError('401 after renewal'), new TemporaryError('timed out')]) {
      const t = lookup({ version: async () => Promise.reject(error) });
      await expect(resolveCatalog(t.l)).rejects.toBe(error);
      expect(t.calls).toEqual(['version']);
    }
  });

  it('a 404 on both is a server that does not answer like Wix (exit 1, the URL and the fix)', async () => {
    const t = lookup({ version: async () => Promise.reject(refusal(404)), probe: async () => Promise.reject(refusal(404)) });
    const error = (await resolveCatalog(t.l).catch((e) => e)) as WixqError;
    expect(error.exitCode).toBe(ExitCode.ERROR);
    expect(error.message).toBe("the server at http://127.0.0.1:9 does not answer like Wix's API: GET /stores/v3/provision/version and POST /stores/v3/products/query both answered 404.");
    expect(error.hint).toMatch(/--api-url/);
  });

  it('another probe failure names both answers and --catalog; auth and network failures keep their codes', async () => {
    const t = lookup({ version: async () => Promise.reject(refusal(403)), probe: async () => Promise.reject(refusal(400, 'WHATEVER')) });
    const error = (await resolveCatalog(t.l).catch((e) => e)) as WixqError;
    expect(error.message).toBe('could not detect the Stores catalog version: GET /stores/v3/provision/version answered 403 and POST /stores/v3/products/query answered 400 WHATEVER');
    expect(error.hint).toMatch(/--catalog v1/);
    const network = new TemporaryError('timed out');
    await expect(resolveCatalog(lookup({ version: async () => Promise.reject(refusal(403)), probe: async () => Promise.reject(network) }).l)).rejects.toBe(network);
  });
});
