import { describe, expect, it } from 'vitest';
import { startTestEmulator } from '../helpers/emulator.js';
import { DEMO_MEMBERS, generateSite, parseSiteData, SiteDataError } from '../../src/emulator/index.js';
import { DEMO_EVENT_COUNT, generateDemoCms, referencedCollectionOf, SITE_OWNER_ID } from '../../src/emulator/site/cms.js';
import type { CmsCollection } from '../../src/emulator/site/types.js';

/** The CMS of the emulated site: the demo collections and `dataCollections` of data files (docs/reference.md 7.3). */

const CLIENT = '11111111-2222-4333-8444-555555555555';

function site(dataCollections: unknown) {
  return parseSiteData({ clientIds: [CLIENT], dataCollections }, 'data file cms.json');
}

function failure(dataCollections: unknown): string {
  try {
    site(dataCollections);
  } catch (error) {
    expect(error).toBeInstanceOf(SiteDataError);
    return (error as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('the demo CMS', () => {
  const cms = generateSite().dataCollections!;
  const byId = new Map(cms.map((c) => [c.id, c]));

  it('has collections for every read permission, in both catalog variants', () => {
    expect(cms.map((c) => [c.id, c.permissions.read])).toEqual([
      ['team', 'ANYONE'],
      ['tags', 'ANYONE'],
      ['articles', 'ANYONE'],
      ['members-news', 'SITE_MEMBER'],
      ['member-notes', 'SITE_MEMBER_AUTHOR'],
      ['staff-notes', 'PRIVILEGED'],
      ['events-log', 'ANYONE'],
    ]);
    expect(generateSite({ catalog: 'v3' }).dataCollections!.map((c) => c.id)).toEqual(cms.map((c) => c.id));
  });

  it('keeps references to existing items: author → team, tags → tags', () => {
    const articles = byId.get('articles')!;
    const team = new Set(byId.get('team')!.items.map((i) => i._id));
    const tags = new Set(byId.get('tags')!.items.map((i) => i._id));
    expect(articles.fields.filter((f) => referencedCollectionOf(f)).map((f) => [f.key, f.type, referencedCollectionOf(f)])).toEqual([
      ['author', 'REFERENCE', 'team'],
      ['tags', 'MULTI_REFERENCE', 'tags'],
    ]);
    for (const a of articles.items) {
      expect(team.has(a.author as string)).toBe(true);
      expect((a.tags as string[]).length).toBeGreaterThan(0);
      for (const t of a.tags as string[]) expect(tags.has(t)).toBe(true);
      expect(a.publishedDate).toEqual({ $date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) });
    }
  });

  it('gives member notes to the two demo members who log in', () => {
    const owners = byId.get('member-notes')!.items.map((i) => i._owner);
    expect(owners.sort()).toEqual([DEMO_MEMBERS[0]!.id, DEMO_MEMBERS[0]!.id, DEMO_MEMBERS[1]!.id, DEMO_MEMBERS[1]!.id].sort());
    expect(byId.get('team')!.items.every((i) => i._owner === SITE_OWNER_ID)).toBe(true);
  });

  it('has 15,000 events, one a minute, with unique ids, the same for the same seed', () => {
    const events = byId.get('events-log')!.items;
    expect(events).toHaveLength(DEMO_EVENT_COUNT);
    expect(new Set(events.map((e) => e._id)).size).toBe(DEMO_EVENT_COUNT);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: DEMO_EVENT_COUNT }, (_, i) => i + 1));
    expect(events[0]!._createdDate).toEqual({ $date: '2024-01-01T00:00:00.000Z' });
    expect(events[1]!._createdDate).toEqual({ $date: '2024-01-01T00:01:00.000Z' });
    expect(new Set(events.map((e) => e.level))).toEqual(new Set(['info', 'warn', 'error']));
    const again = generateDemoCms(1, DEMO_MEMBERS.map((m) => m.id)).at(-1)!.items;
    expect(again.slice(0, 5)).toEqual(events.slice(0, 5));
    expect(generateDemoCms(2, []).at(-1)!.items[0]!._id).not.toBe(events[0]!._id);
  });

  it('builds the big collection only when it is read', () => {
    let built = 0;
    const collections = generateDemoCms(3, []);
    const events = collections.find((c) => c.id === 'events-log')!;
    const descriptor = Object.getOwnPropertyDescriptor(events, 'items')!;
    expect(typeof descriptor.get).toBe('function');
    Object.defineProperty(events, 'items', {
      get: () => {
        built++;
        return descriptor.get!.call(events);
      },
    });
    expect(built).toBe(0);
    expect(events.items).toBe(events.items);
    expect(built).toBe(2);
  });
});

