import { Chalk } from 'chalk';
import Table from 'cli-table3';
import { displayWidth, fitColumnWidths, renderTable, sanitizeCell, type Align } from './table.js';

/**
 * One time slot as the views need it: wall-clock start and end in the asked zone, as Wix sends them
 * (`localStartDate`/`localEndDate`, `YYYY-MM-DDThh:mm:ss`: @wix/auto_sdk_bookings_availability-time-slots `TimeSlot`).
 */
export interface ViewSlot {
  service: string;
  localStart: string;
  localEnd: string;
  bookable?: boolean;
  /** Spots customers can book: `bookableCapacity` (waitlist reservations left out), else `remainingCapacity`. */
  remaining?: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

/** Midnight UTC of a local date's calendar day: day arithmetic on wall-clock dates, free of any zone's DST. */
const dayOf = (local: string): number => Date.UTC(+local.slice(0, 4), +local.slice(5, 7) - 1, +local.slice(8, 10));
const dateKey = (dayMs: number): string => new Date(dayMs).toISOString().slice(0, 10);
const weekday = (dayMs: number): string => WEEKDAYS[new Date(dayMs).getUTCDay()]!;
const hhmm = (local: string): string => local.slice(11, 16);

/** `Wed 2 Dec` for a local date. */
export function shortDate(local: string): string {
  const day = dayOf(local);
  const d = new Date(day);
  return `${weekday(day)} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** `Wed 2 Dec  15:00–16:00`; an end on a later day names that day (`23:00–Thu 00:30`). */
export function compactSpan(localStart: string, localEnd: string): string {
  const endDay = dayOf(localEnd);
  const end = endDay === dayOf(localStart) ? hhmm(localEnd) : `${weekday(endDay)} ${hhmm(localEnd)}`;
  return `${shortDate(localStart)}  ${hhmm(localStart)}–${end}`;
}

/** Cuts text to `width` display columns, ending in "…" when cut. */
export function cutToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  for (const c of text) {
    if (displayWidth(out + c) > width - 1) break;
    out += c;
  }
  return out + '…';
}

export interface ViewOptions {
  width: number;
  color: boolean;
}

/**
 * A table in which the columns marked `whole` are never cut (the slot's date and time): the other columns share
 * what is left of the width, cut with "…", and trailing ones that do not fit are left out.
 */
export function renderTableKeeping(headers: string[], rows: string[][], align: Align[], whole: boolean[], options: ViewOptions): { text: string; droppedColumns: number } {
  const clean = [headers, ...rows].map((row) => row.map(sanitizeCell));
  const natural = headers.map((_, i) => Math.max(...clean.map((row) => displayWidth(row[i] ?? ''))));
  const kept = headers.map((_, i) => i).filter((i) => whole[i]);
  const reserved = kept.reduce((sum, i) => sum + natural[i]! + 3, 0);
  const flexible = headers.map((_, i) => i).filter((i) => !whole[i]);
  const fitted = fitColumnWidths(flexible.map((i) => natural[i]!), options.width - reserved);
  const widths = new Map<number, number>(kept.map((i) => [i, natural[i]!]));
  flexible.slice(0, fitted.widths.length).forEach((i, k) => widths.set(i, fitted.widths[k]!));
  const columns = headers.map((_, i) => i).filter((i) => widths.has(i));
  const cut = (row: string[]): string[] => columns.map((i) => cutToWidth(row[i] ?? '', widths.get(i)!));
  const [head, ...body] = clean;
  const table = renderTable(cut(head!), body.map(cut), columns.map((i) => align[i]!), options);
  return { text: table.text, droppedColumns: headers.length - columns.length };
}

export interface WeekGridOptions extends ViewOptions {
  /** First day shown (`YYYY-MM-DD…`, local). */
  fromLocal: string;
  /** End of the range (exclusive, local): the last day shown is the one before it, or its own day when it has a time. */
  toLocal: string;
}

/** What a cell says: the open spots summed over the slots starting then (all locations), or why none can be booked. */
function cellText(slots: ViewSlot[]): { text: string; kind: 'open' | 'low' | 'none' } {
  const open = slots.filter((s) => s.bookable !== false);
  if (open.length === 0) return { text: slots.some((s) => s.remaining === 0) ? 'full' : 'closed', kind: 'none' };
  const known = open.filter((s) => typeof s.remaining === 'number');
  // A bookable slot whose capacity Wix leaves out still has room for one.
  const spots = known.reduce((sum, s) => sum + s.remaining!, 0) + (open.length - known.length);
  return { text: String(spots), kind: spots <= 1 ? 'low' : 'open' };
}

/**
 * Week grids, one per service and week from `fromLocal`: days as columns, start times as rows, open spots in each
 * cell; days that do not fit the width go to the next grid of the same week.
 */
export function renderWeekGrid(slots: ViewSlot[], options: WeekGridOptions): string {
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const first = dayOf(options.fromLocal);
  const toDay = dayOf(options.toLocal);
  const last = /T(?!00:00)/.test(options.toLocal) ? toDay : toDay - DAY_MS;
  const days: number[] = [];
  for (let d = first; d <= last; d += DAY_MS) days.push(d);
  const services = [...new Set(slots.map((s) => s.service))];
  const header = (day: number): string => `${weekday(day)} ${new Date(day).getUTCDate()}`;
  const timeWidth = 5;
  const dayWidth = Math.max(6, ...days.map((d) => header(d).length));
  // Each column costs its text, 2 padding and 1 border; the line ends in one more border.
  const perGrid = Math.max(1, Math.min(7, Math.floor((options.width - 1 - (timeWidth + 3)) / (dayWidth + 3))));
  const blocks: string[] = [];
  for (const service of services) {
    const mine = slots.filter((s) => s.service === service);
    const byCell = new Map<string, ViewSlot[]>();
    for (const s of mine) {
      const key = `${dateKey(dayOf(s.localStart))} ${hhmm(s.localStart)}`;
      byCell.set(key, [...(byCell.get(key) ?? []), s]);
    }
    for (let w = 0; w < days.length; w += 7) {
      const week = days.slice(w, w + 7);
      const times = [...new Set(mine.filter((s) => week.includes(dayOf(s.localStart))).map((s) => hhmm(s.localStart)))].sort();
      const title = `${service}: ${shortDate(dateKey(week[0]!))} – ${shortDate(dateKey(week[week.length - 1]!))}`;
      if (times.length === 0) {
        blocks.push(`${paint.bold(sanitizeCell(title))}\nno time slots\n`);
        continue;
      }
      const parts: string[] = [paint.bold(sanitizeCell(title))];
      for (let g = 0; g < week.length; g += perGrid) {
        const shown = week.slice(g, g + perGrid);
        const table = new Table({
          head: [paint.bold.cyan('Time'), ...shown.map((d) => paint.bold.cyan(header(d)))],
          colWidths: [timeWidth + 2, ...shown.map(() => dayWidth + 2)],
          colAligns: ['left', ...shown.map((): Align => 'right')],
          wordWrap: false,
          // Colour comes only from `paint`, as in the list tables.
          style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
        });
        // Each part shows only the times that start a slot on one of its days.
        for (const time of times.filter((t) => shown.some((d) => byCell.has(`${dateKey(d)} ${t}`)))) {
          table.push([
            time,
            ...shown.map((d) => {
              const cell = byCell.get(`${dateKey(d)} ${time}`);
              if (!cell) return '';
              const { text, kind } = cellText(cell);
              return kind === 'open' ? paint.green(text) : kind === 'low' ? paint.yellow(text) : paint.dim(text);
            }),
          ]);
        }
        parts.push(table.toString());
      }
      blocks.push(parts.join('\n') + '\n');
    }
  }
  return blocks.join('\n');
}
