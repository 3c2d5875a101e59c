import { createClient, OAuthStrategy } from '@wix/api-client';
import { availabilityCalendar, availabilityTimeSlots, eventTimeSlots, services } from '@wix/bookings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingsService } from '../../src/emulator/site/types.js';
import { redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/** The SDK's Bookings modules against the emulator: services, time slots, availability calendar. */

// A fixed emulator clock: slots exist for the 60 days after it.
const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);

let emu: RunningEmulator;
let restore: () => void;
let client: ReturnType<typeof makeClient>;
let visible: BookingsService[];

function makeClient(clientId: string) {
  return createClient({ modules: { services, availabilityTimeSlots, eventTimeSlots, availabilityCalendar }, auth: OAuthStrategy({ clientId }) });
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const ofType = (type: string) => visible.find((s) => s.type === type)!;

/** Local wall-clock fields of an instant in a zone, computed independently of the emulator. */
function wallClock(instant: number, timeZone: string): { weekday: number; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')), hour: Number(get('hour')) % 24, minute: Number(get('minute')) };
}

beforeAll(async () => {
  emu = await startTestEmulator({ now: () => NOW });
  restore = redirectFetch(emu.url);
  client = makeClient(emu.clientId);
  visible = emu.site.services.filter((s) => !s.hidden);
});

afterAll(async () => {
  restore();
  await emu.close();
});

describe('services through the SDK builder', () => {
  const q = () => client.services.queryServices() as any;
  const collect = async (query: any) => {
    let page = await query.limit(4).find();
    const ids: string[] = page.items.map((s: any) => s._id);
    while (page.hasNext()) {
      page = await page.next();
      ids.push(...page.items.map((s: any) => s._id));
    }
    return ids;
  };

  it.each<[string, () => any, (s: BookingsService) => boolean]>([
    ['no filter (hidden services omitted)', () => q(), () => true],
    ['eq', () => q().eq('type', 'CLASS'), (s) => s.type === 'CLASS'],
    ['ne', () => q().ne('type', 'APPOINTMENT'), (s) => s.type !== 'APPOINTMENT'],
    ['gt on a string', () => q().gt('name', 'M'), (s) => s.name > 'M'],
    ['in', () => q().in('_id', [visible[0]!.id, visible[5]!.id]), (s) => s.id === visible[0]!.id || s.id === visible[5]!.id],
    ['hasSome', () => q().hasSome('staffMemberIds', [emu.site.staff[0]!.id]), (s) => s.staffMemberIds.includes(emu.site.staff[0]!.id)],
    ['startsWith', () => q().startsWith('name', 'p'), (s) => s.name.toLowerCase().startsWith('p')],
    ['eq on a nested field', () => q().eq('category.name', 'Fitness'), (s) => (s.category as { name: string }).name === 'Fitness'],
    ['eq on a nested boolean', () => q().eq('payment.options.online', false), (s) => (s.payment as any).options.online === false],
  ])('%s returns exactly the matching services over offset pages', async (_name, build, predicate) => {
    const expected = visible.filter(predicate).map((s) => s.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await collect(build())).toEqual(expected);
  });

  it('sorts and pages with {count, offset, total, tooManyToCount}', async () => {
    const page = await q().descending('name').skip(2).limit(3).find();
    expect(page.items.map((s: any) => s._id)).toEqual([...visible].sort((a, b) => byString(b.name, a.name)).slice(2, 5).map((s) => s.id));
    expect(page.totalCount).toBe(visible.length);
  });

  it('returns the SDK shape: Money value strings, wix:image media, formatted addresses', async () => {
    const service = await client.services.getService(ofType('CLASS').id);
    expect(service._id).toBe(ofType('CLASS').id);
    expect(service.payment?.fixed?.price?.value).toMatch(/^\d+$/);
    expect(service.media?.mainMedia?.image).toMatch(/^wix:image:\/\/v1\//);
    expect((service.locations?.[0] as any)?.business?.address?.formatted).toMatch(/Springfield/);
  });

  it('adds staff member details on request', async () => {
    const result = await (client.services.queryServices as any)({ conditionalFields: ['STAFF_MEMBER_DETAILS'] }).eq('_id', ofType('APPOINTMENT').id).find();
    expect(result.items[0]!.staffMemberDetails?.staffMembers?.map((s: any) => s.name).length).toBeGreaterThan(0);
  });

  it('404s a hidden or unknown service', async () => {
    const hidden = emu.site.services.find((s) => s.hidden)!;
    for (const id of [hidden.id, '00000000-0000-4000-8000-000000000000']) {
      const error = await client.services.getService(id).catch((e: any) => e);
      expect(error.status).toBe(404);
      expect(error.details.applicationError.code).toBe('SERVICE_NOT_FOUND');
    }
  });
});

describe('time slots', () => {
  const appointment = () => ofType('APPOINTMENT');

  it('answers appointment slots as wall-clock times of the requested zone', async () => {
    const service = appointment();
    const inUtc = await client.availabilityTimeSlots.listAvailabilityTimeSlots({ serviceId: service.id, fromLocalDate: '2026-03-03T00:00:00', toLocalDate: '2026-03-06T00:00:00', timeZone: 'UTC' });
    const inKolkata = await client.availabilityTimeSlots.listAvailabilityTimeSlots({ serviceId: service.id, fromLocalDate: '2026-03-03T05:30:00', toLocalDate: '2026-03-06T05:30:00', timeZone: 'Asia/Kolkata' });
    expect(inUtc.timeZone).toBe('UTC');
    expect(inKolkata.timeZone).toBe('Asia/Kolkata');
    const utcInstants = inUtc.timeSlots!.map((s) => Date.parse(`${s.localStartDate}Z`));
    const kolkataInstants = inKolkata.timeSlots!.map((s) => Date.parse(`${s.localStartDate}+05:30`));
    expect(utcInstants.length).toBeGreaterThan(5);
    expect(kolkataInstants).toEqual(utcInstants);
    for (const slot of inKolkata.timeSlots!) expect(slot.localStartDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    // Every slot lies in the working hours of one of the service's staff, in the business zone.
    const staff = emu.site.staff.filter((s) => service.staffMemberIds.includes(s.id));
    for (const instant of utcInstants) {
      const local = wallClock(instant, emu.site.timeZone);
      const minutes = local.hour * 60 + local.minute;
      expect(staff.some((s) => minutes >= s.workingHours!.start * 60 && minutes < s.workingHours!.end * 60)).toBe(true);
      expect(local.weekday).not.toBe(0);
    }
    expect(inUtc.timeSlots!.some((s) => s.bookable === false && s.remainingCapacity === 0)).toBe(true);
    expect(inUtc.timeSlots!.every((s) => s.serviceId === service.id && s.totalCapacity === 1)).toBe(true);
  });

  it('pages with cursors that carry the request', async () => {
    const request = { serviceId: appointment().id, fromLocalDate: '2026-03-03T00:00:00', toLocalDate: '2026-03-10T00:00:00', timeZone: 'Europe/Berlin' };
    const all = await client.availabilityTimeSlots.listAvailabilityTimeSlots(request);
    const first = await client.availabilityTimeSlots.listAvailabilityTimeSlots({ ...request, cursorPaging: { limit: 5 } });
    expect(first.timeSlots!.map((s) => s.localStartDate)).toEqual(all.timeSlots!.slice(0, 5).map((s) => s.localStartDate));
    expect(first.cursorPagingMetadata?.hasNext).toBe(true);
    const second = await client.availabilityTimeSlots.listAvailabilityTimeSlots({ cursorPaging: { cursor: first.cursorPagingMetadata!.cursors!.next!, limit: 5 } });
    expect(second.timeSlots!.map((s) => s.localStartDate)).toEqual(all.timeSlots!.slice(5, 10).map((s) => s.localStartDate));
    expect(second.timeZone).toBe('Europe/Berlin');
  });

  it('has slots only for the next 60 days of the emulator clock', async () => {
    const past = await client.availabilityTimeSlots.listAvailabilityTimeSlots({ serviceId: appointment().id, fromLocalDate: '2026-02-01T00:00:00', toLocalDate: '2026-03-02T00:00:00', timeZone: 'UTC' });
    expect(past.timeSlots).toEqual([]);
    const far = await client.availabilityTimeSlots.listAvailabilityTimeSlots({ serviceId: appointment().id, fromLocalDate: '2026-05-05T00:00:00', toLocalDate: '2026-05-10T00:00:00', timeZone: 'UTC' });
    expect(far.timeSlots).toEqual([]);
  });

  it('answers class sessions on the event endpoint, in the requested zone, some full', async () => {
    const yoga = emu.site.services.find((s) => s.name === 'Morning Yoga Flow')!;
    const schedule = emu.site.schedules[yoga.id]!;
    const result = await client.eventTimeSlots.listEventTimeSlots({ serviceIds: [yoga.id], fromLocalDate: '2026-03-02T00:00:00', toLocalDate: '2026-04-30T00:00:00', timeZone: 'Asia/Tokyo' });
    expect(result.timeZone).toBe('Asia/Tokyo');
    expect(result.timeSlots!.length).toBeGreaterThan(10);
    for (const slot of result.timeSlots!) {
      const instant = Date.parse(`${slot.localStartDate}+09:00`);
      const local = wallClock(instant, emu.site.timeZone);
      expect(schedule.weekly!.days).toContain(local.weekday);
      expect(schedule.weekly!.hours).toContain(local.hour);
      expect(slot.totalCapacity).toBe(yoga.defaultCapacity);
      expect(slot.eventInfo?.eventTitle).toBe(yoga.name);
      expect(slot.bookable).toBe((slot.remainingCapacity ?? 0) > 0);
    }
    expect(result.timeSlots!.some((s) => s.remainingCapacity === 0)).toBe(true);
  });

  it.each([
    ['a class on the appointments endpoint', () => client.availabilityTimeSlots.listAvailabilityTimeSlots({ serviceId: ofType('CLASS').id, fromLocalDate: '2026-03-03T00:00:00', toLocalDate: '2026-03-04T00:00:00', timeZone: 'UTC' })],
    ['a course on the appointments endpoint', () => client.availabilityTimeSlots.listAvailabilityTimeSlots({ serviceId: ofType('COURSE').id, fromLocalDate: '2026-03-03T00:00:00', toLocalDate: '2026-03-04T00:00:00', timeZone: 'UTC' })],
    ['a course on the event endpoint', () => client.eventTimeSlots.listEventTimeSlots({ serviceIds: [ofType('COURSE').id], fromLocalDate: '2026-03-03T00:00:00', toLocalDate: '2026-03-04T00:00:00', timeZone: 'UTC' })],
    ['an appointment on the event endpoint', () => client.eventTimeSlots.listEventTimeSlots({ serviceIds: [appointment().id], fromLocalDate: '2026-03-03T00:00:00', toLocalDate: '2026-03-04T00:00:00', timeZone: 'UTC' })],
  ])('answers %s with a clear 400', async (_name, run) => {
    const error = await run().catch((e: any) => e);
    expect(error.status).toBe(400);
    expect(error.details.applicationError.code).toBe('UNSUPPORTED_SERVICE_TYPE');
    expect(error.details.applicationError.description).toMatch(/is a (CLASS|COURSE|APPOINTMENT)/);
  });

  it('validates the zone and the dates', async () => {
    const badZone = await client.availabilityTimeSlots
      .listAvailabilityTimeSlots({ serviceId: appointment().id, fromLocalDate: '2026-03-03T00:00:00', toLocalDate: '2026-03-04T00:00:00', timeZone: 'Mars/Olympus' })
      .catch((e: any) => e);
    expect(badZone.status).toBe(400);
    // The SDK prefixes field paths with its argument name ("options.timeZone").
    expect(badZone.details.validationError.fieldViolations[0].field).toMatch(/(^|\.)timeZone$/);
    const badDate = await client.availabilityTimeSlots.listAvailabilityTimeSlots({ serviceId: appointment().id, fromLocalDate: '2026-03-03', toLocalDate: '2026-03-04T00:00:00Z', timeZone: 'UTC' }).catch((e: any) => e);
    expect(badDate.status).toBe(400);
  });
});

describe('availability calendar (older API)', () => {
  it('answers entries per staff member, available first, within the range', async () => {
    const service = ofType('APPOINTMENT');
    const result = await client.availabilityCalendar.queryAvailability(
      { filter: { serviceId: [service.id], startDate: '2026-03-03T00:00:00.000Z', endDate: '2026-03-04T00:00:00.000Z' } } as any,
      { timezone: 'UTC' } as any,
    );
    const entries = result.availabilityEntries ?? [];
    expect(entries.length).toBeGreaterThan(0);
    const firstUnavailable = entries.findIndex((e: any) => !e.bookable);
    if (firstUnavailable >= 0) expect(entries.slice(firstUnavailable).every((e: any) => !e.bookable)).toBe(true);
    for (const e of entries as any[]) {
      expect(Date.parse(e.slot.startDate)).toBeGreaterThanOrEqual(Date.parse('2026-03-03T00:00:00Z'));
      expect(Date.parse(e.slot.startDate)).toBeLessThan(Date.parse('2026-03-04T00:00:00Z'));
      expect(service.staffMemberIds).toContain(e.slot.resource._id);
    }
  });

  it('refuses operator filters (implicit equality only)', async () => {
    const error = await client.availabilityCalendar
      .queryAvailability({ filter: { serviceId: { $in: [ofType('APPOINTMENT').id] }, startDate: '2026-03-03T00:00:00.000Z', endDate: '2026-03-04T00:00:00.000Z' } } as any, {} as any)
      .catch((e: any) => e);
    expect(error.status).toBe(400);
  });
});
