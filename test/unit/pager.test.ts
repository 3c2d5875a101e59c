import { describe, expect, it } from 'vitest';
import { walkAnyList, walkList } from '../../src/wix/pager.js';
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

  it('refuses after the first page, before delivering anything, when a --sort rules out keyset paging past the ceiling', async () => {
    const api = offsetApi(1_500, { ceiling: 1_000 });
    const got: Item[] = [];
    const walk = walkList(api.resource, api.fetchPage, { filter: {}, sort: [{ fieldName: 'name', order: 'ASC' }], offset: 0, concurrency: 4 }, { sink: async (items) => void got.push(...items) });
    await expect(walk).rejects.toMatchObject({ reason: 'ceiling', exitCode: 2, written: 0, total: 1_500, hint: expect.stringMatching(/Drop --sort/) });
    expect(got).toEqual([]);
    expect(api.requests).toHaveLength(1);
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

describe('every page accounted for', () => {
  /** Wraps a fetchPage: `rewrite(req, page, nth)` may replace what the nth request (0-based) answered. */
  function rewriting(fetchPage: (r: PageRequest) => Promise<Page>, rewrite: (req: PageRequest, page: Page, nth: number) => Page | undefined) {
    let nth = 0;
    return async (req: PageRequest): Promise<Page> => {
      const page = await fetchPage(req);
      return rewrite(req, page, nth++) ?? page;
    };
  }

  it('offset: a page short once is asked for again and the walk is whole', async () => {
    const api = offsetApi(537);
    let cut = false;
    const fetch = rewriting(api.fetchPage, (req, page) => {
      if (req.offset !== 200 || cut) return undefined;
      cut = true;
      return { ...page, items: page.items.slice(0, 99) };
    });
    const { got, result } = await collect(api.resource, fetch, {});
    expect(got.map((x) => x._id)).toEqual(api.items.map((x) => x._id));
    expect(result).toMatchObject({ count: 537, more: false });
    expect(api.requests.filter((r) => r.offset === 200)).toHaveLength(2);
  });

  it('offset: a page short twice is the incomplete walk, exit 5, naming how many of how many went out', async () => {
    const api = offsetApi(537);
    const fetch = rewriting(api.fetchPage, (req, page) => (req.offset === 200 ? { ...page, items: page.items.slice(0, 99) } : undefined));
    const got: Item[] = [];
    const walk = walkList(api.resource, fetch, { filter: {}, sort: [], offset: 0, concurrency: 4 }, { sink: async (items) => void got.push(...items) });
    await expect(walk).rejects.toMatchObject({ reason: 'short-page', exitCode: 5, written: 200, total: 537, message: expect.stringContaining('200 of 537 things') });
    expect(got).toHaveLength(200);
  });

  it('offset: a short first page although the total says more is retried, then the incomplete walk', async () => {
    const api = offsetApi(537);
    const fetch = rewriting(api.fetchPage, (req, page) => (req.offset === 0 ? { ...page, items: page.items.slice(0, 10) } : undefined));
    await expect(collect(api.resource, fetch, {})).rejects.toMatchObject({ reason: 'short-page', written: 0, total: 537 });
    expect(api.requests).toHaveLength(2);
  });

  it('offset: the last page short because the list shrank is the incomplete walk too (the total promised more)', async () => {
    const api = offsetApi(537);
    const fetch = rewriting(api.fetchPage, (req, page) => (req.offset === 500 ? { ...page, items: page.items.slice(0, 36) } : undefined));
    await expect(collect(api.resource, fetch, {})).rejects.toMatchObject({ reason: 'short-page', written: 500 });
  });

  it('offset: a server that ignores the offset is stopped at the second page, with or without a total', async () => {
    const api = offsetApi(537);
    const ignoring = async (req: PageRequest) => api.fetchPage({ ...req, offset: 0 });
    await expect(collect(api.resource, ignoring, {})).rejects.toMatchObject({ reason: 'repeated-page', written: 100, total: 537 });
    const noTotal = async (req: PageRequest) => ({ items: (await api.fetchPage({ ...req, offset: 0 })).items });
    await expect(collect(api.resource, noTotal, {})).rejects.toMatchObject({ reason: 'repeated-page', written: 100 });
  });

  it('offset: without a total a short page is the end of the list, as before', async () => {
    const api = offsetApi(537);
    const noTotal = async (req: PageRequest) => ({ items: (await api.fetchPage(req)).items });
    const { got, result } = await collect(api.resource, noTotal, {});
    expect(got).toHaveLength(537);
    expect(result.more).toBe(false);
  });

  it('offset: without a total, a short page that says hasNext is asked for again, then the incomplete walk', async () => {
    const api = offsetApi(537);
    const noTotal = async (req: PageRequest): Promise<Page> => {
      const page = await api.fetchPage(req);
      const offset = req.offset ?? 0;
      return { items: offset === 200 ? page.items.slice(0, 5) : page.items, hasNext: offset + req.limit < 537 };
    };
    await expect(collect(api.resource, noTotal, {})).rejects.toMatchObject({ reason: 'short-page', exitCode: 5, written: 200 });
    expect(api.requests.filter((r) => r.offset === 200)).toHaveLength(2);
  });

  it('offset: --offset at or past the ceiling is refused before any request, without --sort advice', async () => {
    const api = offsetApi(1_500, { ceiling: 1_000 });
    const walk = collect(api.resource, api.fetchPage, { offset: 1_000 });
    await expect(walk).rejects.toMatchObject({ reason: 'ceiling', exitCode: 2 });
    await expect(walk).rejects.toSatisfy((e: Error & { hint?: string }) => !/--sort/.test(`${e.message} ${e.hint}`));
    expect(api.requests).toHaveLength(0);
  });

  it('offset: --limit within the ceiling with a sort stays a normal, shorter list', async () => {
    const api = offsetApi(1_500, { ceiling: 1_000 });
    const { got, result } = await collect(api.resource, api.fetchPage, { sort: [{ fieldName: 'name', order: 'ASC' }], limit: 900 });
    expect(got).toHaveLength(900);
    expect(result).toMatchObject({ count: 900, total: 1_500, more: true });
  });

  describe('cursor', () => {
    const items = Array.from({ length: 345 }, (_, i) => ({ _id: `v${i}` }));
    const resource = { paging: 'cursor', noun: 'things' } as unknown as ResourceDef;
    const requests: PageRequest[] = [];
    const fetchPage = async (req: PageRequest): Promise<Page> => {
      requests.push(req);
      const start = req.cursor ? Number(req.cursor) : 0;
      const next = start + req.limit < items.length ? String(start + req.limit) : null;
      return { items: items.slice(start, start + req.limit), nextCursor: next };
    };

    it('an empty page that names a next cursor is asked for again, then the incomplete walk', async () => {
      requests.length = 0;
      const fetch = rewriting(fetchPage, (req, page) => (req.cursor === '100' ? { ...page, items: [] } : undefined));
      await expect(collect(resource, fetch, {})).rejects.toMatchObject({ reason: 'short-page', exitCode: 5, written: 100 });
      expect(requests.filter((r) => r.cursor === '100')).toHaveLength(2);
    });

    it('a short page that names a next cursor, once: the retry is used and the walk is whole', async () => {
      let cut = false;
      const fetch = rewriting(fetchPage, (req, page) => {
        if (req.cursor !== '100' || cut) return undefined;
        cut = true;
        return { ...page, items: page.items.slice(0, 50) };
      });
      const { got } = await collect(resource, fetch, {});
      expect(got).toEqual(items);
    });

    it('a cursor seen again ends the walk instead of looping', async () => {
      const fetch = rewriting(fetchPage, (req, page) => (req.cursor === '200' ? { ...page, nextCursor: '100' } : undefined));
      await expect(collect(resource, fetch, {})).rejects.toMatchObject({ reason: 'repeated-cursor', written: 200 });
      const same = rewriting(fetchPage, (req, page) => (req.cursor ? { ...page, nextCursor: req.cursor } : undefined));
      await expect(collect(resource, same, {})).rejects.toMatchObject({ reason: 'repeated-cursor', written: 100 });
    });

    it('the same page again under a new cursor ends the walk', async () => {
      let n = 0;
      const fresh = async (req: PageRequest): Promise<Page> => ({ items: items.slice(0, req.limit), nextCursor: `c${n++}` });
      await expect(collect(resource, fresh, {})).rejects.toMatchObject({ reason: 'repeated-page', written: 100 });
    });
  });
});

describe('walkAnyList: a list at any path (wixq api --paginate)', () => {
  const items = Array.from({ length: 25 }, (_, i) => ({ id: `x${i}` }));

  /** An offset API over `items` that answers `pages` in order, recording the bodies it was sent. */
  function offsetAnswers(answer: (offset: number, limit: number) => Record<string, unknown>) {
    const bodies: any[] = [];
    const first = { query: { paging: { limit: 10 } }, fields: ['A'] };
    return {
      bodies,
      walk: (sink: unknown[][] = []) =>
        walkAnyList({
          what: 'POST /things/query',
          path: '/things/query',
          first,
          fetchPage: async (text) => {
            const body = text === undefined ? first : JSON.parse(text);
            bodies.push(body);
            return answer(body.query.paging.offset ?? 0, body.query.paging.limit);
          },
          sink: async (page) => {
            sink.push(page);
          },
        }),
    };
  }

  it('follows offsets by what came (a short page loses nothing) and keeps the rest of the body', async () => {
    const api = offsetAnswers((offset, limit) => ({ things: items.slice(offset, offset + (offset === 0 ? limit - 1 : limit)), metadata: { total: items.length } }));
    const pages: unknown[][] = [];
    expect(await api.walk(pages)).toEqual({ count: 25, total: 25 });
    expect(pages.flat()).toEqual(items);
    expect(api.bodies.map((b) => b.query.paging.offset ?? 0)).toEqual([0, 9, 19]);
    expect(api.bodies.every((b) => b.fields[0] === 'A')).toBe(true);
  });

  it('an empty page although the total says more is asked twice, then the incomplete walk', async () => {
    const api = offsetAnswers((offset, limit) => ({ things: offset >= 10 ? [] : items.slice(offset, offset + limit), metadata: { total: items.length } }));
    await expect(api.walk()).rejects.toMatchObject({ exitCode: 5, message: expect.stringContaining('10 of 25 things') });
    expect(api.bodies.map((b) => b.query.paging.offset ?? 0)).toEqual([0, 10, 10]);
  });

  it('a cursor handed back twice stops the walk', async () => {
    const first = { query: { cursorPaging: { limit: 2 } } };
    let n = 0;
    const walk = walkAnyList({
      what: 'POST /things/query',
      path: '/things/query',
      first,
      fetchPage: async () => ({ things: [{ id: `c${n++}` }, { id: `c${n++}` }], pagingMetadata: { cursors: { next: 'same' } } }),
      sink: async () => {},
    });
    await expect(walk).rejects.toMatchObject({ exitCode: 5, message: expect.stringMatching(/\/things\/query handed back a cursor/) });
  });
});
