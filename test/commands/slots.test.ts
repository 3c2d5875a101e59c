import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSite } from '../../src/emulator/index.js';
import { startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';
import { tempConfigDir } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

/**
 * `wixq slots` as Wix serves time slots: one appointment slot per location and time, the Location column,
 * `--location` sent in appointment requests and applied to class slots after the fact, staff names asked for by
 * resource type, and later pages that send only the cursor.
 */
const STAFF_TYPE = '1cd44cf8-756f-41c3-bd90-3e2ffcaf1155';
const ZONE = 'America/New_York';

type Emulator = RunningEmulator;
type Service = Emulator['site']['services'][number];
type Slot = { serviceId: string; localStartDate: string; location?: { _id?: string; name?: string }; availableResources?: Array<{ resources?: Array<{ name?: string }> }> };

let emulator: Emulator;
let config: ReturnType<typeof tempConfigDir>;
const runOn = (emu: Emulator, args: string[], tty = false) =>
  runInProcess(args, { env: { WIXQ_API_URL: emu.url, WIXQ_CLIENT_ID: emu.clientId, WIXQ_CONFIG_DIR: config.dir }, tty, columns: 250 });
const run = (args: string[], tty = false) => runOn(emulator, args, tty);

const slotRequests = (emu: Emulator = emulator) => emu.requests().filter((r) => r.path.includes('/service-availability/v2/time-slots'));
const appointmentBodies = (emu: Emulator = emulator) => slotRequests(emu).filter((r) => !r.path.endsWith('/event')).map((r) => r.body as Record<string, unknown>);
const eventBodies = (emu: Emulator = emulator) => slotRequests(emu).filter((r) => r.path.endsWith('/event')).map((r) => r.body as Record<string, unknown>);

const byName = (emu: Emulator, name: string): Service => emu.site.services.find((s) => s.name === name)!;
const locationsOf = (service: Service) => (service.locations as Array<{ business: { id: string; name: string } }>).map((l) => l.business);
const staffNames = (emu: Emulator, service: Service) => emu.site.staff.filter((m) => service.staffMemberIds.includes(m.id)).map((m) => m.name);
const namesOnSlot = (slot: Slot) => (slot.availableResources ?? []).flatMap((g) => (g.resources ?? []).map((r) => r.name));

let massage: Service; // an appointment at three locations
let pilates: Service; // a class at two locations

beforeAll(async () => {
  emulator = await startTestEmulator();
  config = tempConfigDir();
  massage = byName(emulator, 'Deep Tissue Massage');
  pilates = byName(emulator, 'Pilates Mat Class');
  expect([massage.type, locationsOf(massage).length, pilates.type, locationsOf(pilates).length]).toEqual(['APPOINTMENT', 3, 'CLASS', 2]);
});
afterAll(async () => {
  await emulator.close();
  config.cleanup();
});
beforeEach(() => emulator.reset());

describe('appointment slots', () => {
  it('one row per slot and location, with the location and the free staff named; the staff type is asked for', async () => {
    const r = await run(['slots', massage.id, '--from', 'tomorrow', '--to', '+3d', '--tz', ZONE, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const slots = JSON.parse(r.stdout) as Slot[];
    expect(slots.length).toBeGreaterThan(0);
    const places = locationsOf(massage);
    const atTime = new Map<string, string[]>();
    for (const s of slots) atTime.set(s.localStartDate, [...(atTime.get(s.localStartDate) ?? []), s.location!._id!]);
    for (const [time, ids] of atTime) expect(ids.sort(), time).toEqual(places.map((p) => p.id).sort());
    for (const s of slots) {
      expect(places.map((p) => p.name)).toContain(s.location!.name);
      expect(namesOnSlot(s).length).toBeGreaterThan(0);
      for (const name of namesOnSlot(s)) expect(staffNames(emulator, massage)).toContain(name);
    }
    expect(appointmentBodies()).toEqual([
      { serviceId: massage.id, bookable: true, includeResourceTypeIds: [STAFF_TYPE], fromLocalDate: expect.any(String), toLocalDate: expect.any(String), timeZone: ZONE, cursorPaging: { limit: 1000 } },
    ]);
  });

  it('the table has Location and Staff columns', async () => {
    const r = await run(['slots', massage.id, '--from', 'tomorrow', '--to', '+1d', '--tz', ZONE], true);
    expect(r.code, r.stderr).toBe(0);
    const header = r.stdout.split('\n').find((l) => l.includes('Service'))!;
    expect(header.split('│').map((c) => c.trim()).filter(Boolean)).toEqual(['Service', 'When', 'Location', 'Spots', 'Staff']);
    for (const place of locationsOf(massage)) expect(r.stdout).toContain(place.name);
    expect(staffNames(emulator, massage).some((name) => r.stdout.includes(name))).toBe(true);
  });

  it('--location by name (any case) and by ID, repeated or comma-separated, is sent in the request', async () => {
    const [downtown, riverside, uptown] = ['Downtown Studio', 'Riverside Gym', 'Uptown Loft'].map((n) => locationsOf(massage).find((l) => l.name === n)!);
    const wanted = [
      { id: riverside!.id, locationType: 'BUSINESS' },
      { id: uptown!.id, locationType: 'BUSINESS' },
    ];
    for (const flags of [['--location', 'RIVERSIDE gym', '--location', uptown!.id], ['--location', `riverside gym, ${uptown!.name}`]]) {
      emulator.reset();
      const r = await run(['slots', massage.id, '--from', 'tomorrow', '--to', '+2d', '--tz', ZONE, '--json', ...flags]);
      expect(r.code, r.stderr).toBe(0);
      const slots = JSON.parse(r.stdout) as Slot[];
      expect(new Set(slots.map((s) => s.location!.name))).toEqual(new Set([riverside!.name, uptown!.name]));
      expect(slots.some((s) => s.location!._id === downtown!.id)).toBe(false);
      expect(appointmentBodies().map((b) => b.locations)).toEqual([wanted]);
    }
  });

  it('later pages send only the cursor', async () => {
    const r = await run(['slots', massage.id, '--from', 'today', '--to', '+62d', '--tz', ZONE, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const slots = JSON.parse(r.stdout) as Slot[];
    // Three locations over two months are more than one page of 1000.
    expect(slots.length).toBeGreaterThan(1000);
    expect(new Set(slots.map((s) => `${s.localStartDate}@${s.location!._id}`)).size).toBe(slots.length);
    const bodies = appointmentBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    expect(bodies[0]).toMatchObject({ serviceId: massage.id, includeResourceTypeIds: [STAFF_TYPE], cursorPaging: { limit: 1000 } });
    for (const later of bodies.slice(1)) expect(later).toEqual({ cursorPaging: { limit: 1000, cursor: expect.any(String) } });
  });
});

describe('class slots', () => {
  it('show location and staff from the response; --location filters them after the fact, never in the request', async () => {
    const all = await run(['slots', pilates.id, '--from', 'tomorrow', '--to', '+21d', '--tz', ZONE, '--json', '--include-full']);
    expect(all.code, all.stderr).toBe(0);
    const every = JSON.parse(all.stdout) as Slot[];
    const uptown = locationsOf(pilates).find((l) => l.name === 'Uptown Loft')!;
    expect(new Set(every.map((s) => s.location!.name))).toEqual(new Set(locationsOf(pilates).map((l) => l.name)));
    for (const s of every) expect(namesOnSlot(s)).toEqual(staffNames(emulator, pilates));

    emulator.reset();
    const r = await run(['slots', pilates.id, '--from', 'tomorrow', '--to', '+21d', '--tz', ZONE, '--json', '--include-full', '--location', 'uptown LOFT']);
    expect(r.code, r.stderr).toBe(0);
    const kept = JSON.parse(r.stdout) as Slot[];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.map((s) => s.localStartDate)).toEqual(every.filter((s) => s.location!._id === uptown.id).map((s) => s.localStartDate));
    expect(eventBodies()).toEqual([
      { serviceIds: [pilates.id], includeNonBookable: true, fromLocalDate: expect.any(String), toLocalDate: expect.any(String), timeZone: ZONE, cursorPaging: { limit: 1000 } },
    ]);
  });

  it('later pages send only the cursor, and --location still applies to every page', async () => {
    // A class every hour of every day: more than 1000 sessions in two months.
    const site = generateSite({ seed: 1, products: 0 });
    const dense = site.services.find((s) => s.name === 'Pilates Mat Class')!;
    site.schedules[dense.id] = { minutes: 30, weekly: { days: [0, 1, 2, 3, 4, 5, 6], hours: Array.from({ length: 24 }, (_, h) => h) } };
    const busy = await startTestEmulator({ data: site });
    try {
      const uptown = locationsOf(dense).find((l) => l.name === 'Uptown Loft')!;
      const all = await runOn(busy, ['slots', dense.id, '--from', 'today', '--to', '+62d', '--tz', ZONE, '--json', '--include-full']);
      expect(all.code, all.stderr).toBe(0);
      const every = JSON.parse(all.stdout) as Slot[];
      expect(every.length).toBeGreaterThan(1000);
      busy.reset();
      const r = await runOn(busy, ['slots', dense.id, '--from', 'today', '--to', '+62d', '--tz', ZONE, '--json', '--include-full', '--location', uptown.id]);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as Slot[]).map((s) => s.localStartDate)).toEqual(every.filter((s) => s.location!._id === uptown.id).map((s) => s.localStartDate));
      const bodies = eventBodies(busy);
      expect(bodies.length).toBeGreaterThanOrEqual(2);
      expect(bodies[0]).toMatchObject({ serviceIds: [dense.id], cursorPaging: { limit: 1000 } });
      for (const later of bodies.slice(1)) expect(later).toEqual({ cursorPaging: { limit: 1000, cursor: expect.any(String) } });
    } finally {
      await busy.close();
    }
  });
});

describe('--location errors and skips', () => {
  it('an unknown location is exit 2 before any slot request, naming the locations each service has', async () => {
    const r = await run(['slots', massage.id, pilates.id, '--location', 'Mars Base']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown location "Mars Base"');
    for (const place of [...locationsOf(massage), ...locationsOf(pilates)]) expect(r.stderr).toContain(`${place.name} (${place.id})`);
    expect(slotRequests()).toHaveLength(0);
  });

  it('a service not offered at the asked location is skipped with a notice; the others are listed', async () => {
    const r = await run(['slots', massage.id, pilates.id, '--from', 'tomorrow', '--to', '+3d', '--tz', ZONE, '--json', '--location', 'Downtown Studio']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`Skipping "${pilates.name}": it is not offered at Downtown Studio.\n`);
    const slots = JSON.parse(r.stdout) as Slot[];
    expect(slots.length).toBeGreaterThan(0);
    expect(new Set(slots.map((s) => `${s.serviceId} ${s.location!.name}`))).toEqual(new Set([`${massage.id} Downtown Studio`]));
    expect(eventBodies()).toHaveLength(0);
  });

  it('more than five locations, or an empty one, is exit 2 before any request', async () => {
    for (const flags of [['--location', 'a,b,c,d,e,f'], ['--location', ' , ']]) {
      const r = await run(['slots', massage.id, ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--location/);
    }
    expect(emulator.requests().filter((x) => x.path !== '/oauth2/token')).toHaveLength(0);
  });
});
