import { applicationError, bodyObject, invalidField, notFound, validationError, type EmulatorRequest, type Reply } from '../http.js';
import { offsetPage, QueryCache, resolveOffsetPaging } from '../query-engine.js';
import { enforceQuerySpec } from '../query-spec-guard.js';
import type { Router } from '../router.js';
import type { EmulatorState } from '../state.js';
import { createRandom, hashString, randomGuid } from '../site/random.js';
import { generateSessions, type Session } from '../site/slots.js';
import { BOOKINGS_APP_ID, type BookingsService } from '../site/types.js';
import { fromLocal, isValidTimeZone, parseLocalIso, toLocalIso } from '../time-zones.js';
import { decodeCursor, encodeCursor, readQuery, withQueryErrors } from './common.js';

/**
 * Bookings: Services V2 query/get (docs/wix-api.md 3.1, 3.2), Time Slots V2 for appointments and classes
 * (docs/wix-api.md 10; typings of @wix/auto_sdk_bookings_availability-time-slots and _event-time-slots),
 * and the older Availability Calendar query (docs/wix-api.md 3.3).
 */

/**
 * Resource type id of staff members in `availableResources` and `includeResourceTypeIds` (the one Wix's own
 * booking code sends: `@wix/headless-bookings` `dist/api/fetch-availability/index.js`).
 */
export const STAFF_RESOURCE_TYPE_ID = '1cd44cf8-756f-41c3-bd90-3e2ffcaf1155';

const MAX_SLOTS_PAGE = 1000;
/** List Event Time Slots pages by 50 unless told otherwise (https://dev.wix.com/docs/rest/business-solutions/bookings/time-slots/time-slots-v2/list-event-time-slots). */
const DEFAULT_EVENT_SLOTS_PAGE = 50;
/** `locations` and `resourceTypes` of ListAvailabilityTimeSlotsRequest: `@maxSize 5` and `@maxSize 8`. */
const MAX_SLOT_LOCATIONS = 5;
const MAX_RESOURCE_TYPES = 8;
/** At most 10 resources per type in a listed slot (`AvailableResources.resources`). */
const MAX_LISTED_RESOURCES = 10;

/** Any service by id, hidden or not: Services V2 serves hidden services and those of other apps alike. */
function serviceById(state: EmulatorState, id: string): BookingsService {
  const service = state.services.byId.get(id);
  if (!service) throw notFound('SERVICE_NOT_FOUND', `Service with id ${id} not found`);
  return service;
}

