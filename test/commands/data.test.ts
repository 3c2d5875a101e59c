import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/index.js';
import { decodeBase64UrlJson } from '../../src/emulator/http.js';
import { startProject, type Recorded, type TestProject } from '../helpers/project.js';

/**
 * `wixq data` end to end over HTTP against the strict emulator's demo CMS (docs/reference.md 7.2): what is printed in
 * every format, what the Data API was sent (recorded requests), paging, references, permissions and the member login.
 */

type Item = Record<string, any>;

let p: TestProject;
beforeAll(async () => {
  p = await startProject();
  // Warm: a visitor session stored, so runs below make only their own API requests.
  expect((await p.run(['data', 'items', 'count', 'team'])).code).toBe(0);
});
afterAll(async () => p.close());
beforeEach(() => p.reset());

/** The demo collection as the emulator holds it. */
function collection(id: string): { items: Item[] } {
  return p.emulator.site.dataCollections!.find((c) => c.id === id)! as unknown as { items: Item[] };
}

/** The items request bodies the Data API received (a GET carries its JSON in `.r`), in order. */
function sentQueries(path = '/wix-data/v2/items/query'): Item[] {
  return p
    .requests(path)
    .map((r: Recorded) => (r.body && Object.keys(r.body).length ? r.body : decodeBase64UrlJson(String(r.query['.r']))) as Item);
}

const json = (stdout: string): Item[] => JSON.parse(stdout) as Item[];
const iso = (value: unknown): string => (value as { $date: string }).$date;

