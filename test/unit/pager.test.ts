import { describe, expect, it } from 'vitest';
import { walkList } from '../../src/wix/pager.js';
import type { Item, Page, PageRequest, ResourceDef } from '../../src/wix/resources.js';

/** A fake offset API over n items with numericId keys, an offset ceiling, and a record of every request. */
function offsetApi(n: number, options: { ceiling?: number; delays?: (offset: number) => number } = {}) {
  const items: Item[] = Array.from({ length: n }, (_, i) => ({ _id: `p${i}`, numericId: String(1_000_000 + i) }));
  const requests: PageRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const resource = {
    noun: 'things',
    singular: 'thing',
    modules: [],
    paging: 'offset',
    maxOffset: options.ceiling,
    keysetField: 'numericId',
    list: async () => ({ items: [] }),
    get: async () => ({}),
  } as unknown as ResourceDef;
  const fetchPage = async (req: PageRequest): Promise<Page> => {
    requests.push(req);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const offset = req.offset ?? 0;
    if (options.ceiling !== undefined && offset + req.limit > options.ceiling) throw new Error(`offset ${offset} + ${req.limit} past the ceiling`);
    if (req.limit > 100) throw new Error('limit above 100');
    await new Promise((r) => setTimeout(r, options.delays?.(offset) ?? 0));
    let matching = items;
    const gt = (req.filter as any)?.numericId?.$gt ?? (req.filter as any)?.$and?.[1]?.numericId?.$gt;
    if (gt !== undefined) matching = items.filter((x) => String(x.numericId) > gt);
    inFlight--;
    return { items: matching.slice(offset, offset + req.limit), total: matching.length };
  };
  return { resource, fetchPage, requests, maxInFlight: () => maxInFlight, items };
}

async function collect(resource: ResourceDef, fetchPage: (r: PageRequest) => Promise<Page>, opts: Partial<Parameters<typeof walkList>[2]>) {
  const got: Item[] = [];
  const result = await walkList(resource, fetchPage, { filter: {}, sort: [], offset: 0, concurrency: 4, ...opts }, { sink: async (items) => void got.push(...items) });
  return { got, result };
}

describe('walkList over offset pages', () => {
  it('--limit crosses pages of at most 100 and reports the total', async () => {
    const api = offsetApi(537);
    const { got, result } = await collect(api.resource, api.fetchPage, { limit: 250 });
    expect(got.map((x) => x._id)).toEqual(api.items.slice(0, 250).map((x) => x._id));
    expect(result).toMatchObject({ count: 250, total: 537, more: true });
    expect(api.requests.map((r) => [r.offset, r.limit])).toEqual([[0, 100], [100, 100], [200, 50]]);
  });

  it('--all delivers every item once and in order although pages complete out of order, 4 at a time', async () => {
    const api = offsetApi(1234, { delays: (offset) => ((offset / 100) % 3) * 5 });
    const { got, result } = await collect(api.resource, api.fetchPage, {});
    expect(got.map((x) => x._id)).toEqual(api.items.map((x) => x._id));
    expect(result).toMatchObject({ count: 1234, more: false });
    expect(api.maxInFlight()).toBe(4);
    expect(api.requests).toHaveLength(13);
  });

  it('switches to keyset paging past the offset ceiling, sorted by the key', async () => {
    const api = offsetApi(2_345, { ceiling: 1_000 });
    const { got, result } = await collect(api.resource, api.fetchPage, {});
    expect(got.map((x) => x._id)).toEqual(api.items.map((x) => x._id));
    expect(result.more).toBe(false);
    expect(api.requests.every((r) => r.sort[0]?.fieldName === 'numericId')).toBe(true);
    const keyset = api.requests.filter((r) => (r.filter as any).numericId);
    expect(keyset.length).toBe(14);
    // Wix answers numericId as a digit string but compares it as a number: the key goes out as a number.
    expect(keyset.every((r) => typeof (r.filter as any).numericId.$gt === 'number')).toBe(true);
  });

  it('pages past the ceiling in parallel too: each segment after a key is offset-paged from 0 again', async () => {
    const api = offsetApi(3_000, { ceiling: 1_000, delays: () => 2 });
    let inFlightPastCeiling = 0;
    let maxPastCeiling = 0;
    const tracked = async (req: PageRequest): Promise<Page> => {
      const past = JSON.stringify(req.filter).includes('$gt');
      if (past) maxPastCeiling = Math.max(maxPastCeiling, ++inFlightPastCeiling);
      try {
        return await api.fetchPage(req);
      } finally {
        if (past) inFlightPastCeiling--;
      }
    };
    const { got, result } = await collect(api.resource, tracked, { concurrency: 4 });
    expect(got.map((x) => x._id)).toEqual(api.items.map((x) => x._id));
    expect(result).toMatchObject({ count: 3_000, more: false });
    expect(maxPastCeiling).toBe(4);
    expect(api.requests).toHaveLength(30);
    expect(api.requests.every((r) => (r.offset ?? 0) + r.limit <= 1_000)).toBe(true);
  });

  it('stops at the ceiling with a reason when a --sort rules out keyset paging', async () => {
    const api = offsetApi(1_500, { ceiling: 1_000 });
    const { got, result } = await collect(api.resource, api.fetchPage, { sort: [{ fieldName: 'name', order: 'ASC' }] });
    expect(got).toHaveLength(1_000);
    expect(result.more).toBe(true);
    expect(result.stoppedReason).toMatch(/drop --sort/);
  });

  it('--offset skips items', async () => {
    const api = offsetApi(300);
    const { got } = await collect(api.resource, api.fetchPage, { offset: 150, limit: 120 });
    expect(got.map((x) => x._id)).toEqual(api.items.slice(150, 270).map((x) => x._id));
  });
});

describe('walkList over cursor pages', () => {
  const items = Array.from({ length: 345 }, (_, i) => ({ _id: `v${i}` }));
  const resource = { paging: 'cursor', noun: 'things' } as unknown as ResourceDef;
  const fetchPage = async (req: PageRequest): Promise<Page> => {
    const start = req.cursor ? Number(req.cursor) : 0;
    const next = start + req.limit < items.length ? String(start + req.limit) : null;
    return { items: items.slice(start, start + req.limit), nextCursor: next };
  };

  it('walks every page once, sequentially', async () => {
    const { got, result } = await collect(resource, fetchPage, {});
    expect(got).toEqual(items);
    expect(result.more).toBe(false);
  });

  it('honours --limit and --offset (by reading and dropping)', async () => {
    const { got, result } = await collect(resource, fetchPage, { limit: 130, offset: 20 });
    expect(got).toEqual(items.slice(20, 150));
    expect(result.more).toBe(true);
  });
});
