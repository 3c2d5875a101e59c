import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/** products list and get on both catalogs, in-process against the emulator: paging, filters, fields, formats, get, the catalog cache. */

type Product = Record<string, any>;

for (const catalog of ['v1', 'v3'] as const) {
  describe(`products on a Catalog ${catalog.toUpperCase()} site`, () => {
    let p: TestProject;
    let all: Product[];
    const price = (x: Product): number => (catalog === 'v1' ? x.priceData.price : Number(x.actualPriceRange.minValue.amount));
    const priceField = catalog === 'v1' ? 'priceData.price' : 'actualPriceRange.minValue.amount';

    beforeAll(async () => {
      p = await startProject({ catalog });
      const r = await p.run(['products', 'list', '--all', '--json']);
      expect(r.code, r.stderr).toBe(0);
      all = JSON.parse(r.stdout);
    });
    afterAll(async () => p.close());

    it('--all returns every visible product once, in the SDK item shape', async () => {
      expect(all.length).toBeGreaterThanOrEqual(200);
      expect(new Set(all.map((x) => x._id)).size).toBe(all.length);
      expect(all.every((x) => typeof x._id === 'string' && x.id === undefined)).toBe(true);
      expect(all.every((x) => x.visible !== false)).toBe(true);
    });

    it('detects the catalog version once and caches it', async () => {
      p.reset();
      const r = await p.run(['products', 'list', '--json', '--limit', '1']);
      expect(r.code, r.stderr).toBe(0);
      const paths = p.apiRequests().map((x) => x.path);
      expect(paths).not.toContain('/stores/v3/provision/version');
      expect(paths[0]).toBe(catalog === 'v1' ? '/stores-reader/v1/products/query-platformized' : '/stores/v3/products/query');
    });

    it('--limit crosses pages of at most 100 and says what it left out', async () => {
      const r = await p.run(['products', 'list', '--json', '--limit', '150']);
      expect(r.code, r.stderr).toBe(0);
      const items = JSON.parse(r.stdout) as Product[];
      expect(items.map((x) => x._id)).toEqual(all.slice(0, 150).map((x) => x._id));
      if (catalog === 'v1') expect(r.stderr).toContain(`Showing 150 of ${all.length} products (use --all or --limit).`);
      else expect(r.stderr).toMatch(/Showing 150 products; there are more/);
    });

    it('default limit is 50 with the truncation notice; a full list has no notice', async () => {
      const r = await p.run(['products', 'list', '--json']);
      expect(JSON.parse(r.stdout)).toHaveLength(50);
      expect(r.stderr).toMatch(/Showing 50/);
      const big = await p.run(['products', 'list', '--json', '--limit', String(all.length + 10)]);
      expect(JSON.parse(big.stdout)).toHaveLength(all.length);
      expect(big.stderr).toBe('');
    });

    it('--offset skips items', async () => {
      const r = await p.run(['products', 'list', '--json', '--offset', '7', '--limit', '5']);
      expect(JSON.parse(r.stdout).map((x: Product) => x._id)).toEqual(all.slice(7, 12).map((x) => x._id));
    });

    it('--filter and --sort return what a plain filter and sort of the full list return', async () => {
      const r = await p.run(['products', 'list', '--json', '--all', '--filter', `${priceField}>20`, '--filter', 'name^=S', '--sort', `-${priceField},name`]);
      expect(r.code, r.stderr).toBe(0);
      const expected = all
        .filter((x) => price(x) > 20 && String(x.name).toLowerCase().startsWith('s'))
        .sort((a, b) => price(b) - price(a) || String(a.name).localeCompare(String(b.name)));
      const got = JSON.parse(r.stdout) as Product[];
      expect(got.length).toBeGreaterThan(0);
      expect(got.map((x) => price(x))).toEqual(expected.map((x) => price(x)));
      expect(new Set(got.map((x) => x._id))).toEqual(new Set(expected.map((x) => x._id)));
    });

    it('_id in (...) and --query combine with the flags', async () => {
      const ids = all.slice(3, 6).map((x) => x._id);
      const r = await p.run(['products', 'list', '--json', '--filter', `_id in (${ids.join(',')})`, '--query', JSON.stringify({ filter: { _id: { $ne: ids[0] } } })]);
      expect(r.code, r.stderr).toBe(0);
      expect(new Set(JSON.parse(r.stdout).map((x: Product) => x._id))).toEqual(new Set(ids.slice(1)));
    });

    it('--fields projects JSON, CSV, TSV and table columns', async () => {
      const json = await p.run(['products', 'list', '--json', '--limit', '2', '--fields', '_id,name']);
      expect(JSON.parse(json.stdout)).toEqual(all.slice(0, 2).map((x) => ({ _id: x._id, name: x.name })));
      const csv = await p.run(['products', 'list', '-o', 'csv', '--limit', '2', '--fields', 'name,slug']);
      expect(csv.stdout.trim().split('\n')).toEqual(['name,slug', ...all.slice(0, 2).map((x) => `${csvCell(x.name)},${x.slug}`)]);
      const tsv = await p.run(['products', 'list', '-o', 'tsv', '--limit', '1', '--fields', 'slug,visible']);
      expect(tsv.stdout).toBe(`slug\tvisible\n${all[0]!.slug}\ttrue\n`);
      const table = await p.run(['products', 'list', '-o', 'table', '--limit', '3', '--fields', 'name,slug']);
      expect(table.code).toBe(0);
      for (const x of all.slice(0, 3)) expect(table.stdout).toContain(x.slug);
      expect(table.stdout).not.toContain('\u001b[');
    });

    it('table shows the same default columns on both catalogs', async () => {
      const r = await p.run(['products', 'list', '-o', 'table', '--limit', '5'], { env: { COLUMNS: '200' } });
      expect(r.code, r.stderr).toBe(0);
      const header = r.stdout.split('\n').find((l) => l.includes('Name'))!;
      for (const h of ['Name', 'Slug', 'Price', 'Stock', 'Visible']) expect(header).toContain(h);
      expect(r.stdout).toContain(all[0]!.slug);
      expect(r.stdout).toMatch(/\$\d/);
    });

    it('ndjson streams one compact object per line', async () => {
      const r = await p.run(['products', 'list', '-o', 'ndjson', '--limit', '120']);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(120);
      expect(lines.map((l) => JSON.parse(l)._id)).toEqual(all.slice(0, 120).map((x) => x._id));
    });

    it('get takes an ID or a slug; an unknown one exits 3', async () => {
      const target = all[10]!;
      const byId = await p.run(['products', 'get', target._id, '--json']);
      expect(byId.code, byId.stderr).toBe(0);
      expect(JSON.parse(byId.stdout)._id).toBe(target._id);
      const bySlug = await p.run(['products', 'get', target.slug, '--json']);
      expect(JSON.parse(bySlug.stdout)._id).toBe(target._id);
      const missing = await p.run(['products', 'get', 'no-such-product-slug', '--json']);
      expect(missing.code).toBe(3);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toMatch(/no-such-product-slug/);
      const missingId = await p.run(['products', 'get', '00000000-0000-4000-8000-000000000000', '--json']);
      expect(missingId.code).toBe(3);
      expect(missingId.stderr).toMatch(/request ID/i);
    });

    it('--catalog picks the other family explicitly; the emulator answers 428 and wixq says what to do', async () => {
      const other = catalog === 'v1' ? 'v3' : 'v1';
      const r = await p.run(['products', 'list', '--json', '--catalog', other]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/428/);
      expect(r.stderr).toMatch(/--catalog/);
    });
  });
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

describe('a cached catalog version that is no longer true', () => {
  it('a 428 on the cached catalog makes wixq detect the version again, once, and go on', async () => {
    const p = await startProject({ catalog: 'v1' });
    try {
      expect((await p.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
      // Pretend the site had been on Catalog V3 when the version was cached (a site moves between catalogs once).
      const path = `${p.configDir}/config.json`;
      const config = JSON.parse(readFileSync(path, 'utf8'));
      const entry = config.profiles.default.catalog[p.emulator.clientId];
      expect(entry.version).toBe('v1');
      entry.version = 'v3';
      writeFileSync(path, JSON.stringify(config));
      p.reset();
      const r = await p.run(['products', 'list', '--json', '--limit', '2']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toHaveLength(2);
      expect(p.apiRequests().map((x) => `${x.status} ${x.path}`)).toEqual([
        '428 /stores/v3/products/query',
        '200 /stores/v3/provision/version',
        '200 /stores-reader/v1/products/query-platformized',
      ]);
      expect(JSON.parse(readFileSync(path, 'utf8')).profiles.default.catalog[p.emulator.clientId].version).toBe('v1');
    } finally {
      await p.close();
    }
  });
});

describe('--all at scale', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject({ products: 12_000 });
  });
  afterAll(async () => p.close());

  it('returns every visible product exactly once and in order past the 10,000 offset ceiling', async () => {
    const expected = p.emulator.site.products
      .filter((x: any) => x.visible !== false)
      .map((x: any) => ({ id: x.id as string, numericId: String(x.numericId) }))
      .sort((a: any, b: any) => (a.numericId < b.numericId ? -1 : a.numericId > b.numericId ? 1 : 0));
    expect(expected.length).toBeGreaterThan(10_000);
    const r = await p.run(['products', 'list', '--all', '-o', 'ndjson', '--fields', '_id,numericId']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const got = r.stdout.trim().split('\n').map((l) => JSON.parse(l)._id as string);
    expect(got.length).toBe(expected.length);
    expect(got).toEqual(expected.map((x: any) => x.id));
    // Offset pages up to the ceiling, then keyset pages: never an offset past 10,000.
    const queries = p.requests('/stores-reader/v1/products/query-platformized').map((q) => (q.body as any)?.query ?? {});
    expect(queries.every((q) => (q.paging?.offset ?? 0) + (q.paging?.limit ?? 0) <= 10_000)).toBe(true);
    expect(queries.some((q) => JSON.stringify(q.filter ?? {}).includes('"$gt"'))).toBe(true);
  });
});
