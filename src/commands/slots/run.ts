import type { CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { createListWriter, terminalWidth } from '../../output/render.js';
import type { ColumnSpec, ListWriter } from '../../output/render.js';
import { clockOf, guardOutput, writeOutput, type IO } from '../../output/io.js';
import { listSlotsPage, locationLabel, matchLocations, MAX_SLOT_LOCATIONS, serviceLocations, slotsModule, type ServiceLocation, type SlotsQuery } from '../../wix/bookings.js';
import { parseFields } from '../../wix/query.js';
import { services as servicesResource, type Item } from '../../wix/resources.js';
import { instantOfLocal, localTimeZone, localWithOffset, parseLocalDate, validateTimeZone } from '../../wix/time-zone.js';
import { yesNo } from '../list/columns.js';
import { progressReporter } from '../list/progress.js';
import type { ViewSlot } from '../../output/week-grid.js';

export interface SlotsFlags {
  from?: string;
  to?: string;
  tz?: string;
  fields?: string;
  includeFull?: boolean;
  location?: string[];
  week?: boolean;
}

/** Checked slot options: the local range and zone the Time Slots APIs take (`fromLocalDate`, `toLocalDate`, `timeZone` of ListAvailabilityTimeSlotsOptions). */
export interface SlotsOptions {
  fromLocal: string;
  toLocal: string;
  timeZone: string;
  fields?: string[];
  includeFull: boolean;
  /** Location ids or names, as given (matched against each service's locations once the services are read). */
  locations: string[];
  /** Draw week grids instead of a list (tables only). */
  week: boolean;
}

const MAX_DAYS = 62;

/** Validates the slot flags before any request; defaults: today to +7 days in the local time zone. */
/** The flags parsed at the run's now (IO.clock): `today`, `now` and `+7d` are the clock's. */
export function parseSlotsFlagsNow(flags: SlotsFlags, io: IO): SlotsOptions {
  return parseSlotsFlags(flags, clockOf(io).now());
}

export function parseSlotsFlags(flags: SlotsFlags, nowMs: number): SlotsOptions {
  const timeZone = validateTimeZone(flags.tz ?? localTimeZone());
  const fromLocal = parseLocalDate(flags.from ?? 'today', '--from', timeZone, nowMs);
  const toLocal = parseLocalDate(flags.to ?? '+7d', '--to', timeZone, nowMs, fromLocal);
  const span = instantOfLocal(toLocal, timeZone) - instantOfLocal(fromLocal, timeZone);
  if (span <= 0) throw new UsageError(`--to (${toLocal}) must be after --from (${fromLocal})`);
  if (span > MAX_DAYS * 86_400_000) throw new UsageError(`the range from --from to --to may span at most ${MAX_DAYS} days`);
  const locations = [...new Set((flags.location ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
  if (flags.location !== undefined && locations.length === 0) throw new UsageError('--location needs a location ID or name');
  if (locations.length > MAX_SLOT_LOCATIONS) throw new UsageError(`--location takes at most ${MAX_SLOT_LOCATIONS} locations (the Time Slots API's limit), got ${locations.length}`);
  if (flags.week && flags.fields !== undefined) throw new UsageError('--week draws its own grid: --fields does not apply to it');
  return { fromLocal, toLocal, timeZone, fields: parseFields(flags.fields), includeFull: Boolean(flags.includeFull), locations, week: Boolean(flags.week) };
}

const spots = (_v: unknown, item: Item): string => {
  const remaining = item.remainingCapacity;
  const total = item.totalCapacity;
  if (typeof remaining !== 'number' && typeof total !== 'number') return '';
  return `${remaining ?? '?'}/${total ?? '?'}`;
};

const staff = (_v: unknown, item: Item): string => {
  const groups = (item.availableResources ?? []) as Array<{ resources?: Array<{ name?: string }> }>;
  return groups.flatMap((g) => (g.resources ?? []).map((r) => r.name ?? '')).filter(Boolean).join(', ');
};

const place = (_v: unknown, item: Item): string => {
  const location = item.location as Parameters<typeof locationLabel>[0] | undefined;
  return location ? locationLabel(location) : '';
};

export const slotColumns: ColumnSpec[] = [
  { header: 'Service', path: 'serviceName' },
  { header: 'Start', path: 'start' },
  { header: 'End', path: 'end' },
  { header: 'Location', path: 'location.name', format: place },
  { header: 'Bookable', path: 'bookable', format: yesNo },
  { header: 'Spots', path: 'remainingCapacity', format: spots, align: 'right' },
  { header: 'Staff', path: 'availableResources', format: staff },
];

/** A person's slot table: the date and local time span whole in one column (`Wed 2 Dec  15:00–16:00`), the rest fitted around it. */
function slotTableWriter(ctx: CommandContext, options: SlotsOptions, views: Views): ListWriter {
  guardOutput(ctx.io.out);
  const columns: Array<{ header: string; cell: (item: Item) => string; align?: 'right'; whole?: boolean }> = [
    { header: 'Service', cell: (item) => String(item.serviceName ?? '') },
    { header: 'When', cell: (item) => (typeof item.localStartDate === 'string' && typeof item.localEndDate === 'string' ? views.compactSpan(item.localStartDate, item.localEndDate) : ''), whole: true },
    { header: 'Location', cell: (item) => place(undefined, item) },
    // Without --include-full every slot shown is bookable, so the column would say nothing.
    ...(options.includeFull ? [{ header: 'Open', cell: (item: Item) => yesNo(item.bookable) }] : []),
    { header: 'Spots', cell: (item) => spots(undefined, item), align: 'right' as const },
    { header: 'Staff', cell: (item) => staff(undefined, item) },
  ];
  const rows: string[][] = [];
  return {
    async write(item) {
      rows.push(columns.map((c) => c.cell(item)));
    },
    async close() {
      if (rows.length === 0) {
        ctx.warn('No time slots found.');
        return { count: 0 };
      }
      const width = terminalWidth(ctx.io);
      const table = views.renderTableKeeping(columns.map((c) => c.header), rows, columns.map((c) => c.align ?? 'left'), columns.map((c) => Boolean(c.whole)), { width, color: ctx.io.color });
      await writeOutput(ctx.io.out, table.text + '\n');
      ctx.warn(`Times are local to ${options.timeZone}.`);
      if (table.droppedColumns > 0) {
        const n = table.droppedColumns;
        ctx.warn(`${n} column${n === 1 ? '' : 's'} did not fit the terminal; pick fewer with --fields, or use -o csv or -o json.`);
      }
      return { count: rows.length };
    },
  };
}

/** `--week`: the slots collected, then drawn as week grids per service. */
function weekGridWriter(ctx: CommandContext, options: SlotsOptions, views: Views): ListWriter {
  guardOutput(ctx.io.out);
  const slots: ViewSlot[] = [];
  return {
    async write(item) {
      if (typeof item.localStartDate !== 'string' || typeof item.localEndDate !== 'string') return;
      slots.push({
        service: String(item.serviceName ?? ''),
        localStart: item.localStartDate,
        localEnd: item.localEndDate,
        ...(typeof item.bookable === 'boolean' && { bookable: item.bookable }),
        // For classes with a waitlist only bookableCapacity counts what can be booked (TimeSlot.remainingCapacity's doc).
        ...(typeof (item.bookableCapacity ?? item.remainingCapacity) === 'number' && { remaining: (item.bookableCapacity ?? item.remainingCapacity) as number }),
      });
    },
    async close() {
      if (slots.length === 0) {
        ctx.warn('No time slots found.');
        return { count: 0 };
      }
      await writeOutput(ctx.io.out, views.renderWeekGrid(slots, { fromLocal: options.fromLocal, toLocal: options.toLocal, width: terminalWidth(ctx.io), color: ctx.io.color }));
      ctx.warn(`Open spots per start time, local to ${options.timeZone}.`);
      return { count: slots.length };
    },
  };
}

type Views = typeof import('../../output/week-grid.js');
// The views (chalk, cli-table3) load only when a person's table is drawn.
const loadViews = (): Promise<Views> => import('../../output/week-grid.js');

/** What to do with one service: list its slots (at these locations, when --location is given) or skip it, saying why. */
type Plan = { service: Item; name: string; skip: string } | { service: Item; name: string; type: SlotsQuery['type']; locations?: ServiceLocation[] };

const describeLocations = (locations: ServiceLocation[]): string => {
  const selectable = locations.filter((l) => l.id);
  return selectable.length ? selectable.map((l) => `${l.name ?? '(no name)'} (${l.id})`).join(', ') : 'no business locations';
};

/** Decides per service before any slot request; a --location no service has is a usage error (exit 2). */
function planSlots(found: Item[], wanted: string[]): Plan[] {
  const plans: Plan[] = [];
  const seen = new Set<string>();
  const offers: string[] = [];
  for (const service of found) {
    const name = String(service.name ?? service._id);
    const type = String(service.type ?? '');
    if (type !== 'APPOINTMENT' && type !== 'CLASS') {
      plans.push({ service, name, skip: `Skipping "${name}": ${type ? type.toLowerCase() : 'this'} services have no bookable time slots (only appointments and classes do).` });
      continue;
    }
    if (wanted.length === 0) {
      plans.push({ service, name, type });
      continue;
    }
    const locations = serviceLocations(service);
    const { matched, unmatched } = matchLocations(wanted, locations);
    wanted.filter((w) => !unmatched.includes(w)).forEach((w) => seen.add(w));
    offers.push(`"${name}" is offered at: ${describeLocations(locations)}`);
    plans.push(matched.length ? { service, name, type, locations: matched } : { service, name, skip: `Skipping "${name}": it is not offered at ${wanted.join(', ')}.` });
  }
  const unknown = wanted.filter((w) => !seen.has(w));
  if (unknown.length && offers.length) {
    throw new UsageError(`unknown location${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}`, {
      hint: `${offers.join('\n')}\n--location takes a location ID or name (any case).`,
    });
  }
  return plans;
}

/** `wixq slots`: bookable time slots of appointment and class services, times printed with their offset. */
export async function runSlots(serviceRefs: string[], options: SlotsOptions, ctx: CommandContext): Promise<void> {
  const { format } = ctx.settings();
  if (options.week && format !== 'table') {
    throw new UsageError(`--week draws a grid for the terminal and has no ${format} form`, { hint: 'Use -o table with --week (also when piping), or leave --week out for JSON, CSV or NDJSON.' });
  }
  ctx.clientId();
  const found: Item[] = [];
  for (const ref of serviceRefs) {
    found.push(await ctx.api().call(servicesResource.modules, `get service "${ref}"`, (c) => servicesResource.get(c, ref)));
  }
  const plans = planSlots(found, options.locations);
  const personal = format === 'table' && !options.fields;
  const writer = options.week
    ? weekGridWriter(ctx, options, await loadViews())
    : personal
      ? slotTableWriter(ctx, options, await loadViews())
      : createListWriter(ctx.io, format, { columns: slotColumns, fields: options.fields, noun: 'time slots' });
  const progress = progressReporter(ctx.io, 'time slots');
  let count = 0;
  try {
    for (const plan of plans) {
      if ('skip' in plan) {
        ctx.warn(plan.skip);
        continue;
      }
      const locationIds = plan.locations?.map((l) => l.id!);
      const query: SlotsQuery = {
        serviceId: String(plan.service._id),
        type: plan.type,
        fromLocal: options.fromLocal,
        toLocal: options.toLocal,
        timeZone: options.timeZone,
        includeFull: options.includeFull,
        ...(locationIds && { locationIds }),
      };
      const action = plan.type === 'APPOINTMENT' ? `list time slots of "${plan.name}"` : `list class time slots of "${plan.name}"`;
      // Class slot requests take no locations, so --location applies to what they answer (each slot names its place).
      const keep = (slot: Item): boolean =>
        plan.type === 'APPOINTMENT' || !locationIds || locationIds.includes(String((slot.location as { _id?: string } | undefined)?._id));
      let cursor: string | undefined;
      do {
        const page = await ctx.api().call([slotsModule(plan.type)], action, (c) => listSlotsPage(c, query, cursor));
        for (const slot of page.slots.filter(keep)) {
          const zone = options.timeZone;
          await writer.write({
            ...slot,
            serviceName: plan.name,
            serviceType: plan.type,
            start: typeof slot.localStartDate === 'string' ? localWithOffset(slot.localStartDate, zone) : undefined,
            end: typeof slot.localEndDate === 'string' ? localWithOffset(slot.localEndDate, zone) : undefined,
            timeZone: zone,
          });
          count++;
        }
        progress.update(count, undefined);
        cursor = page.nextCursor;
      } while (cursor);
    }
  } finally {
    progress.done();
  }
  await writer.close();
}
