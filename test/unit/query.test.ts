import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { buildQuery, locateJsonError, parseFields, parsePositiveInt, parseQueryJson, parseSort, toWireNames } from '../../src/wix/query.js';

function usageErrorOf(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError, nothing was thrown');
}

describe('parseSort', () => {
  it('reads repeatable and comma-separated keys with - and + prefixes', () => {
    expect(parseSort(['name', '-price.price,+_createdDate', ' slug , -_id '])).toEqual([
      { fieldName: 'name', order: 'ASC' },
      { fieldName: 'price.price', order: 'DESC' },
      { fieldName: '_createdDate', order: 'ASC' },
      { fieldName: 'slug', order: 'ASC' },
      { fieldName: '_id', order: 'DESC' },
    ]);
    expect(parseSort([])).toEqual([]);
  });

  it.each(['', 'name,', '-', 'na me', 'price..price', '--price', '+-price', '$name'])('rejects %j', (value) => {
    expect(usageErrorOf(() => parseSort([value])).message).toContain(`bad --sort ${JSON.stringify(value)}`);
  });
});

describe('parseFields', () => {
  it('splits, trims and de-duplicates paths', () => {
    expect(parseFields(undefined)).toBeUndefined();
    expect(parseFields('_id, name,price.price,name')).toEqual(['_id', 'name', 'price.price']);
    expect(parseFields('variants.0.sku')).toEqual(['variants.0.sku']);
  });

  it.each(['', 'a,,b', 'a,', 'a b', '.a', 'price[0]'])('rejects %j', (value) => {
    expect(usageErrorOf(() => parseFields(value)).message).toContain('bad --fields');
  });
});

describe('parseQueryJson', () => {
  it('takes filter and sort', () => {
    expect(parseQueryJson('{"filter":{"visible":true},"sort":[{"fieldName":"name","order":"DESC"},{"fieldName":"_id"}]}')).toEqual({
      filter: { visible: true },
      sort: [
        { fieldName: 'name', order: 'DESC' },
        { fieldName: '_id', order: 'ASC' },
      ],
    });
    expect(parseQueryJson('{}')).toEqual({});
    expect(parseQueryJson('{"sort":[{"fieldName":"name","order":"desc"}]}')).toEqual({ sort: [{ fieldName: 'name', order: 'DESC' }] });
  });

  it('names the line, column and position of bad JSON', () => {
    const error = usageErrorOf(() => parseQueryJson('{"filter": {"name": }}'));
    expect(error.message).toBe('bad --query JSON: unexpected "}" (expected a JSON value) at line 1, column 21 (position 20)');
    expect(error.hint).toBe('  {"filter": {"name": }}\n                      ^');
    expect(error.exitCode).toBe(2);
    expect(usageErrorOf(() => parseQueryJson('{\n  "filter": {\n    "a": tru\n}}')).message).toContain('unexpected "\\n" (expected "true") at line 3, column 13 (position 28)');
    expect(usageErrorOf(() => parseQueryJson('{"filter":{}')).message).toContain('unexpected end of the JSON');
    expect(usageErrorOf(() => parseQueryJson("{'filter':{}}")).message).toContain('expected a property name in double quotes) at line 1, column 2');
  });

  it.each([
    ['   ', '--query is empty'],
    ['[]', '--query must be a JSON object like {"filter":{…},"sort":[…]}, got an array'],
    ['"x"', 'got a string ("x")'],
    ['null', 'got null'],
    ['{"filter":[]}', '--query "filter" must be an object, got an array'],
    ['{"filter":null}', '--query "filter" must be an object, got null'],
    ['{"sort":{}}', '--query "sort" must be an array, got an object'],
    ['{"sort":["name"]}', '--query sort[0] must be an object'],
    ['{"sort":[{"fieldName":"a b"}]}', '--query sort[0].fieldName must be a field path, got "a b"'],
    ['{"sort":[{"order":"ASC"}]}', '--query sort[0].fieldName must be a field path, got nothing'],
    ['{"sort":[{"fieldName":"a","order":"UP"}]}', '--query sort[0].order must be "ASC" or "DESC", got "UP"'],
    ['{"sort":[{"fieldName":"a","dir":"ASC"}]}', '--query sort[0] has an unknown key "dir"'],
    ['{"paging":{"limit":5}}', '--query may only carry "filter" and "sort", got "paging"'],
  ])('rejects %s', (text, message) => {
    expect(usageErrorOf(() => parseQueryJson(text)).message).toContain(message);
  });

  it('points paging at the flags', () => {
    expect(usageErrorOf(() => parseQueryJson('{"cursorPaging":{}}')).hint).toContain('--limit');
  });
});

