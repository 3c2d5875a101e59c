import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/** services and slots in-process: every service type, get by ID and slug, which availability API slots asks, refusals before any request. */

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
    p.reset();
    const r = await p.run(['slots', appointment._id, klass._id, '--from', 'today', '--to', '+14d', '--tz', 'Asia/Kolkata', '--json', '--include-full']);
    expect(r.code, r.stderr).toBe(0);
    const slots = JSON.parse(r.stdout) as any[];
    expect(slots.length).toBeGreaterThan(0);
    const paths = p.apiRequests().map((x) => x.path);
    expect(paths).toContain('/_api/service-availability/v2/time-slots');
    expect(paths).toContain('/_api/service-availability/v2/time-slots/event');
    expect(new Set(slots.map((s) => s.serviceId))).toEqual(new Set([appointment._id, klass._id]));
    for (const s of slots) {
      expect(s.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:30$/);
      expect(s.start.slice(0, 19)).toBe(s.localStartDate.slice(0, 19));
    }
    const bodies = p.apiRequests().filter((x) => x.path.includes('time-slots')).map((x) => x.body);
    expect(bodies.every((b) => b.timeZone === 'Asia/Kolkata')).toBe(true);
  });

  it('slots skips a course with a notice, and rejects bad dates and zones before any request', async () => {
    const course = services.find((s) => s.type === 'COURSE')!;
    const r = await p.run(['slots', course._id, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toMatch(/Skipping/);
    p.reset();
    const bad = await p.run(['slots', course._id, '--from', '2026-13-40']);
    expect(bad.code).toBe(2);
    const zone = await p.run(['slots', course._id, '--tz', 'Mars/Olympus']);
    expect(zone.code).toBe(2);
    expect(zone.stderr).toMatch(/time zone/);
    const backwards = await p.run(['slots', course._id, '--from', '2026-12-10', '--to', '2026-12-01']);
    expect(backwards.code).toBe(2);
    expect(p.requests()).toHaveLength(0);
  });
});
