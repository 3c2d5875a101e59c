import { describe, expect, it } from 'vitest';
import { parseCheckFlags } from '../../src/commands/check/run.js';
import { parseDataCountFlags, parseDataGetFlags, parseDataListFlags } from '../../src/commands/data/parse.js';
import { itemColumns } from '../../src/commands/data/run.js';
import { UsageError } from '../../src/errors.js';
import { dataFilter, plainItem } from '../../src/wix/data.js';

/** The pure pieces of `wixq data`: flags to a Data API query, dates both ways, columns for an unknown schema. */

function usageErrorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}

describe('data items list flags', () => {
  it('keeps field names as written (no _id → id renaming) and maps every operator to the Data API one', () => {
    const o = parseDataListFlags('Posts', {
      filter: ['_id in (a,b)', 'title~=cotton', 'slug^=how', 'slug$=-v2', 'views>=10', 'tags has (x)', '!draft', 'author.name!=Ann'],
      sort: ['-_createdDate,title'],
    });
    expect(o.filter).toEqual({
      $and: [
        { _id: { $in: ['a', 'b'] } },
        { title: { $contains: 'cotton' } },
        { slug: { $startsWith: 'how' } },
        { slug: { $endsWith: '-v2' } },
        { views: { $gte: 10 } },
        { tags: { $hasSome: ['x'] } },
        { draft: { $exists: false } },
        { 'author.name': { $ne: 'Ann' } },
      ],
    });
    expect(o.sort).toEqual([
      { fieldName: '_createdDate', order: 'DESC' },
      { fieldName: 'title', order: 'ASC' },
    ]);
    expect(o).toMatchObject({ collectionId: 'Posts', limit: 50, offset: 0, all: false, includeReferences: [], consistentRead: false });
  });

  it('combines --query with the flags and takes the list flags of every list', () => {
    const o = parseDataListFlags('Team', {
      filter: ['role=designer'],
      query: '{"filter":{"_owner":"x"},"sort":[{"fieldName":"_id","order":"DESC"}]}',
      all: true,
      fields: '_id,name',
      search: '  ada ',
      includeReferenced: ['author', 'tags', 'author'],
    });
    expect(o.filter).toEqual({ $and: [{ role: 'designer' }, { _owner: 'x' }] });
    expect(o.sort).toEqual([{ fieldName: '_id', order: 'DESC' }]);
    expect(o).toMatchObject({ all: true, limit: undefined, fields: ['_id', 'name'], search: 'ada', includeReferences: ['author', 'tags'], consistentRead: false });
    expect(parseDataListFlags('Team', { consistentRead: true, all: true })).toMatchObject({ consistentRead: true });
    // The search endpoint declares no consistentRead (SearchDataItemsRequest): the two do not go together.
    expect(usageErrorOf(() => parseDataListFlags('Team', { search: 'ada', consistentRead: true })).message).toMatch(/^--consistent-read does not go with --search/);
  });

  it.each([
    [['Posts', { limit: '0' }], '--limit must be'],
    [['Posts', { all: true, limit: '5' }], 'either --all or --limit'],
    [['Posts', { filter: ['title~'] }], 'bad filter'],
    [['Posts', { includeReferenced: ['author.name'] }], '--include-referenced takes the key of a reference field'],
    [['', {}], 'bad collection ID'],
    [['my posts', {}], 'bad collection ID'],
  ] as const)('refuses %j before any request', (args, message) => {
    expect(usageErrorOf(() => parseDataListFlags(args[0], args[1] as never)).message).toContain(message);
  });

  it('count takes filters and no sort; get needs an item ID', () => {
    expect(parseDataCountFlags('Posts', { filter: ['published=true'] }).filter).toEqual({ published: true });
    expect(usageErrorOf(() => parseDataCountFlags('Posts', { query: '{"sort":[{"fieldName":"a"}]}' })).message).toContain('count takes no sort');
    expect(usageErrorOf(() => parseDataGetFlags('Posts', ' ', {})).message).toContain('the item ID is empty');
  });
});

