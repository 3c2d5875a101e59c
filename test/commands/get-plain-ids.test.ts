import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * `get <id|slug>` with ids that are not GUIDs (`p1`, as a data file may hold them, issue 19 item 6): an argument that
 * is not GUID-shaped is looked up as a slug first and, only on a miss, once as an id. A GUID is one request, as before.
 */

const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const GUID_PRODUCT = 'a1b2c3d4-0000-4000-8000-000000000001';

function site(catalogVersion: 'v1' | 'v3'): Record<string, unknown> {
  return {
    catalogVersion,
    clientIds: [CLIENT_ID],
    products: [
      { id: 'p1', name: 'Blue Mug', slug: 'blue-mug', price: 12 },
      { id: GUID_PRODUCT, name: 'Plate', slug: 'plate', price: 5 },
    ],
    ...(catalogVersion === 'v1' ? { collections: [{ id: 'col1', name: 'Sale', slug: 'sale' }] } : { categories: [{ id: 'k1', name: 'Mugs', slug: 'mugs' }] }),
    staff: [{ id: 'st1', name: 'Sam' }],
    services: [{ id: 's1', name: 'Mug Painting', type: 'CLASS', staffMemberIds: ['st1'] }],
  };
}

/** The API requests of the last run, as `METHOD path`, without the catalog detection. */
function calls(p: TestProject): string[] {
  return p
    .apiRequests()
    .filter((r) => !r.path.includes('/provision/version'))
    .map((r) => `${r.method} ${r.path}`);
}

for (const catalog of ['v1', 'v3'] as const) {
  describe(`get with plain ids (Catalog ${catalog.toUpperCase()})`, () => {
    let p: TestProject;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'wixq-ids-'));
      const file = join(dir, 'site.json');
      writeFileSync(file, JSON.stringify(site(catalog)));
      p = await startProject({ data: file });
      // Detect the catalog once, so that each run below is only its own requests.
      expect((await p.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
    });
    afterAll(async () => {
      await p.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const productGet = catalog === 'v1' ? 'GET /stores-reader/v1/products/p1' : 'GET /stores/v3/products/p1';
    const slugLookup = catalog === 'v1' ? 'GET /stores-reader/v1/products/query-platformized' : 'GET /stores/v3/products/slug/p1';

    it('products get p1: the slug misses, then the id is asked for once', async () => {
      p.reset();
      const r = await p.run(['products', 'get', 'p1', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ name: 'Blue Mug' });
      expect(calls(p)).toEqual([slugLookup, productGet]);
    });

    it('products get <slug>: one request when the slug is found', async () => {
      p.reset();
      const r = await p.run(['products', 'get', 'blue-mug', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ name: 'Blue Mug' });
      expect(calls(p)).toHaveLength(1);
    });

    it('products get <GUID>: one request by id, as before', async () => {
      p.reset();
      const r = await p.run(['products', 'get', GUID_PRODUCT, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ name: 'Plate' });
      expect(calls(p)).toEqual([catalog === 'v1' ? `GET /stores-reader/v1/products/${GUID_PRODUCT}` : `GET /stores/v3/products/${GUID_PRODUCT}`]);
    });

    it('products get <neither>: the slug\'s not found, exit 3, after one id lookup', async () => {
      p.reset();
      const r = await p.run(['products', 'get', 'nope', '--json']);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Error: .*nope/m);
      // The slug's own not-found (V1 looks slugs up by a query and says so; V3 has Wix's 404 of Get Product By Slug).
      expect(r.stderr).toMatch(catalog === 'v1' ? /no product with slug "nope"/ : /could not get product "nope" \(NOT_FOUND\)/);
      expect(calls(p)).toHaveLength(2);
    });

    it('products get p1 --web finds the product by id too', async () => {
      p.reset();
      const r = await p.run(['products', 'get', 'p1', '--web', '--no-browser']);
      // The data file gives no page URL: the product is found, and has no page (exit 1), not "no product" (exit 3).
      expect(r.code === 0 || /has no page/.test(r.stderr), r.stderr).toBe(true);
      expect(r.stderr).not.toMatch(/no product/);
    });

    const group = catalog === 'v1' ? { noun: 'collections', id: 'col1', name: 'Sale' } : { noun: 'categories', id: 'k1', name: 'Mugs' };
    it(`${group.noun} get ${group.id}: found by id after the slug misses`, async () => {
      p.reset();
      const r = await p.run([group.noun, 'get', group.id, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ name: group.name });
      expect(calls(p)).toHaveLength(2);
      const miss = await p.run([group.noun, 'get', 'nope', '--json']);
      expect(miss.code).toBe(3);
    });

    it('services get s1: found by id after the slug misses', async () => {
      p.reset();
      const r = await p.run(['services', 'get', 's1', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ name: 'Mug Painting' });
      expect(calls(p)).toEqual(['POST /_api/bookings/v2/services/query', 'GET /_api/bookings/v2/services/s1']);
      p.reset();
      const miss = await p.run(['services', 'get', 'nope', '--json']);
      expect(miss.code).toBe(3);
      expect(miss.stderr).toMatch(/no service with slug "nope"/);
      expect(calls(p)).toHaveLength(2);
    });
  });
}
