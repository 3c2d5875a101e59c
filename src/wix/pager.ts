import { IncompleteWalkError, UsageError, WixqError, type IncompleteWalkReason } from '../errors.js';
import { andFilter } from './filter.js';
import { PAGE_SIZE } from '../specs/lists.js';
import type { WixSort } from './query.js';
import type { Item, Page, PageRequest, ResourceDef } from './resources.js';

/** What the pager needs to know of a list: how it pages, its offset ceiling and key, its noun for messages. */
export type Pagination = Pick<ResourceDef, 'noun' | 'paging' | 'maxOffset' | 'keysetField'>;

/** The largest page every Wix list API accepts (docs/wix-api.md 4.5), from the list table. */
export { PAGE_SIZE };

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

/**
 * What a walk that delivered everything it was asked for returns. A walk that cannot throws the incomplete walk
 * (`IncompleteWalkError`, made only by `incompleteWalk` below): never a short result.
 */
export interface PagerResult {
  /** Items delivered to the sink. */
  count: number;
  /** Total matching items, when known. */
  total?: number;
  /** True when more items exist than were delivered (--limit was reached). */
  more: boolean;
  /** No total, and the last page was full when --limit was reached: there may be more (the API did not say). */
  maybeMore?: boolean;
}

/** Fetches one page; the caller wraps it with the session, retries and error mapping. */
export type FetchPage = (request: PageRequest) => Promise<Page>;

export interface PagerHooks {
  /** Receives each page's items in order; may apply backpressure by awaiting. */
  sink: (items: Item[]) => Promise<void>;
  /** Called after each page is delivered: the items so far and the API's total (all that match, not what --limit asked). */
  progress?: (count: number, total: number | undefined) => void;
}

/**
 * Walks a list across pages and hands the items to the sink in order. Offset lists fetch the rest with bounded
 * concurrency once the first page gives the total, and switch to keyset paging past the API's offset ceiling.
 *
 * Every page is accounted for: when the total (or the page's own next cursor) says more follow, a short or empty page
 * is asked for once more and otherwise ends the walk as the incomplete walk (exit 5); so does a cursor seen again or
 * the same page again (an offset the server ignored). A walk the API cannot finish with these flags (the offset
 * ceiling with a sort that cannot page by key) is refused after the first page, before anything is delivered (exit 2).
 */
export async function walkList(resource: Pagination, fetchPage: FetchPage, opts: PagerOptions, hooks: PagerHooks): Promise<PagerResult> {
  return resource.paging === 'cursor' ? walkCursor(resource, fetchPage, opts, hooks) : walkOffset(resource, fetchPage, opts, hooks);
}

/** How many, in words: `100 of 137 products`, or `100 products` without a total. */
function howMany(written: number, total: number | undefined, noun: string): string {
  return `${written.toLocaleString('en-US')}${total === undefined ? '' : ` of ${total.toLocaleString('en-US')}`} ${noun}`;
}

/**
 * The incomplete walk: the one way a walk ends short. `written` items went out before it stopped, of `total` when
 * the API gave one; `why` says what the server did. `wixq api --paginate` ends its walks with it too.
 */
export function incompleteWalk(reason: Exclude<IncompleteWalkReason, 'ceiling'>, written: number, total: number | undefined, noun: string, why: string): IncompleteWalkError {
  return new IncompleteWalkError(`only ${howMany(written, total, noun)} could be read: ${why}`, { reason, written, total }, {
    hint:
      reason === 'short-page'
        ? 'The list may have changed while it was read; try again. What was written is incomplete (a JSON list is left unterminated).'
        : 'The server (or something between wixq and it) does not page as Wix does; what was written is incomplete (a JSON list is left unterminated).',
  });
}

/**
 * A page's identity for "the same page again": its first item (its id where it has one). Pages that follow each other
 * never start with the same item; a server that ignores the offset (or hands out the first page under every cursor)
 * does, whatever the page's size.
 */
export function pagePrint(items: readonly unknown[]): string | undefined {
  if (items.length === 0) return undefined;
  const record = items[0] as { _id?: unknown; id?: unknown } | null;
  const id = record?._id ?? record?.id;
  return typeof id === 'string' || typeof id === 'number' ? `#${id}` : JSON.stringify(record);
}

