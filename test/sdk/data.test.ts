import { createClient, OAuthStrategy } from '@wix/sdk';
import { getDataCollection, listDataCollections } from '@wix/auto_sdk_data_collections';
import * as items from '@wix/wix-data-items-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/index.js';
import { decodeBase64UrlJson } from '../../src/emulator/http.js';
import { createWixClient } from '../../src/wix/client.js';
import { dataItemsSource } from '../../src/wix/data.js';
import type { CmsCollection, CmsItem } from '../../src/emulator/site/types.js';
import { emulatorControl, redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/**
 * The official Wix Data SDKs (`@wix/wix-data-items-sdk`, `@wix/auto_sdk_data_collections`) against the emulator's CMS
 * (docs/wix-api.md 12): every builder operator must return exactly what a plain JS filter of the site's items returns.
 */

let emu: RunningEmulator;
let restore: () => void;
let visitor: ReturnType<typeof makeClient>;
let member: ReturnType<typeof makeClient>;

function makeClient() {
  return createClient({ modules: { items, collections: { getDataCollection, listDataCollections } }, auth: OAuthStrategy({ clientId: emu.clientId }) });
}

const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

/** The PKCE member login of docs/wix-api.md 1.3, leaving the client with the member's tokens. */
async function loginAs(client: ReturnType<typeof makeClient>, who = DEMO_MEMBERS[0]!): Promise<void> {
  const login: any = await client.auth.login({ email: who.email, password: who.password });
  expect(login.loginState).toBe('SUCCESS');
  const oauthData = client.auth.generateOAuthData(REDIRECT_URI);
  const { authUrl } = await client.auth.getAuthUrl(oauthData, { prompt: 'none', responseMode: 'query', sessionToken: login.data.sessionToken } as any);
  const answer = await fetch(authUrl, { redirect: 'manual' });
  const { code, state } = client.auth.parseFromUrl(answer.headers.get('location')!, 'query');
  client.auth.setTokens(await client.auth.getMemberTokens(code!, state!, oauthData));
}

function collection(id: string): CmsCollection {
  return emu.site.dataCollections!.find((c) => c.id === id)!;
}

const ms = (v: unknown) => Date.parse((v as { $date: string }).$date);
/** Newest first, the order of a query without a sort (docs/wix-api.md 12.1). */
const newestFirst = (list: CmsItem[]) => [...list].sort((a, b) => ms(b._createdDate) - ms(a._createdDate));
const ids = (list: { _id: string }[]) => list.map((i) => i._id);

/** The error an SDK call rejects with. */
async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emu = await startTestEmulator();
  restore = redirectFetch(emu.url);
  visitor = makeClient();
  member = makeClient();
  await loginAs(member);
});

afterAll(async () => {
  restore();
  await emu.close();
});

