import { applicationError, bodyObject, invalidField, notFound, validationError, type EmulatorRequest, type Reply } from '../http.js';
import { offsetPage, resolveOffsetPaging } from '../query-engine.js';
import { enforceQuerySpec } from '../query-spec-guard.js';
import type { Router } from '../router.js';
import type { EmulatorState } from '../state.js';
import { createRandom, hashString, randomGuid } from '../site/random.js';
import { generateSessions, type Session } from '../site/slots.js';
import type { BookingsService } from '../site/types.js';
import { fromLocal, isValidTimeZone, parseLocalIso, toLocalIso } from '../time-zones.js';
import { decodeCursor, encodeCursor, readQuery, withQueryErrors } from './common.js';

/**
 * Bookings: Services V2 query/get (wix-wire.md 3.1, 3.2), Time Slots V2 for appointments and classes
 * (wix-wire.md 10; typings of @wix/auto_sdk_bookings_availability-time-slots and _event-time-slots),
 * and the older Availability Calendar query (wix-wire.md 3.3).
 */

/** Resource type id reported for staff in `availableResources` (the emulator's single resource type). */
export const STAFF_RESOURCE_TYPE_ID = '1cd44cf8-756f-41c3-bd90-3e2ffcaf1155';

const MAX_SLOTS_PAGE = 1000;

function visibleService(state: EmulatorState, id: string): BookingsService {
  const service = state.services.byId.get(id);
  // Hidden services are not offered to visitors and members (wix-wire.md 6, [INF]).
  if (!service || service.hidden === true) throw notFound('SERVICE_NOT_FOUND', `Service with id ${id} not found`);
  return service;
}

function withConditionalFields(state: EmulatorState, service: BookingsService, conditional: string[]): BookingsService {
  if (!conditional.includes('STAFF_MEMBER_DETAILS')) return service;
  const staff = state.site.staff.filter((s) => service.staffMemberIds.includes(s.id));
  return { ...service, staffMemberDetails: { staffMembers: staff.map((s) => ({ staffMemberId: s.id, name: s.name })) } };
}

function conditionalFields(req: EmulatorRequest): string[] {
  const fromBody = bodyObject(req).conditionalFields;
  const fields = Array.isArray(fromBody) ? fromBody.map(String) : req.query.getAll('conditionalFields');
  if (fields.length > 5) throw invalidField('conditionalFields', 'must not contain more than 5 values', 'MAX_SIZE');
  return fields;
}

function queryServices(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  const q = readQuery(req);
  enforceQuerySpec('servicesQuery', q.filter, q.sort, 'query');
  const conditional = conditionalFields(req);
  return withQueryErrors(() => {
    const selection = state.services.cache.select(q.filter, q.sort);
    if (q.cursorPaging !== undefined) {
      const cp = (q.cursorPaging ?? {}) as { limit?: unknown; cursor?: unknown };
      const { limit } = resolveOffsetPaging({ limit: cp.limit }, { field: 'query.cursorPaging' });
      // Filter and sort come back from the cursor: next-page requests carry neither.
      const from = typeof cp.cursor === 'string' && cp.cursor ? decodeCursor(cp.cursor, 'query.cursorPaging.cursor') : undefined;
      const all = from ? state.services.cache.select(from.f ?? undefined, from.s ?? undefined) : selection;
      const offset = from?.o ?? 0;
      const items = all.slice(offset, offset + limit);
      const hasNext = offset + items.length < all.length;
      const cursors: Record<string, string> = {};
      if (hasNext) cursors.next = encodeCursor({ f: from ? from.f : (q.filter ?? null), s: from ? from.s : (q.sort ?? null), o: offset + items.length });
      return { json: { services: items.map((s) => withConditionalFields(state, s, conditional)), pagingMetadata: { count: items.length, cursors, hasNext } } };
    }
    const paging = resolveOffsetPaging(q.paging);
    const page = offsetPage(selection, paging);
    return {
      json: {
        services: page.items.map((s) => withConditionalFields(state, s, conditional)),
        pagingMetadata: { ...page.metadata, tooManyToCount: false },
      },
    };
  });
}

