import type { CommandContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { createListWriter } from '../../output/render.js';
import type { ColumnSpec } from '../../output/render.js';
import { parseFields } from '../../wix/query.js';
import { services as servicesResource, type Item } from '../../wix/resources.js';
import { instantOfLocal, localTimeZone, localWithOffset, parseLocalDate, validateTimeZone } from '../../wix/time-zone.js';
import { progressReporter } from '../list/progress.js';

export interface SlotsFlags {
  from?: string;
  to?: string;
  tz?: string;
  fields?: string;
  includeFull?: boolean;
}

/** Checked slot options: the local range and zone the Time Slots APIs take (wix-wire.md section 10). */
export interface SlotsOptions {
  fromLocal: string;
  toLocal: string;
  timeZone: string;
  fields?: string[];
  includeFull: boolean;
}

const MAX_DAYS = 62;

/** Validates the slot flags before any request; defaults: today to +7 days in the local time zone. */
export function parseSlotsFlags(flags: SlotsFlags, nowMs: number = Date.now()): SlotsOptions {
  const timeZone = validateTimeZone(flags.tz ?? localTimeZone());
  const fromLocal = parseLocalDate(flags.from ?? 'today', '--from', timeZone, nowMs);
  const toLocal = parseLocalDate(flags.to ?? '+7d', '--to', timeZone, nowMs, fromLocal);
  const span = instantOfLocal(toLocal, timeZone) - instantOfLocal(fromLocal, timeZone);
  if (span <= 0) throw new UsageError(`--to (${toLocal}) must be after --from (${fromLocal})`);
  if (span > MAX_DAYS * 86_400_000) throw new UsageError(`the range from --from to --to may span at most ${MAX_DAYS} days`);
  return { fromLocal, toLocal, timeZone, fields: parseFields(flags.fields), includeFull: Boolean(flags.includeFull) };
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

export const slotColumns: ColumnSpec[] = [
  { header: 'Service', path: 'serviceName' },
  { header: 'Start', path: 'start' },
  { header: 'End', path: 'end' },
  { header: 'Bookable', path: 'bookable', format: (v) => (v === true ? 'yes' : v === false ? 'no' : '') },
  { header: 'Spots', path: 'remainingCapacity', format: spots, align: 'right' },
  { header: 'Staff', path: 'availableResources', format: staff },
];

interface SlotsPage {
  timeSlots?: Item[];
  cursorPagingMetadata?: { cursors?: { next?: string | null } };
  pagingMetadata?: { cursors?: { next?: string | null } };
}

/** `wixq slots`: bookable time slots of appointment and class services, times printed with their offset. */
export async function runSlots(serviceRefs: string[], options: SlotsOptions, ctx: CommandContext): Promise<void> {
  const { format } = ctx.settings();
  ctx.clientId();
  const found: Item[] = [];
  for (const ref of serviceRefs) {
    found.push(await ctx.api().call(servicesResource.modules, `get service "${ref}"`, (c) => servicesResource.get(c, ref)));
  }
  const writer = createListWriter(ctx.io, format, { columns: slotColumns, fields: options.fields, noun: 'time slots' });
  const progress = progressReporter(ctx.io, 'time slots');
  let count = 0;
  try {
    for (const service of found) {
      const id = String(service._id);
      const name = String(service.name ?? id);
      const type = String(service.type ?? '');
      if (type !== 'APPOINTMENT' && type !== 'CLASS') {
        ctx.warn(`Skipping "${name}": ${type ? type.toLowerCase() : 'this'} services have no bookable time slots (only appointments and classes do).`);
        continue;
      }
      let cursor: string | undefined;
      do {
        const base = { fromLocalDate: options.fromLocal, toLocalDate: options.toLocal, timeZone: options.timeZone, ...(cursor ? { cursorPaging: { cursor } } : {}) };
        const page: SlotsPage =
          type === 'APPOINTMENT'
            ? await ctx.api().call(['availabilityTimeSlots'], `list time slots of "${name}"`, (c) =>
                c.availabilityTimeSlots.listAvailabilityTimeSlots({ serviceId: id, ...(options.includeFull ? {} : { bookable: true }), ...base }),
              )
            : await ctx.api().call(['eventTimeSlots'], `list class time slots of "${name}"`, (c) =>
                c.eventTimeSlots.listEventTimeSlots({ serviceIds: [id], includeNonBookable: options.includeFull, ...base }),
              );
        for (const slot of page.timeSlots ?? []) {
          const zone = options.timeZone;
          await writer.write({
            ...slot,
            serviceName: name,
            serviceType: type,
            start: typeof slot.localStartDate === 'string' ? localWithOffset(slot.localStartDate, zone) : undefined,
            end: typeof slot.localEndDate === 'string' ? localWithOffset(slot.localEndDate, zone) : undefined,
            timeZone: zone,
          });
          count++;
        }
        progress.update(count, undefined);
        cursor = (page.cursorPagingMetadata ?? page.pagingMetadata)?.cursors?.next ?? undefined;
      } while (cursor);
    }
  } finally {
    progress.done();
  }
  await writer.close();
}
