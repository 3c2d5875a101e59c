import { UsageError } from '../errors.js';

/** The zone wixq uses when --tz is not given: the system's (TZ respected). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Checks an IANA time zone name; UsageError if Intl does not know it. */
export function validateTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    throw new UsageError(`unknown time zone "${zone}" (use an IANA name such as Europe/Berlin or UTC)`);
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock time in `zone` at the instant `ms`. */
export function wallClockAt(ms: number, zone: string): WallClock {
  const parts = formatter(zone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  // Some ICU builds write midnight as 24 even with h23.
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** The zone's offset from UTC in milliseconds at the instant `ms` (exact, also for historic offsets with seconds). */
function offsetMsAt(ms: number, zone: string): number {
  const w = wallClockAt(ms, zone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** The zone's offset from UTC, in minutes, at the instant `ms`. */
export function offsetMinutesAt(ms: number, zone: string): number {
  return Math.round(offsetMsAt(ms, zone) / 60_000);
}

const DAY_MS = 86_400_000;

/**
 * The instant a local wall-clock time `YYYY-MM-DDTHH:mm:ss` names in `zone`, disambiguated as Temporal's
 * 'compatible' (and RFC 5545) do: in a DST overlap the earlier instant; in a spring-forward gap the time is read with
 * the offset before the gap, so it lands the gap's length later (02:30 in a 02:00→03:00 gap is 03:30).
 * See https://tc39.es/proposal-temporal/docs/ambiguity.html
 */
export function instantOfLocal(local: string, zone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(local);
  if (!m) throw new UsageError(`not a local date-time: "${local}"`);
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  // A day either side is beyond any one transition near this time, and no zone changes offset twice in two days.
  const before = offsetMsAt(asUtc - DAY_MS, zone);
  const after = offsetMsAt(asUtc + DAY_MS, zone);
  // A candidate is real when the zone's offset at that instant is the one it was computed with.
  const readings = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((instant) => offsetMsAt(instant, zone) === asUtc - instant)
    .sort((a, b) => a - b);
  return readings[0] ?? asUtc - before;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * Formats a local wall-clock time of `zone` as ISO 8601 with its UTC offset: 2026-12-01T10:00:00+01:00. The instant is
 * instantOfLocal's, so an overlap prints the earlier offset and a time in a gap prints as the wall clock after it.
 */
export function localWithOffset(local: string, zone: string): string {
  const ms = instantOfLocal(local, zone);
  const offset = offsetMinutesAt(ms, zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${localText(ms, zone)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The local wall-clock text `YYYY-MM-DDTHH:mm:ss` of an instant in `zone`. */
export function localText(ms: number, zone: string): string {
  const w = wallClockAt(ms, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/**
 * Parses a --from/--to value into local wall-clock text in `zone`: `today`, `tomorrow`, `now`, `+3d` (days after
 * `base`), `YYYY-MM-DD`, or `YYYY-MM-DDTHH:mm[:ss]` (local), or an ISO instant with Z or an offset.
 */
export function parseLocalDate(value: string, flag: string, zone: string, nowMs: number, base?: string): string {
  const v = value.trim();
  const startOfDay = (ms: number): string => `${localText(ms, zone).slice(0, 10)}T00:00:00`;
  if (v === 'now') return localText(nowMs, zone);
  if (v === 'today') return startOfDay(nowMs);
  if (v === 'tomorrow') return addDays(startOfDay(nowMs), 1);
  const rel = /^\+(\d{1,3})d$/.exec(v);
  if (rel) return addDays(base ?? startOfDay(nowMs), Number(rel[1]));
  if (/^\d{4}-\d{2}-\d{2}$/.test(v) && validDate(v)) return `${v}T00:00:00`;
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (local && validDate(local[1]!) && +local[2]! < 24 && +local[3]! < 60 && +(local[4] ?? 0) < 60) return `${local[1]}T${local[2]}:${local[3]}:${local[4] ?? '00'}`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return localText(ms, zone);
  }
  throw new UsageError(`${flag} must be a date (YYYY-MM-DD), a local date-time (YYYY-MM-DDTHH:mm), today, tomorrow, now or +Nd; got "${value}"`);
}

function validDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Adds whole days to a local wall-clock text (calendar days, not 24-hour spans). */
export function addDays(local: string, days: number): string {
  const [date, time = '00:00:00'] = local.split('T') as [string, string?];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(y, m - 1, d + days));
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}T${time}`;
}
