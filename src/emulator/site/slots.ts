import { addDays, fromLocal, localFields, weekday } from '../time-zones.js';
import { createRandom, hashString, randomGuid } from './random.js';
import type { BookingsService, ServiceSchedule, SiteData, StaffMember } from './types.js';

/**
 * Bookable sessions of a service, generated on demand from the emulator's clock: the next 60 days,
 * staff working hours (appointments) or a weekly timetable (classes), with some sessions fully booked.
 * Deterministic for a given service and instant, so repeated queries agree.
 */

/** How far ahead sessions exist. */
export const SLOT_HORIZON_MS = 60 * 86_400_000;

/** One generated session. */
export interface Session {
  serviceId: string;
  startMs: number;
  endMs: number;
  totalCapacity: number;
  remainingCapacity: number;
  /** Staff free for this session (appointments) or teaching it (classes). */
  staff: StaffMember[];
  /** Every staff member who works this session, free or not. */
  allStaff: StaffMember[];
  /** Classes: the calendar event of the session. */
  eventId?: string;
}

const DEFAULT_HOURS = { start: 9, end: 17 };

function staffOf(site: SiteData, service: BookingsService): StaffMember[] {
  const byId = new Map(site.staff.map((s) => [s.id, s]));
  const staff = service.staffMemberIds.map((id) => byId.get(id)).filter((s): s is StaffMember => s !== undefined);
  if (staff.length > 0) return staff;
  // A service without staff still has the business as its one resource.
  return [{ id: randomGuid(createRandom(hashString(`${service.id}/resource`))), name: 'Any staff member', workingHours: DEFAULT_HOURS }];
}

/** The session pattern of a service: the site's, or defaults from its wire fields. */
export function scheduleOf(site: SiteData, service: BookingsService): ServiceSchedule {
  const known = site.schedules[service.id];
  if (known) return known;
  const durations = (service.schedule as { availabilityConstraints?: { sessionDurations?: number[] } } | undefined)?.availabilityConstraints?.sessionDurations;
  const minutes = durations?.[0] ?? 60;
  return service.type === 'APPOINTMENT' ? { minutes } : { minutes, weekly: { days: [1, 3, 5], hours: [10, 18] } };
}

function bookedRoll(key: string): number {
  return hashString(key) % 100;
}

/** Sessions starting in [fromMs, toMs), clipped to [now, now + 60 days). */
export function generateSessions(site: SiteData, service: BookingsService, fromMs: number, toMs: number, nowMs: number): Session[] {
  const start = Math.max(fromMs, nowMs);
  const end = Math.min(toMs, nowMs + SLOT_HORIZON_MS);
  if (start >= end || service.type === 'COURSE') return [];
  const zone = site.timeZone;
  const schedule = scheduleOf(site, service);
  const staff = staffOf(site, service);
  const gap = Number((service.schedule as { availabilityConstraints?: { timeBetweenSessions?: number } } | undefined)?.availabilityConstraints?.timeBetweenSessions ?? 0);
  const sessions: Session[] = [];
  const firstDay = addDays(localFields(start, zone), -1);
  const lastDay = addDays(localFields(end, zone), 1);
  const at = (day: { year: number; month: number; day: number }, minutesOfDay: number) =>
    fromLocal({ ...day, hour: Math.floor(minutesOfDay / 60), minute: minutesOfDay % 60, second: 0 }, zone);

  for (let day = firstDay; ; day = addDays(day, 1)) {
    const dow = weekday(day);
    if (service.type === 'APPOINTMENT') {
      if (dow !== 0) {
        const byStart = new Map<number, { all: StaffMember[]; free: StaffMember[]; endMs: number }>();
        for (const member of staff) {
          const hours = member.workingHours ?? DEFAULT_HOURS;
          for (let m = hours.start * 60; m + schedule.minutes <= hours.end * 60; m += schedule.minutes + gap) {
            const s = at(day, m);
            const entry = byStart.get(s) ?? { all: [], free: [], endMs: s + schedule.minutes * 60_000 };
            entry.all.push(member);
            // About a third of each staff member's sessions are taken.
            if (bookedRoll(`${service.id}|${member.id}|${s}`) >= 35) entry.free.push(member);
            byStart.set(s, entry);
          }
        }
        for (const [s, entry] of byStart) {
          sessions.push({ serviceId: service.id, startMs: s, endMs: entry.endMs, totalCapacity: 1, remainingCapacity: entry.free.length > 0 ? 1 : 0, staff: entry.free, allStaff: entry.all });
        }
      }
    } else {
      const weekly = schedule.weekly ?? { days: [1, 3, 5], hours: [10, 18] };
      if (weekly.days.includes(dow)) {
        for (const hour of weekly.hours) {
          const s = at(day, hour * 60);
          const capacity = Number(service.defaultCapacity ?? 10) || 10;
          const roll = bookedRoll(`${service.id}|${s}`);
          // One class in five is full; the others have some spots taken.
          const booked = roll < 20 ? capacity : roll % capacity;
          sessions.push({
            serviceId: service.id,
            startMs: s,
            endMs: s + schedule.minutes * 60_000,
            totalCapacity: capacity,
            remainingCapacity: capacity - booked,
            staff: staff.slice(0, 1),
            allStaff: staff.slice(0, 1),
            eventId: randomGuid(createRandom(hashString(`${service.id}/event/${s}`))),
          });
        }
      }
    }
    if (day.year === lastDay.year && day.month === lastDay.month && day.day === lastDay.day) break;
  }
  return sessions.filter((s) => s.startMs >= start && s.startMs < end).sort((a, b) => a.startMs - b.startMs);
}