function getService(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  return { json: { service: withConditionalFields(state, visibleService(state, req.params.serviceId!), conditionalFields(req)) } };
}

/** The slot's location in the Time Slots shape (`locationType` BUSINESS | CUSTOM | CUSTOMER). */
function slotLocation(service: BookingsService): Record<string, unknown> {
  const location = ((service.locations ?? []) as Record<string, unknown>[])[0];
  if (!location) return { locationType: 'BUSINESS' };
  if (location.type === 'BUSINESS') {
    const business = (location.business ?? {}) as { id?: string; name?: string; address?: { formattedAddress?: string } };
    return { id: business.id ?? location.id, name: business.name, formattedAddress: business.address?.formattedAddress, locationType: 'BUSINESS' };
  }
  return { locationType: location.type === 'CUSTOMER' ? 'CUSTOMER' : 'CUSTOM' };
}

function resources(staff: Session['staff']): Record<string, unknown>[] {
  return [{ resourceTypeId: STAFF_RESOURCE_TYPE_ID, resources: staff.slice(0, 10).map((s) => ({ id: s.id, name: s.name })), hasMoreAvailableResources: staff.length > 10 }];
}

function timeSlot(service: BookingsService, session: Session, zone: string, withResources: boolean): Record<string, unknown> {
  const bookOnlineDisabled = (service.onlineBooking as { enabled?: boolean } | undefined)?.enabled === false;
  const full = session.remainingCapacity === 0;
  const slot: Record<string, unknown> = {
    serviceId: service.id,
    localStartDate: toLocalIso(session.startMs, zone),
    localEndDate: toLocalIso(session.endMs, zone),
    bookable: !full && !bookOnlineDisabled,
    location: slotLocation(service),
    totalCapacity: session.totalCapacity,
    remainingCapacity: session.remainingCapacity,
    bookableCapacity: session.remainingCapacity,
    bookingPolicyViolations: { tooEarlyToBook: false, tooLateToBook: false, bookOnlineDisabled },
    availableResources: withResources ? resources(session.staff) : [],
    nestedTimeSlots: [],
    nonBookableReasons: { noRemainingCapacity: full, violatesBookingPolicy: bookOnlineDisabled, reservedForWaitingList: false, eventCancelled: false },
    scheduleId: (service.schedule as { id?: string } | undefined)?.id ?? null,
  };
  if (session.eventId) slot.eventInfo = { eventId: session.eventId, eventTitle: service.name };
  return slot;
}

/** The time-zone and local-date fields of a time slots request, checked. */
function slotWindow(body: Record<string, unknown>, state: EmulatorState): { zone: string; fromMs: number; toMs: number; from: string; to: string } {
  const zone = body.timeZone === undefined || body.timeZone === null || body.timeZone === '' ? state.site.timeZone : body.timeZone;
  if (typeof zone !== 'string' || !isValidTimeZone(zone)) throw invalidField('timeZone', `must be an IANA time zone such as America/New_York (got ${JSON.stringify(zone)})`);
  const violations = [];
  const from = typeof body.fromLocalDate === 'string' ? parseLocalIso(body.fromLocalDate) : undefined;
  const to = typeof body.toLocalDate === 'string' ? parseLocalIso(body.toLocalDate) : undefined;
  if (!from) violations.push({ field: 'fromLocalDate', description: 'is required, as YYYY-MM-DDThh:mm:ss (local time, no offset)', violatedRule: 'FORMAT', ruleName: 'VALIDATION_ERROR', data: {} });
  if (!to) violations.push({ field: 'toLocalDate', description: 'is required, as YYYY-MM-DDThh:mm:ss (local time, no offset)', violatedRule: 'FORMAT', ruleName: 'VALIDATION_ERROR', data: {} });
  if (violations.length > 0) throw validationError(violations);
  const fromMs = fromLocal(from!, zone);
  const toMs = fromLocal(to!, zone);
  if (toMs <= fromMs) throw invalidField('toLocalDate', 'must be after fromLocalDate');
  return { zone, fromMs, toMs, from: body.fromLocalDate as string, to: body.toLocalDate as string };
}