describe('dataCollections in a data file', () => {
  it('reads the example of docs/reference.md 7.3 with defaults', () => {
    const s = site([
      { id: 'authors', fields: [{ key: 'name', type: 'TEXT' }], items: [{ _id: 'a1', name: 'Ada' }] },
      {
        id: 'posts',
        permissions: { read: 'SITE_MEMBER' },
        fields: [
          { key: 'title', type: 'TEXT' },
          { key: 'author', type: 'REFERENCE', typeMetadata: { reference: { referencedCollectionId: 'authors' } } },
          { key: 'published', type: 'DATETIME' },
        ],
        items: [{ _id: 'p1', title: 'Hello', author: 'a1', published: '2024-05-01T09:00:00Z' }],
      },
    ]);
    const [authors, posts] = s.dataCollections as [CmsCollection, CmsCollection];
    expect(authors.permissions).toEqual({ read: 'ANYONE', insert: 'ADMIN', update: 'ADMIN', remove: 'ADMIN' });
    expect(posts.permissions.read).toBe('SITE_MEMBER');
    expect(posts.items[0]).toEqual({
      _id: 'p1',
      title: 'Hello',
      author: 'a1',
      published: { $date: '2024-05-01T09:00:00.000Z' },
      _createdDate: { $date: '2024-01-01T00:00:00.000Z' },
      _updatedDate: { $date: '2024-01-01T00:00:00.000Z' },
      _owner: SITE_OWNER_ID,
    });
  });

  it('keeps items without a schema, and dates given as {$date}', () => {
    const s = site([{ id: 'loose', items: [{ _id: 'x', anything: { nested: [1, 2] }, _createdDate: { $date: '2023-03-04T05:06:07Z' } }] }]);
    const item = s.dataCollections![0]!.items[0]!;
    expect(item.anything).toEqual({ nested: [1, 2] });
    expect(item._createdDate).toEqual({ $date: '2023-03-04T05:06:07.000Z' });
    expect(item._updatedDate).toEqual(item._createdDate);
  });

  it('keeps a reference to an item the file does not have', () => {
    const s = site([{ id: 'b', items: [{ _id: 'y' }] }, { id: 'a', fields: [{ key: 'f', type: 'REFERENCE', typeMetadata: { reference: { referencedCollectionId: 'b' } } }], items: [{ _id: 'x', f: 'gone' }] }]);
    expect(s.dataCollections![1]!.items[0]!.f).toBe('gone');
  });

  it('is absent from a file without it', () => {
    expect(parseSiteData({ clientIds: [CLIENT] }).dataCollections).toBeUndefined();
  });

  it.each([
    ['not an array', {}, 'dataCollections: expected an array of collections'],
    ['no id', [{}], 'dataCollections[0].id: is required'],
    ['a duplicate id', [{ id: 'a' }, { id: 'a' }], 'dataCollections[1].id: duplicate collection id a'],
    ['an unknown role', [{ id: 'a', permissions: { read: 'MEMBERS' } }], 'dataCollections[0].permissions.read: expected one of ANYONE, SITE_MEMBER, SITE_MEMBER_AUTHOR, CMS_EDITOR, PRIVILEGED, ADMIN'],
    ['an unknown field type', [{ id: 'a', fields: [{ key: 'f', type: 'STRING' }] }], 'dataCollections[0].fields[0].type: expected a Data Collections field type'],
    ['a reference without its collection', [{ id: 'a', fields: [{ key: 'f', type: 'REFERENCE' }] }], 'dataCollections[0].fields[0].typeMetadata.reference.referencedCollectionId: is required'],
    ['a reference to an unknown collection', [{ id: 'a', fields: [{ key: 'f', type: 'MULTI_REFERENCE', typeMetadata: { multiReference: { referencedCollectionId: 'b' } } }] }], 'dataCollections[0].fields[0].typeMetadata: references unknown collection b'],
    ['an item without _id', [{ id: 'a', items: [{ title: 'x' }] }], 'dataCollections[0].items[0]._id: is required'],
    ['a duplicate item id', [{ id: 'a', items: [{ _id: 'x' }, { _id: 'x' }] }], 'dataCollections[0].items[1]._id: duplicate item id x'],
    ['a bad date', [{ id: 'a', items: [{ _id: 'x', _createdDate: 'yesterday' }] }], 'dataCollections[0].items[0]._createdDate: expected an ISO date-time'],
    ['a bad DATETIME value', [{ id: 'a', fields: [{ key: 'at', type: 'DATETIME' }], items: [{ _id: 'x', at: 5 }] }], 'dataCollections[0].items[0].at: expected an ISO date-time'],
    [
      'a multi-reference that is not an array',
      [{ id: 'b' }, { id: 'a', fields: [{ key: 'f', type: 'MULTI_REFERENCE', typeMetadata: { multiReference: { referencedCollectionId: 'b' } } }], items: [{ _id: 'x', f: 'y' }] }],
      'dataCollections[1].items[0].f: expected an array of referenced item ids',
    ],
  ])('refuses %s, naming the field', (_name, value, message) => {
    expect(failure(value)).toContain(`data file cms.json: ${message}`);
  });
});