describe('locateJsonError', () => {
  it.each([
    ['{"a":1,}', 7],
    ['[1 2]', 3],
    ['01', 1],
    ['"\\x"', 2],
    ['"a\nb"', 2],
    ['1.', 2],
    ['{"a":1} x', 8],
    ['nul', 3],
  ])('%j fails at offset %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)?.offset).toBe(offset);
  });

  it('finds nothing in valid JSON', () => {
    expect(locateJsonError('{"a":[1,-2.5e3,"\\u00e9",true,false,null,{}]}')).toBeUndefined();
  });
});

describe('buildQuery', () => {
  it('is empty without flags', () => {
    expect(buildQuery({ filters: [], sort: [] })).toEqual({ filter: {}, sort: [] });
  });

  it('does not wrap a single condition', () => {
    expect(buildQuery({ filters: ['price.price>10'], sort: [] }).filter).toEqual({ 'price.price': { $gt: 10 } });
    expect(buildQuery({ filters: [], sort: [], query: '{"filter":{"visible":true}}' }).filter).toEqual({ visible: true });
  });

  it('ANDs every filter and the --query filter, and puts --sort before the --query sort', () => {
    expect(
      buildQuery({
        filters: ['price.price>10', '!ribbon'],
        sort: ['-price.price'],
        query: '{"filter":{"$or":[{"name":"a"},{"name":"b"}]},"sort":[{"fieldName":"name","order":"ASC"}]}',
      }),
    ).toEqual({
      filter: { $and: [{ 'price.price': { $gt: 10 } }, { ribbon: { $exists: false } }, { $or: [{ name: 'a' }, { name: 'b' }] }] },
      sort: [
        { fieldName: 'price.price', order: 'DESC' },
        { fieldName: 'name', order: 'ASC' },
      ],
    });
  });

  it('skips an empty --query filter', () => {
    expect(buildQuery({ filters: ['a=1'], sort: [], query: '{"filter":{}}' }).filter).toEqual({ a: 1 });
  });

  it('fails before anything is sent when a part is bad', () => {
    expect(usageErrorOf(() => buildQuery({ filters: ['a=1', 'b ~ 2'], sort: [] })).message).toContain('bad filter "b ~ 2"');
    expect(usageErrorOf(() => buildQuery({ filters: [], sort: ['a b'] })).message).toContain('bad --sort');
    expect(usageErrorOf(() => buildQuery({ filters: [], sort: [], query: '{' })).message).toContain('bad --query JSON');
  });
});

describe('toWireNames', () => {
  it('renames every dotted segment of filter keys, at any depth, and leaves operators and values alone', () => {
    const filter = {
      $and: [
        { _id: { $in: ['_id', 'b'] } },
        { 'variants._id': 'v' },
        { $or: [{ _createdDate: { $gt: '2024' } }, { $not: { 'a._updatedDate.b': null } }] },
      ],
      _idx: 1,
      'x_id._id_': 2,
    };
    expect(toWireNames(filter)).toEqual({
      $and: [
        { id: { $in: ['_id', 'b'] } },
        { 'variants.id': 'v' },
        { $or: [{ createdDate: { $gt: '2024' } }, { $not: { 'a.updatedDate.b': null } }] },
      ],
      _idx: 1,
      'x_id._id_': 2,
    });
    expect(filter.$and[0]).toEqual({ _id: { $in: ['_id', 'b'] } });
  });

  it('does not overwrite a key that already has the wire name', () => {
    expect(toWireNames({ _id: 'a', id: 'b' })).toEqual({ _id: 'a', id: 'b' });
  });

  it('renames sort field names', () => {
    expect(
      toWireNames([
        { fieldName: '_createdDate', order: 'DESC' },
        { fieldName: 'variants._id', order: 'ASC' },
        { fieldName: 'name', order: 'ASC' },
      ]),
    ).toEqual([
      { fieldName: 'createdDate', order: 'DESC' },
      { fieldName: 'variants.id', order: 'ASC' },
      { fieldName: 'name', order: 'ASC' },
    ]);
  });
});

describe('parsePositiveInt', () => {
  it('accepts whole numbers in range', () => {
    expect(parsePositiveInt('50', '--limit', { min: 1, max: 100000 })).toBe(50);
    expect(parsePositiveInt(' 7 ', '--concurrency', { min: 1, max: 16 })).toBe(7);
    expect(parsePositiveInt('0', '--offset', { min: 0, max: 1e9 })).toBe(0);
    expect(parsePositiveInt(3, 'limit', { min: 1, max: 5 })).toBe(3);
  });

  it.each(['abc', '', '-1', '1.5', '1e3', '0x10', '0', '100001', '99999999999999999999'])('rejects %j naming the flag', (value) => {
    expect(usageErrorOf(() => parsePositiveInt(value, '--limit', { min: 1, max: 100000 })).message).toBe(
      `--limit must be a whole number from 1 to 100000, got ${JSON.stringify(value)}`,
    );
  });

  it('adds the dashes to a bare flag name', () => {
    expect(usageErrorOf(() => parsePositiveInt('x', 'offset', { min: 0, max: 10 })).message).toMatch(/^--offset must be/);
  });
});
