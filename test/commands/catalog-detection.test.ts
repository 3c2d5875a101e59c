import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSite, READER_SHIM_PRODUCT_ID_PREFIX } from '../../src/emulator/index.js';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * How wixq knows a site's catalog (docs/reference.md 2.3, docs/wix-api.md 2.0): a cached V1 answer expires after an
 * hour (sites move from V1 to V3, and Wix's V1 reader can keep answering 200 on a V3 site from a stale shim), `check`
 * and `snapshot` always detect afresh, and a refused version endpoint is answered by one V3 products query.
 */

const HOUR = 3_600_000;

function configPath(p: TestProject): string {
  return join(p.configDir, 'config.json');
}

function readConfig(p: TestProject): any {
  return JSON.parse(readFileSync(configPath(p), 'utf8'));
}

/** Writes the catalog cache entry (and optionally cached category ids) as an earlier run would have left them. */
function cacheCatalog(p: TestProject, entry: Record<string, unknown>, categories?: Record<string, unknown>): void {
  const profile: Record<string, unknown> = { catalog: { [p.emulator.clientId]: { apiUrl: p.emulator.url, ...entry } } };
  if (categories) profile.categories = { [p.emulator.clientId]: categories };
  writeFileSync(configPath(p), JSON.stringify({ profiles: { default: profile } }));
}

/** API requests (tokens left out) as `status path`. */
function calls(p: TestProject): string[] {
  return p.apiRequests().map((r) => `${r.status} ${r.path}`);
}

function visibleV3(p: TestProject): { id: string; name: string }[] {
  return (p.emulator.site.productsV3 ?? p.emulator.site.products).filter((x: any) => x.visible !== false) as any;
}

describe('a V3 site whose V1 reader answers from a stale shim, read through a cached V1 answer', () => {
  it('lists the V3 catalogue once the cached V1 answer is older than an hour, and caches V3', async () => {
    const p = await startProject({ catalog: 'v3', v1ReaderShim: true });
    try {
      cacheCatalog(p, { version: 'v1', detectedAt: new Date(p.clock.nowMs - HOUR - 1000).toISOString() });
      const r = await p.run(['products', 'list', '--json', '--all']);
      expect(r.code, r.stderr).toBe(0);
      const listed = JSON.parse(r.stdout) as { _id: string; name: string }[];
      expect(listed.some((x) => x._id.startsWith(READER_SHIM_PRODUCT_ID_PREFIX))).toBe(false);
      expect(listed.map((x) => x._id).sort()).toEqual(visibleV3(p).map((x) => x.id).sort());
      expect(calls(p).slice(0, 2)).toEqual(['200 /stores/v3/provision/version', '200 /stores/v3/products/query']);
      const entry = readConfig(p).profiles.default.catalog[p.emulator.clientId];
      expect(entry).toEqual({ version: 'v3', apiUrl: p.emulator.url, detectedAt: new Date(p.clock.nowMs).toISOString() });
    } finally {
      await p.close();
    }
  });

  it('collections: an expired V1 answer is detected again and the site answers with its categories', async () => {
    const p = await startProject({ catalog: 'v3', v1ReaderShim: true });
    try {
      cacheCatalog(p, { version: 'v1', detectedAt: new Date(p.clock.nowMs - 2 * HOUR).toISOString() });
      const r = await p.run(['collections', 'list', '--json', '--all']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('Catalog V3');
      expect(calls(p)[0]).toBe('200 /stores/v3/provision/version');
      expect(calls(p).some((c) => c.includes('/stores-reader/') || c.includes('/v2/collections'))).toBe(false);
    } finally {
      await p.close();
    }
  });

  it.each([
    ['missing', undefined],
    ['not a date', 'yesterday'],
    ['in the future', new Date(Date.now() + 30 * 24 * HOUR).toISOString()],
  ])('an entry whose detectedAt is %s counts as expired', async (_label, detectedAt) => {
    const p = await startProject({ catalog: 'v3', v1ReaderShim: true });
    try {
      cacheCatalog(p, { version: 'v1', ...(detectedAt !== undefined && { detectedAt }) });
      const r = await p.run(['products', 'list', '--json', '--limit', '3']);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { _id: string }[]).some((x) => x._id.startsWith(READER_SHIM_PRODUCT_ID_PREFIX))).toBe(false);
      expect(readConfig(p).profiles.default.catalog[p.emulator.clientId].version).toBe('v3');
    } finally {
      await p.close();
    }
  });

  it('category ids cached for the old catalog are dropped when the catalog changes', async () => {
    const p = await startProject({ catalog: 'v3', v1ReaderShim: true });
    try {
      const old = { id: '5417e000-0000-4000-8000-00000000c001', catalog: 'v1', apiUrl: p.emulator.url };
      cacheCatalog(p, { version: 'v1', detectedAt: new Date(p.clock.nowMs - 2 * HOUR).toISOString() }, { 'template-best-sellers': old });
      const r = await p.run(['products', 'list', '--json', '--limit', '1']);
      expect(r.code, r.stderr).toBe(0);
      expect(readConfig(p).profiles.default.categories?.[p.emulator.clientId] ?? {}).toEqual({});
    } finally {
      await p.close();
    }
  });

  it('products get: a 404 on a V1 answer cached within the hour is checked by a detection before saying not found', async () => {
    const p = await startProject({ catalog: 'v3', v1ReaderShim: true });
    try {
      cacheCatalog(p, { version: 'v1', detectedAt: new Date(p.clock.nowMs - 60_000).toISOString() });
      const product = visibleV3(p)[3]!;
      const r = await p.run(['products', 'get', product.id, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ _id: product.id, name: product.name });
      expect(calls(p)).toEqual([
        `404 /stores-reader/v1/products/${product.id}`,
        '200 /stores/v3/provision/version',
        `200 /stores/v3/products/${product.id}`,
      ]);
      // A product that is on neither: still exit 3, after the one detection (the cache now says V3).
      p.reset();
      const missing = await p.run(['products', 'get', '00000000-0000-4000-8000-000000000000', '--json']);
      expect(missing.code).toBe(3);
      expect(calls(p)).toEqual(['404 /stores/v3/products/00000000-0000-4000-8000-000000000000']);
    } finally {
      await p.close();
    }
  });

  it('check detects afresh: it sees V3 at once, even with a V1 answer cached a minute ago', async () => {
    const p = await startProject({ catalog: 'v3', v1ReaderShim: true });
    try {
      cacheCatalog(p, { version: 'v1', detectedAt: new Date(p.clock.nowMs - 60_000).toISOString() });
      const r = await p.run(['check', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.catalog).toBe('v3');
      expect(report.checks.find((c: any) => c.name === 'products').count).toBe(visibleV3(p).length);
      expect(calls(p)[0]).toBe('200 /stores/v3/provision/version');
      expect(readConfig(p).profiles.default.catalog[p.emulator.clientId].version).toBe('v3');
    } finally {
      await p.close();
    }
  });
});

describe('the cache rule on a V1 site', () => {
  it('a warm list is one request within the hour; past the hour the V1 answer is detected again, once', async () => {
    const p = await startProject({ catalog: 'v1' });
    try {
      expect((await p.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
      p.reset();
      p.clock.nowMs += HOUR - 60_000;
      expect((await p.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
      expect(calls(p)).toEqual(['200 /stores-reader/v1/products/query-platformized']);
      p.reset();
      p.clock.nowMs += 2 * 60_000;
      expect((await p.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
      expect(calls(p)).toEqual(['200 /stores/v3/provision/version', '200 /stores-reader/v1/products/query-platformized']);
      p.reset();
      expect((await p.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
      expect(calls(p)).toEqual(['200 /stores-reader/v1/products/query-platformized']);
    } finally {
      await p.close();
    }
  });

  it('a V3 answer never expires', async () => {
    const p = await startProject({ catalog: 'v3' });
    try {
      cacheCatalog(p, { version: 'v3', detectedAt: new Date(p.clock.nowMs - 400 * 24 * HOUR).toISOString() });
      expect((await p.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
      expect(calls(p)).toEqual(['200 /stores/v3/products/query']);
    } finally {
      await p.close();
    }
  });
});

describe('detection when the catalog version endpoint is refused', () => {
  for (const refusal of [403, 404] as const) {
    for (const catalog of ['v1', 'v3'] as const) {
      it(`${catalog.toUpperCase()} site, version endpoint ${refusal}: one V3 query with limit 1 tells the catalog, cached like any answer`, async () => {
        const p = await startProject({ catalog, refuseVersionEndpoint: refusal });
        try {
          const r = await p.run(['products', 'list', '--json', '--limit', '2']);
          expect(r.code, r.stderr).toBe(0);
          expect(JSON.parse(r.stdout)).toHaveLength(2);
          const probe = p.requests('/stores/v3/products/query')[0]!;
          expect(probe.body).toMatchObject({ query: { cursorPaging: { limit: 1 } } });
          expect(calls(p).slice(0, 2)).toEqual([`${refusal} /stores/v3/provision/version`, `${catalog === 'v3' ? 200 : 428} /stores/v3/products/query`]);
          expect(readConfig(p).profiles.default.catalog[p.emulator.clientId].version).toBe(catalog);

          p.reset();
          const groups = await p.run(['collections', 'list', '--json', '--limit', '2']);
          expect(groups.code, groups.stderr).toBe(0);
          expect(calls(p)).toHaveLength(1);

          p.reset();
          const check = await p.run(['check', '--json']);
          expect(check.code, check.stderr).toBe(0);
          const report = JSON.parse(check.stdout);
          expect(report.catalog).toBe(catalog);
          expect(report.checks.find((c: any) => c.name === 'catalog').details).toMatch(/products query/);
          expect(calls(p).slice(0, 2)).toEqual([`${refusal} /stores/v3/provision/version`, `${catalog === 'v3' ? 200 : 428} /stores/v3/products/query`]);

          p.reset();
          const snap = await p.run(['snapshot', '--include', 'products,collections']);
          expect(snap.code, snap.stderr).toBe(0);
          const copy = JSON.parse(snap.stdout);
          expect(copy.catalogVersion).toBe(catalog === 'v3' ? 'V3_CATALOG' : 'V1_CATALOG');
          expect((copy.productsV3 ?? copy.products).length).toBeGreaterThan(0);
        } finally {
          await p.close();
        }
      });
    }
  }

  it('a 401 on the version endpoint still renews the session and asks again before the probe', async () => {
    const p = await startProject({ catalog: 'v3', refuseVersionEndpoint: 403 });
    try {
      expect((await p.run(['services', 'list', '--json', '--limit', '1'])).code).toBe(0);
      await p.control('POST', 'expire-tokens');
      p.reset();
      const r = await p.run(['check', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).catalog).toBe('v3');
      expect(p.requests().slice(0, 4).map((x) => `${x.status} ${x.path}`)).toEqual([
        '401 /stores/v3/provision/version',
        '200 /oauth2/token',
        '403 /stores/v3/provision/version',
        '200 /stores/v3/products/query',
      ]);
    } finally {
      await p.close();
    }
  });

  it('a site without Stores: products and collections say Stores is not installed; check warns; snapshot reads services', async () => {
    const site = { ...generateSite({ products: 0 }), catalogVersion: 'STORES_NOT_INSTALLED' as const };
    const p = await startProject({ data: site, refuseVersionEndpoint: 403 });
    try {
      for (const noun of ['products', 'collections']) {
        const r = await p.run([noun, 'list', '--json']);
        expect(r.code, noun).toBe(1);
        expect(r.stderr).toContain('Wix Stores is not installed');
        expect(r.stdout).toBe('');
      }
      expect(calls(p).slice(0, 2)).toEqual(['403 /stores/v3/provision/version', '428 /stores/v3/products/query']);
      const check = await p.run(['check', '--json']);
      const report = JSON.parse(check.stdout);
      expect(report.catalog).toBe('none');
      expect(report.checks.find((c: any) => c.name === 'catalog').status).toBe('warn');
      const snap = await p.run(['snapshot', '--include', 'services']);
      expect(snap.code, snap.stderr).toBe(0);
      expect(JSON.parse(snap.stdout).catalogVersion).toBe('STORES_NOT_INSTALLED');
    } finally {
      await p.close();
    }
  });

  it('a server that does not answer like Wix (404 on the version endpoint and on the probe) is named, with its URL and the fix', async () => {
    const p = await startProject({ catalog: 'v1' });
    try {
      await p.control('POST', 'faults', { path: '/stores/', status: 404, count: 10, body: { error: 'Not Found' } });
      const r = await p.run(['products', 'list', '--json']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(`Error: the server at ${p.emulator.url} does not answer like Wix's API: GET /stores/v3/provision/version and POST /stores/v3/products/query both answered 404.`);
      expect(r.stderr).toMatch(/api-url/);
      expect(r.stderr).not.toMatch(/not found:|UNKNOWN/);
    } finally {
      await p.close();
    }
  });

  it('a server whose token endpoint answers 404 is named the same way, not as a rejected client ID', async () => {
    const p = await startProject({ catalog: 'v1' });
    try {
      await p.control('POST', 'faults', { path: '/oauth2/token', status: 404, count: 10, body: { error: 'Not Found' } });
      const r = await p.run(['products', 'list', '--json']);
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n')[0]).toBe(`Error: the server at ${p.emulator.url} does not answer like Wix's API: POST /oauth2/token answered 404.`);
      expect(r.stderr).not.toMatch(/rejected client ID/);
      expect(p.apiRequests()).toEqual([]);
    } finally {
      await p.close();
    }
  });
});