/** Keeps at most `perDay` slots per local day (of the requested zone), bookable ones first. */
function capPerDay(slots: Record<string, unknown>[], perDay: number | undefined): Record<string, unknown>[] {
  if (!perDay) return slots;
  const byDay = new Map<string, Record<string, unknown>[]>();
  for (const s of slots) {
    const day = String(s.localStartDate).slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), s]);
  }
  const kept = new Set<Record<string, unknown>>();
  for (const daySlots of byDay.values()) {
    const ordered = [...daySlots.filter((s) => s.bookable), ...daySlots.filter((s) => !s.bookable)];
    for (const s of ordered.slice(0, perDay)) kept.add(s);
  }
  return slots.filter((s) => kept.has(s));
}

function pageLimit(body: Record<string, unknown>): number {
  const cp = (body.cursorPaging ?? {}) as { limit?: unknown };
  return resolveOffsetPaging({ limit: cp.limit }, { defaultLimit: MAX_SLOTS_PAGE, maxLimit: MAX_SLOTS_PAGE, field: 'cursorPaging' }).limit;
}

/** Slices a cursor page; the cursor carries the whole request (next-page requests send only the cursor). */
function slotPage(slots: Record<string, unknown>[], request: Record<string, unknown>, offset: number, limit: number) {
  const items = slots.slice(offset, offset + limit);
  const hasNext = offset + items.length < slots.length;
  const cursors: Record<string, string | null> = { next: hasNext ? encodeCursor({ r: request, o: offset + items.length }) : null, prev: null };
  return { items, metadata: { count: items.length, cursors, hasNext } };
}

/** The request a time slots call stands for: its own body, or the one inside its cursor. */
function effectiveRequest(req: EmulatorRequest): { body: Record<string, unknown>; offset: number } {
  const body = bodyObject(req);
  const cursor = (body.cursorPaging as { cursor?: unknown } | undefined)?.cursor;
  if (typeof cursor === 'string' && cursor !== '') {
    const decoded = decodeCursor(cursor, 'cursorPaging.cursor');
    return { body: { ...(decoded.r as Record<string, unknown>), cursorPaging: body.cursorPaging }, offset: decoded.o };
  }
  return { body, offset: 0 };
}

function wrongType(service: BookingsService, expected: string, hint: string): never {
  throw applicationError(400, 'UNSUPPORTED_SERVICE_TYPE', `Service ${service.id} is a ${service.type}; ${expected}. ${hint}`, { data: { serviceId: service.id, serviceType: service.type } });
}

function listAvailabilityTimeSlots(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  const { body, offset } = effectiveRequest(req);
  if (typeof body.serviceId !== 'string' || body.serviceId === '') throw invalidField('serviceId', 'is required (an appointment-based service)');
  const service = visibleService(state, body.serviceId);
  if (service.type === 'CLASS') wrongType(service, 'this endpoint lists appointment slots', 'Use POST /_api/service-availability/v2/time-slots/event for classes.');
  if (service.type === 'COURSE') wrongType(service, 'courses have no time slots', 'A course is booked as a whole; read its schedule from the service.');
  const window = slotWindow(body, state);
  const limit = pageLimit(body);
  const withResources = Array.isArray(body.includeResourceTypeIds) && body.includeResourceTypeIds.length > 0;
  let slots = generateSessions(state.site, service, window.fromMs, window.toMs, state.now()).map((s) => timeSlot(service, s, window.zone, withResources));
  if (typeof body.bookable === 'boolean') slots = slots.filter((s) => s.bookable === body.bookable);
  slots = capPerDay(slots, typeof body.timeSlotsPerDay === 'number' ? body.timeSlotsPerDay : undefined);
  const { cursorPaging: _paging, ...request } = body;
  const page = slotPage(slots, request, offset, limit);
  return { json: { timeSlots: page.items, timeZone: window.zone, cursorPagingMetadata: page.metadata } };
}