async function walkCursor(resource: Pagination, fetchPage: FetchPage, opts: PagerOptions, hooks: PagerHooks): Promise<PagerResult> {
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const want = opts.limit ?? Infinity;
  let toSkip = opts.offset; // cursor APIs cannot skip: read and drop
  let count = 0;
  let cursor: string | undefined;
  const followed = new Set<string>();
  let previous: string | undefined;
  for (;;) {
    const remaining = want - count + toSkip;
    const limit = Math.min(pageSize, remaining);
    const request = { filter: opts.filter, sort: opts.sort, limit, cursor };
    let page = await fetchPage(request);
    // A page that names the next one is a full page: a short or empty one is asked for again, once.
    if (page.nextCursor && page.items.length < limit) page = await fetchPage(request);
    const next = page.nextCursor || undefined;
    if (next && page.items.length < limit) {
      const held = page.items.length === 0 ? 'no items' : `${page.items.length} of the ${limit} asked for`;
      throw incompleteWalk('short-page', count, undefined, resource.noun, `the next page held ${held} although it named a page after it (asked twice)`);
    }
    if (next !== undefined && (next === cursor || followed.has(next))) {
      throw incompleteWalk('repeated-cursor', count, undefined, resource.noun, 'the server handed back a cursor the walk had already followed (it would never end)');
    }
    const print = pagePrint(page.items);
    if (print !== undefined && print === previous) {
      throw incompleteWalk('repeated-page', count, undefined, resource.noun, 'the server answered the next page with the same items as the page before');
    }
    previous = print;
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
    if (!next || page.items.length === 0) return { count, more: false };
    if (count >= want) return { count, more: true };
    if (cursor !== undefined) followed.add(cursor);
    cursor = next;
  }
}

async function walkOffset(resource: Pagination, fetchPage: FetchPage, opts: PagerOptions, hooks: PagerHooks): Promise<PagerResult> {
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const want = opts.limit ?? Infinity;
  const start = opts.offset;
  const ceiling = resource.maxOffset ?? Infinity;
  const keyset = resource.keysetField;
  const noun = resource.noun;
  // Keyset paging needs the whole walk in key order; take it from the start when the walk may pass the ceiling.
  const mayPassCeiling = start + want > ceiling;
  const sort = mayPassCeiling && keyset && opts.sort.length === 0 ? [{ fieldName: keyset, order: 'ASC' as const }] : opts.sort;
  const canPassCeiling = keyset !== undefined && opts.sort.length === 0;

  // No API can skip to an offset past its ceiling (keyset paging needs the items before it).
  if (start >= ceiling) throw offsetPastCeiling(start, ceiling, noun);

  const firstLimit = Math.min(pageSize, want, ceiling - start);
  const firstRequest = { filter: opts.filter, sort, limit: firstLimit, offset: start };
  let first = await fetchPage(firstRequest);
  // With a total, the first page is whole too: one more try when it is not.
  const expectedFirst = (page: Page): number => (page.total === undefined ? 0 : Math.min(firstLimit, Math.max(0, page.total - start)));
  const shortFirst = (page: Page): boolean => page.items.length < expectedFirst(page) || (page.total === undefined && page.hasNext === true && page.items.length < firstLimit);
  if (shortFirst(first)) first = await fetchPage(firstRequest);
  const total = first.total;
  if (shortFirst(first)) {
    throw incompleteWalk('short-page', 0, total, noun, `the first page (offset ${start}) held ${held(first.items.length, total === undefined ? firstLimit : expectedFirst(first))} although more were promised (asked twice)`);
  }
  // The end of the walk: what was asked, or the total when it is known.
  const end = Math.min(start + want, total ?? Infinity);
  // What the API cannot reach with these flags is refused now, before anything is written.
  if (total !== undefined && end > ceiling && !canPassCeiling) throw ceilingRefusal(opts, total, end - start, ceiling, resource);

  let count = first.items.length;
  let previous = pagePrint(first.items);
  if (first.items.length) await hooks.sink(first.items);
  hooks.progress?.(count, total);
  if (first.items.length < firstLimit) return { count, total, more: false };

  if (total === undefined) {
    // No total (too many to count): sequential pages until a short one, up to the ceiling.
    const offsetEnd = Math.min(end, ceiling);
    for (let offset = start + count; offset < offsetEnd; offset += pageSize) {
      const limit = Math.min(pageSize, offsetEnd - offset);
      const request = { filter: opts.filter, sort, limit, offset };
      let page = await fetchPage(request);
      // A short page is the end, unless the answer itself says more follow: then once more, else the incomplete walk.
      if (page.items.length < limit && page.hasNext) page = await fetchPage(request);
      if (page.items.length < limit && page.hasNext) {
        throw incompleteWalk('short-page', count, undefined, noun, `the page at offset ${offset} held ${held(page.items.length, limit)} although it said more follow (asked twice)`);
      }
      const print = pagePrint(page.items);
      if (print !== undefined && print === previous) throw repeatedPage(count, total, noun, offset);
      previous = print;
      count += page.items.length;
      if (page.items.length) await hooks.sink(page.items);
      hooks.progress?.(count, undefined);
      if (page.items.length < limit) return { count, more: false };
    }
    // Every page was full up to the ceiling: without a total, what lies past it cannot be known.
    if (offsetEnd < end) throw noTotalAtCeiling(count, ceiling, noun);
    // Every page was full up to --limit: without a total, whether more follow is not known.
    return { count, more: start + count < end, maybeMore: count > 0 };
  }

  await walkSegments({
    fetchPage,
    sort,
    baseFilter: opts.filter,
    pageSize,
    ceiling,
    keyset: canPassCeiling ? keyset : undefined,
    firstOffset: start + count,
    end,
    lastKnown: first.items[first.items.length - 1],
    concurrency: opts.concurrency,
    deliver: async (page, slot) => {
      if (page.items.length < slot.limit) {
        throw incompleteWalk('short-page', count, total, noun, `the page at ${slotPlace(slot)} held ${held(page.items.length, slot.limit)} although the total says more follow (asked twice)`);
      }
      const print = pagePrint(page.items);
      if (print !== undefined && print === previous) throw repeatedPage(count, total, noun, slot.offset);
      previous = print;
      count += page.items.length;
      await hooks.sink(page.items);
      hooks.progress?.(count, total);
    },
  });
  return { count, total, more: start + count < total };
}

