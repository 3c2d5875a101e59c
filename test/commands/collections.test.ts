import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/** collections in-process on a Catalog V1 site, and a site without Wix Stores at all. */

describe('collections (Catalog V1)', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());

  it('lists collections in every format and gets one by ID and by slug', async () => {
    const r = await p.run(['collections', 'list', '--json', '--all']);
    expect(r.code, r.stderr).toBe(0);
    const all = JSON.parse(r.stdout) as any[];
    expect(all.length).toBeGreaterThanOrEqual(7);
    expect(all.some((c) => c._id === '00000000-000000-000000-000000000001')).toBe(true);
    const named = all.find((c) => c.slug && c._id !== '00000000-000000-000000-000000000001')!;
    const byId = await p.run(['collections', 'get', named._id, '--json']);
    expect(byId.code, byId.stderr).toBe(0);
    expect(JSON.parse(byId.stdout)).toMatchObject({ _id: named._id, name: named.name });
    const bySlug = await p.run(['collections', 'get', named.slug, '--json']);
    expect(JSON.parse(bySlug.stdout)._id).toBe(named._id);
    const table = await p.run(['collections', 'list', '-o', 'table'], { env: { COLUMNS: '160' } });
    expect(table.stdout).toContain(named.name);
    const tsv = await p.run(['collections', 'list', '-o', 'tsv', '--fields', '_id,name', '--filter', `name=${named.name}`]);
    expect(tsv.stdout).toBe(`_id\tname\n${named._id}\t${named.name}\n`);
  });
});

describe('a site without Wix Stores', () => {
  it('products and collections say Stores is not installed (exit 1); Bookings still works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wixq-site-'));
    const file = join(dir, 'site.json');
    const clientId = '11111111-2222-4333-8444-555555555555';
    writeFileSync(
      file,
      JSON.stringify({
        catalogVersion: 'none',
        clientIds: [clientId],
        staff: [{ id: '5e1f0000-0000-4000-8000-000000000001', name: 'Sam' }],
        services: [{ id: '5e700000-0000-4000-8000-000000000001', name: 'Mug Painting', type: 'CLASS', staffMemberIds: ['5e1f0000-0000-4000-8000-000000000001'] }],
      }),
    );
    const p = await startProject({ data: file });
    try {
      for (const noun of ['products', 'collections']) {
        const r = await p.run([noun, 'list', '--json']);
        expect(r.code, noun).toBe(1);
        expect(r.stderr).toMatch(/Wix Stores is not installed/);
        expect(r.stdout).toBe('');
      }
      const services = await p.run(['services', 'list', '--json']);
      expect(services.code, services.stderr).toBe(0);
      expect(JSON.parse(services.stdout).map((s: any) => s.name)).toEqual(['Mug Painting']);
    } finally {
      await p.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
