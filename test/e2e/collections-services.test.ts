import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

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

describe('services and slots (Bookings)', () => {
  let p: TestProject;
  let services: any[];
  beforeAll(async () => {
    p = await startProject();
    const r = await p.run(['services', 'list', '--json', '--all']);
    expect(r.code, r.stderr).toBe(0);
    services = JSON.parse(r.stdout);
  });
  afterAll(async () => p.close());

  it('lists services of every type with prices as the SDK returns them', async () => {
    expect(services.length).toBeGreaterThanOrEqual(12);
    expect(new Set(services.map((s) => s.type))).toEqual(new Set(['APPOINTMENT', 'CLASS', 'COURSE']));
    const classes = await p.run(['services', 'list', '--json', '--filter', 'type=CLASS']);
    expect(JSON.parse(classes.stdout).map((s: any) => s._id).sort()).toEqual(services.filter((s) => s.type === 'CLASS').map((s) => s._id).sort());
    const table = await p.run(['services', 'list', '-o', 'table'], { env: { COLUMNS: '200' } });
    expect(table.stdout).toContain(services[0].name);
  });

  it('gets a service by ID and by slug; unknown exits 3', async () => {
    const s = services[0];
    const byId = await p.run(['services', 'get', s._id, '--json']);
    expect(JSON.parse(byId.stdout)).toMatchObject({ _id: s._id, name: s.name });
    if (s.mainSlug?.name) {
      const bySlug = await p.run(['services', 'get', s.mainSlug.name, '--json']);
      expect(JSON.parse(bySlug.stdout)._id).toBe(s._id);
    }
    expect((await p.run(['services', 'get', 'no-such-service'])).code).toBe(3);
  });

  it('slots uses the appointment API for appointments and the class API for classes, in the asked time zone', async () => {
    const appointment = services.find((s) => s.type === 'APPOINTMENT')!;
    const klass = services.find((s) => s.type === 'CLASS')!;
    await p.control('reset');
    const r = await p.run(['slots', appointment._id, klass._id, '--from', 'today', '--to', '+14d', '--tz', 'Asia/Kolkata', '--json', '--include-full']);
    expect(r.code, r.stderr).toBe(0);
    const slots = JSON.parse(r.stdout) as any[];
    expect(slots.length).toBeGreaterThan(0);
    const paths = (await p.apiRequests()).map((x) => x.path);
    expect(paths).toContain('/_api/service-availability/v2/time-slots');
    expect(paths).toContain('/_api/service-availability/v2/time-slots/event');
    expect(new Set(slots.map((s) => s.serviceId))).toEqual(new Set([appointment._id, klass._id]));
    for (const s of slots) {
      expect(s.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:30$/);
      expect(s.start.slice(0, 19)).toBe(s.localStartDate.slice(0, 19));
    }
    const bodies = (await p.apiRequests()).filter((x) => x.path.includes('time-slots')).map((x) => x.body);
    expect(bodies.every((b) => b.timeZone === 'Asia/Kolkata')).toBe(true);
  });

  it('slots skips a course with a notice, and rejects bad dates and zones before any request', async () => {
    const course = services.find((s) => s.type === 'COURSE')!;
    const r = await p.run(['slots', course._id, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toMatch(/Skipping/);
    await p.control('reset');
    const bad = await p.run(['slots', course._id, '--from', '2026-13-40']);
    expect(bad.code).toBe(2);
    const zone = await p.run(['slots', course._id, '--tz', 'Mars/Olympus']);
    expect(zone.code).toBe(2);
    expect(zone.stderr).toMatch(/time zone/);
    const backwards = await p.run(['slots', course._id, '--from', '2026-12-10', '--to', '2026-12-01']);
    expect(backwards.code).toBe(2);
    expect(await p.requests()).toHaveLength(0);
  });
});

describe('a site without Wix Stores', () => {
  it('products and collections say Stores is not installed (exit 1); Bookings still works', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
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