/** `99 of the 100 asked for`, `none of the 100 asked for`. */
function held(got: number, asked: number): string {
  return `${got === 0 ? 'none' : got.toLocaleString('en-US')} of the ${asked.toLocaleString('en-US')} asked for`;
}

/** Where a page is, for messages: `offset 100`, or `offset 0 after numericId 1000123` past the ceiling. */
function slotPlace(slot: PageSlot): string {
  return `offset ${slot.offset}${slot.segment.firstIndex > 0 ? ` of the keyset segment from item ${slot.segment.firstIndex.toLocaleString('en-US')}` : ''}`;
}

function repeatedPage(count: number, total: number | undefined, noun: string, offset: number): IncompleteWalkError {
  return incompleteWalk('repeated-page', count, total, noun, `the page at offset ${offset} held the same ${noun} as the page before (the server ignored the offset)`);
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
  /** Takes each page in order; it checks the page against its slot and throws to end the walk. */
  deliver: (page: Page, slot: PageSlot) => Promise<void>;
}

/**
 * Fetches the pages after the first with at most `concurrency` in flight and delivers them strictly in order. Past the
 * offset ceiling it goes on in segments: segment k+1 is "key greater than the last key of segment k", offset-paged
 * from 0 again, so the walk stays parallel past the ceiling. Only the window of pages in flight is ever held, so
 * memory stays flat.
 */
async function walkSegments(w: SegmentWalk): Promise<void> {
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
      const request = { filter: slot.segment.filter, sort: w.sort, limit: slot.limit, offset: slot.offset };
      // Every slot lies within the total, so every page is whole: a short one is asked for once more (and the next
      // segment's key is taken from the page that is delivered).
      promise = w.fetchPage(request).then((page) => (page.items.length < slot.limit ? w.fetchPage(request) : page));
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
    while (i >= slots.length) if (!(await grow())) return;
    for (let j = i; j < Math.min(slots.length, i + width); j++) launch(j);
    // The window reaches the segment's last page: define the next segment now, so its pages start without a pause.
    if (slots.length < i + width && boundary) void grow().catch(() => {});
    const page = await launch(i);
    inFlight.delete(i);
    await w.deliver(page, slots[i]!);
  }
}

/** The ceiling in words: `the Wix API reaches at most 10,000 products by offset`. */
function ceilingText(ceiling: number, noun: string): string {
  return `the Wix API reaches at most ${ceiling.toLocaleString('en-US')} ${noun} by offset`;
}

