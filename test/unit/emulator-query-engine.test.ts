import { describe, expect, it } from 'vitest';
import {
  compileFilter,
  offsetPage,
  QueryCache,
  QueryValidationError,
  renameFilterFields,
  resolveOffsetPaging,
  selectItems,
  sortItems,
} from '../../src/emulator/query-engine.js';

const items = [
  { id: 'a', name: 'Linen Shirt', price: 10, numericId: '1001', tags: ['x', 'y'], created: '2024-01-01T00:00:00.000Z', stock: { inStock: true }, ribbon: 'Sale', variants: [{ sku: 'A1', qty: 0 }, { sku: 'A2', qty: 5 }] },
  { id: 'b', name: 'linen dress', price: 25.5, numericId: '1002', tags: ['y'], created: '2024-02-01T00:00:00Z', stock: { inStock: false }, ribbon: null, variants: [{ sku: 'B1', qty: 1 }] },
  { id: 'c', name: 'Wool Scarf', price: 7, numericId: '1003', tags: [], created: '2023-12-31T23:59:59Z', stock: { inStock: true }, variants: [] },
  { id: 'd', name: 'Oak Bowl', price: 40, numericId: '1004', tags: ['z'], created: '2024-03-01T00:00:00Z', stock: {}, ribbon: '', description: 'Hand-turned' },
];

const ids = (filter: unknown) => items.filter(compileFilter(filter)).map((i) => i.id);