describe('dates', () => {
  it('a date compared with _createdDate or _updatedDate goes out as a Date; other fields keep their text', () => {
    const filter = dataFilter({
      $and: [{ _createdDate: { $gte: '2024-06-01' } }, { _updatedDate: { $lt: '2024-06-01T10:00:00+02:00' } }, { title: '2024-06-01' }, { _createdDate: { $in: ['2024-01-01T00:00:00Z'] } }],
    });
    const [created, updated, title, inList] = (filter.$and as Array<Record<string, any>>)!;
    expect(created!._createdDate.$gte).toBeInstanceOf(Date);
    expect((created!._createdDate.$gte as Date).toISOString()).toBe('2024-06-01T00:00:00.000Z');
    expect((updated!._updatedDate.$lt as Date).toISOString()).toBe('2024-06-01T08:00:00.000Z');
    expect(title).toEqual({ title: '2024-06-01' });
    expect(inList!._createdDate.$in[0]).toBeInstanceOf(Date);
  });

  it('items come out with _id first and Dates as ISO strings, at any depth', () => {
    const item = plainItem({ title: 'A', _id: 'x', _createdDate: new Date('2024-01-02T03:04:05Z'), author: { _id: 'y', born: new Date('1990-01-01T00:00:00Z') } });
    expect(Object.keys(item)[0]).toBe('_id');
    expect(JSON.stringify(item)).toBe('{"_id":"x","title":"A","_createdDate":"2024-01-02T03:04:05.000Z","author":{"_id":"y","born":"1990-01-01T00:00:00.000Z"}}');
  });
});

describe('columns of a collection wixq knows nothing of', () => {
  const sample = { _id: 'x', _owner: 'o', _createdDate: 'd', _updatedDate: 'd', bio: 'b', name: 'Ada', role: 'r', age: 3, a: 1, b: 2, c: 3, photo: { url: 'u' } };

  it('a table: _id, the title-like field, then three more scalar fields (five columns, as for products)', () => {
    expect(itemColumns(sample, 'table').map((c) => c.path)).toEqual(['_id', 'name', 'bio', 'role', 'age']);
  });

  it('CSV: every scalar field, then the system dates and owner', () => {
    expect(itemColumns(sample, 'csv').map((c) => c.path)).toEqual(['_id', 'name', 'bio', 'role', 'age', 'a', 'b', 'c', '_createdDate', '_updatedDate', '_owner']);
  });

  it('the fields the list is sorted by come right after the title', () => {
    expect(itemColumns(sample, 'table', ['c', '_createdDate', 'c']).map((c) => c.path)).toEqual(['_id', 'name', 'c', '_createdDate', 'bio']);
    expect(itemColumns(sample, 'csv', ['_createdDate']).map((c) => c.path)).toEqual(['_id', 'name', '_createdDate', 'bio', 'role', 'age', 'a', 'b', 'c', '_updatedDate', '_owner']);
  });

  it('without a title-like key the first text field stands in; an empty list has an _id column', () => {
    expect(itemColumns({ _id: 'x', n: 1, q: 'Why?' }, 'table').map((c) => c.path)).toEqual(['_id', 'q', 'n']);
    expect(itemColumns(undefined, 'csv').map((c) => c.path)).toEqual(['_id']);
  });
});

describe('check --require data:<collectionId>', () => {
  it('reads data:<id> in --require and --min beside the built-in lists', () => {
    const o = parseCheckFlags({ require: ['products,data:Team'], min: ['data:Posts=3'] });
    expect([...o.require]).toEqual(['products', 'data:Team']);
    expect([...o.min]).toEqual([['data:Posts', 3]]);
  });

  it.each([[{ require: ['data:'] }, 'names no collection'], [{ require: ['cms'] }, 'data:<collectionId>']] as const)('refuses %j', (flags, message) => {
    const error = usageErrorOf(() => parseCheckFlags(flags as never));
    expect(`${error.message}\n${error.hint}`).toContain(message);
  });
});
