import { createClient, OAuthStrategy } from '@wix/sdk';
import { availabilityCalendar, availabilityTimeSlots, eventTimeSlots, services } from '@wix/bookings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOKINGS_APP_ID, type BookingsService } from '../../src/emulator/site/types.js';
import { redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/** The SDK's Bookings modules against the emulator: services, time slots, availability calendar. */

// A fixed emulator clock: slots exist for the 60 days after it.
const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);

let emu: RunningEmulator;
let restore: () => void;
let client: ReturnType<typeof makeClient>;
/** Every service of the site, hidden ones and other apps' included: what a query without filters returns. */
let all: BookingsService[];
/** What Wix Bookings offers on the site: its own services, not hidden. */
let visible: BookingsService[];

function makeClient(clientId: string) {
  return createClient({ modules: { services, availabilityTimeSlots, eventTimeSlots, availabilityCalendar }, auth: OAuthStrategy({ clientId }) });
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const ofType = (type: string) => visible.find((s) => s.type === type)!;
const businessLocations = (s: BookingsService) => (s.locations as any[]).filter((l) => l.type === 'BUSINESS').map((l) => l.business);
/** A visible service of this type offered at two or more business locations. */
const multiLocation = (type = 'APPOINTMENT') => visible.find((s) => s.type === type && businessLocations(s).length >= 2)!;
const lastLocationOf = (s: BookingsService) => businessLocations(s).at(-1)!.id as string;
/** The staff resource type Wix's own booking code sends in `includeResourceTypeIds` (`@wix/headless-bookings` dist/api/fetch-availability/index.js). */
const STAFF_TYPE = '1cd44cf8-756f-41c3-bd90-3e2ffcaf1155';

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
  all = emu.site.services;
  visible = all.filter((s) => !s.hidden && s.appId === BOOKINGS_APP_ID);
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

  it('returns hidden services and services of other apps when the query does not exclude them, as a real site does', async () => {
    const ids = await collect(q());
    expect(ids).toEqual(all.map((s) => s.id));
    expect(all.some((s) => s.hidden === true)).toBe(true);
    expect(all.some((s) => s.appId !== BOOKINGS_APP_ID)).toBe(true);
  });

  it.each<[string, () => any, (s: BookingsService) => boolean]>([
    ['hidden = false', () => q().eq('hidden', false), (s) => s.hidden === false],
    ['hidden = true', () => q().eq('hidden', true), (s) => s.hidden === true],
    ['appId = Wix Bookings', () => q().eq('appId', BOOKINGS_APP_ID), (s) => s.appId === BOOKINGS_APP_ID],
    ['appId != Wix Bookings', () => q().ne('appId', BOOKINGS_APP_ID), (s) => s.appId !== BOOKINGS_APP_ID],
    ['hidden = false and appId = Wix Bookings (what Wix Bookings shows)', () => q().eq('hidden', false).eq('appId', BOOKINGS_APP_ID), (s) => s.hidden === false && s.appId === BOOKINGS_APP_ID],
    ['a business location id (services at several locations included)', () => q().hasSome('locations.business._id', [lastLocationOf(multiLocation())]), (s) => (s.locations as any[]).some((l) => l.business?.id === lastLocationOf(multiLocation()))],
    ['eq', () => q().eq('type', 'CLASS'), (s) => s.type === 'CLASS'],
    ['ne', () => q().ne('type', 'APPOINTMENT'), (s) => s.type !== 'APPOINTMENT'],
    ['gt on a string', () => q().gt('name', 'M'), (s) => s.name > 'M'],
    ['in', () => q().in('_id', [visible[0]!.id, visible[5]!.id]), (s) => s.id === visible[0]!.id || s.id === visible[5]!.id],
    ['hasSome', () => q().hasSome('staffMemberIds', [emu.site.staff[0]!.id]), (s) => s.staffMemberIds.includes(emu.site.staff[0]!.id)],
    ['startsWith', () => q().startsWith('name', 'p'), (s) => s.name.toLowerCase().startsWith('p')],
    ['eq on a nested field', () => q().eq('category.name', 'Fitness'), (s) => (s.category as { name: string }).name === 'Fitness'],
    ['eq on a nested boolean', () => q().eq('payment.options.online', false), (s) => (s.payment as any).options.online === false],
  ])('%s returns exactly the matching services over offset pages', async (_name, build, predicate) => {
    const expected = all.filter(predicate).map((s) => s.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await collect(build())).toEqual(expected);
  });

  it('sorts and pages with {count, offset, total, tooManyToCount}', async () => {
    const page = await q().descending('name').skip(2).limit(3).find();
    expect(page.items.map((s: any) => s._id)).toEqual([...all].sort((a, b) => byString(b.name, a.name)).slice(2, 5).map((s) => s.id));
    expect(page.totalCount).toBe(all.length);
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

  it('gets a hidden service by id like any other, and 404s an unknown one', async () => {
    const hidden = all.find((s) => s.hidden)!;
    expect((await client.services.getService(hidden.id))._id).toBe(hidden.id);
    const error = await client.services.getService('00000000-0000-4000-8000-000000000000').catch((e: any) => e);
    expect(error.status).toBe(404);
    expect(error.details.applicationError.code).toBe('SERVICE_NOT_FOUND');
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

describe('time slots of multi-location services, with staff on request', () => {
  const window = { fromLocalDate: '2026-03-03T00:00:00', toLocalDate: '2026-03-05T00:00:00', timeZone: 'America/New_York' };
  const list = (extra: Record<string, unknown> = {}) => client.availabilityTimeSlots.listAvailabilityTimeSlots({ serviceId: multiLocation().id, ...window, ...extra } as any);
  const startsOf = (slots: any[]) => slots.map((s) => s.localStartDate);

  it('answers one slot per location per time, each naming its location', async () => {
    const service = multiLocation();
    const locations = businessLocations(service);
    const slots = (await list()).timeSlots as any[];
    const times = [...new Set(startsOf(slots))];
    expect(times.length).toBeGreaterThan(3);
    expect(slots).toHaveLength(times.length * locations.length);
    for (const time of times) {
      const here = slots.filter((s) => s.localStartDate === time);
      expect(here.map((s) => s.location._id).sort()).toEqual(locations.map((l) => l.id).sort());
    }
    for (const slot of slots) {
      const location = locations.find((l) => l.id === slot.location._id)!;
      expect(slot.location).toEqual({ _id: location.id, name: location.name, formattedAddress: location.address.formattedAddress, locationType: 'BUSINESS' });
    }
  });

  it('answers only the asked location with `locations`', async () => {
    const wanted = lastLocationOf(multiLocation());
    const everywhere = (await list()).timeSlots as any[];
    const there = (await list({ locations: [{ _id: wanted, locationType: 'BUSINESS' }] })).timeSlots as any[];
    expect(there.length).toBeGreaterThan(0);
    expect(there.every((s) => s.location._id === wanted)).toBe(true);
    expect(startsOf(there)).toEqual(startsOf(everywhere.filter((s) => s.location._id === wanted)));
    const nowhere = (await list({ locations: [{ _id: '00000000-0000-4000-8000-000000000000', locationType: 'BUSINESS' }] })).timeSlots;
    expect(nowhere).toEqual([]);
  });

  it('refuses more than 5 locations, as the request type allows', async () => {
    const six = Array.from({ length: 6 }, () => ({ _id: lastLocationOf(multiLocation()), locationType: 'BUSINESS' }));
    const error = await list({ locations: six }).catch((e: any) => e);
    expect(error.status).toBe(400);
    expect(error.details.validationError.fieldViolations[0].field).toMatch(/(^|\.)locations$/);
  });

  it('leaves availableResources empty unless the staff resource type is asked for', async () => {
    const service = multiLocation();
    const plain = (await list()).timeSlots as any[];
    expect(plain.every((s) => Array.isArray(s.availableResources) && s.availableResources.length === 0)).toBe(true);
    const otherType = (await list({ includeResourceTypeIds: ['00000000-0000-4000-8000-0000000000aa'] })).timeSlots as any[];
    expect(otherType.every((s) => s.availableResources.length === 0)).toBe(true);
    const staffed = (await list({ includeResourceTypeIds: [STAFF_TYPE] })).timeSlots as any[];
    expect(startsOf(staffed)).toEqual(startsOf(plain));
    const names = new Map(emu.site.staff.map((m) => [m.id, m.name]));
    for (const slot of staffed.filter((s) => s.bookable)) {
      expect(slot.availableResources).toHaveLength(1);
      const [group] = slot.availableResources;
      expect(group.resourceTypeId).toBe(STAFF_TYPE);
      expect(group.resources.length).toBeGreaterThan(0);
      for (const r of group.resources) {
        expect(service.staffMemberIds).toContain(r._id);
        expect(r.name).toBe(names.get(r._id));
      }
    }
    expect(staffed.some((s) => s.bookable)).toBe(true);
  });

  it('narrows slots to a staff member with `resourceTypes`, listing only that member', async () => {
    const member = multiLocation().staffMemberIds[0]!;
    const slots = (await list({ resourceTypes: [{ resourceTypeId: STAFF_TYPE, resourceIds: [member] }] })).timeSlots as any[];
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) expect(slot.availableResources[0].resources.map((r: any) => r._id)).toEqual([member]);
    expect(slots.length).toBeLessThan(((await list()).timeSlots as any[]).length);
  });

  it('pages with the cursor alone; the cursor keeps the location, the staff request and the window', async () => {
    const request = { locations: [{ _id: lastLocationOf(multiLocation()), locationType: 'BUSINESS' }], includeResourceTypeIds: [STAFF_TYPE] };
    const whole = (await list(request)).timeSlots as any[];
    const first = await list({ ...request, cursorPaging: { limit: 4 } });
    emu.reset();
    const second = await client.availabilityTimeSlots.listAvailabilityTimeSlots({ cursorPaging: { cursor: first.cursorPagingMetadata!.cursors!.next!, limit: 4 } });
    expect(emu.requests('/_api/service-availability')[0]!.body).toEqual({ cursorPaging: { cursor: first.cursorPagingMetadata!.cursors!.next, limit: 4 } });
    expect([...(first.timeSlots as any[]), ...(second.timeSlots as any[])]).toEqual(whole.slice(0, 8));
    // A later page that repeats the request is answered from the cursor as well (no source shows Wix refusing it).
    const repeated = await list({ ...request, cursorPaging: { cursor: first.cursorPagingMetadata!.cursors!.next!, limit: 4 } });
    expect(repeated.timeSlots).toEqual(second.timeSlots);
  });

  it('serves slots of a hidden appointment service asked for by id, none of them bookable online', async () => {
    const hidden = all.find((s) => s.hidden && s.type === 'APPOINTMENT')!;
    const slots = (await client.availabilityTimeSlots.listAvailabilityTimeSlots({ serviceId: hidden.id, ...window })).timeSlots as any[];
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.bookable === false && s.bookingPolicyViolations.bookOnlineDisabled === true)).toBe(true);
  });
});

describe('class time slots carry the location and teacher of each session', () => {
  const window = { fromLocalDate: '2026-03-02T00:00:00', toLocalDate: '2026-04-30T00:00:00', timeZone: 'America/New_York' };

  it('names one of the class locations on every session, and the teacher in availableResources', async () => {
    const pilates = multiLocation('CLASS');
    const locations = businessLocations(pilates);
    const teacher = emu.site.staff.find((m) => m.id === pilates.staffMemberIds[0])!;
    const result = await client.eventTimeSlots.listEventTimeSlots({ serviceIds: [pilates.id], ...window, cursorPaging: { limit: 200 } });
    const slots = result.timeSlots as any[];
    expect(slots.length).toBeGreaterThan(10);
    for (const slot of slots) {
      const location = locations.find((l) => l.id === slot.location._id);
      expect(location).toBeDefined();
      expect(slot.location).toEqual({ _id: location.id, name: location.name, formattedAddress: location.address.formattedAddress, locationType: 'BUSINESS' });
      expect(slot.availableResources).toEqual([{ resourceTypeId: STAFF_TYPE, resources: [{ _id: teacher.id, name: teacher.name }], hasMoreAvailableResources: false }]);
    }
    // One session, one place: each start time appears once, and both locations host some sessions.
    expect(new Set(slots.map((s) => s.localStartDate)).size).toBe(slots.length);
    expect(new Set(slots.map((s) => s.location._id))).toEqual(new Set(locations.map((l) => l.id)));
  });

  it('filters sessions by location and teacher with eventFilter, and refuses fields it does not know', async () => {
    const pilates = multiLocation('CLASS');
    const where = lastLocationOf(pilates);
    const everywhere = (await client.eventTimeSlots.listEventTimeSlots({ serviceIds: [pilates.id], ...window, cursorPaging: { limit: 200 } })).timeSlots as any[];
    const there = (await client.eventTimeSlots.listEventTimeSlots({ serviceIds: [pilates.id], ...window, cursorPaging: { limit: 200 }, eventFilter: { 'location.id': [where] } })).timeSlots as any[];
    expect(there.length).toBeGreaterThan(0);
    expect(there).toEqual(everywhere.filter((s) => s.location._id === where));
    const teacher = pilates.staffMemberIds[0]!;
    const taught = (await client.eventTimeSlots.listEventTimeSlots({ ...window, cursorPaging: { limit: 1000 }, eventFilter: { 'resources.id': { $hasSome: [teacher] } } })).timeSlots as any[];
    expect(taught.length).toBeGreaterThan(0);
    expect(taught.every((s) => s.availableResources[0].resources.some((r: any) => r._id === teacher))).toBe(true);
    const error = await client.eventTimeSlots.listEventTimeSlots({ ...window, eventFilter: { title: 'Yoga' } }).catch((e: any) => e);
    expect(error.status).toBe(400);
  });

  it('pages by 50 unless told otherwise, then by the cursor alone', async () => {
    const first = await client.eventTimeSlots.listEventTimeSlots(window);
    expect(first.timeSlots).toHaveLength(50);
    expect(first.pagingMetadata?.hasNext).toBe(true);
    const second = await client.eventTimeSlots.listEventTimeSlots({ cursorPaging: { cursor: first.pagingMetadata!.cursors!.next! } });
    const both = [...(first.timeSlots as any[]), ...(second.timeSlots as any[])];
    const whole = await client.eventTimeSlots.listEventTimeSlots({ ...window, cursorPaging: { limit: 100 } });
    expect(both).toEqual((whole.timeSlots as any[]).slice(0, both.length));
  });

  it('lists, without service ids, only the classes Wix Bookings offers (no hidden ones)', async () => {
    const result = await client.eventTimeSlots.listEventTimeSlots({ ...window, cursorPaging: { limit: 1000 } });
    const served = new Set((result.timeSlots as any[]).map((s) => s.serviceId));
    const classes = visible.filter((s) => s.type === 'CLASS').map((s) => s.id);
    expect([...served].sort()).toEqual([...classes].sort());
    expect(all.some((s) => s.hidden && s.type === 'CLASS' && !served.has(s.id))).toBe(true);
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