describe('query engine: filter operators (docs/wix-api.md 4.1, 4.3)', () => {
  const table: [string, unknown, string[]][] = [
    ['empty filter matches all', {}, ['a', 'b', 'c', 'd']],
    ['implicit equality', { name: 'Wool Scarf' }, ['c']],
    ['implicit equality is case-sensitive', { name: 'wool scarf' }, []],
    ['$eq', { price: { $eq: 40 } }, ['d']],
    ['$eq number vs numeric string', { numericId: { $eq: 1002 } }, ['b']],
    ['$ne (missing values match)', { ribbon: { $ne: 'Sale' } }, ['b', 'c', 'd']],
    ['$gt', { price: { $gt: 10 } }, ['b', 'd']],
    ['$gte', { price: { $gte: 10 } }, ['a', 'b', 'd']],
    ['$lt', { price: { $lt: 10 } }, ['c']],
    ['$lte', { price: { $lte: 10 } }, ['a', 'c']],
    ['$gt numeric string vs number', { numericId: { $gt: 1002 } }, ['c', 'd']],
    ['$gt numeric string vs numeric string', { numericId: { $gt: '1002' } }, ['c', 'd']],
    ['$lt ISO dates of different precision', { created: { $lt: '2024-01-01T00:00:00Z' } }, ['c']],
    ['$gte ISO date vs date-only', { created: { $gte: '2024-02-01' } }, ['b', 'd']],
    ['$in', { id: { $in: ['a', 'd', 'zz'] } }, ['a', 'd']],
    ['$in with null matches missing', { ribbon: { $in: [null, 'Sale'] } }, ['a', 'b', 'c']],
    ['$nin', { id: { $nin: ['a', 'd'] } }, ['b', 'c']],
    ['$startsWith is case-insensitive', { name: { $startsWith: 'LINEN' } }, ['a', 'b']],
    ['$endsWith', { name: { $endsWith: 'SCARF' } }, ['c']],
    ['$contains', { name: { $contains: 'en d' } }, ['b']],
    ['$isEmpty true: missing, null, empty string or array', { ribbon: { $isEmpty: true } }, ['b', 'c', 'd']],
    ['$isEmpty on arrays', { tags: { $isEmpty: true } }, ['c']],
    ['$isEmpty false', { tags: { $isEmpty: false } }, ['a', 'b', 'd']],
    ['$exists true', { description: { $exists: true } }, ['d']],
    ['$exists false (null counts as absent)', { ribbon: { $exists: false } }, ['b', 'c']],
    ['$hasSome', { tags: { $hasSome: ['x', 'z'] } }, ['a', 'd']],
    ['$hasSome on a scalar acts like $in', { id: { $hasSome: ['b', 'c'] } }, ['b', 'c']],
    ['$hasAll', { tags: { $hasAll: ['x', 'y'] } }, ['a']],
    ['$hasAll with one value', { tags: { $hasAll: ['y'] } }, ['a', 'b']],
    ['{f: null} matches missing or null', { ribbon: null }, ['b', 'c']],
    ['{f: {$ne: null}} matches present values', { ribbon: { $ne: null } }, ['a', 'd']],
    ['dotted path into an object', { 'stock.inStock': true }, ['a', 'c']],
    ['dotted path through an array: any element', { 'variants.sku': 'B1' }, ['b']],
    ['dotted path through an array with a comparison', { 'variants.qty': { $gt: 3 } }, ['a']],
    ['array field with implicit equality: contains', { tags: 'y' }, ['a', 'b']],
    ['several fields: implicit AND', { 'stock.inStock': true, price: { $gt: 8 } }, ['a']],
    ['several operators on one field', { price: { $gt: 5, $lt: 20 } }, ['a', 'c']],
    ['$and', { $and: [{ name: { $startsWith: 'linen' } }, { price: { $gt: 20 } }] }, ['b']],
    ['$or', { $or: [{ id: 'a' }, { price: { $gte: 40 } }] }, ['a', 'd']],
    ['$not', { $not: { name: { $startsWith: 'linen' } } }, ['c', 'd']],
    ['nested logic', { $or: [{ $and: [{ tags: 'y' }, { price: { $lt: 20 } }] }, { $not: { 'stock.inStock': { $exists: true } } }] }, ['a', 'd']],
    ['between (half-open, as the SDK sends it)', { $and: [{ price: { $gte: 7 } }, { price: { $lt: 25.5 } }] }, ['a', 'c']],
    ['$matchItems: one element meets the whole item filter', { variants: { $matchItems: [{ sku: 'A2', qty: { $gt: 3 } }] } }, ['a']],
    ['$matchItems: conditions are not spread over elements', { variants: { $matchItems: [{ sku: 'A1', qty: { $gt: 3 } }] } }, []],
    ['a dotted path, unlike $matchItems, spreads over elements', { 'variants.sku': 'A1', 'variants.qty': { $gt: 3 } }, ['a']],
    ['$matchItems: every item filter needs an element', { variants: { $matchItems: [{ sku: 'A1' }, { sku: 'A2' }] } }, ['a']],
    ['$matchItems with $in, as storefronts filter categories', { variants: { $matchItems: [{ sku: { $in: ['B1', 'Z9'] } }] } }, ['b']],
    ['$matchItems on an empty or missing array', { variants: { $matchItems: [{ qty: { $gte: 0 } }] } }, ['a', 'b']],
    ['$not around $matchItems', { $not: { variants: { $matchItems: [{ sku: 'B1' }] } } }, ['a', 'c', 'd']],
  ];
  it.each(table)('%s', (_name, filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it.each([
    ['an unknown operator', { price: { $near: 3 } }, 'query.filter.price.$near'],
    ['an unknown top-level operator', { $nor: [] }, 'query.filter.$nor'],
    ['$in without an array', { id: { $in: 'a' } }, 'query.filter.id.$in'],
    ['$startsWith without a string', { name: { $startsWith: 3 } }, 'query.filter.name.$startsWith'],
    ['$exists without a boolean', { name: { $exists: 'yes' } }, 'query.filter.name.$exists'],
    ['$and without an array', { $and: {} }, 'query.filter.$and'],
    ['operators mixed with fields', { price: { $gt: 1, x: 2 } }, 'query.filter.price'],
    ['a filter that is not an object', 'name = x', 'query.filter'],
    ['$matchItems with no item filter', { variants: { $matchItems: [] } }, 'query.filter.variants.$matchItems'],
    ['$matchItems with a value that is not a filter', { variants: { $matchItems: ['A1'] } }, 'query.filter.variants.$matchItems[0]'],
    ['an unknown operator inside $matchItems', { variants: { $matchItems: [{ sku: { $near: 1 } }] } }, 'query.filter.variants.$matchItems[0].sku.$near'],
  ])('rejects %s with a field violation', (_name, filter, field) => {
    try {
      compileFilter(filter);
      expect.unreachable('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(QueryValidationError);
      expect((error as QueryValidationError).violations[0]!.field).toBe(field);
    }
  });

  it('renames alias fields inside logical operators', () => {
    expect(renameFilterFields({ $or: [{ price: 1 }, { $not: { price: { $gt: 2 } } }], name: 'x' }, { price: 'priceData.price' })).toEqual({
      $or: [{ 'priceData.price': 1 }, { $not: { 'priceData.price': { $gt: 2 } } }],
      name: 'x',
    });
  });
});

describe('query engine: sorting', () => {
  const rows = [
    { id: 1, name: 'b', price: 2, group: 'x' },
    { id: 2, name: 'a', price: 2, group: 'y' },
    { id: 3, price: 1, group: 'x' },
    { id: 4, name: 'c', group: 'y' },
    { id: 5, name: 'a', price: 3, group: 'x' },
  ];
  const order = (sort: unknown) => sortItems(rows, sort).map((r) => r.id);

  it.each([
    ['ASC by one field, missing last', [{ fieldName: 'name', order: 'ASC' }], [2, 5, 1, 4, 3]],
    ['DESC keeps missing values last', [{ fieldName: 'name', order: 'DESC' }], [4, 1, 2, 5, 3]],
    ['order defaults to ASC', [{ fieldName: 'price' }], [3, 1, 2, 5, 4]],
    ['several fields', [{ fieldName: 'group', order: 'ASC' }, { fieldName: 'price', order: 'DESC' }], [5, 1, 3, 2, 4]],
    ['stable for ties', [{ fieldName: 'price', order: 'ASC' }], [3, 1, 2, 5, 4]],
    ['no sort keeps the original order', undefined, [1, 2, 3, 4, 5]],
  ])('%s', (_name, sort, expected) => {
    expect(order(sort)).toEqual(expected);
  });

  it('sorts ISO dates as instants and numeric strings of equal length in order', () => {
    const dated = [
      { id: 'x', d: '2024-01-01T10:00:00.5Z', n: '1700000000000020' },
      { id: 'y', d: '2024-01-01T10:00:00Z', n: '1700000000000003' },
    ];
    expect(sortItems(dated, [{ fieldName: 'd' }]).map((r) => r.id)).toEqual(['y', 'x']);
    expect(sortItems(dated, [{ fieldName: 'n' }]).map((r) => r.id)).toEqual(['y', 'x']);
  });

  it('sorts and compares decimal strings as numbers (V3 amounts)', () => {
    const amounts = [{ id: 'a', amount: '93' }, { id: 'b', amount: '164' }, { id: 'c', amount: '9.5' }];
    expect(sortItems(amounts, [{ fieldName: 'amount', order: 'DESC' }]).map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(amounts.filter(compileFilter({ amount: { $gt: '10' } })).map((r) => r.id)).toEqual(['a', 'b']);
    expect(amounts.filter(compileFilter({ amount: { $lte: 93 } })).map((r) => r.id)).toEqual(['a', 'c']);
  });

  it('rejects a bad order', () => {
    expect(() => sortItems(rows, [{ fieldName: 'name', order: 'UP' }])).toThrow(QueryValidationError);
  });
});

describe('query engine: paging', () => {
  it('defaults to offset 0 and limit 50', () => {
    expect(resolveOffsetPaging(undefined)).toEqual({ limit: 50, offset: 0 });
  });

  it('reports {count, offset, total} for a page', () => {
    const page = offsetPage([1, 2, 3, 4, 5], resolveOffsetPaging({ limit: 2, offset: 4 }));
    expect(page).toEqual({ items: [5], metadata: { count: 1, offset: 4, total: 5 } });
  });

  it('rejects a limit over 100 with the field violation shape of docs/wix-api.md 5.1', () => {
    try {
      resolveOffsetPaging({ limit: 101 });
      expect.unreachable('should throw');
    } catch (error) {
      expect((error as QueryValidationError).violations).toEqual([
        { field: 'query.paging.limit', description: 'must not be greater than 100', violatedRule: 'MAX', ruleName: 'VALIDATION_ERROR', data: { threshold: 100 } },
      ]);
    }
  });

  it('accepts exactly 100', () => {
    expect(resolveOffsetPaging({ limit: 100, offset: 0 })).toEqual({ limit: 100, offset: 0 });
  });

  it.each([
    [{ limit: 100, offset: 9900 }, true],
    [{ limit: 100, offset: 9901 }, false],
    [{ limit: 1, offset: 10_000 }, false],
  ])('applies the 10,000 offset window: %j ok=%s', (paging, ok) => {
    const run = () => resolveOffsetPaging(paging, { maxWindow: 10_000 });
    if (ok) expect(run()).toEqual(paging);
    else expect(run).toThrow(/offset \+ limit must not be greater than 10000/);
  });

  it('names the offset in the window violation', () => {
    try {
      resolveOffsetPaging({ limit: 50, offset: 9990 }, { maxWindow: 10_000 });
    } catch (error) {
      expect((error as QueryValidationError).violations[0]!.field).toBe('query.paging.offset');
    }
  });

  it.each([{ limit: -1 }, { offset: -5 }, { limit: 1.5 }, { limit: 'ten' }])('rejects %j', (paging) => {
    expect(() => resolveOffsetPaging(paging)).toThrow(QueryValidationError);
  });
});

describe('query engine: performance and caching', () => {
  const big = Array.from({ length: 20_000 }, (_, i) => ({
    id: `p${i}`,
    name: `Item ${(i * 7919) % 20_000}`,
    price: (i * 31) % 997,
    numericId: String(1_700_000_000_000_000 + i * 1000),
    visible: i % 13 !== 0,
  }));

  it('answers a repeated filter+sort from the cache (the same selection, not a new sort)', () => {
    const cache = new QueryCache(big);
    const filter = { price: { $gt: 100 }, visible: true };
    const sort = [{ fieldName: 'name', order: 'ASC' }];
    const first = cache.select(filter, sort);
    for (let i = 0; i < 10; i++) offsetPage(cache.select(filter, sort), { limit: 100, offset: i * 100 });
    expect(cache.select(filter, sort)).toBe(first);
    expect(first.every((p) => p.price > 100 && p.visible)).toBe(true);
  });

  it('walks every item with keyset paging on numericId, past the offset ceiling', () => {
    const cache = new QueryCache(big);
    const seen: string[] = [];
    let last: string | undefined;
    for (;;) {
      const filter = last ? { numericId: { $gt: last } } : {};
      const page = offsetPage(cache.select(filter, [{ fieldName: 'numericId', order: 'ASC' }]), resolveOffsetPaging({ limit: 100 }, { maxWindow: 10_000 }));
      if (page.items.length === 0) break;
      seen.push(...page.items.map((p) => p.id));
      last = page.items[page.items.length - 1]!.numericId;
    }
    expect(seen).toHaveLength(20_000);
    expect(new Set(seen).size).toBe(20_000);
  });

  it('selectItems filters then sorts', () => {
    expect(selectItems(items, { price: { $lt: 30 } }, [{ fieldName: 'price', order: 'DESC' }]).map((i) => i.id)).toEqual(['b', 'a', 'c']);
  });
});

describe('query engine: Date values (Wix Data dates, docs/wix-api.md 12.1)', () => {
  const events = [
    { id: 'e1', at: new Date('2024-01-01T00:00:00Z'), text: '2024-01-01T00:00:00.000Z' },
    { id: 'e2', at: new Date('2024-02-01T00:00:00Z'), text: '2024-02-01T00:00:00.000Z' },
    { id: 'e3', at: new Date('2023-06-01T00:00:00Z') },
    { id: 'e4' },
  ];
  const matching = (filter: unknown) => events.filter(compileFilter(filter)).map((e) => e.id);

  it.each([
    ['$eq with the same instant', { at: new Date('2024-02-01T00:00:00.000Z') }, ['e2']],
    ['$gt', { at: { $gt: new Date('2023-12-01T00:00:00Z') } }, ['e1', 'e2']],
    ['$lte', { at: { $lte: new Date('2024-01-01T00:00:00Z') } }, ['e1', 'e3']],
    ['$in', { at: { $in: [new Date('2023-06-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z')] } }, ['e3']],
    ['$ne', { at: { $ne: new Date('2024-01-01T00:00:00Z') } }, ['e2', 'e3', 'e4']],
    ['a string never equals a Date', { at: '2024-02-01T00:00:00.000Z' }, []],
    ['a string never compares with a Date', { at: { $gt: '2000-01-01T00:00:00Z' } }, []],
    ['a Date never compares with a string', { text: { $lt: new Date('2030-01-01T00:00:00Z') } }, []],
    ['strings still compare as instants with strings', { text: { $gt: '2024-01-15T00:00:00Z' } }, ['e2']],
  ])('%s', (_name, filter, expected) => {
    expect(matching(filter)).toEqual(expected);
  });

  it('sorts Dates as instants, missing last', () => {
    expect(sortItems(events, [{ fieldName: 'at', order: 'ASC' }]).map((e) => e.id)).toEqual(['e3', 'e1', 'e2', 'e4']);
    expect(sortItems(events, [{ fieldName: 'at', order: 'DESC' }]).map((e) => e.id)).toEqual(['e2', 'e1', 'e3', 'e4']);
  });

  it('caches a Date operand apart from the same instant written as a string', () => {
    const cache = new QueryCache(events);
    expect(cache.select({ at: { $gte: new Date('2024-01-01T00:00:00.000Z') } }, undefined).map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(cache.select({ at: { $gte: '2024-01-01T00:00:00.000Z' } }, undefined).map((e) => e.id)).toEqual([]);
  });
});

describe('query engine: strict types (Wix Data, docs/wix-api.md 12.1)', () => {
  const rows = [
    { id: 'n', v: 10, s: 'abc' },
    { id: 't', v: '10', s: 'ABC' },
    { id: 'u', v: '9', s: 'b' },
    { id: 'd', v: '2024-01-02', s: 'a' },
  ];
  const strict = (filter: unknown) => rows.filter(compileFilter(filter, 'query.filter', { strictTypes: true })).map((r) => r.id);

  it.each([
    ['a number matches only numbers', { v: 10 }, ['n']],
    ['a numeric string matches only strings', { v: '10' }, ['t']],
    ['$in takes each value with its own type', { v: { $in: [10, '9'] } }, ['n', 'u']],
    ['numeric strings compare alphabetically', { v: { $gt: '10' } }, ['u', 'd']],
    ['a number compares only with numbers', { v: { $gte: 5 } }, ['n']],
    ['strings compare by code point: "abc" > "ABC"', { s: { $gt: 'ABC' } }, ['n', 'u', 'd']],
    ['a date-looking string is a string', { v: { $lt: '2024-02-01T00:00:00Z' } }, ['t', 'd']],
    ['$hasAll with strict equality', { v: { $hasAll: ['10'] } }, ['t']],
  ])('%s', (_name, filter, expected) => {
    expect(strict(filter)).toEqual(expected);
  });

  it('keeps the default (loose) behaviour for the other APIs', () => {
    expect(rows.filter(compileFilter({ v: 10 })).map((r) => r.id)).toEqual(['n', 't']);
  });

  it('ranks missing values lowest: first ascending, last descending', () => {
    const some = [{ id: 'a', n: 2 }, { id: 'b' }, { id: 'c', n: 1 }];
    const order = (o: string) => sortItems(some, [{ fieldName: 'n', order: o }], 'query.sort', { strictTypes: true }).map((r) => r.id);
    expect(order('ASC')).toEqual(['b', 'c', 'a']);
    expect(order('DESC')).toEqual(['a', 'c', 'b']);
  });

  it('sorts strings as strings and numbers as numbers, numbers first', () => {
    const cache = new QueryCache(rows, 64, { strictTypes: true });
    expect(cache.select(undefined, [{ fieldName: 'v', order: 'ASC' }]).map((r) => r.id)).toEqual(['n', 't', 'd', 'u']);
    expect(sortItems(rows, [{ fieldName: 's', order: 'ASC' }], 'query.sort', { strictTypes: true }).map((r) => r.id)).toEqual(['t', 'd', 'n', 'u']);
  });
});