/** `--all` (or a `--limit` past the ceiling) that the API cannot finish with these flags: refused before anything is written. */
function ceilingRefusal(opts: PagerOptions, total: number, wanted: number, ceiling: number, resource: Pagination): IncompleteWalkError {
  const what = opts.limit === undefined ? `all ${total.toLocaleString('en-US')} ${resource.noun}` : `${wanted.toLocaleString('en-US')} of the ${total.toLocaleString('en-US')} ${resource.noun}`;
  const sorted = opts.sort.length > 0 ? ` sorted by ${opts.sort.map((s) => `${s.order === 'DESC' ? '-' : ''}${s.fieldName}`).join(',')}` : '';
  const past = opts.offset > 0 ? ` from offset ${opts.offset.toLocaleString('en-US')}` : '';
  const byKey = resource.keysetField !== undefined && opts.sort.length > 0;
  return new IncompleteWalkError(
    `cannot list ${what}${sorted}${past}: ${ceilingText(ceiling, resource.noun)}${byKey ? `, and past that wixq can page only in its own order (by ${resource.keysetField})` : ''}`,
    { reason: 'ceiling', written: 0, total },
    {
      hint: byKey
        ? `Drop --sort: wixq then pages past ${ceiling.toLocaleString('en-US')} by key (in ${resource.keysetField} order). Or narrow the list with --filter to ${ceiling.toLocaleString('en-US')} or fewer.`
        : `Narrow the list with --filter to ${ceiling.toLocaleString('en-US')} or fewer.`,
    },
  );
}

/** `--offset` at or past the ceiling: nothing can be fetched from there (keyset paging needs the items before it). */
function offsetPastCeiling(start: number, ceiling: number, noun: string): IncompleteWalkError {
  return new IncompleteWalkError(`--offset ${start.toLocaleString('en-US')} is out of reach: ${ceilingText(ceiling, noun)}`, { reason: 'ceiling', written: 0 }, {
    hint: `Narrow the list with --filter instead of skipping into it, and keep --offset below ${ceiling.toLocaleString('en-US')}.`,
  });
}

