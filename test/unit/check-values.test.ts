import { describe, expect, it } from 'vitest';
import { checkFieldPaths } from '../../src/specs/check-fields.js';
import { checkFilterValues, checkFilterValuesBy, checkScalar, type ValueViolation } from '../../src/specs/check-values.js';
import { QUERY_SPECS } from '../../src/specs/query-specs.js';
import type { FieldTree } from '../../src/specs/types.js';
import { parseFilter } from '../../src/wix/filter.js';
import { checkCollectionFilter, collectionFields, undeclaredFieldWarnings, withCollectionDates } from '../../src/wix/collection-fields.js';
import { planQuery, valueViolationMessage } from '../../src/wix/query-plan.js';
import { productsV1, productsV3 } from '../../src/wix/resources.js';

/** The value checker (src/specs/check-values.ts), the --fields checker (check-fields.ts) and the messages the plan builds. */

const v1 = QUERY_SPECS.productsV1;
const v3 = QUERY_SPECS.productsV3Search;

describe('checkScalar', () => {
  it.each<[string, Parameters<typeof checkScalar>[0], unknown, { ok: boolean; suggestion?: unknown }]>([
    ['text', 'string', 'Linen', { ok: true }],
    ['a number for text', 'string', 12345, { ok: false, suggestion: '12345' }],
    ['a number', 'number', 12.5, { ok: true }],
    ['a numeric string for a number', 'number', '30', { ok: false, suggestion: 30 }],
    ['a word for a number', 'number', 'abc', { ok: false }],
    ['digits a number cannot hold exactly', 'number', '16080358437580001234', { ok: false }],
    ['a decimal string', 'decimal-string', '19.99', { ok: true }],
    ['a number for a decimal string (Wix\'s own storefront sends numbers)', 'decimal-string', 20, { ok: true }],
    ['a price with a currency sign', 'decimal-string', '$20', { ok: false, suggestion: 20 }],
    ['a word for a decimal', 'decimal-string', 'abc', { ok: false }],
    ['a boolean', 'boolean', false, { ok: true }],
    ['yes', 'boolean', 'yes', { ok: false, suggestion: true }],
    ['0', 'boolean', 0, { ok: false, suggestion: false }],
    ['a date', 'date', '2024-06-01', { ok: true }],
    ['a date and time', 'date', '2024-06-01T12:00:00.000Z', { ok: true }],
    ['an impossible date', 'date', '2024-13-45', { ok: false }],
    ['a year', 'date', 2024, { ok: false }],
    ['an enum value', { enum: ['IN_STOCK', 'OUT_OF_STOCK'] }, 'IN_STOCK', { ok: true }],
    ['an enum value in words', { enum: ['IN_STOCK', 'OUT_OF_STOCK'] }, 'out of stock', { ok: false, suggestion: 'OUT_OF_STOCK' }],
    ['a prefix of an enum value', { enum: ['APPOINTMENT', 'CLASS', 'COURSE'] }, 'appoint', { ok: false, suggestion: 'APPOINTMENT' }],
    ['an unrelated word', { enum: ['APPOINTMENT', 'CLASS', 'COURSE'] }, 'zzz', { ok: false }],
    ['a list element', { arrayOf: 'string' }, 'c1', { ok: true }],
  ])('%s', (_label, type, value, expected) => {
    expect(checkScalar(type, value)).toEqual(expected);
  });

  it('takes the Data API\'s {"$date"} only where asked', () => {
    expect(checkScalar('date', { $date: '2024-06-01T00:00:00.000Z' }).ok).toBe(false);
    expect(checkScalar('date', { $date: '2024-06-01T00:00:00.000Z' }, 'text-or-$date').ok).toBe(true);
  });
});