/** Query cache over every service: a query without `hidden`/`appId` filters returns them all, as a real site does. */
function allServices(state: EmulatorState): QueryCache<BookingsService> {
  return state.memo('services:all', () => new QueryCache(state.site.services));
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
  const cache = allServices(state);
  return withQueryErrors(() => {
    const selection = cache.select(q.filter, q.sort);
    if (q.cursorPaging !== undefined) {
      const cp = (q.cursorPaging ?? {}) as { limit?: unknown; cursor?: unknown };
      const { limit } = resolveOffsetPaging({ limit: cp.limit }, { field: 'query.cursorPaging' });
      // Filter and sort come back from the cursor: next-page requests carry neither.
      const from = typeof cp.cursor === 'string' && cp.cursor ? decodeCursor(cp.cursor, 'query.cursorPaging.cursor') : undefined;
      const all = from ? cache.select(from.f ?? undefined, from.s ?? undefined) : selection;
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
  return { json: { service: withConditionalFields(state, serviceById(state, req.params.serviceId!), conditionalFields(req)) } };
}

/** A slot's location in the Time Slots shape: `{id, name, formattedAddress, locationType}` (time slots typings `Location`). */
type SlotLocation = { id?: string; name?: string; formattedAddress?: string; locationType: 'BUSINESS' | 'CUSTOM' | 'CUSTOMER' };

/** Every place a service is offered, as time slots report it; a service with none is offered at the business. */
function slotLocations(service: BookingsService): SlotLocation[] {
  // The loader refuses a `locations` that is not a list of objects; absent (optional in the typings) is the business.
  const listed = Array.isArray(service.locations) ? (service.locations as unknown[]) : [];
  const locations = listed.filter((l): l is Record<string, unknown> => typeof l === 'object' && l !== null).map((location): SlotLocation => {
    if (location.type === 'BUSINESS') {
      const business = (location.business ?? {}) as { id?: string; name?: string; address?: { formattedAddress?: string } };
      const id = business.id ?? (location.id as string | undefined);
      return { ...(id && { id }), ...(business.name && { name: business.name }), ...(business.address?.formattedAddress && { formattedAddress: business.address.formattedAddress }), locationType: 'BUSINESS' };
    }
    if (location.type === 'CUSTOMER') return { locationType: 'CUSTOMER' };
    const address = (location.calculatedAddress ?? (location.custom as { address?: unknown } | undefined)?.address) as { formattedAddress?: string } | undefined;
    return { ...(address?.formattedAddress && { formattedAddress: address.formattedAddress }), locationType: 'CUSTOM' };
  });
  return locations.length > 0 ? locations : [{ locationType: 'BUSINESS' }];
}

/** The `locations` of a ListAvailabilityTimeSlots request, checked; undefined means every location. */
function requestedLocations(body: Record<string, unknown>): { id?: string; locationType?: string }[] | undefined {
  if (body.locations === undefined || body.locations === null) return undefined;
  if (!Array.isArray(body.locations)) throw invalidField('locations', 'must be an array of locations ({id, locationType})');
  if (body.locations.length > MAX_SLOT_LOCATIONS) throw invalidField('locations', `must not contain more than ${MAX_SLOT_LOCATIONS} values`, 'MAX_SIZE');
  if (body.locations.length === 0) return undefined;
  return body.locations.map((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidField(`locations[${i}]`, 'must be a location object ({id, locationType})');
    const l = raw as { id?: unknown; locationType?: unknown };
    if (l.id !== undefined && typeof l.id !== 'string') throw invalidField(`locations[${i}].id`, 'must be a location GUID');
    if (l.locationType !== undefined && !['BUSINESS', 'CUSTOM', 'CUSTOMER'].includes(String(l.locationType))) throw invalidField(`locations[${i}].locationType`, 'must be BUSINESS, CUSTOM or CUSTOMER');
    return { ...(typeof l.id === 'string' && { id: l.id }), ...(typeof l.locationType === 'string' && { locationType: l.locationType }) };
  });
}

function locationMatches(location: SlotLocation, wanted: { id?: string; locationType?: string }[]): boolean {
  return wanted.some((w) => (w.id === undefined || w.id === location.id) && (w.locationType === undefined || w.locationType === location.locationType));
}

/** What a slot lists in `availableResources`: nothing, unless staff details were asked for (by type or by id). */
interface ResourceRequest {
  includeStaff: boolean;
  /** Staff ids of `resourceTypes`: slots need one of them free, and list only them. */
  staffIds?: string[];
}

function resourceRequest(body: Record<string, unknown>): ResourceRequest {
  const include = body.includeResourceTypeIds;
  if (include !== undefined && include !== null && (!Array.isArray(include) || include.some((t) => typeof t !== 'string'))) throw invalidField('includeResourceTypeIds', 'must be an array of resource type GUIDs');
  const types = body.resourceTypes;
  if (types !== undefined && types !== null && !Array.isArray(types)) throw invalidField('resourceTypes', 'must be an array of {resourceTypeId, resourceIds}');
  if (Array.isArray(types) && types.length > MAX_RESOURCE_TYPES) throw invalidField('resourceTypes', `must not contain more than ${MAX_RESOURCE_TYPES} values`, 'MAX_SIZE');
  const staffType = (Array.isArray(types) ? types : []).find((t) => (t as { resourceTypeId?: unknown } | null)?.resourceTypeId === STAFF_RESOURCE_TYPE_ID) as { resourceIds?: unknown } | undefined;
  const staffIds = Array.isArray(staffType?.resourceIds) && staffType.resourceIds.length > 0 ? staffType.resourceIds.map(String) : undefined;
  // Resources are listed only on request (`AvailableResources.resources`: "Empty by default" for list methods).
  return { includeStaff: (Array.isArray(include) && include.includes(STAFF_RESOURCE_TYPE_ID)) || staffIds !== undefined, ...(staffIds && { staffIds }) };
}

function resources(staff: Session['staff']): Record<string, unknown>[] {
  // Only types with at least one free resource are listed (AvailableResources, time slots typings).
  if (staff.length === 0) return [];
  return [{ resourceTypeId: STAFF_RESOURCE_TYPE_ID, resources: staff.slice(0, MAX_LISTED_RESOURCES).map((s) => ({ id: s.id, name: s.name })), hasMoreAvailableResources: staff.length > MAX_LISTED_RESOURCES }];
}

function timeSlot(service: BookingsService, session: Session, zone: string, location: SlotLocation, listed: Session['staff'] | undefined): Record<string, unknown> {
  const bookOnlineDisabled = (service.onlineBooking as { enabled?: boolean } | undefined)?.enabled === false;
  const full = session.remainingCapacity === 0;
  const slot: Record<string, unknown> = {
    serviceId: service.id,
    localStartDate: toLocalIso(session.startMs, zone),
    localEndDate: toLocalIso(session.endMs, zone),
    bookable: !full && !bookOnlineDisabled,
    location,
    totalCapacity: session.totalCapacity,
    remainingCapacity: session.remainingCapacity,
    bookableCapacity: session.remainingCapacity,
    bookingPolicyViolations: { tooEarlyToBook: false, tooLateToBook: false, bookOnlineDisabled },
    availableResources: listed ? resources(listed) : [],
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

function pageLimit(body: Record<string, unknown>, defaultLimit: number): number {
  const cp = (body.cursorPaging ?? {}) as { limit?: unknown };
  return resolveOffsetPaging({ limit: cp.limit }, { defaultLimit, maxLimit: MAX_SLOTS_PAGE, field: 'cursorPaging' }).limit;
}

/** Slices a cursor page; the cursor carries the whole request (next-page requests send only the cursor). */
function slotPage(slots: Record<string, unknown>[], request: Record<string, unknown>, offset: number, limit: number) {
  const items = slots.slice(offset, offset + limit);
  const hasNext = offset + items.length < slots.length;
  const cursors: Record<string, string | null> = { next: hasNext ? encodeCursor({ r: request, o: offset + items.length }) : null, prev: null };
  return { items, metadata: { count: items.length, cursors, hasNext } };
}

/**
 * The request a time slots call stands for: its own body, or the one inside its cursor. With a cursor, the request
 * fields are optional ("Required, unless you specify `cursorPaging.cursor`", time slots typings) and the cursor's win:
 * no public source shows Wix refusing a later page that repeats them, so the emulator accepts it.
 */
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
  const service = serviceById(state, body.serviceId);
  if (service.type === 'CLASS') wrongType(service, 'this endpoint lists appointment slots', 'Use POST /_api/service-availability/v2/time-slots/event for classes.');
  if (service.type === 'COURSE') wrongType(service, 'courses have no time slots', 'A course is booked as a whole; read its schedule from the service.');
  const window = slotWindow(body, state);
  const limit = pageLimit(body, MAX_SLOTS_PAGE);
  const wantedLocations = requestedLocations(body);
  const asked = resourceRequest(body);
  // A multi-location service has one slot per location per time ("Locations to include in response. If not
  // specified, returns time slots for all locations where the service is available": time slots typings).
  const locations = slotLocations(service).filter((l) => !wantedLocations || locationMatches(l, wantedLocations));
  const sessions = generateSessions(state.site, service, window.fromMs, window.toMs, state.now());
  let slots = sessions.flatMap((session) => {
    const free = asked.staffIds ? session.staff.filter((s) => asked.staffIds!.includes(s.id)) : session.staff;
    // `resourceTypes` filters the slots themselves: only those where a listed staff member is free.
    if (asked.staffIds && free.length === 0) return [];
    return locations.map((location) => timeSlot(service, session, window.zone, location, asked.includeStaff ? free : undefined));
  });
  if (typeof body.bookable === 'boolean') slots = slots.filter((s) => s.bookable === body.bookable);
  slots = capPerDay(slots, typeof body.timeSlotsPerDay === 'number' ? body.timeSlotsPerDay : undefined);
  const { cursorPaging: _paging, ...request } = body;
  const page = slotPage(slots, request, offset, limit);
  return { json: { timeSlots: page.items, timeZone: window.zone, cursorPagingMetadata: page.metadata } };
}

/** A class session takes place at one of its service's locations; which one is fixed per session. */
function eventLocation(service: BookingsService, session: Session): SlotLocation {
  const locations = slotLocations(service);
  return locations[hashString(`${service.id}/location/${session.startMs}`) % locations.length]!;
}

/** Values a filter condition accepts: a value, a bare array (any of), `$eq`, `$in` or `$hasSome`. */
function conditionValues(condition: unknown, field: string): string[] {
  if (typeof condition === 'string') return [condition];
  if (Array.isArray(condition)) return condition.map(String);
  if (typeof condition === 'object' && condition !== null) {
    const entries = Object.entries(condition);
    if (entries.length === 1) {
      const [op, value] = entries[0]!;
      if (op === '$eq' && typeof value === 'string') return [value];
      if ((op === '$in' || op === '$hasSome') && Array.isArray(value)) return value.map(String);
    }
  }
  throw invalidField(`eventFilter.${field}`, 'must be an id, an array of ids, or {"$eq"|"$in"|"$hasSome": …}');
}

/**
 * The `eventFilter` of a class slots request, over the fields Wix's own booking code filters on
 * (`location.id`, `resources.id`: `@wix/headless-bookings` `dist/api/fetch-availability/index.js`).
 * Other Calendar event fields are refused loudly rather than ignored.
 */
function eventFilterOf(body: Record<string, unknown>): (location: SlotLocation, staff: Session['staff']) => boolean {
  const filter = body.eventFilter;
  if (filter === undefined || filter === null) return () => true;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw invalidField('eventFilter', 'must be an object such as {"location.id": ["<id>"]}');
  let locationIds: string[] | undefined;
  let resourceIds: string[] | undefined;
  for (const [field, condition] of Object.entries(filter)) {
    if (field === 'location.id') locationIds = conditionValues(condition, field);
    else if (field === 'resources.id') resourceIds = conditionValues(condition, field);
    else throw invalidField(`eventFilter.${field}`, 'is not a filter the emulator supports (location.id, resources.id)', 'UNSUPPORTED');
  }
  return (location, staff) => (!locationIds || (location.id !== undefined && locationIds.includes(location.id))) && (!resourceIds || staff.some((m) => resourceIds!.includes(m.id)));
}

function listEventTimeSlots(state: EmulatorState, req: EmulatorRequest): Reply {
  state.authenticate(req);
  const { body, offset } = effectiveRequest(req);
  let services: BookingsService[];
  if (Array.isArray(body.serviceIds) && body.serviceIds.length > 0) {
    if (body.serviceIds.length > 100) throw invalidField('serviceIds', 'must not contain more than 100 ids', 'MAX_SIZE');
    services = body.serviceIds.map((id) => serviceById(state, String(id)));
    for (const s of services) {
      if (s.type === 'APPOINTMENT') wrongType(s, 'this endpoint lists class sessions', 'Use POST /_api/service-availability/v2/time-slots for appointments.');
      if (s.type === 'COURSE') wrongType(s, 'courses have no time slots', 'A course is booked as a whole; read its schedule from the service.');
    }
  } else {
    // Without service ids: the Bookings app's classes, hidden ones left out (the default `providerId` is Bookings').
    services = state.site.services.filter((s) => s.type === 'CLASS' && s.hidden !== true && (s.appId ?? BOOKINGS_APP_ID) === BOOKINGS_APP_ID);
  }
  const window = slotWindow(body, state);
  const limit = pageLimit(body, DEFAULT_EVENT_SLOTS_PAGE);
  const eventMatches = eventFilterOf(body);
  const now = state.now();
  // Each session carries its own location and teacher, as the event does (TimeSlot.location, availableResources).
  let slots = services
    .flatMap((service) => generateSessions(state.site, service, window.fromMs, window.toMs, now).map((s) => ({ s, service, location: eventLocation(service, s) })))
    .filter(({ s, location }) => eventMatches(location, s.staff))
    .sort((a, b) => a.s.startMs - b.s.startMs || a.service.id.localeCompare(b.service.id))
    .map(({ s, service, location }) => timeSlot(service, s, window.zone, location, s.staff));
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
    // This API supports implicit equality only (docs/wix-api.md 3.3, supported-filters-and-sorting doc).
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
    const service = serviceById(state, id);
    for (const session of generateSessions(state.site, service, fromMs, toMs, state.now())) {
      const location = slotLocations(service)[0]!;
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