describe('data items list', () => {
  it('a warm list is one request; JSON has the items as the SDK returns them, _id first, dates as ISO strings', async () => {
    const r = await p.run(['data', 'items', 'list', 'team', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(p.tokenRequests()).toEqual([]);
    expect(p.apiRequests().map((x) => x.path)).toEqual(['/wix-data/v2/items/query']);
    const items = json(r.stdout);
    const site = collection('team').items;
    expect(items).toHaveLength(site.length);
    expect(Object.keys(items[0]!)[0]).toBe('_id');
    // No sort: Wix's default order, newest first (docs/wix-api.md 12.1).
    const newestFirst = [...site].sort((a, b) => iso(b._createdDate).localeCompare(iso(a._createdDate)));
    expect(items.map((i) => i._id)).toEqual(newestFirst.map((i) => i._id));
    expect(items[0]!._createdDate).toBe(iso(newestFirst[0]!._createdDate));
    expect(sentQueries()[0]).toMatchObject({ dataCollectionId: 'team', query: { paging: { limit: 50, offset: 0 } }, returnTotalCount: true });
  });

  it('prints every format: table, NDJSON, CSV, TSV', async () => {
    const table = await p.run(['data', 'items', 'list', 'team', '--sort', 'order', '--limit', '2'], { tty: true });
    expect(table.code, table.stderr).toBe(0);
    // _id, the title, the field sorted by, then the item's own fields.
    expect(table.stdout.split('\n')[1]).toMatch(/_id\s+│ title\s+│ order\s+│ role\s+│ email/);
    // At 80 columns the text gives way; the item IDs are shown whole (they can be passed to data items get).
    expect(table.stdout).toContain('Maya Or');
    for (const item of JSON.parse((await p.run(['data', 'items', 'list', 'team', '--sort', 'order', '--limit', '2', '--json'])).stdout) as Array<{ _id: string }>) {
      expect(table.stdout).toContain(item._id);
    }
    expect(table.stderr).toContain('Showing 2 of 8 items (use --all or --limit).');

    const ndjson = await p.run(['data', 'items', 'list', 'team', '--sort', 'order', '-o', 'ndjson']);
    expect(ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l).title)).toEqual(
      [...collection('team').items].sort((a, b) => a.order - b.order).map((i) => i.title),
    );

    const csv = await p.run(['data', 'items', 'list', 'team', '--sort', 'order', '--limit', '1', '-o', 'csv']);
    const [header, row] = csv.stdout.trim().split('\n');
    expect(header).toBe('_id,title,order,role,email,joined,active,_createdDate,_updatedDate,_owner');
    expect(row).toMatch(/^[0-9a-f-]{36},Maya Ortiz,1,Editor in chief,maya@example.com,2023-10-03,true,\d{4}-\d{2}-\d{2}T[\d:.]+Z,/);

    const tsv = await p.run(['data', 'items', 'list', 'team', '--sort', 'order', '--limit', '1', '-o', 'tsv', '--fields', 'title,order']);
    expect(tsv.stdout).toBe('title\torder\nMaya Ortiz\t1\n');
  });

  it('sends filters and sorts on any field as written, with the Data API operators', async () => {
    const r = await p.run([
      'data', 'items', 'list', 'team',
      '--filter', 'title~=AN', '--filter', 'email$=example.com', '--filter', 'order>=2', '--filter', 'role notin (Developer)',
      '--filter', '_createdDate>=2024-01-03', '--sort=-order', '--fields', 'title,order',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const expected = collection('team')
      .items.filter((i) => /an/i.test(i.title) && i.order >= 2 && i.role !== 'Developer' && iso(i._createdDate) >= '2024-01-03')
      .sort((a, b) => b.order - a.order)
      .map((i) => ({ title: i.title, order: i.order }));
    expect(expected.length).toBeGreaterThan(0);
    expect(json(r.stdout)).toEqual(expected);
    expect(sentQueries()[0]!.query).toMatchObject({
      filter: {
        $and: [
          { title: { $contains: 'AN' } },
          { email: { $endsWith: 'example.com' } },
          { order: { $gte: 2 } },
          { $not: [{ role: { $in: ['Developer'] } }] },
          { _createdDate: { $gte: { $date: '2024-01-03T00:00:00.000Z' } } },
        ],
      },
      sort: [{ fieldName: 'order', order: 'DESC' }],
    });
  });

  it('a field no item has matches nothing (no schema check), and what Wix refuses is exit 2 with its message', async () => {
    const none = await p.run(['data', 'items', 'list', 'team', '--filter', 'nickname=Ada']);
    expect(none.code, none.stderr).toBe(0);
    expect(json(none.stdout)).toEqual([]);

    const refused = await p.run(['data', 'items', 'list', 'team', '--query', '{"filter":{"title":{"$regex":"^M"}}}']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('WDE0070: $regex keyword is not allowed.');
    expect(refused.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
  });

  it('pages by offset with the total: --offset and --limit, the total asked once', async () => {
    const all = json((await p.run(['data', 'items', 'list', 'articles', '--sort', 'title', '--all'])).stdout);
    expect(all).toHaveLength(collection('articles').items.length);
    p.reset();
    const r = await p.run(['data', 'items', 'list', 'articles', '--sort', 'title', '--offset', '5', '--limit', '4']);
    expect(json(r.stdout).map((i) => i._id)).toEqual(all.slice(5, 9).map((i) => i._id));
    expect(r.stderr).toContain(`Showing 4 of ${all.length} items`);
    expect(sentQueries().map((q) => q.query.paging)).toEqual([{ limit: 4, offset: 5 }]);
  });

  it('--all over the 15,000-item collection: every item once, in order, in pages of 1,000 with the total asked once', async () => {
    const r = await p.run(['data', 'items', 'list', 'events-log', '--all', '-o', 'ndjson', '--fields', '_id,seq']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { _id: string; seq: number });
    expect(lines).toHaveLength(15_000);
    expect(new Set(lines.map((l) => l._id)).size).toBe(15_000);
    // Newest first: seq 15,000 down to 1.
    expect(lines.map((l) => l.seq)).toEqual(Array.from({ length: 15_000 }, (_, i) => 15_000 - i));
    const sent = sentQueries();
    expect(sent).toHaveLength(15);
    expect(sent.filter((q) => q.returnTotalCount)).toHaveLength(1);
    expect(sent.map((q) => q.query.paging.offset).sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i * 1000));
  });

  it('--include-referenced puts the referenced item in place of its ID; --consistent-read is sent', async () => {
    const plain = json((await p.run(['data', 'items', 'list', 'articles', '--limit', '1'])).stdout)[0]!;
    expect(typeof plain.author).toBe('string');
    p.reset();
    const r = await p.run(['data', 'items', 'list', 'articles', '--limit', '1', '--include-referenced', 'author', '--consistent-read', '--fields', 'title,author.title']);
    expect(r.code, r.stderr).toBe(0);
    const author = collection('team').items.find((i) => i._id === plain.author)!;
    expect(json(r.stdout)).toEqual([{ title: plain.title, author: { title: author.title } }]);
    expect(sentQueries()[0]).toMatchObject({ includeReferences: [{ field: 'author' }], consistentRead: true });
  });

  it('a table or CSV shows an included reference by its title (the field does not vanish), in list and get', async () => {
    const article = json((await p.run(['data', 'items', 'list', 'articles', '--limit', '1', '--include-referenced', 'author', '--include-referenced', 'tags', '--json'])).stdout)[0]!;
    const author = String(article.author.title);
    const tags = (article.tags as Item[]).map((t) => String(t.title)).join(', ');
    const csv = await p.run(['data', 'items', 'list', 'articles', '--limit', '1', '--include-referenced', 'author', '--include-referenced', 'tags', '-o', 'csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const [header, row] = csv.stdout.trimEnd().split('\n');
    expect(header).toBe('_id,title,slug,excerpt,author.title,tags.title,publishedDate,views,featured,_createdDate,_updatedDate,_owner');
    expect(row).toContain(`,${author},"${tags}",`);
    const table = await p.run(['data', 'items', 'list', 'articles', '--limit', '1', '--include-referenced', 'author'], { tty: true, columns: 200 });
    expect(table.stdout).toMatch(new RegExp(`│ author\\.title\\s+│[\\s\\S]*│ ${author}\\s+│`));
    const got = await p.run(['data', 'items', 'get', 'articles', String(article._id), '--include-referenced', 'author', '--include-referenced', 'tags'], { tty: true, columns: 200 });
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toMatch(new RegExp(`│ author\\.title\\s+│ ${author}\\s+│`));
    expect(got.stdout).toContain(tags);
    // Without --include-referenced a reference is its ID, as before.
    const plain = await p.run(['data', 'items', 'get', 'articles', String(article._id), '-o', 'csv']);
    expect(plain.stdout.split('\n')[0]).toBe('_id,_createdDate,_updatedDate,_owner,title,slug,excerpt,author,publishedDate,views,featured');
  });

  it('--search reads through the Data API search', async () => {
    const r = await p.run(['data', 'items', 'list', 'team', '--search', 'designer', '--fields', 'title,role']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout)).toEqual(collection('team').items.filter((i) => /designer/i.test(i.role)).map((i) => ({ title: i.title, role: i.role })));
    // --fields is checked against the collection's declared fields first (one read of the collection).
    expect(p.apiRequests().map((x) => x.path)).toEqual(['/wix-data/v2/collections/team', '/wix-data/v2/items/search']);
    expect(r.stderr).toBe('');
    // A search has no total: cut short by --limit with a full page, the list says there may be more, not nothing.
    const cut = await p.run(['data', 'items', 'list', 'events-log', '--search', 'media', '--limit', '2', '--fields', 'seq']);
    expect(cut.code, cut.stderr).toBe(0);
    expect(json(cut.stdout)).toHaveLength(2);
    expect(cut.stderr).toBe('Showing 2 items; there may be more (use --all or --limit).\n');
  });

  it('--consistent-read with --search is exit 2 before any request: the search endpoint declares no consistentRead', async () => {
    const r = await p.run(['data', 'items', 'list', 'team', '--search', 'designer', '--consistent-read']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: --consistent-read does not go with --search/);
    expect(r.stderr).toContain('SearchDataItemsRequest');
    // Nothing was sent, so no consistentRead either.
    expect(p.apiRequests()).toEqual([]);
  });

  it('an unknown collection is exit 3 with Wix\'s WDE0025 and where to find the ID', async () => {
    const r = await p.run(['data', 'items', 'list', 'Team']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: not found: could not list the items of the collection "Team" \(WDE0025\): WDE0025: The Team collection does not exist/);
    expect(r.stderr).toContain('Check the collection ID');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('data items get and count', () => {
  it('get: one item in JSON, table and CSV; a missing one is exit 3', async () => {
    const item = collection('team').items.find((i) => i.order === 1)!;
    const j = await p.run(['data', 'items', 'get', 'team', item._id, '--json']);
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ _id: item._id, title: item.title, joined: item.joined, _createdDate: iso(item._createdDate) });
    expect(p.apiRequests().map((x) => x.path)).toEqual([`/wix-data/v2/items/${item._id}`]);

    const t = await p.run(['data', 'items', 'get', 'team', item._id], { tty: true });
    expect(t.stdout).toMatch(/│ title\s+│ Maya Ortiz\s+│/);
    const c = await p.run(['data', 'items', 'get', 'team', item._id, '-o', 'csv', '--fields', '_id,title']);
    expect(c.stdout).toBe(`_id,title\n${item._id},${item.title}\n`);

    const article = collection('articles').items[0]!;
    const withAuthor = await p.run(['data', 'items', 'get', 'articles', article._id, '--include-referenced', 'author', '--fields', 'author.title']);
    expect(JSON.parse(withAuthor.stdout)).toEqual({ author: { title: collection('team').items.find((i) => i._id === article.author)!.title } });

    const missing = await p.run(['data', 'items', 'get', 'team', 'no-such-item']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe(
      'Error: no item "no-such-item" in the collection "team"\nList its items with: wixq data items list team --fields _id (A members-only collection hides its items from visitors: wixq auth login.)\n',
    );
  });

  it('count: the number, {"count": N} with --json, filters as for list', async () => {
    const plain = await p.run(['data', 'items', 'count', 'events-log']);
    expect(plain.stdout).toBe('15000\n');
    const filtered = await p.run(['data', 'items', 'count', 'team', '--filter', 'active=true', '--json']);
    expect(JSON.parse(filtered.stdout)).toEqual({ count: collection('team').items.filter((i) => i.active === true).length });
    expect(sentQueries('/wix-data/v2/items/count').at(-1)).toMatchObject({ dataCollectionId: 'team', filter: { active: true } });
    expect((await p.run(['data', 'items', 'count', 'team', '-o', 'csv'])).stdout).toBe('count\n8\n');
  });
});

describe('the session', () => {
  it('a 401 from the Data API (token expired server-side) makes one renewal and one retry, as for every SDK call', async () => {
    const fresh = await startProject();
    try {
      expect((await fresh.run(['data', 'items', 'count', 'team'])).code).toBe(0);
      await fresh.control('POST', 'expire-tokens');
      fresh.reset();
      const r = await fresh.run(['data', 'items', 'list', 'team', '--limit', '1']);
      expect(r.code, r.stderr).toBe(0);
      expect(json(r.stdout)).toHaveLength(1);
      // The retried first page asks for the total again.
      expect(r.stderr).toContain('Showing 1 of 8 items');
      const all = fresh.requests();
      expect(all.map((x) => `${x.status} ${x.path}`)).toEqual(['401 /wix-data/v2/items/query', '200 /oauth2/token', '200 /wix-data/v2/items/query']);
      expect(all[1]!.grantType).toBe('refresh_token');
    } finally {
      await fresh.close();
    }
  });
});

describe('permissions and the member session', () => {
  it('a members-only collection: 403 for a visitor with the login hint, the items after auth login', async () => {
    const p2 = await startProject();
    try {
      const visitor = await p2.run(['data', 'items', 'list', 'members-news']);
      expect(visitor.code).toBe(4);
      expect(visitor.stdout).toBe('');
      expect(visitor.stderr).toContain('WDE0027: The current user does not have permissions to read on the members-news collection.');
      expect(visitor.stderr).toContain('If it is for site members, log in as one with wixq auth login');

      const ada = DEMO_MEMBERS[0]!;
      const login = await p2.run(['auth', 'login', '--email', ada.email, '--password-stdin'], { input: ada.password });
      expect(login.code, login.stderr).toBe(0);
      const member = await p2.run(['data', 'items', 'list', 'members-news', '--json']);
      expect(member.code, member.stderr).toBe(0);
      expect(json(member.stdout)).toHaveLength(p2.emulator.site.dataCollections!.find((c) => c.id === 'members-news')!.items.length);
      expect(p2.session().role).toBe('member');

      // Above members (PRIVILEGED): still 403, and the hint says logging in does not help.
      const staff = await p2.run(['data', 'items', 'count', 'staff-notes']);
      expect(staff.code).toBe(4);
      expect(staff.stderr).toContain('above site members');
      // A member sees the collection's permissions; a visitor did not.
      const got = await p2.run(['data', 'collections', 'get', 'members-news', '--json']);
      expect(JSON.parse(got.stdout).permissions).toMatchObject({ read: 'SITE_MEMBER' });
      // Listing the collections is refused to a member too; the hint does not tell a member to log in.
      const list = await p2.run(['data', 'collections', 'list']);
      expect(list.code).toBe(4);
      expect(list.stderr).toMatch(/not a site member/);
      expect(list.stderr).toContain('wixq data items list <collectionId>');
      expect(list.stderr).not.toContain('auth login');
    } finally {
      await p2.close();
    }
  });
});

describe('data collections', () => {
  it('list: Wix refuses visitors, exit 4 with one message that says what to do', async () => {
    const r = await p.run(['data', 'collections', 'list']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^Error: permission denied \(403 PERMISSION_DENIED\): Wix lets only the site's own apps and admins list its CMS collections, not a visitor/);
    expect(r.stderr).toContain('wixq data items list <collectionId>');
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('get: the fields (key, type, reference) as JSON and as a table', async () => {
    const j = await p.run(['data', 'collections', 'get', 'articles', '--json']);
    expect(j.code, j.stderr).toBe(0);
    const got = JSON.parse(j.stdout) as Item;
    expect(Object.keys(got)[0]).toBe('_id');
    expect(got.fields.find((f: Item) => f.key === 'author')).toMatchObject({ type: 'REFERENCE', typeMetadata: { reference: { referencedCollectionId: 'team' } } });
    const t = await p.run(['data', 'collections', 'get', 'articles'], { tty: true });
    expect(t.stdout).toMatch(/│ author\s+│ REFERENCE\s+│ team\s+│ Author\s+│/);
    expect(t.stdout).toMatch(/│ tags\s+│ MULTI_REFERENCE\s+│ tags\s+│/);
    const missing = await p.run(['data', 'collections', 'get', 'nope']);
    expect(missing.code).toBe(3);
  });
});

describe('check --require data:<collectionId>', () => {
  type Check = { name: string; status: string; count?: number; details: string };
  const checks = (stdout: string): Check[] => (JSON.parse(stdout) as { checks: Check[] }).checks;

  it('the examples of a collection ID in its help and errors are ones the demo site has (IDs are case-sensitive)', async () => {
    const bad = await p.run(['check', '--require', 'data:']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('e.g. data:team (IDs are case-sensitive)');
    const help = await p.run(['check', '--help']);
    expect(help.stdout).toContain('data:team=3');
    expect(help.stdout).not.toContain('data:Team');
  });

  it('counts the collection, fails under --min (exit 6), and a members-only one is exit 4 for a visitor', async () => {
    const ok = await p.run(['check', '--require', 'data:team', '--min', 'data:events-log=15000']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(checks(ok.stdout).filter((c) => c.name.startsWith('data:'))).toEqual([
      expect.objectContaining({ name: 'data:team', status: 'pass', count: 8, details: '8 items' }),
      expect.objectContaining({ name: 'data:events-log', status: 'pass', count: 15_000 }),
    ]);
    const low = await p.run(['check', '--min', 'data:team=9']);
    expect(low.code).toBe(6);
    expect(checks(low.stdout).find((c) => c.name === 'data:team')).toMatchObject({ status: 'fail', details: '8 items, fewer than --min data:team=9' });
    const members = await p.run(['check', '--require', 'data:members-news']);
    expect(members.code).toBe(4);
    expect(members.stderr).toContain('wixq auth login');
    // The error's hint is said once (with the error), not again as a "Hint:" line before it.
    expect(members.stderr.split('If it is for site members').length - 1).toBe(1);
    expect(members.stderr).not.toMatch(/^Hint: Visitors may not read/m);
  });
});

describe('a members-only collection that reads empty for a visitor (the emulator\'s --members-only-read empty)', () => {
  const hint = (id: string) => `Note: members-only collections read empty for visitors: if ${id} is one, log in (wixq auth login) and read it again.`;
  type Check = { name: string; status: string; count?: number; details: string };

  it('list, count, get and check: zero items with the login hint (exit 0 for a list, 6 for a check); a member reads the items', async () => {
    const q = await startProject({ membersOnlyRead: 'empty' });
    try {
      const list = await q.run(['data', 'items', 'list', 'members-news', '--json']);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toBe('[]\n');
      expect(list.stderr).toBe(`${hint('members-news')}\n`);
      expect(q.requests('/wix-data/v2/items/query').map((r) => r.status)).toEqual([200]);

      const table = await q.run(['data', 'items', 'list', 'members-news', '-o', 'table']);
      expect(table.code).toBe(0);
      expect(table.stderr).toBe(`No items found.\n${hint('members-news')}\n`);

      const searched = await q.run(['data', 'items', 'list', 'members-news', '--search', 'news', '--json']);
      expect(searched.stderr).toBe(`${hint('members-news')}\n`);

      const count = await q.run(['data', 'items', 'count', 'members-news']);
      expect(count.code).toBe(0);
      expect(count.stdout).toBe('0\n');
      expect(count.stderr).toBe(`${hint('members-news')}\n`);

      const item = collection('members-news').items[0]!;
      const got = await q.run(['data', 'items', 'get', 'members-news', String(item._id)]);
      expect(got.code).toBe(3);
      expect(got.stderr).toContain('wixq auth login');

      // A visitor cannot tell an empty public answer from the gate (getDataCollection shows a visitor no permissions):
      // a filter that matches nothing says the same; an answer with items says nothing.
      const none = await q.run(['data', 'items', 'list', 'team', '--filter', 'title=nobody', '--json']);
      expect(none.stdout).toBe('[]\n');
      expect(none.stderr).toBe(`${hint('team')}\n`);
      const some = await q.run(['data', 'items', 'list', 'team', '--json']);
      expect(some.stderr).toBe('');

      // A CI check never passes on it: --require and --min fail (exit 6) and say why.
      for (const args of [['--require', 'data:members-news'], ['--min', 'data:members-news=1']]) {
        const check = await q.run(['check', ...args, '--json']);
        expect(check.code, args.join(' ')).toBe(6);
        expect((JSON.parse(check.stdout) as { checks: Check[]; hints: string[] }).hints).toContain(
          'members-only collections read empty for visitors: if data:members-news is one, log in (wixq auth login) and check again.',
        );
      }

      const ada = DEMO_MEMBERS[0]!;
      expect((await q.run(['auth', 'login', '--email', ada.email, '--password-stdin'], { input: ada.password })).code).toBe(0);
      const member = await q.run(['data', 'items', 'list', 'members-news', '--json']);
      expect(member.code, member.stderr).toBe(0);
      expect(json(member.stdout)).toHaveLength(collection('members-news').items.length);
      expect(member.stderr).toBe('');
      const memberCheck = await q.run(['check', '--require', 'data:members-news', '--json']);
      expect(memberCheck.code, memberCheck.stderr).toBe(0);
    } finally {
      await q.close();
    }
  });

  it('snapshot as a visitor names the collections it wrote empty, with the same note', async () => {
    const q = await startProject({ membersOnlyRead: 'empty' });
    try {
      const snap = await q.run(['snapshot', '--include', 'data:members-news,data:team,data:member-notes']);
      expect(snap.code, snap.stderr).toBe(0);
      const file = JSON.parse(snap.stdout) as { dataCollections: { id: string; items: unknown[] }[] };
      expect(file.dataCollections.map((c) => [c.id, c.items.length])).toEqual([
        ['members-news', 0],
        ['team', collection('team').items.length],
        ['member-notes', 0],
      ]);
      expect(snap.stderr.split('\n').filter((l) => l.startsWith('Note: '))).toEqual([
        'Note: written empty from a visitor session: data:members-news, data:member-notes. Members-only collections read empty for visitors: if one of these is, log in (wixq auth login) and take the snapshot again.',
      ]);
    } finally {
      await q.close();
    }
  });
});

describe('an empty collection and a one-item collection (a --data CMS)', () => {
  it('check says "0 items" for an empty one; snapshot counts "1 item" and "0 items"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wixq-data-'));
    const file = join(dir, 'cms.json');
    writeFileSync(file, JSON.stringify({ clientIds: ['11111111-2222-4333-8444-555555555555'], dataCollections: [{ id: 'empty' }, { id: 'single', items: [{ _id: 's1' }] }] }));
    const q = await startProject({ data: file });
    try {
      const check = await q.run(['check', '--require', 'data:empty', '--json']);
      expect(check.code).toBe(6);
      const checks = (JSON.parse(check.stdout) as { checks: { name: string; details: string }[] }).checks;
      expect(checks.find((c) => c.name === 'data:empty')?.details).toBe('0 items, but --require data:empty needs at least one');
      const snap = await q.run(['snapshot', '--include', 'data:empty,data:single']);
      expect(snap.code, snap.stderr).toBe(0);
      expect(snap.stderr).toBe(
        'Note: written empty from a visitor session: data:empty. Members-only collections read empty for visitors: if one of these is, log in (wixq auth login) and take the snapshot again.\n' +
          'Snapshot (visitor session): 0 items of empty, 1 item of single.\n',
      );
    } finally {
      await q.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