/** No total, and every page full up to the ceiling: whether more lie past it cannot be known, so the walk is not whole. */
function noTotalAtCeiling(count: number, ceiling: number, noun: string): IncompleteWalkError {
  return new IncompleteWalkError(
    `only ${howMany(count, undefined, noun)} could be read: Wix gave no total, and ${ceilingText(ceiling, noun)}`,
    { reason: 'ceiling', written: count },
    { hint: `Narrow the list with --filter to ${ceiling.toLocaleString('en-US')} or fewer.` },
  );
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

/**
 * A list at any path, read raw (`wixq api --paginate`): the user's own first request body, whose `query` (or `search`)
 * holds `paging` or `cursorPaging`, and the answers as Wix sends them. The list is the answer's first array field.
 */
export interface AnyListWalk {
  /** `POST /stores/v3/products/query`, for messages. */
  what: string;
  /** The path (and query) alone: `/stores/v3/products/query`. */
  path: string;
  /** The first request body (sent as given). */
  first: Record<string, unknown>;
  /** Sends one page: `text` is the body of a later page (undefined: the first, as given); answers the parsed JSON. */
  fetchPage(text: string | undefined): Promise<unknown>;
  /** Takes each page's items in order, with the list's name (`products`). */
  sink(items: unknown[], noun: string): Promise<void>;
}

/**
 * Walks a list at any path by the paging its first request asks for, one page after another: the same rules as
 * walkList. An empty page although the total, `hasNext` or a next cursor says more follow (or a cursor page short of
 * its limit) is asked for once more and otherwise ends the walk as the incomplete walk (exit 5); so do a cursor seen
 * again and the same page again. A short offset page loses nothing: the next offset follows what came.
 */
export async function walkAnyList(w: AnyListWalk): Promise<{ count: number; total?: number }> {
  const first = w.first;
  const wrapper = 'query' in first || !('search' in first) ? 'query' : 'search';
  let field: string | undefined;
  let body: Record<string, unknown> | undefined = first;
  let text: string | undefined;
  const seenCursors = new Set<string>();
  let written = 0;
  let total: number | undefined;
  let previous: string | undefined;
  const fetchPage = async (): Promise<{ json: Record<string, unknown>; items: unknown[] }> => {
    const json = await w.fetchPage(text);
    if (!isObject(json)) throw new WixqError(`--paginate: the response to ${w.what} is not a JSON object`);
    field ??= listField(json);
    if (field === undefined) {
      throw new UsageError(`--paginate: the response to ${w.what} has no list (no array field) to page through`, {
        hint: 'Drop --paginate for calls that do not return a list.',
      });
    }
    return { json, items: Array.isArray(json[field]) ? (json[field] as unknown[]) : [] };
  };
  while (body) {
    let page = await fetchPage();
    if (shortOfPromise(body, first, wrapper, page.json, page.items.length)) page = await fetchPage();
    const { json, items } = page;
    const noun = field!;
    total ??= totalOf(json);
    const short = shortOfPromise(body, first, wrapper, json, items.length);
    if (short) throw incompleteWalk('short-page', written, total, noun, `the page at ${short} held ${items.length === 0 ? 'no items' : `only ${items.length}`} although more were promised (asked twice)`);
    const print = pagePrint(items);
    if (print !== undefined && print === previous) {
      throw incompleteWalk('repeated-page', written, total, noun, `the next page held the same ${noun} as the page before (the server ignored the offset)`);
    }
    previous = print;
    const next = nextPageBody(body, first, wrapper, json, items.length);
    const cursor = cursorOf(next, wrapper);
    // A server that hands back a cursor it already gave would loop forever.
    if (cursor !== undefined && seenCursors.has(cursor)) {
      throw incompleteWalk('repeated-cursor', written, total, noun, `${w.path} handed back a cursor it had already given (it would never end)`);
    }
    if (cursor !== undefined) seenCursors.add(cursor);
    await w.sink(items, noun);
    written += items.length;
    body = next;
    if (body) text = JSON.stringify(body);
  }
  return { count: written, ...(total !== undefined && { total }) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function metaOf(response: Record<string, unknown>): Record<string, any> {
  return (isObject(response.pagingMetadata) ? response.pagingMetadata : isObject(response.metadata) ? response.metadata : {}) as Record<string, any>;
}

function totalOf(response: Record<string, unknown>): number | undefined {
  const meta = metaOf(response);
  return typeof meta.total === 'number' && meta.tooManyToCount !== true ? meta.total : undefined;
}

/**
 * Where a page fell short of what the answer itself promised (`offset 100`, `the cursor page`), or undefined: an
 * empty offset page although the total or `hasNext` says more follow; a cursor page that names the next one but holds
 * fewer items than its limit (or none).
 */
function shortOfPromise(body: Record<string, unknown>, first: Record<string, unknown>, wrapper: string, response: Record<string, unknown>, count: number): string | undefined {
  const meta = metaOf(response);
  const firstQuery = (isObject(first[wrapper]) ? first[wrapper] : {}) as Record<string, any>;
  if (isObject(meta.cursors) || isObject(firstQuery.cursorPaging)) {
    const next = meta.cursors?.next;
    if (typeof next !== 'string' || next === '') return undefined;
    const limit = firstQuery.cursorPaging?.limit;
    return count === 0 || (typeof limit === 'number' && count < limit) ? 'the cursor page' : undefined;
  }
  if (count > 0) return undefined;
  const query = (isObject(body[wrapper]) ? body[wrapper] : {}) as Record<string, any>;
  const offset = typeof query.paging?.offset === 'number' ? query.paging.offset : 0;
  const total = totalOf(response);
  return (total !== undefined ? offset < total : meta.hasNext === true) ? `offset ${offset}` : undefined;
}

/** The request body of the next page, or undefined after the last one (docs/wix-api.md 4.1 and 4.4). */
function nextPageBody(
  body: Record<string, unknown>,
  first: Record<string, unknown>,
  wrapper: string,
  response: Record<string, unknown>,
  count: number,
): Record<string, unknown> | undefined {
  const meta = metaOf(response);
  const firstQuery = (isObject(first[wrapper]) ? first[wrapper] : {}) as Record<string, any>;
  const cursorMode = isObject(meta.cursors) || isObject(firstQuery.cursorPaging);
  if (cursorMode) {
    const next = meta.cursors?.next;
    if (typeof next !== 'string' || next === '') return undefined;
    // A cursor request carries no filter or sort: the cursor holds them. Top-level options (fields) stay.
    const limit = firstQuery.cursorPaging?.limit;
    return { ...first, [wrapper]: { cursorPaging: { ...(limit !== undefined ? { limit } : {}), cursor: next } } };
  }
  if (count === 0) return undefined;
  const query = (isObject(body[wrapper]) ? body[wrapper] : {}) as Record<string, any>;
  const paging = (isObject(query.paging) ? query.paging : {}) as Record<string, unknown>;
  const offset = (typeof paging.offset === 'number' ? paging.offset : 0) + count;
  const total = totalOf(response);
  const more = total !== undefined ? offset < total : meta.hasNext === true || (typeof paging.limit === 'number' && count >= paging.limit);
  if (!more) return undefined;
  return { ...body, [wrapper]: { ...query, paging: { ...paging, offset } } };
}

function cursorOf(body: Record<string, unknown> | undefined, wrapper: string): string | undefined {
  const cursor = (body?.[wrapper] as { cursorPaging?: { cursor?: unknown } } | undefined)?.cursorPaging?.cursor;
  return typeof cursor === 'string' ? cursor : undefined;
}

/** The list in a response: its first array-valued field (`products`, `services`, ...). */
function listField(response: Record<string, unknown>): string | undefined {
  return Object.keys(response).find((key) => Array.isArray(response[key]));
}