describe('checkFilterValues', () => {
  const bad = (spec: typeof v1, filter: unknown) => checkFilterValues(spec, filter).map(({ field, operator, value }) => ({ field, operator, value }));

  it('finds the bad value at any depth, list items one by one, wire names too', () => {
    expect(bad(v1, { $and: [{ name: 'a' }, { $or: [{ price: { $gt: 'abc' } }, { $not: { createdDate: { $lt: 2024 } } }] }] })).toEqual([
      { field: 'price', operator: '$gt', value: 'abc' },
      { field: 'createdDate', operator: '$lt', value: 2024 },
    ]);
    expect(bad(v1, { collectionIds: { $hasSome: ['c1', 7, 'c3'] } })).toEqual([{ field: 'collectionIds', operator: '$hasSome', value: 7 }]);
    expect(bad(v1, { id: { $in: 'abc' } })).toEqual([{ field: 'id', operator: '$in', value: 'abc' }]);
  });

  it('lets good values, null equality and unknown fields pass', () => {
    expect(bad(v1, { price: { $gte: 10, $lt: 20 }, numericId: { $gt: 5 }, _id: null, productType: { $in: ['physical', 'digital'] }, nosuchfield: { $gt: 'x' } })).toEqual([]);
    expect(bad(v3, { 'actualPriceRange.minValue.amount': { $gte: '10.50' }, visible: true, 'allCategoriesInfo.categories': { $matchItems: [{ _id: 'c' }] } })).toEqual([]);
    expect(bad(v3, { 'allCategoriesInfo.categories': { $matchItems: 'c' } })).toHaveLength(1);
  });

  it('says when an operator cannot go with the field type at all', () => {
    const [v] = checkFilterValues(v1, { numericId: { $startsWith: '16' } });
    expect(v).toMatchObject({ field: 'numericId', operatorMismatch: true, type: 'number' });
  });

  it('takes any field types (the CMS: from the collection)', () => {
    const typeOf = (field: string) => (field === 'views' ? ('number' as const) : undefined);
    expect(checkFilterValuesBy({ views: { $gt: 'many' }, title: 5 }, typeOf)).toHaveLength(1);
  });
});

describe('the message and the suggestion', () => {
  const message = (rules: typeof productsV1.rules, expression: string) => {
    try {
      planQuery(rules, { filter: parseFilter(expression), sort: [] });
    } catch (error) {
      return (error as Error).message;
    }
    return undefined;
  };

  it.each<[typeof productsV1.rules, string, string | undefined]>([
    [productsV1.rules, 'price=>100', '"price" takes a number on Catalog V1, got ">100" (did you mean price>=100?)'],
    [productsV1.rules, 'price=<100', '"price" takes a number on Catalog V1, got "<100" (did you mean price<=100?)'],
    [productsV1.rules, 'price>>100', '"price" takes a number on Catalog V1, got ">100" (did you mean price>100 or price>=100?)'],
    [productsV1.rules, 'price!=!5', '"price" takes a number on Catalog V1, got "!5" (did you mean price!=5?)'],
    [productsV1.rules, 'price==5', '"price" takes a number on Catalog V1, got "=5" (did you mean price=5?)'],
    [productsV1.rules, 'price<>5', '"price" takes a number on Catalog V1, got ">5"'],
    [productsV1.rules, 'price=>abc', '"price" takes a number on Catalog V1, got ">abc"'],
    [productsV1.rules, 'name=>x', undefined],
    [productsV1.rules, 'sku="a b"', undefined],
    [productsV1.rules, 'sku=true', '"sku" takes text on Catalog V1, got true (did you mean sku="true"?)'],
    [productsV3.rules, 'price>=10', undefined],
    [productsV3.rules, 'price<"9.99"', undefined],
    [productsV3.rules, 'price<=$9', '"price" (actualPriceRange.minValue.amount) takes a decimal number (19.99) on Catalog V3, got "$9" (did you mean price<=9?)'],
    [productsV3.rules, 'stock!=out-of-stock', '"stock" (inventory.availabilityStatus) takes one of IN_STOCK, OUT_OF_STOCK, PARTIALLY_OUT_OF_STOCK on Catalog V3, got "out-of-stock" (did you mean stock!=OUT_OF_STOCK?)'],
  ])('%#: %s', (rules, expression, expected) => {
    expect(message(rules, expression)).toBe(expected);
  });

  it('names the field as written and the field it maps to', () => {
    const v: ValueViolation = { field: 'createdDate', operator: '$gt', value: 'soon', type: 'date' };
    expect(valueViolationMessage(v, { written: 'created', sdkName: '_createdDate', label: 'Catalog V3' })).toBe(
      '"created" (_createdDate) takes a date (2024-06-01 or 2024-06-01T12:00:00Z) on Catalog V3, got "soon"',
    );
  });
});

