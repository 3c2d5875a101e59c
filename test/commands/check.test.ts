import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';
import { closedPort } from '../helpers/net.js';

/** wixq check in-process: the report, its exit codes, what it asks the API (recorded requests). */

type Report = {
  ok: boolean;
  exitCode: number;
  role?: string;
  catalog?: string;
  checks: Array<{ name: string; status: string; ms: number; details: string; count?: number; required?: boolean; min?: number; error?: { exitCode: number } }>;
  hints: string[];
};

const byName = (report: Report, name: string) => report.checks.find((c) => c.name === name)!;

describe('wixq check on a Catalog V1 site', () => {
  let p: TestProject;
  let counts: { visibleProducts: number; collections: number; visibleServices: number };
  beforeAll(async () => {
    p = await startProject();
    counts = (await p.control('GET', 'site')).counts;
  });
  afterAll(async () => p.close());
  beforeEach(() => p.reset());

  it('passes with exit 0 and prints the JSON report (the default off a terminal) with every check, status, time and details', async () => {
    const r = await p.run(['check']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ ok: true, exitCode: 0, role: 'visitor', catalog: 'v1', hints: [] });
    expect(report.checks.map((c) => c.name)).toEqual(['settings', 'token', 'catalog', 'products', 'collections', 'services']);
    for (const c of report.checks) {
      expect(c.status, c.name).toBe('pass');
      expect(Number.isInteger(c.ms) && c.ms >= 0, c.name).toBe(true);
      expect(c.details.length, c.name).toBeGreaterThan(0);
    }
    // Counts come from the API's totals, not from the one page read.
    expect(byName(report, 'products').count).toBe(counts.visibleProducts);
    expect(byName(report, 'collections').count).toBe(counts.collections);
    expect(byName(report, 'services').count).toBe(counts.visibleServices);
    expect(byName(report, 'token').details).toMatch(/^visitor session new, expires in 3 h 59 min|^visitor session new, expires in 4 h 0 min/);
    expect(byName(report, 'settings').details).toContain(p.emulator.clientId);

    const paths = p.apiRequests().map((x) => x.path);
    expect(paths).toEqual([
      '/stores/v3/provision/version',
      '/stores-reader/v1/products/query-platformized',
      expect.stringMatching(/collections\/query$/),
      expect.stringMatching(/bookings\/v2\/services\/query$/),
    ]);

    // A second run reuses the stored session, and asks for the catalog version afresh (a check never trusts the cache).
    p.reset();
    const again = JSON.parse((await p.run(['check', '--json'])).stdout) as Report;
    expect(byName(again, 'token').details).toMatch(/^visitor session reused/);
    expect(byName(again, 'catalog').details).toBe('Stores Catalog V1');
    expect(p.apiRequests()[0]!.path).toBe('/stores/v3/provision/version');
    expect(p.tokenRequests()).toHaveLength(0);
  });

  it('-o table prints the checklist with one row per check and a summary on stderr', async () => {
    const r = await p.run(['check', '-o', 'table']);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((line) => /^│ \w/.test(line));
    expect(rows.map((line) => line.split('│')[1]!.trim())).toEqual(['Check', 'settings', 'token', 'catalog', 'products', 'collections', 'services']);
    expect(rows.slice(1).every((line) => line.split('│')[2]!.trim() === 'ok')).toBe(true);
    expect(r.stderr).toContain('All checks passed (6 passed).');
  });

  it('--min products=100000 fails the assertion with exit 6, and the report still goes to stdout', async () => {
    const r = await p.run(['check', '-o', 'json', '--min', 'products=100000']);
    expect(r.code).toBe(6);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ ok: false, exitCode: 6 });
    expect(byName(report, 'products')).toMatchObject({ status: 'fail', count: counts.visibleProducts, min: 100000 });
    expect(byName(report, 'services').status).toBe('pass');
    expect(r.stderr).toContain(`Error: check failed: products: ${counts.visibleProducts} products, fewer than --min products=100000`);
  });

  it('--require and --min pass when met (repeatable and comma-separated)', async () => {
    const r = await p.run(['check', '--require', 'products,services', '--require', 'collections', '--min', 'products=1,services=2', '--min', `collections=${counts.collections}`]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.checks.filter((c) => c.required).map((c) => c.name)).toEqual(['products', 'collections', 'services']);
    expect(byName(report, 'collections')).toMatchObject({ status: 'pass', min: counts.collections });
  });

  it('bad --require or --min values are usage errors (exit 2) before any request', async () => {
    for (const args of [['--require', 'widgets'], ['--min', 'products'], ['--min', 'products=-1'], ['--min', 'orders=3'], ['--catalog', 'v2']]) {
      const r = await p.run(['check', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(p.requests()).toHaveLength(0);
  });

  it('a failing list that is not required is a warning; Wix unavailable (5xx after retries) is exit 5', async () => {
    await p.control('POST', 'faults', { path: '/_api/bookings/v2/services/query', status: 404, count: 5 });
    const warned = await p.run(['check']);
    expect(warned.code, warned.stderr).toBe(0);
    expect(byName(JSON.parse(warned.stdout) as Report, 'services').status).toBe('warn');

    await p.control('DELETE', 'faults');
    await p.control('POST', 'faults', { path: '/_api/bookings/v2/services/query', status: 404, count: 5 });
    const required = await p.run(['check', '--require', 'services']);
    expect(required.code).toBe(6);

    await p.control('DELETE', 'faults');
    p.reset();
    await p.control('POST', 'faults', { path: '/_api/bookings/v2/services/query', status: 503, count: 5 });
    const down = await p.run(['check', '--retries', '1']);
    expect(down.code).toBe(5);
    const report = JSON.parse(down.stdout) as Report;
    expect(byName(report, 'services')).toMatchObject({ status: 'fail', error: { exitCode: 5 } });
    expect(byName(report, 'products').status).toBe('pass');
    expect(down.stderr).toMatch(/Error: .*503/);
    expect(p.requests('/_api/bookings/v2/services/query')).toHaveLength(2);
  });

  it('exit 4 without a client ID, and when Wix rejects the client ID', async () => {
    const none = await p.run(['check'], { env: { WIXQ_CLIENT_ID: undefined } });
    expect(none.code).toBe(4);
    const report = JSON.parse(none.stdout) as Report;
    expect(report.checks.map((c) => c.status)).toEqual(['fail', 'skip', 'skip', 'skip', 'skip', 'skip']);
    expect(none.stderr).toContain('wixq init --client-id');

    const bogus = await p.run(['check'], { env: { WIXQ_CLIENT_ID: 'bogus-client-id' } });
    expect(bogus.code).toBe(4);
    expect(byName(JSON.parse(bogus.stdout) as Report, 'token').status).toBe('fail');
    expect(bogus.stderr).toContain('bogus-client-id');
  });
});

describe('wixq check on other sites', () => {
  it('an unreachable API (a closed loopback port) is exit 5', async () => {
    const p = await startProject();
    try {
      const port = await closedPort();
      const r = await p.run(['check', '--retries', '0'], { env: { WIXQ_API_URL: `http://127.0.0.1:${port}` } });
      expect(r.code).toBe(5);
      const report = JSON.parse(r.stdout) as Report;
      expect(byName(report, 'settings').status).toBe('pass');
      expect(byName(report, 'token')).toMatchObject({ status: 'fail', error: { exitCode: 5 } });
      expect(report.checks.slice(2).every((c) => c.status === 'skip')).toBe(true);
      expect(r.stderr).toMatch(/ECONNREFUSED/);
    } finally {
      await p.close();
    }
  });

  it('an empty catalog: --require products fails (exit 6) and the hint names the client ID', async () => {
    const p = await startProject({ products: 0 });
    try {
      const plain = await p.run(['check']);
      expect(plain.code, plain.stderr).toBe(0);
      const report = JSON.parse(plain.stdout) as Report;
      expect(byName(report, 'products')).toMatchObject({ status: 'warn', count: 0 });
      expect(report.hints.join(' ')).toMatch(/client ID that belongs to another site/);
      expect(plain.stderr).toMatch(/Hint: .*another site/);

      const required = await p.run(['check', '--require', 'products']);
      expect(required.code).toBe(6);
      expect(byName(JSON.parse(required.stdout) as Report, 'products')).toMatchObject({ status: 'fail', required: true, count: 0 });
      expect(required.stderr).toContain('--require products needs at least one');
    } finally {
      await p.close();
    }
  });

  it('on a Catalog V3 site the collections check counts categories, products are counted, --require collections holds', async () => {
    const p = await startProject({ catalog: 'v3' });
    try {
      const visible = (await p.control('GET', 'site')).counts.visibleProducts as number;
      const r = await p.run(['check']);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      expect(report.catalog).toBe('v3');
      const visibleCategories = (p.emulator.site.categories ?? []).filter((c) => c.visible).length;
      expect(byName(report, 'collections')).toMatchObject({ status: 'pass', count: visibleCategories });
      expect(byName(report, 'collections').details).toMatch(new RegExp(`${visibleCategories} categories`));
      // V3 lists have no total: the count endpoint gives it.
      expect(byName(report, 'products').count).toBe(visible);
      expect(p.requests('/stores/v3/products/count')).toHaveLength(1);

      const required = await p.run(['check', '--require', 'collections']);
      expect(required.code, required.stderr).toBe(0);
      expect(byName(JSON.parse(required.stdout) as Report, 'collections').status).toBe('pass');
    } finally {
      await p.close();
    }
  });
});
