/** Wall-clock times in IANA zones with Intl only (no date library): what the time slot APIs speak. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows this IANA zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Local date and time fields. */
export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function fields(instantMs: number, timeZone: string): LocalDateTime {
  const out: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY-MM-DDThh:mm:ss` of an instant in a zone. */
export function toLocalIso(instantMs: number, timeZone: string): string {
  const f = fields(instantMs, timeZone);
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
}

/** Local wall-clock fields of an instant in a zone. */
export function localFields(instantMs: number, timeZone: string): LocalDateTime {
  return fields(instantMs, timeZone);
}

/** Zone offset (local minus UTC) in ms at an instant. */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const f = fields(instantMs, timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

const LOCAL_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;

/** Parses `YYYY-MM-DDThh:mm[:ss]` (no offset); undefined when it is not one. */
export function parseLocalIso(text: string): LocalDateTime | undefined {
  const m = LOCAL_ISO.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute, second };
}

/** The instant a local wall-clock time names in a zone (in a DST gap, the later reading; in an overlap, the earlier). */
export function fromLocal(local: LocalDateTime, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  // The offsets half a day either side cover any single transition near this time.
  const candidates = [...new Set([zoneOffsetMs(asUtc - 43_200_000, timeZone), zoneOffsetMs(asUtc + 43_200_000, timeZone), zoneOffsetMs(asUtc, timeZone)])]
    .map((offset) => asUtc - offset)
    .sort((a, b) => a - b);
  const wanted = `${local.year}-${local.month}-${local.day} ${local.hour}:${local.minute}:${local.second}`;
  const exact = candidates.find((instant) => {
    const f = fields(instant, timeZone);
    return `${f.year}-${f.month}-${f.day} ${f.hour}:${f.minute}:${f.second}` === wanted;
  });
  // No exact reading: the time falls in a spring-forward gap; the latest candidate lands just past it.
  return exact ?? candidates[candidates.length - 1]!;
}

/** Day of the week (0 = Sunday) of a local date. */
export function weekday(local: Pick<LocalDateTime, 'year' | 'month' | 'day'>): number {
  return new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
}

/** The local date `days` after a local date. */
export function addDays(local: Pick<LocalDateTime, 'year' | 'month' | 'day'>, days: number): Pick<LocalDateTime, 'year' | 'month' | 'day'> {
  const d = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