function listEventTimeSlots(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  const { body, offset } = effectiveRequest(req);
  let services: BookingsService[];
  if (Array.isArray(body.serviceIds) && body.serviceIds.length > 0) {
    if (body.serviceIds.length > 100) throw invalidField('serviceIds', 'must not contain more than 100 ids', 'MAX_SIZE');
    services = body.serviceIds.map((id) => visibleService(state, String(id)));
    for (const s of services) {
      if (s.type === 'APPOINTMENT') wrongType(s, 'this endpoint lists class sessions', 'Use POST /_api/service-availability/v2/time-slots for appointments.');
      if (s.type === 'COURSE') wrongType(s, 'courses have no time slots', 'A course is booked as a whole; read its schedule from the service.');
    }
  } else {
    services = state.services.visible.filter((s) => s.type === 'CLASS');
  }
  const window = slotWindow(body, state);
  const limit = pageLimit(body);
  const now = state.now();
  let slots = services
    .flatMap((service) => generateSessions(state.site, service, window.fromMs, window.toMs, now).map((s) => ({ s, service })))
    .sort((a, b) => a.s.startMs - b.s.startMs || a.service.id.localeCompare(b.service.id))
    .map(({ s, service }) => timeSlot(service, s, window.zone, true));
  if (body.includeNonBookable === false) slots = slots.filter((s) => s.bookable);
  if (typeof body.minBookableCapacity === 'number') slots = slots.filter((s) => Number(s.bookableCapacity) >= (body.minBookableCapacity as number));
  slots = capPerDay(slots, typeof body.maxSlotsPerDay === 'number' ? body.maxSlotsPerDay : undefined);
  const { cursorPaging: _paging, ...request } = body;
  const page = slotPage(slots, request, offset, limit);
  return { json: { timeSlots: page.items, timeZone: window.zone, pagingMetadata: page.metadata } };
}

