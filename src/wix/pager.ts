import { andFilter } from './filter.js';
import type { Item, Page, PageRequest, ResourceDef } from './resources.js';

/** What the pager needs to know of a list: how it pages, its offset ceiling and key, its noun for messages. */
export type Pagination = Pick<ResourceDef, 'noun' | 'paging' | 'maxOffset' | 'keysetField'>;
import type { WixSort } from './query.js';

/** The largest page every Wix list API accepts (docs/wix-api.md 4.5). */
export const PAGE_SIZE = 100;

export interface PagerOptions {
  filter: Record<string, unknown>;
  sort: WixSort[];
  /** At most this many items; undefined means all of them. */
  limit?: number;
  offset: number;
  /** Pages in flight at once for offset lists, after the first page has given the total. */
  concurrency: number;
  pageSize?: number;
}

export interface PagerResult {
  /** Items delivered to the sink. */
  count: number;
  /** Total matching items, when known. */
  total?: number;
  /** True when more items exist than were delivered. */
  more: boolean;
  /** No total, and the last page was full when --limit was reached: there may be more (the API did not say). */
  maybeMore?: boolean;
  /** Why the listing stopped short of what was asked, if it did. */
  stoppedReason?: string;
}

/** Fetches one page; the caller wraps it with the session, retries and error mapping. */
export type FetchPage = (request: PageRequest) => Promise<Page>;

export interface PagerHooks {
  /** Receives each page's items in order; may apply backpressure by awaiting. */
  sink: (items: Item[]) => Promise<void>;
  /** Called after each page is delivered. */
  progress?: (count: number, total: number | undefined) => void;
}

/**
 * Walks a list across pages and hands the items to the sink in order. Offset lists fetch the rest with bounded
 * concurrency once the first page gives the total, and switch to keyset paging past the API's offset ceiling.
 */
export async function walkList(resource: Pagination, fetchPage: FetchPage, opts: PagerOptions, hooks: PagerHooks): Promise<PagerResult> {
  return resource.paging === 'cursor' ? walkCursor(fetchPage, opts, hooks) : walkOffset(resource, fetchPage, opts, hooks);
}

async function walkCursor(fetchPage: FetchPage, opts: PagerOptions, hooks: PagerHooks): Promise<PagerResult> {
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const want = opts.limit ?? Infinity;
  let toSkip = opts.offset; // cursor APIs cannot skip: read and drop
  let count = 0;
  let cursor: string | undefined;
  for (;;) {
    const remaining = want - count + toSkip;
    const limit = Math.min(pageSize, remaining);
    const page = await fetchPage({ filter: opts.filter, sort: opts.sort, limit, cursor });
    let items = page.items;
    if (toSkip > 0) {
      const dropped = Math.min(toSkip, items.length);
      items = items.slice(dropped);
      toSkip -= dropped;
    }
    if (items.length > want - count) items = items.slice(0, want - count);
    if (items.length) await hooks.sink(items);
    count += items.length;
    hooks.progress?.(count, undefined);
    const next = page.nextCursor || undefined;
    if (!next || page.items.length === 0) return { count, more: false };
    if (count >= want) return { count, more: true };
    cursor = next;
  }
}

async function walkOffset(resource: Pagination, fetchPage: FetchPage, opts: PagerOptions, hooks: PagerHooks): Promise<PagerResult> {
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const want = opts.limit ?? Infinity;
  const start = opts.offset;
  const ceiling = resource.maxOffset ?? Infinity;
  const keyset = resource.keysetField;
  // Keyset paging needs the whole walk in key order; take it from the start when the walk may pass the ceiling.
  const mayPassCeiling = start + want > ceiling;
  const sort = mayPassCeiling && keyset && opts.sort.length === 0 ? [{ fieldName: keyset, order: 'ASC' as const }] : opts.sort;

  // No API can skip to an offset past its ceiling (keyset paging needs the items before it).
  if (start >= ceiling) return ceilingStop(0, undefined, ceiling, resource);

  const firstLimit = Math.min(pageSize, want, Math.max(0, ceiling - start));
  let count = 0;
  let total: number | undefined;
  let lastItem: Item | undefined;
  if (firstLimit > 0) {
    const first = await fetchPage({ filter: opts.filter, sort, limit: firstLimit, offset: start });
    total = first.total;
    count += first.items.length;
    lastItem = first.items[first.items.length - 1] ?? lastItem;
    if (first.items.length) await hooks.sink(first.items);
    hooks.progress?.(count, total === undefined ? undefined : Math.min(total - start, want));
    if (first.items.length < firstLimit) return { count, total, more: false };
  }

  // The end of the walk: what was asked, or the total when it is known.
  const end = Math.min(start + want, total ?? Infinity);

  if (total === undefined) {
    // No total (too many to count): sequential pages until a short one, up to the ceiling.
    const offsetEnd = Math.min(end, ceiling);
    for (let offset = start + count; offset < offsetEnd; offset += pageSize) {
      const limit = Math.min(pageSize, offsetEnd - offset);
      const page = await fetchPage({ filter: opts.filter, sort, limit, offset });
      count += page.items.length;
      if (page.items.length) await hooks.sink(page.items);
      hooks.progress?.(count, undefined);
      if (page.items.length < limit) return { count, more: false };
    }
    // Every page was full up to --limit: without a total, whether more follow is not known.
    return offsetEnd < end ? ceilingStop(count, total, ceiling, resource) : { count, more: start + count < end, maybeMore: count > 0 };
  }

  const canPassCeiling = keyset !== undefined && opts.sort.length === 0;
  const walked = await walkSegments({
    fetchPage,
    sort,
    baseFilter: opts.filter,
    pageSize,
    ceiling,
    keyset: canPassCeiling ? keyset : undefined,
    firstOffset: start + count,
    end,
    lastKnown: lastItem,
    concurrency: opts.concurrency,
    deliver: async (page) => {
      count += page.items.length;
      if (page.items.length) await hooks.sink(page.items);
      hooks.progress?.(count, Math.min(total - start, want));
    },
  });
  if (!walked.complete) return { count, total, more: false };
  if (end > ceiling && !canPassCeiling) return ceilingStop(count, total, ceiling, resource);
  return { count, total, more: start + count < total };
}

