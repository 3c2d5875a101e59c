import type { Item, Page, PageRequest, ResourceDef } from './resources.js';
import type { WixSort } from './query.js';

/** The largest page every Wix list API accepts (wix-wire.md 4.5). */
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
export async function walkList(resource: ResourceDef, fetchPage: FetchPage, opts: PagerOptions, hooks: PagerHooks): Promise<PagerResult> {
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

async function walkOffset(resource: ResourceDef, fetchPage: FetchPage, opts: PagerOptions, hooks: PagerHooks): Promise<PagerResult> {
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
  const offsetEnd = Math.min(end, ceiling);
  const offsets: number[] = [];
  for (let o = start + count; o < offsetEnd; o += pageSize) offsets.push(o);

  if (total === undefined) {
    // No total (too many to count): sequential pages until a short one.
    for (const offset of offsets) {
      const limit = Math.min(pageSize, offsetEnd - offset);
      const page = await fetchPage({ filter: opts.filter, sort, limit, offset });
      count += page.items.length;
      lastItem = page.items[page.items.length - 1] ?? lastItem;
      if (page.items.length) await hooks.sink(page.items);
      hooks.progress?.(count, undefined);
      if (page.items.length < limit) return { count, more: false };
    }
  } else {
    const fetched = await fetchConcurrently(offsets, (offset) => fetchPage({ filter: opts.filter, sort, limit: Math.min(pageSize, offsetEnd - offset), offset }), opts.concurrency, async (page) => {
      count += page.items.length;
      lastItem = page.items[page.items.length - 1] ?? lastItem;
      if (page.items.length) await hooks.sink(page.items);
      hooks.progress?.(count, Math.min(total! - start, want));
    });
    if (!fetched) return { count, total, more: start + count < total };
  }

  if (end <= ceiling || count >= want) return { count, total, more: total !== undefined ? start + count < total : false };
  if (!keyset || opts.sort.length > 0) return ceilingStop(count, total, ceiling, resource);

  // Keyset paging past the ceiling: sort by the key and ask for keys greater than the last one seen.
  for (;;) {
    const lastKey = lastItem?.[keyset];
    const limit = Math.min(pageSize, want - count);
    if (limit <= 0) return { count, total, more: total !== undefined ? start + count < total : true };
    const keyFilter = lastKey === undefined ? opts.filter : andFilter(opts.filter, { [keyset]: { $gt: lastKey } });
    const page = await fetchPage({ filter: keyFilter, sort, limit, offset: 0 });
    count += page.items.length;
    lastItem = page.items[page.items.length - 1] ?? lastItem;
    if (page.items.length) await hooks.sink(page.items);
    hooks.progress?.(count, total === undefined ? undefined : Math.min(total - start, want));
    if (page.items.length < limit) return { count, total, more: false };
  }
}

function ceilingStop(count: number, total: number | undefined, ceiling: number, resource: ResourceDef): PagerResult {
  return {
    count,
    total,
    more: true,
    stoppedReason:
      `The Wix API pages through at most ${ceiling.toLocaleString('en-US')} ${resource.noun} by offset` +
      (resource.keysetField ? '; drop --sort (and --offset) so wixq can page by key past that.' : '.'),
  };
}

/** ANDs two Wix filters without nesting needlessly. */
export function andFilter(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(a).length === 0) return b;
  if (Object.keys(b).length === 0) return a;
  return { $and: [a, b] };
}

/**
 * Runs fetches with at most `concurrency` in flight and delivers results strictly in order; only a window of
 * `concurrency` pages is ever held, so memory stays flat. Returns false if a delivery stopped early.
 */
async function fetchConcurrently<T, R>(inputs: T[], fetchOne: (input: T) => Promise<R>, concurrency: number, deliver: (result: R) => Promise<void>): Promise<boolean> {
  const inFlight = new Map<number, Promise<R>>();
  let launched = 0;
  const launch = (): void => {
    const index = launched++;
    const promise = fetchOne(inputs[index]!);
    promise.catch(() => {}); // observed when its turn comes; never an unhandled rejection meanwhile
    inFlight.set(index, promise);
  };
  const width = Math.max(1, concurrency);
  for (let i = 0; i < inputs.length; i++) {
    while (launched < inputs.length && launched < i + width) launch();
    const result = await inFlight.get(i)!;
    inFlight.delete(i);
    await deliver(result);
  }
  return true;
}
