/**
 * What Wix Bookings needs beyond the generic list machinery: the default scope of a services query, and the
 * locations and staff of time slots.
 */
import type { ListAvailabilityTimeSlotsOptions, ListAvailabilityTimeSlotsResponse } from '@wix/auto_sdk_bookings_availability-time-slots';
import type { ListEventTimeSlotsOptions, ListEventTimeSlotsResponse } from '@wix/auto_sdk_bookings_event-time-slots';
import type { WixClient } from './client.js';
import { filterFieldNames } from './filter.js';

/**
 * Wix Bookings' app id: a site's services query also answers services of other apps (Wix Meetings, ...), so Wix's
 * own code filters on it (`@wix/headless-bookings` `dist/api/query-services/index.js`, with the ID in
 * `dist/services/constants.js`; docs/wix-api.md 3.1).
 */
export const BOOKINGS_APP_ID = '13d21c63-b5ec-5912-8397-c3a5ddb27a97';

/**
 * The resource type of staff members: time slots list them in `availableResources` only when it is in
 * `includeResourceTypeIds` (as `@wix/headless-bookings` `dist/api/fetch-availability/index.js` sends it, with the ID
 * in `dist/services/constants.js`).
 */
export const STAFF_RESOURCE_TYPE_ID = '1cd44cf8-756f-41c3-bd90-3e2ffcaf1155';

/** `locations` of ListAvailabilityTimeSlotsRequest: `@maxSize 5` (@wix/auto_sdk_bookings_availability-time-slots). */
export const MAX_SLOT_LOCATIONS = 5;

/** `cursorPaging.limit` of both Time Slots lists: "Default: 1000. Max: 1000" (the time slots typings' `CursorPaging`). */
export const SLOTS_PAGE_SIZE = 1000;

/**
 * The services filter actually sent: the user's, ANDed with the default scope `{hidden: false, appId: <Bookings>}`
 * (both declared by the SDK's `ServiceQuerySpec`). `includeHidden` drops `hidden`; a user filter that names `hidden`
 * or `appId` itself decides that field, since ANDing a contradiction would only print an empty list.
 */
export function scopeServicesFilter(filter: Record<string, unknown>, options: { includeHidden?: boolean }): Record<string, unknown> {
  const named = filterFieldNames(filter);
  const scope: Record<string, unknown> = {};
  if (!options.includeHidden && !named.has('hidden')) scope.hidden = false;
  if (!named.has('appId')) scope.appId = BOOKINGS_APP_ID;
  // The user's top-level keys never collide with the scope's, so one object is the AND of both.
  return { ...scope, ...filter };
}

/** A place a service is offered, as a service lists it (@wix/auto_sdk_bookings_services `V2Location`). */
export interface ServiceLocation {
  /** The business location id; absent for custom and customer locations. */
  id?: string;
  name?: string;
  type: string;
}

/** The locations of a service (SDK item shape: `locations[].business._id/name`). */
export function serviceLocations(service: Record<string, unknown>): ServiceLocation[] {
  const raw = Array.isArray(service.locations) ? (service.locations as Array<Record<string, any>>) : [];
  return raw.map((l) => {
    const id = (l.business?._id ?? l._id) as string | undefined;
    const name = (l.business?.name ?? l.calculatedAddress?.formattedAddress ?? l.custom?.address?.formattedAddress) as string | undefined;
    return { ...(id && { id }), ...(name && { name }), type: String(l.type ?? 'BUSINESS') };
  });
}

/** How a location reads in messages and tables. */
export function locationLabel(location: { name?: string | null; formattedAddress?: string | null; locationType?: string | null; type?: string }): string {
  const type = location.locationType ?? location.type;
  if (location.name) return location.name;
  if (location.formattedAddress) return location.formattedAddress;
  return type === 'CUSTOMER' ? "customer's place" : type ? type.toLowerCase() : '';
}

/** Which of the wanted locations (ids or names, names case-insensitive) a service has; unmatched ones apart. */
export function matchLocations(wanted: string[], locations: ServiceLocation[]): { matched: ServiceLocation[]; unmatched: string[] } {
  const matched: ServiceLocation[] = [];
  const unmatched: string[] = [];
  for (const want of wanted) {
    const lower = want.toLowerCase();
    const hit = locations.find((l) => l.id === want) ?? locations.find((l) => l.id !== undefined && l.name?.toLowerCase() === lower);
    if (!hit) unmatched.push(want);
    else if (!matched.includes(hit)) matched.push(hit);
  }
  return { matched, unmatched };
}

/** One service's time slots to list: the local range in a zone, and the business locations to ask for. */
export interface SlotsQuery {
  serviceId: string;
  type: 'APPOINTMENT' | 'CLASS';
  fromLocal: string;
  toLocal: string;
  timeZone: string;
  /** Also slots that cannot be booked. */
  includeFull: boolean;
  /** Business location ids (appointments send them; class requests have no such field). */
  locationIds?: string[];
}

/** One page of time slots, in the SDK's shape (`location._id`, `availableResources[].resources[].name`). */
export interface SlotsPage {
  slots: Record<string, unknown>[];
  nextCursor?: string;
}

/** The SDK module each kind of slot is listed by. */
export const slotsModule = (type: SlotsQuery['type']): 'availabilityTimeSlots' | 'eventTimeSlots' => (type === 'APPOINTMENT' ? 'availabilityTimeSlots' : 'eventTimeSlots');

/** The first request of a slot list; later pages send only `cursorPaging`, since the cursor carries the rest. */
function firstRequest(query: SlotsQuery): ListAvailabilityTimeSlotsOptions | ListEventTimeSlotsOptions {
  const range = { fromLocalDate: query.fromLocal, toLocalDate: query.toLocal, timeZone: query.timeZone, cursorPaging: { limit: SLOTS_PAGE_SIZE } };
  if (query.type === 'CLASS') return { serviceIds: [query.serviceId], includeNonBookable: query.includeFull, ...range };
  return {
    serviceId: query.serviceId,
    ...(query.includeFull ? {} : { bookable: true }),
    ...(query.locationIds?.length ? { locations: query.locationIds.map((_id) => ({ _id, locationType: 'BUSINESS' as const })) } : {}),
    includeResourceTypeIds: [STAFF_RESOURCE_TYPE_ID],
    ...range,
  };
}

/** One page of a service's slots: `listAvailabilityTimeSlots` for appointments, `listEventTimeSlots` for classes. */
export async function listSlotsPage(client: WixClient, query: SlotsQuery, cursor?: string): Promise<SlotsPage> {
  const request = cursor ? { cursorPaging: { limit: SLOTS_PAGE_SIZE, cursor } } : firstRequest(query);
  const page =
    query.type === 'APPOINTMENT'
      ? ((await client.availabilityTimeSlots.listAvailabilityTimeSlots(request as ListAvailabilityTimeSlotsOptions)) as ListAvailabilityTimeSlotsResponse)
      : ((await client.eventTimeSlots.listEventTimeSlots(request as ListEventTimeSlotsOptions)) as ListEventTimeSlotsResponse);
  const meta = 'cursorPagingMetadata' in page ? page.cursorPagingMetadata : (page as ListEventTimeSlotsResponse).pagingMetadata;
  const next = meta?.cursors?.next;
  return { slots: (page.timeSlots ?? []) as Record<string, unknown>[], ...(next ? { nextCursor: next } : {}) };
}