describe('a data file CMS over HTTP', () => {
  it('serves its collections in the wire shape, with its permissions and references', async () => {
    const data = site([
      // Written from a real collection: the system fields listed too.
      { id: 'authors', fields: [{ key: '_id', type: 'TEXT', systemField: true }, { key: '_createdDate', type: 'DATETIME', systemField: true }, { key: 'name', type: 'TEXT' }], items: [{ _id: 'a1', name: 'Ada' }] },
      {
        id: 'posts',
        fields: [
          { key: 'author', type: 'REFERENCE', typeMetadata: { reference: { referencedCollectionId: 'authors' } } },
          { key: 'published', type: 'DATETIME' },
        ],
        items: [
          { _id: 'p1', author: 'a1', published: '2024-05-01T09:00:00Z', _createdDate: '2024-05-01T00:00:00Z' },
          { _id: 'p2', published: '2024-06-01T09:00:00Z', _createdDate: '2024-06-01T00:00:00Z' },
        ],
      },
      { id: 'private', permissions: { read: 'SITE_MEMBER' }, items: [{ _id: 'x' }] },
    ]);
    const emu = await startTestEmulator({ data });
    try {
      const token = await fetch(`${emu.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: CLIENT, grantType: 'anonymous' }) }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
      const post = async (path: string, body: unknown) => {
        const res = await fetch(`${emu.url}/wix-data/v2/items/${path}`, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as any };
      };
      const all = await post('query', { dataCollectionId: 'posts', query: { filter: { published: { $lt: { $date: '2024-05-15T00:00:00.000Z' } } } }, includeReferences: [{ field: 'author' }], returnTotalCount: true });
      expect(all.status).toBe(200);
      expect(all.body).toEqual({
        dataItems: [
          {
            id: 'p1',
            dataCollectionId: 'posts',
            data: {
              _id: 'p1',
              author: { _id: 'a1', name: 'Ada', _createdDate: { $date: '2024-01-01T00:00:00.000Z' }, _updatedDate: { $date: '2024-01-01T00:00:00.000Z' }, _owner: SITE_OWNER_ID },
              published: { $date: '2024-05-01T09:00:00.000Z' },
              _createdDate: { $date: '2024-05-01T00:00:00.000Z' },
              _updatedDate: { $date: '2024-05-01T00:00:00.000Z' },
              _owner: SITE_OWNER_ID,
            },
          },
        ],
        pagingMetadata: { count: 1, offset: 0, total: 1, tooManyToCount: false, hasNext: false },
      });
      // Newest first without a sort; no total unless asked.
      const newest = await post('query', { dataCollectionId: 'posts', query: {} });
      expect(newest.body.dataItems.map((i: { id: string }) => i.id)).toEqual(['p2', 'p1']);
      expect(newest.body.pagingMetadata).toEqual({ count: 2, offset: 0, hasNext: false });
      expect((await post('count', { dataCollectionId: 'posts', filter: { author: { $exists: true } } })).body).toEqual({ totalCount: 1 });
      const denied = await post('query', { dataCollectionId: 'private' });
      expect(denied).toEqual({
        status: 403,
        body: {
          message: 'WDE0027: The current user does not have permissions to read on the private collection.',
          details: { applicationError: { code: 'WDE0027', description: 'WDE0027: The current user does not have permissions to read on the private collection.', data: { collectionName: 'private', operation: 'read' } } },
        },
      });
      expect((await post('query', { query: {} })).body.details.applicationError.code).toBe('WDE0075');
      const shown = await fetch(`${emu.url}/wix-data/v2/collections/authors`, { headers: { authorization: token } }).then(async (r) => (await r.json()) as any);
      expect(shown.collection.fields.map((f: { key: string }) => f.key)).toEqual(['_id', '_createdDate', '_updatedDate', '_owner', 'name']);
      const unauthenticated = await fetch(`${emu.url}/wix-data/v2/items/query`, { method: 'POST', body: '{}' });
      expect(unauthenticated.status).toBe(401);
    } finally {
      await emu.close();
    }
  });
});
