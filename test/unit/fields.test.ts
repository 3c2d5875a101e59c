import { describe, expect, it } from 'vitest';
import { formatCell, getPath, projectFields } from '../../src/output/fields.js';

const product = {
  _id: 'p1',
  name: 'Red shirt',
  price: { price: 10, currency: 'USD', formatted: { price: '$10.00' } },
  ribbon: null,
  collectionIds: ['c1', 'c2'],
  variants: [
    { _id: 'v1', sku: 'A', choices: [{ name: 'S' }, { name: 'M' }], tags: ['x', 'y'] },
    { _id: 'v2', choices: [{ name: 'L' }], tags: ['z'] },
    { _id: 'v3', sku: 'C', choices: [] },
  ],
};

describe('getPath', () => {
  it.each([
    ['name', 'Red shirt'],
    ['price.price', 10],
    ['price.formatted.price', '$10.00'],
    ['ribbon', null],
    ['missing', undefined],
    ['name.first', undefined],
    ['price.missing.deeper', undefined],
    ['collectionIds', ['c1', 'c2']],
    ['collectionIds.1', 'c2'],
    ['collectionIds.9', undefined],
    ['variants.sku', ['A', 'C']],
    ['variants._id', ['v1', 'v2', 'v3']],
    ['variants.1._id', 'v2'],
    ['variants.choices.name', ['S', 'M', 'L']],
    ['variants.tags', [['x', 'y'], ['z']]],
    ['variants.missing', []],
  ])('%s', (path, expected) => {
    expect(getPath(product, path)).toEqual(expected);
  });

  it('reads only own properties', () => {
    expect(getPath({}, 'constructor')).toBeUndefined();
    expect(getPath({ a: {} }, 'a.toString')).toBeUndefined();
  });
});

describe('projectFields', () => {
  it('keeps only the paths, nested the same way, in the order asked', () => {
    expect(projectFields(product, ['price.price', '_id', 'name'])).toEqual({ price: { price: 10 }, _id: 'p1', name: 'Red shirt' });
    expect(Object.keys(projectFields(product, ['price.price', '_id', 'name']))).toEqual(['price', '_id', 'name']);
  });

  it('merges paths that share a parent', () => {
    expect(projectFields(product, ['price.price', 'price.currency'])).toEqual({ price: { price: 10, currency: 'USD' } });
  });

  it('projects every element of an array it crosses', () => {
    expect(projectFields(product, ['variants.sku', 'variants._id'])).toEqual({
      variants: [
        { sku: 'A', _id: 'v1' },
        { sku: null, _id: 'v2' },
        { sku: 'C', _id: 'v3' },
      ],
    });
    expect(projectFields(product, ['variants.choices.name'])).toEqual({
      variants: [{ choices: [{ name: 'S' }, { name: 'M' }] }, { choices: [{ name: 'L' }] }, { choices: [] }],
    });
  });

  it('indexes with a numeric segment, padding with null like jq', () => {
    expect(projectFields(product, ['variants.1.sku'])).toEqual({ variants: [null, { sku: null }] });
    expect(projectFields(product, ['collectionIds.0'])).toEqual({ collectionIds: ['c1'] });
  });

  it('turns a missing path into null, like jq', () => {
    expect(projectFields(product, ['nope'])).toEqual({ nope: null });
    expect(projectFields(product, ['nope.deeper'])).toEqual({ nope: { deeper: null } });
    expect(projectFields(product, ['ribbon.text'])).toEqual({ ribbon: { text: null } });
    expect(projectFields(product, ['name.first'])).toEqual({ name: null });
    expect(projectFields(product, ['name', 'name.first'])).toEqual({ name: 'Red shirt' });
  });

  it('never changes the item it reads, even when a whole value and a deeper path overlap', () => {
    const before = structuredClone(product);
    const projected = projectFields(product, ['price', 'price.extra', 'variants', 'variants.extra']);
    expect(product).toEqual(before);
    expect(projected.price).toEqual({ ...product.price, extra: null });
    (projected.price as Record<string, unknown>).currency = 'EUR';
    expect(product.price.currency).toBe('USD');
  });

  it('keeps a field named __proto__ as a field', () => {
    const item = JSON.parse('{"__proto__":{"a":1},"b":2}') as Record<string, unknown>;
    const projected = projectFields(item, ['__proto__.a']);
    expect(JSON.stringify(projected)).toBe('{"__proto__":{"a":1}}');
    expect(Object.getPrototypeOf(projected)).toBe(Object.prototype);
  });
});

describe('formatCell', () => {
  it.each([
    ['text', 'text'],
    ['', ''],
    [10, '10'],
    [-2.5, '-2.5'],
    [true, 'true'],
    [false, 'false'],
    [null, ''],
    [undefined, ''],
    [['c1', 'c2'], 'c1, c2'],
    [[1, null, true], '1, , true'],
    [[], ''],
    [{ a: 1, b: 'x' }, '{"a":1,"b":"x"}'],
    [[{ a: 1 }], '[{"a":1}]'],
    [[['x'], 'y'], '[["x"],"y"]'],
    [new Date('2024-01-02T03:04:05Z'), '2024-01-02T03:04:05.000Z'],
  ])('%j → %j', (value, expected) => {
    expect(formatCell(value)).toBe(expected);
  });
});