describe('items.query through the builder', () => {
  const articles = () => collection('articles').items;
  const team = () => collection('team').items;
  const q = () => visitor.items.query('articles') as any;
  const sample = () => articles()[5]!;
  const views = (a: CmsItem) => a.views as number;
  const published = (a: CmsItem) => ms(a.publishedDate);

  const cases: [string, () => any, (a: CmsItem) => boolean][] = [
    ['eq', () => q().eq('title', sample().title), (a) => a.title === sample().title],
    ['ne', () => q().ne('title', sample().title), (a) => a.title !== sample().title],
    ['gt', () => q().gt('views', 3000), (a) => views(a) > 3000],
    ['ge', () => q().ge('views', views(sample())), (a) => views(a) >= views(sample())],
    ['lt', () => q().lt('views', 2000), (a) => views(a) < 2000],
    ['le', () => q().le('views', views(sample())), (a) => views(a) <= views(sample())],
    ['between', () => q().between('views', 1000, 5000), (a) => views(a) >= 1000 && views(a) < 5000],
    ['gt on a date-and-time field, as a Date', () => q().gt('publishedDate', new Date('2024-02-10T00:00:00Z')), (a) => published(a) > Date.parse('2024-02-10T00:00:00Z')],
    ['lt on _createdDate', () => q().lt('_createdDate', new Date('2024-01-25T00:00:00Z')), (a) => ms(a._createdDate) < Date.parse('2024-01-25T00:00:00Z')],
    ['eq on a boolean', () => q().eq('featured', true), (a) => a.featured === true],
    ['in', () => q().hasSome('_id', [articles()[1]!._id, articles()[7]!._id, 'nope']), (a) => a._id === articles()[1]!._id || a._id === articles()[7]!._id],
    ['eq on a reference id', () => q().eq('author', team()[2]!._id), (a) => a.author === team()[2]!._id],
    ['hasSome on a multi-reference', () => q().hasSome('tags', [collection('tags').items[0]!._id]), (a) => (a.tags as string[]).includes(collection('tags').items[0]!._id)],
    ['hasAll', () => q().hasAll('tags', sample().tags), (a) => (sample().tags as string[]).every((t) => (a.tags as string[]).includes(t))],
    ['contains (case-insensitive)', () => q().contains('title', 'CACHING'), (a) => String(a.title).toLowerCase().includes('caching')],
    ['startsWith', () => q().startsWith('slug', 'search'), (a) => String(a.slug).startsWith('search')],
    ['endsWith', () => q().endsWith('title', 'part 2'), (a) => String(a.title).endsWith('part 2')],
    ['isEmpty on a field no item has', () => q().isEmpty('subtitle'), () => true],
    ['isNotEmpty on a field no item has', () => q().isNotEmpty('subtitle'), () => false],
    ['or', () => q().eq('featured', true).or(q().gt('views', 8000)), (a) => a.featured === true || views(a) > 8000],
    ['and', () => q().gt('views', 1000).and(q().lt('views', 4000)), (a) => views(a) > 1000 && views(a) < 4000],
    ['not', () => q().not(q().eq('featured', true)), (a) => a.featured !== true],
  ];

  it.each(cases)('%s returns what a plain filter of the items returns', async (_name, build, predicate) => {
    const result = await build().limit(100).find();
    expect(ids(result.items)).toEqual(ids(newestFirst(articles().filter(predicate))));
  });

  it('sends filters and dates as the Data API takes them', async () => {
    emu.reset();
    await q().isNotEmpty('subtitle').gt('publishedDate', new Date('2024-02-10T00:00:00Z')).find();
    await q().not(q().eq('featured', true)).find();
    const [first, second] = emu.requests('/wix-data/v2/items/query').map((r) => (r.body as any).query.filter);
    expect(first).toEqual({ subtitle: { $ne: null }, publishedDate: { $gt: { $date: '2024-02-10T00:00:00.000Z' } } });
    expect(second).toEqual({ $and: [{}, { $not: [{ featured: true }] }] });
    // A short query travels as GET with `.r` (docs/wix-api.md 12.1).
    expect(emu.requests('/wix-data/v2/items/query').map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('sorts by any field, ascending or descending, and returns items with their dates', async () => {
    const result = await q().ascending('views').limit(5).find();
    expect(ids(result.items)).toEqual(ids([...articles()].sort((a, b) => views(a) - views(b)).slice(0, 5)));
    const desc = await visitor.items.query('team').descending('title').find();
    expect(desc.items.map((t: any) => t.title)).toEqual(team().map((t) => t.title as string).sort().reverse());
    expect(desc.items[0]._createdDate).toBeInstanceOf(Date);
    expect(desc.items[0].joined).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('returns only the fields asked for, and _id', async () => {
    const result = await (visitor.items.query('team') as any).fields('title').limit(2).find();
    expect(result.items.map((i: any) => Object.keys(i).sort())).toEqual([['_id', 'title'], ['_id', 'title']]);
  });

  it('gives a total only when asked, and pages with skip, hasNext() and next()', async () => {
    const plain = await q().limit(10).find();
    expect(plain.totalCount).toBeUndefined();
    const counted = await q().limit(10).skip(10).find({ returnTotalCount: true });
    expect(counted.totalCount).toBe(24);
    expect(ids(counted.items)).toEqual(ids(newestFirst(articles()).slice(10, 20)));
    expect(counted.hasNext()).toBe(true);
    const last = await counted.next();
    expect(ids(last.items)).toEqual(ids(newestFirst(articles()).slice(20)));
    expect(last.hasNext()).toBe(false);
  });

  it('compares a date only with a date: an ISO string matches no date value', async () => {
    const asText = await visitor.items.query('articles', { filter: { publishedDate: { $gt: '2024-01-01T00:00:00.000Z' } } } as any);
    expect(asText.items).toEqual([]);
    const asDate = await q().gt('publishedDate', new Date('2024-01-01T00:00:00.000Z')).limit(100).find();
    expect(asDate.items).toHaveLength(24);
    // A Date field (no time) holds "YYYY-MM-DD" text, compared as text.
    const joined = await visitor.items.query('team').lt('joined', '2023-01-01').find();
    expect(joined.items.map((t: any) => t.joined).sort()).toEqual(team().map((t) => t.joined as string).filter((j) => j < '2023-01-01').sort());
  });

  it('matches and orders values only against their own type: a number is not its text', async () => {
    const views = articles()[3]!.views as number;
    expect(ids((await q().eq('views', String(views)).find()).items)).toEqual([]);
    expect(ids((await q().eq('views', views).find()).items)).toEqual(ids(articles().filter((a) => a.views === views)));
    // Lexicographic, by code point: every title is greater than "A" and less than "a".
    expect((await q().gt('title', 'A').lt('title', 'a').limit(100).find()).items).toHaveLength(24);
  });

  it('treats a collection as schemaless: unknown fields filter and sort without error', async () => {
    const result = await q().eq('no-such-field', 'x').ascending('also-missing').find();
    expect(result.items).toEqual([]);
  });
});

describe('the 15,000-item collection', () => {
  it('pages through every event once, in order, 1,000 at a time with next()', async () => {
    let page: any = await (visitor.items.query('events-log') as any).ascending('seq').limit(1000).find({ returnTotalCount: true });
    expect(page.totalCount).toBe(15_000);
    const seqs: number[] = page.items.map((e: any) => e.seq);
    while (page.hasNext()) {
      page = await page.next();
      for (const e of page.items) seqs.push(e.seq);
    }
    expect(seqs).toEqual(Array.from({ length: 15_000 }, (_, i) => i + 1));
  });

  it('pages by cursor, 100 at a time: filter and sort travel in the cursor, the last page has no next cursor', async () => {
    // The SDK's builder pages by offset; cursor paging is a wire request of its own (docs/wix-api.md 12.3).
    const token = (visitor.auth.getTokens() as any).accessToken.value;
    const post = async (query: unknown) => {
      const res = await fetch(`${emu.url}/wix-data/v2/items/query`, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json' }, body: JSON.stringify({ dataCollectionId: 'events-log', query }) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const errors = collection('events-log').items.filter((e) => e.level === 'error').map((e) => e.seq);
    let page = await post({ filter: { level: 'error' }, sort: [{ fieldName: 'seq', order: 'ASC' }], cursorPaging: { limit: 100 } });
    expect(page.body.pagingMetadata.cursors.prev).toBeUndefined();
    const seqs: number[] = page.body.dataItems.map((e: any) => e.data.seq);
    expect(page.body.dataItems[0]).toEqual({ id: page.body.dataItems[0].data._id, dataCollectionId: 'events-log', data: expect.objectContaining({ level: 'error', at: { $date: expect.any(String) } }) });
    let pages = 1;
    while (page.body.pagingMetadata.cursors.next) {
      const cursor = page.body.pagingMetadata.cursors.next;
      page = await post({ cursorPaging: { limit: 100, cursor } });
      pages++;
      for (const e of page.body.dataItems) seqs.push(e.data.seq);
      expect(page.body.pagingMetadata.cursors.prev).toEqual(expect.any(String));
    }
    expect(page.body.pagingMetadata).toMatchObject({ hasNext: false, cursors: {} });
    expect(seqs).toEqual(errors);
    expect(pages).toBe(Math.ceil(errors.length / 100));
    // 100 is the largest cursor page (DataCollection.maxPageSize).
    expect((await post({ cursorPaging: { limit: 101 } })).body.details.validationError.fieldViolations[0]).toMatchObject({ field: 'query.cursorPaging.limit', violatedRule: 'MAX' });
    // Dates in the filter survive the cursor.
    const since = { $date: '2024-01-10T00:00:00.000Z' };
    const dated: number[] = [];
    page = await post({ filter: { at: { $gte: since } }, sort: [{ fieldName: 'seq', order: 'ASC' }], cursorPaging: { limit: 100 } });
    for (let n = 0; n < 3; n++) {
      dated.push(...page.body.dataItems.map((e: any) => e.data.seq));
      page = await post({ cursorPaging: { limit: 100, cursor: page.body.pagingMetadata.cursors.next } });
    }
    const firstSeq = collection('events-log').items.find((e) => ms(e.at) >= Date.parse(since.$date))!.seq as number;
    expect(dated).toEqual(Array.from({ length: 300 }, (_, i) => firstSeq + i));
    // A cursor request carries no filter or sort; one that does is refused.
    const first = await post({ filter: { level: 'error' }, cursorPaging: { limit: 10 } });
    const mixed = await post({ filter: { level: 'info' }, cursorPaging: { limit: 10, cursor: first.body.pagingMetadata.cursors.next } });
    expect(mixed.status).toBe(400);
    expect(mixed.body.details.applicationError.code).toBe('WDE0075');
  });

  it('counts with a filter', async () => {
    const expected = collection('events-log').items.filter((e) => e.source === 'auth' && e.level !== 'info').length;
    expect(await (visitor.items.query('events-log') as any).eq('source', 'auth').ne('level', 'info').count()).toBe(expected);
    expect(emu.requests({ path: '/wix-data/v2/items/count' }).at(-1)!.body).toEqual({ dataCollectionId: 'events-log', filter: { source: 'auth', level: { $ne: 'info' } } });
  });
});

describe('items.get', () => {
  it('returns one item, and null for an unknown id (Wix answers 404 WDE0073)', async () => {
    const person = collection('team').items[3]!;
    const got: any = await visitor.items.get('team', person._id);
    expect(got.title).toBe(person.title);
    expect(got._createdDate).toEqual(new Date(ms(person._createdDate)));
    emu.reset();
    expect(await visitor.items.get('team', 'no-such-item')).toBeNull();
    const [request] = emu.requests('/wix-data/v2/items/no-such-item');
    expect(request!.status).toBe(404);
    expect(request!.query).toMatchObject({ dataCollectionId: 'team' });
  });
});

describe('references', () => {
  it('get() includes references and projects fields (the SDK sends them in .r)', async () => {
    const source = collection('articles').items[4]!;
    emu.reset();
    const got: any = await visitor.items.get('articles', source._id, { includeReferences: [{ field: 'author' }, { field: 'tags', limit: 1 }], fields: ['title', 'author', 'tags'] } as any);
    expect(Object.keys(got).sort()).toEqual(['_id', 'author', 'tags', 'title']);
    expect(got.author._id).toBe(source.author);
    expect(got.tags.map((t: any) => t._id)).toEqual((source.tags as string[]).slice(0, 1));
    expect(Object.keys(emu.requests(`/wix-data/v2/items/${source._id}`)[0]!.query)).toEqual(['.r']);
  });

  it('holds the author id and leaves the multi-reference out without include()', async () => {
    const [first]: any[] = (await visitor.items.query('articles').limit(1).find()).items;
    const source = collection('articles').items.find((a) => a._id === first._id)!;
    expect(first.author).toBe(source.author);
    expect('tags' in first).toBe(false);
  });

  it('include() puts the referenced items in place: the author, and the tags in order', async () => {
    const result: any = await (visitor.items.query('articles') as any).include('author', 'tags').limit(3).find();
    for (const article of result.items) {
      const source = collection('articles').items.find((a) => a._id === article._id)!;
      expect(article.author._id).toBe(source.author);
      expect(article.author.title).toBe(collection('team').items.find((t) => t._id === source.author)!.title);
      expect(article.tags.map((t: any) => t._id)).toEqual(source.tags);
    }
    expect(emu.requests('/wix-data/v2/items/query').at(-1)!.body).toMatchObject({ includeReferences: [{ field: 'author' }, { field: 'tags' }] });
  });

  it('queryReferenced() returns the items a multi-reference field holds', async () => {
    const source = collection('articles').items.find((a) => (a.tags as string[]).length > 1)!;
    const result: any = await visitor.items.queryReferenced('articles', source._id, 'tags');
    expect(result.items.map((t: any) => t._id)).toEqual(source.tags);
    const reversed: any = await visitor.items.queryReferenced('articles', source._id, 'tags', { order: 'desc' } as any);
    expect(reversed.items.map((t: any) => t._id)).toEqual([...(source.tags as string[])].reverse());
    // One at a time, with a total, through hasNext()/next().
    let page: any = await visitor.items.queryReferenced('articles', source._id, 'tags', { limit: 1, returnTotalCount: true } as any);
    expect(page.totalCount).toBe((source.tags as string[]).length);
    const paged: string[] = page.items.map((t: any) => t._id);
    while (page.hasNext()) {
      page = await page.next();
      paged.push(...page.items.map((t: any) => t._id));
    }
    expect(paged).toEqual(source.tags);
  });

  it('queryReferenced() on a single reference field is WDE0020, on an unknown item WDE0073', async () => {
    const source = collection('articles').items[0]!;
    const single = await rejection(visitor.items.queryReferenced('articles', source._id, 'author'));
    expect(single.details.applicationError.code).toBe('WDE0020');
    const unknown = await rejection(visitor.items.queryReferenced('articles', 'no-such-item', 'tags'));
    expect(unknown.details.applicationError.code).toBe('WDE0073');
  });
});

describe('search', () => {
  it('matches words of the expression in the text fields', async () => {
    const result: any = await (visitor.items.search('articles') as any).expression('caching').run();
    expect(result.items.map((a: any) => a.title).sort()).toEqual(
      collection('articles')
        .items.filter((a) => /caching/i.test(`${a.title} ${a.excerpt}`))
        .map((a) => a.title)
        .sort(),
    );
    expect(result.items.length).toBeGreaterThan(0);
  });
});

describe("wixq's items source (src/wix/data.ts) through the SDK", () => {
  it('sends consistentRead with a query, never with a search (SearchDataItemsRequest declares none)', async () => {
    const client = await createWixClient(['dataItems'], { clientId: emu.clientId });
    const request = { filter: {}, sort: [], limit: 5, offset: 0 };
    emu.reset();
    await dataItemsSource({ collectionId: 'team', consistentRead: true }).list(client, request);
    await dataItemsSource({ collectionId: 'team', consistentRead: true, search: 'designer' }).list(client, request);
    const body = (path: string): any => {
      const r = emu.requests(path)[0]!;
      return r.body && Object.keys(r.body as object).length ? r.body : decodeBase64UrlJson(String(r.query['.r']));
    };
    expect(body('/wix-data/v2/items/query')).toMatchObject({ consistentRead: true });
    const search = body('/wix-data/v2/items/search');
    expect(search).toMatchObject({ dataCollectionId: 'team', search: { search: { expression: 'designer' } } });
    expect(search).not.toHaveProperty('consistentRead');
  });
});

describe('permissions and errors', () => {
  it('refuses a members-only collection to a visitor with WDE0027 (403)', async () => {
    emu.reset();
    const error = await rejection(visitor.items.query('members-news').find());
    expect(error.message).toBe('WDE0027: The current user does not have permissions to read on the members-news collection.');
    expect(error.details.applicationError).toEqual({
      code: 'WDE0027',
      description: 'WDE0027: The current user does not have permissions to read on the members-news collection.',
      data: { collectionName: 'members-news', operation: 'read' },
    });
    expect(emu.requests('/wix-data/v2/items/query').map((r) => [r.status, r.identity?.role])).toEqual([[403, 'visitor']]);
    expect((await rejection(visitor.items.get('members-news', collection('members-news').items[0]!._id))).details.applicationError.code).toBe('WDE0027');
    expect((await rejection(visitor.items.query('members-news').count())).details.applicationError.code).toBe('WDE0027');
  });

  it('serves the same collection to a logged-in member', async () => {
    const result = await member.items.query('members-news').find();
    expect(ids(result.items)).toEqual(ids(newestFirst(collection('members-news').items)));
    expect(emu.requests('/wix-data/v2/items/query').at(-1)!.identity).toMatchObject({ role: 'member', memberId: DEMO_MEMBERS[0]!.id });
  });

  it('shows a member only their own items of a SITE_MEMBER_AUTHOR collection', async () => {
    const notes = collection('member-notes').items;
    const own = notes.filter((n) => n._owner === DEMO_MEMBERS[0]!.id);
    const result = await member.items.query('member-notes').find();
    expect(ids(result.items).sort()).toEqual(ids(own).sort());
    const other = notes.find((n) => n._owner !== DEMO_MEMBERS[0]!.id)!;
    expect(await member.items.get('member-notes', other._id)).toBeNull();
    expect((await rejection(visitor.items.query('member-notes').find())).details.applicationError.code).toBe('WDE0027');
  });

  it('refuses a PRIVILEGED collection to members too', async () => {
    const error = await rejection(member.items.query('staff-notes').find());
    expect(error.details.applicationError.code).toBe('WDE0027');
  });

  it('does not include references the caller may not read', async () => {
    const client = makeClient();
    await loginAs(client, DEMO_MEMBERS[1]!);
    const result: any = await client.items.query('articles').include('author').limit(1).find();
    expect(typeof result.items[0].author).toBe('object');
  });

  it('answers an unknown collection with WDE0025 (404)', async () => {
    emu.reset();
    const error = await rejection(visitor.items.query('no-such-collection').find());
    expect(error.details.applicationError).toMatchObject({ code: 'WDE0025', data: { collectionName: 'no-such-collection' } });
    expect(error.message).toBe('WDE0025: The no-such-collection collection does not exist');
    expect(emu.requests('/wix-data/v2/items/query')[0]!.status).toBe(404);
    expect((await rejection(visitor.items.get('no-such-collection', 'x'))).details.applicationError.code).toBe('WDE0025');
  });

  it('refuses an operator the Data API does not declare with WDE0075 (400), and $regex with WDE0070', async () => {
    const unknown = await rejection(visitor.items.query('team', { filter: { title: { $nin: ['x'] } } } as any));
    expect(unknown.details.applicationError).toMatchObject({ code: 'WDE0075', description: 'WDE0075: Invalid filter: Unknown operator query.filter.title.$nin' });
    const regex = await rejection(visitor.items.query('team', { filter: { title: { $regex: '^M' } } } as any));
    expect(regex.details.applicationError.code).toBe('WDE0070');
    const malformed = await rejection(visitor.items.query('team', { filter: { $or: { title: 'x' } } } as any));
    expect(malformed.details.applicationError.code).toBe('WDE0075');
  });

  it('refuses a page larger than 1,000', async () => {
    const error = await rejection(visitor.items.query('events-log', { paging: { limit: 1001 } } as any));
    expect(error.details.validationError.fieldViolations[0]).toMatchObject({ field: 'query.paging.limit', violatedRule: 'MAX' });
  });
});

describe('members-only collections read empty for visitors (the membersOnlyRead switch)', () => {
  it('answers a visitor zero items instead of 403 when switched on; members read them, admin-only stays 403', async () => {
    const empty = await startTestEmulator({ membersOnlyRead: 'empty' });
    const back = redirectFetch(empty.url);
    try {
      const site = (id: string) => empty.site.dataCollections!.find((c) => c.id === id)!;
      const anon = createClient({ modules: { items }, auth: OAuthStrategy({ clientId: empty.clientId }) });
      for (const id of ['members-news', 'member-notes']) {
        const found: any = await (anon.items.query(id) as any).find({ returnTotalCount: true });
        expect(found.items, id).toEqual([]);
        expect(found.totalCount, id).toBe(0);
        expect(await anon.items.query(id).count(), id).toBe(0);
        // An item the collection holds is not there for a visitor: Wix's 404, which the SDK answers as null.
        expect(await anon.items.get(id, site(id).items[0]!._id), id).toBeNull();
        expect((await (anon.items.search(id) as any).run()).items, id).toEqual([]);
      }
      expect(empty.requests('/wix-data/v2/items/query').map((r) => r.status)).toEqual([200, 200]);
      // Above members: still Wix's observed 403.
      expect((await rejection(anon.items.query('staff-notes').find())).details.applicationError.code).toBe('WDE0027');
      // A public collection is unchanged, and so is a member's read.
      expect((await anon.items.query('team').find()).items).toHaveLength(site('team').items.length);
      const signedIn = createClient({ modules: { items, collections: { getDataCollection, listDataCollections } }, auth: OAuthStrategy({ clientId: empty.clientId }) });
      await loginAs(signedIn as ReturnType<typeof makeClient>);
      expect(ids((await signedIn.items.query('members-news').find()).items)).toEqual(ids(newestFirst(site('members-news').items)));
    } finally {
      back();
      await empty.close();
    }
  });

  it('is a run-time knob: POST /__emulator/config {"membersOnlyRead": "empty"|"403"}, 403 by default', async () => {
    expect((await emulatorControl(emu.url, 'GET', 'config')).config.membersOnlyRead).toBe('403');
    await emulatorControl(emu.url, 'POST', 'config', { membersOnlyRead: 'empty' });
    try {
      expect((await visitor.items.query('members-news').find()).items).toEqual([]);
    } finally {
      await emulatorControl(emu.url, 'POST', 'config', { membersOnlyRead: '403' });
    }
    expect((await rejection(visitor.items.query('members-news').find())).details.applicationError.code).toBe('WDE0027');
    const bad = await fetch(`${emu.url}/__emulator/config`, { method: 'POST', body: JSON.stringify({ membersOnlyRead: 'zero' }) });
    expect(bad.status).toBe(400);
  });
});

describe('data collections', () => {
  it('gets a collection: the display shape for a visitor, the full one for a member', async () => {
    const shown: any = await visitor.collections.getDataCollection('articles');
    expect(shown._id).toBe('articles');
    expect(shown.permissions).toBeUndefined();
    expect(shown.fields.find((f: any) => f.key === 'author')).toEqual({ key: 'author', displayName: 'Author', type: 'REFERENCE', typeMetadata: { reference: { referencedCollectionId: 'team' } } });
    const full: any = await member.collections.getDataCollection('members-news');
    expect(full.permissions).toEqual({ read: 'SITE_MEMBER', insert: 'ADMIN', update: 'ADMIN', remove: 'ADMIN' });
    expect(full.fields.map((f: any) => f.key)).toEqual(['_id', '_createdDate', '_updatedDate', '_owner', 'title', 'body', 'publishedDate']);
    const staff: any = await member.collections.getDataCollection('staff-notes');
    expect(staff.permissions.read).toBe('ADMIN');
  });

  it('answers an unknown collection with WDE0025, and refuses listing to visitors and members', async () => {
    const unknown = await rejection(visitor.collections.getDataCollection('no-such-collection'));
    expect(unknown.details.applicationError.code).toBe('WDE0025');
    for (const client of [visitor, member]) {
      const refused = await rejection(client.collections.listDataCollections());
      expect(refused.details.applicationError.code).toBe('PERMISSION_DENIED');
    }
    expect(emu.requests({ path: '/wix-data/v2/collections', method: 'GET' }).filter((r) => r.path === '/wix-data/v2/collections').map((r) => r.status)).toEqual([403, 403]);
  });
});