/** A run of at most `ceiling` items that offset paging can reach: the items after `afterKey` (or the start), in key order. */
interface Segment {
  filter: Record<string, unknown>;
  /** Index, in the whole sorted list, of the segment's offset 0. */
  firstIndex: number;
}

interface PageSlot {
  segment: Segment;
  offset: number;
  limit: number;
}

interface SegmentWalk {
  fetchPage: FetchPage;
  sort: WixSort[];
  baseFilter: Record<string, unknown>;
  pageSize: number;
  ceiling: number;
  /** The key to continue past the ceiling by; undefined: stop at the ceiling. */
  keyset?: string;
  /** Offset of the first page still to fetch (the first page was fetched by the caller). */
  firstOffset: number;
  /** Index one past the last item wanted. */
  end: number;
  /** The last item the caller already has (the key of a segment that holds nothing more to fetch). */
  lastKnown?: Item;
  concurrency: number;
  deliver: (page: Page) => Promise<void>;
}

/**
 * Fetches the pages after the first with at most `concurrency` in flight and delivers them strictly in order. Past the
 * offset ceiling it goes on in segments: segment k+1 is "key greater than the last key of segment k", offset-paged
 * from 0 again, so the walk stays parallel past the ceiling. Only the window of pages in flight is ever held, so
 * memory stays flat.
 */
async function walkSegments(w: SegmentWalk): Promise<{ complete: boolean }> {
  const slots: PageSlot[] = [];
  const inFlight = new Map<number, Promise<Page>>();
  // The slot whose last item is the key the next segment starts after; -1: no next segment.
  let boundarySlot = -1;
  let boundary: Promise<Item | undefined> | undefined;
  let last: Segment = { filter: w.baseFilter, firstIndex: 0 };
  let growing: Promise<boolean> | undefined;

  const launch = (index: number): Promise<Page> => {
    let promise = inFlight.get(index);
    if (!promise) {
      const slot = slots[index]!;
      promise = w.fetchPage({ filter: slot.segment.filter, sort: w.sort, limit: slot.limit, offset: slot.offset });
      promise.catch(() => {}); // observed when its turn comes; never an unhandled rejection meanwhile
      inFlight.set(index, promise);
      if (index === boundarySlot) boundary = promise.then((page) => page.items[page.items.length - 1]);
    }
    return promise;
  };

  const addSegment = (segment: Segment, fromOffset: number): void => {
    const segmentEnd = Math.min(w.ceiling, w.end - segment.firstIndex);
    const firstSlot = slots.length;
    for (let offset = fromOffset; offset < segmentEnd; offset += w.pageSize) {
      slots.push({ segment, offset, limit: Math.min(w.pageSize, segmentEnd - offset) });
    }
    last = segment;
    boundary = undefined;
    boundarySlot = -1;
    const continues = w.keyset !== undefined && segmentEnd === w.ceiling && segment.firstIndex + w.ceiling < w.end;
    if (continues && slots.length > firstSlot) boundarySlot = slots.length - 1;
    else if (continues) boundary = Promise.resolve(w.lastKnown);
  };

  /** Adds the next segment once the last key of the current one is known; false when there is none. */
  const grow = (): Promise<boolean> =>
    (growing ??= (async () => {
      if (!boundary && boundarySlot >= 0) launch(boundarySlot);
      if (!boundary) return false;
      const lastItem = await boundary;
      const key = keysetValue(lastItem?.[w.keyset!]);
      if (key === undefined) return false;
      addSegment({ filter: andFilter(w.baseFilter, { [w.keyset!]: { $gt: key } }), firstIndex: last.firstIndex + w.ceiling }, 0);
      return true;
    })().finally(() => {
      growing = undefined;
    }));

  addSegment(last, w.firstOffset);
  const width = Math.max(1, w.concurrency);
  for (let i = 0; ; i++) {
    while (i >= slots.length) if (!(await grow())) return { complete: true };
    for (let j = i; j < Math.min(slots.length, i + width); j++) launch(j);
    // The window reaches the segment's last page: define the next segment now, so its pages start without a pause.
    if (slots.length < i + width && boundary) void grow().catch(() => {});
    const page = await launch(i);
    inFlight.delete(i);
    await w.deliver(page);
    // A short page means the data changed under the walk: what follows would not line up, so stop here.
    if (page.items.length < slots[i]!.limit) return { complete: false };
  }
}

function ceilingStop(count: number, total: number | undefined, ceiling: number, resource: Pagination): PagerResult {
  return {
    count,
    total,
    more: true,
    stoppedReason:
      `The Wix API pages through at most ${ceiling.toLocaleString('en-US')} ${resource.noun} by offset` +
      (resource.keysetField ? '; drop --sort (and --offset) so wixq can page by key past that.' : '.'),
  };
}


/**
 * The key to continue after, as Wix compares it: V1 answers `numericId` as a digit string ("1608035843758000") but
 * filters and sorts it as a number, so a digit string goes out as a number (exact below 2^53, which Wix's ids are).
 */
export function keysetValue(value: unknown): string | number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  if (typeof value === 'string' && /^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
  return value as string | number;
}