describe('checkFieldPaths', () => {
  const tree: FieldTree = { _id: 1, name: 1, priceData: { price: 1, formatted: { price: 1 } }, media: { items: { image: 0 } }, variants: { sku: 1 } };

  it('knows typed paths, list indexes and open-ended parts', () => {
    expect(checkFieldPaths(tree, ['_id', 'priceData.formatted.price', 'variants.0.sku', 'variants.sku', 'media.items.image.url.whatever'])).toEqual({ unknown: [], untyped: [] });
  });

  it('an unknown top-level key is unknown, with the closest key', () => {
    expect(checkFieldPaths(tree, ['nmae', 'zzzzzz']).unknown).toEqual([{ path: 'nmae', key: 'nmae', suggestion: 'name' }, { path: 'zzzzzz', key: 'zzzzzz' }]);
  });

  it('an unknown deeper path, or a path into a scalar, only leaves the typings', () => {
    expect(checkFieldPaths(tree, ['priceData.nope', 'name.first', 'priceData.formatted.price.x']).untyped).toEqual([
      { path: 'priceData.nope', at: 'priceData.nope' },
      { path: 'name.first', at: 'name.first' },
      { path: 'priceData.formatted.price.x', at: 'priceData.formatted.price.x' },
    ]);
  });
});

describe('a CMS collection\'s declared fields', () => {
  const collection = {
    _id: 'articles',
    fields: [
      { key: 'title', type: 'TEXT' },
      { key: 'views', type: 'NUMBER' },
      { key: 'publishedDate', type: 'DATETIME' },
      { key: 'author', type: 'REFERENCE' },
      { key: 'cover', type: 'IMAGE' },
    ],
  };
  const fields = collectionFields(collection, 'articles')!;

  it('knows the system fields and the declared ones; none without typed fields', () => {
    expect(fields.keys).toEqual(expect.arrayContaining(['_id', '_owner', '_createdDate', '_updatedDate', 'title', 'views', 'publishedDate', 'author', 'cover']));
    expect(collectionFields({ _id: 'x' }, 'x')).toBeUndefined();
    expect(collectionFields({ fields: [{ key: 'a' }] }, 'x')).toBeUndefined();
  });

  it('refuses a value its field cannot take; leaves types it does not check alone', () => {
    expect(() => checkCollectionFilter(fields, { views: { $gt: 'many' } })).toThrow('"views" takes a number on the collection "articles", got "many"');
    expect(() => checkCollectionFilter(fields, { $not: [{ title: { $in: [1] } }] })).toThrow('"title" takes text');
    expect(() => checkCollectionFilter(fields, { publishedDate: { $gte: { $date: '2024-01-01T00:00:00.000Z' } }, cover: 5, nosuch: 'x' })).not.toThrow();
  });

  it('a date-and-time field compares with a date; other fields and {$date} stay as written', () => {
    const sent = withCollectionDates(fields, { $and: [{ publishedDate: { $gte: '2024-02-01' } }, { title: '2024-02-01' }, { publishedDate: { $lt: { $date: '2025-01-01T00:00:00.000Z' } } }] });
    const [a, b, c] = (sent.$and as Record<string, any>[])!;
    expect(a!.publishedDate.$gte).toEqual(new Date('2024-02-01T00:00:00.000Z'));
    expect(b!.title).toBe('2024-02-01');
    expect(c!.publishedDate.$lt).toEqual({ $date: '2025-01-01T00:00:00.000Z' });
  });

  it('warns about --fields keys it does not declare, not about included references', () => {
    expect(undeclaredFieldWarnings(fields, ['title', 'author.title', 'titel', 'extra.x'], ['extra'])).toEqual([
      'Warning: --fields titel: the collection "articles" declares no field "titel" (did you mean title?); the column is empty where an item has none.',
    ]);
  });
});