/** Reads an ISO date of the availability filter; with `timezone`, its wall-clock reading is local to that zone. */
function availabilityInstant(value: unknown, field: string, zone: string | undefined): number {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalidField(`query.filter.${field}`, 'is required, as an ISO date such as 2024-01-01T00:00:00.000Z');
  if (!zone) return Date.parse(value);
  const local = parseLocalIso(value.replace(/(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, ''));
  return local ? fromLocal(local, zone) : Date.parse(value);
}

function queryAvailability(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  const body = bodyObject(req);
  const q = readQuery(req);
  const filter = (typeof q.filter === 'object' && q.filter !== null ? q.filter : {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(filter)) {
    const isOperator = key.startsWith('$') || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some((k) => k.startsWith('$')));
    // This API supports implicit equality only (wix-wire.md 3.3, supported-filters-and-sorting doc).
    if (isOperator) throw invalidField(`query.filter.${key}`, 'only implicit equality ({"field": value}) is supported by Query Availability');
  }
  const timezone = typeof body.timezone === 'string' && body.timezone !== '' ? body.timezone : undefined;
  if (timezone && !isValidTimeZone(timezone)) throw invalidField('timezone', `unknown IANA time zone ${timezone}`);
  const serviceIds = Array.isArray(filter.serviceId) ? filter.serviceId.map(String) : typeof filter.serviceId === 'string' ? [filter.serviceId] : [];
  if (serviceIds.length === 0) throw invalidField('query.filter.serviceId', 'is required');
  const fromMs = availabilityInstant(filter.startDate, 'startDate', timezone);
  const toMs = availabilityInstant(filter.endDate, 'endDate', timezone);
  const zone = timezone ?? state.site.timeZone;
  const entries: Record<string, unknown>[] = [];
  for (const id of serviceIds) {
    const service = visibleService(state, id);
    for (const session of generateSessions(state.site, service, fromMs, toMs, state.now())) {
      const location = slotLocation(service);
      const base = {
        serviceId: service.id,
        scheduleId: (service.schedule as { id?: string } | undefined)?.id,
        startDate: new Date(session.startMs).toISOString(),
        endDate: new Date(session.endMs).toISOString(),
        timezone: zone,
        location: location.locationType === 'BUSINESS' ? { locationType: 'OWNER_BUSINESS', businessLocation: { id: location.id, name: location.name } } : { locationType: 'CUSTOM' },
      };
      // Appointments: one entry per staff member; classes: one per session.
      const perResource = service.type === 'APPOINTMENT' ? session.allStaff.map((s) => ({ staff: s, open: session.staff.includes(s) ? 1 : 0, total: 1 })) : [{ staff: session.allStaff[0], open: session.remainingCapacity, total: session.totalCapacity }];
      for (const r of perResource) {
        entries.push({
          slot: {
            sessionId: randomGuid(createRandom(hashString(`${service.id}/${session.startMs}/${r.staff?.id ?? ''}`))),
            ...base,
            ...(r.staff && { resource: { id: r.staff.id, name: r.staff.name } }),
          },
          bookable: r.open > 0,
          totalSpots: r.total,
          openSpots: r.open,
          waitingList: { totalSpots: 0, openSpots: 0 },
          bookingPolicyViolations: { tooEarlyToBook: false, tooLateToBook: false, bookOnlineDisabled: false },
          locked: false,
        });
      }
    }
  }
  let result = entries.filter((e) => (filter.resourceId === undefined || (e.slot as { resource?: { id: string } }).resource?.id === filter.resourceId) && (filter.bookable === undefined || e.bookable === filter.bookable));
  // Sorted by start date, with unavailable slots after the available ones.
  const start = (e: Record<string, unknown>) => Date.parse((e.slot as { startDate: string }).startDate);
  result = [...result.filter((e) => e.bookable).sort((a, b) => start(a) - start(b)), ...result.filter((e) => !e.bookable).sort((a, b) => start(a) - start(b))];
  if (typeof body.slotsPerDay === 'number' && body.slotsPerDay > 0) {
    const perDay = new Map<string, number>();
    result = result.filter((e) => {
      const day = toLocalIso(start(e), zone).slice(0, 10);
      const n = (perDay.get(day) ?? 0) + 1;
      perDay.set(day, n);
      return n <= (body.slotsPerDay as number);
    });
  }
  return { json: { availabilityEntries: result, pagingMetadata: {} } };
}

/** Registers the Bookings routes (services, time slots, availability calendar). */
export function registerBookingsRoutes(router: Router, state: EmulatorState): void {
  for (const base of ['/_api/bookings/v2/services', '/bookings/v2/services']) {
    router.add('POST', `${base}/query`, (req) => queryServices(state, req));
    router.add('GET', `${base}/:serviceId`, (req) => getService(state, req));
  }
  for (const base of ['/_api/service-availability/v2/time-slots', '/service-availability/v2/time-slots']) {
    router.add('POST', base, (req) => withQueryErrors(() => listAvailabilityTimeSlots(state, req)));
    router.add('POST', `${base}/event`, (req) => withQueryErrors(() => listEventTimeSlots(state, req)));
  }
  for (const path of ['/availability-calendar/v1/availability/query', '/bookings/availability-calendar/v1/availability/query', '/bookings/v1/availability/query']) {
    router.add('POST', path, (req) => queryAvailability(state, req));
  }
}
