import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderEntityFields, renderGeneratedSpecs } from '../../scripts/gen-query-specs.mjs';
import { deriveEntityFields, deriveQuerySpecs, SPEC_SOURCES, type DerivedQuerySpec } from '../../scripts/query-spec-derivation.mjs';
import { ENTITY_FIELDS } from '../../src/specs/entity-fields.generated.js';
import { checkQuery, formatViolation, rankByCloseness, type QueryViolation } from '../../src/specs/check-query.js';
import { QUERY_SPECS, SDK_QUERY_SPECS, SPEC_OVERRIDES, sdkFieldPath, sortableFields, wireFieldPath, type QuerySpec, type SpecName } from '../../src/specs/query-specs.js';

/** The query-spec table against the installed SDK typings, its override layer, and the checker built on it. */

let derived: Record<string, DerivedQuerySpec>;

beforeAll(() => {
  derived = deriveQuerySpecs();
});

describe('the SDK part of the spec table', () => {
  it('equals what the installed typings declare (re-run scripts/gen-query-specs.mjs after an SDK update)', () => {
    expect(derived).toEqual(SDK_QUERY_SPECS);
  });

  it('is byte for byte what the generator writes', () => {
    const committed = readFileSync(new URL('../../src/specs/sdk-query-specs.generated.ts', import.meta.url), 'utf8');
    expect(renderGeneratedSpecs(derived)).toBe(committed);
  });

  it('the typed paths for --fields are byte for byte what the generator writes from the typings', () => {
    const entities = deriveEntityFields();
    expect(entities).toEqual(ENTITY_FIELDS);
    const committed = readFileSync(new URL('../../src/specs/entity-fields.generated.ts', import.meta.url), 'utf8');
    expect(renderEntityFields(entities)).toBe(committed);
    expect(Object.keys(ENTITY_FIELDS).sort()).toEqual(['Category', 'Collection', 'Product', 'ReadOnlyVariant', 'Service', 'V3Product']);
    expect(ENTITY_FIELDS.Product!.priceData).toMatchObject({ price: 1, formatted: { price: 1 } });
    // Through a list to its elements' fields: V3 variants.
    expect(ENTITY_FIELDS.V3Product!.variantsInfo).toMatchObject({ variants: { sku: 1 } });
  });

  it('gives each field the type of value the entity typings give it', () => {
    const v1 = SDK_QUERY_SPECS.productsV1.fields;
    expect(v1.name!.type).toBe('string');
    expect(v1['priceData.price']!.type).toBe('number');
    expect(v1._createdDate!.type).toBe('date');
    expect(v1.collectionIds!.type).toEqual({ arrayOf: 'string' });
    expect(v1.productType!.type).toEqual({ enum: ['unspecified_product_type', 'physical', 'digital'] });
    // The object type the typings give it: the override makes it the number Wix compares.
    expect(v1.price!.type).toBe('object');
    const v3 = SDK_QUERY_SPECS.productsV3Search.fields;
    expect(v3.visible!.type).toBe('boolean');
    expect(v3['inventory.availabilityStatus']!.type).toEqual({ enum: ['IN_STOCK', 'OUT_OF_STOCK', 'PARTIALLY_OUT_OF_STOCK'] });
    // Money amounts carry `@decimalValue` in the typings: a decimal number as text.
    expect(v3['actualPriceRange.minValue.amount']!.type).toBe('decimal-string');
    expect(v3['allCategoriesInfo.categories']!.type).toEqual({ arrayOf: 'object' });
    // A field the entity type does not have: no type, its values go unchecked.
    expect(v3.importId!.type).toBeUndefined();
  });

  it('covers every list API wixq calls', () => {
    expect(Object.keys(SDK_QUERY_SPECS).sort()).toEqual(SPEC_SOURCES.map((s) => s.name).sort());
  });

  it("expands '*' per field type as @wix/sdk-types does", () => {
    const v1 = SDK_QUERY_SPECS.productsV1.fields;
    expect(v1.name!.operators).toEqual(['$eq', '$ne', '$gt', '$lt', '$gte', '$lte', '$isEmpty', '$exists', '$in', '$nin', '$startsWith']);
    expect(v1['priceData.price']!.operators).toEqual(['$eq', '$ne', '$gt', '$lt', '$gte', '$lte', '$exists', '$in', '$nin']);
    expect(v1._createdDate!.operators).toEqual(['$eq', '$ne', '$gt', '$lt', '$gte', '$lte', '$exists', '$in', '$nin']);
    expect(v1.productType!.operators).toEqual(['$eq', '$ne', '$in', '$nin', '$exists']);
    // Product.price is the PriceData object in the typings: objects only get $exists.
    expect(v1.price!.operators).toEqual(['$exists']);
    expect(SDK_QUERY_SPECS.productsV3Query.fields.visible!.operators).toEqual(['$eq', '$ne', '$exists', '$in', '$nin']);
    expect(SDK_QUERY_SPECS.productsV3Search.fields['allCategoriesInfo.categories']!.operators).toEqual(['$matchItems']);
  });

  it('gives no field $contains or $endsWith, and V1 has no price.price', () => {
    for (const spec of Object.values(SDK_QUERY_SPECS)) {
      for (const rule of Object.values(spec.fields)) expect(rule.operators).not.toContain('$contains');
      for (const rule of Object.values(spec.fields)) expect(rule.operators).not.toContain('$endsWith');
    }
    expect(SDK_QUERY_SPECS.productsV1.fields['price.price']).toBeUndefined();
  });
});

describe('the override layer', () => {
  it.each(SPEC_OVERRIDES.map((o) => [`${o.spec} ${o.field}`, o] as const))('%s names a real spec and field, cites a source and changes something', (_label, o) => {
    const sdkRule = SDK_QUERY_SPECS[o.spec]?.fields[o.field];
    expect(sdkRule).toBeDefined();
    expect(o.source).toMatch(/^https:\/\/\S+$|^@wix\/\S+ \w+$/);
    expect(o.why.trim()).not.toBe('');
    expect({ ...sdkRule, ...o.change }).not.toEqual(sdkRule);
    expect(QUERY_SPECS[o.spec].fields[o.field]).toEqual({ ...sdkRule, ...o.change });
  });

  it('leaves V3 product queries with no sortable field and V1 price numeric', () => {
    expect(sortableFields(SDK_QUERY_SPECS.productsV3Query)).toEqual(['_createdDate', '_updatedDate', 'slug', 'visible']);
    expect(sortableFields(QUERY_SPECS.productsV3Query)).toEqual([]);
    expect(QUERY_SPECS.productsV1.fields.price).toEqual({ operators: SDK_QUERY_SPECS.productsV1.fields['priceData.price']!.operators, sort: 'BOTH', type: 'number' });
    expect(QUERY_SPECS.productsV1.fields.numericId!.type).toBe('number');
    expect(SDK_QUERY_SPECS.productsV1.fields.numericId!.type).toBe('string');
  });

  it('changes nothing the overrides do not name', () => {
    const named = new Set(SPEC_OVERRIDES.map((o) => `${o.spec}/${o.field}`));
    for (const [name, spec] of Object.entries(QUERY_SPECS) as [SpecName, QuerySpec][]) {
      const { fields, ...rest } = spec;
      const { fields: sdkFields, ...sdkRest } = SDK_QUERY_SPECS[name];
      expect(rest).toEqual(sdkRest);
      for (const [field, rule] of Object.entries(fields)) if (!named.has(`${name}/${field}`)) expect(rule).toEqual(sdkFields[field]);
    }
  });
});

describe('field names on the wire', () => {
  it.each([
    ['_id', 'id'],
    ['options._id', 'options.id'],
    ['_createdDate', 'createdDate'],
    ['priceData.price', 'priceData.price'],
  ])('%s is %s on the wire and back', (sdk, wire) => {
    expect(wireFieldPath(sdk)).toBe(wire);
    expect(sdkFieldPath(wire)).toBe(sdk);
  });
});

const v1 = QUERY_SPECS.productsV1;
type Case = [string, QuerySpec, { filter?: unknown; sort?: unknown }, Partial<QueryViolation>[]];

describe('checkQuery', () => {
  const cases: Case[] = [
    ['implicit equality on a declared field', v1, { filter: { name: 'Linen Shirt' } }, []],
    ['declared operators, nested', v1, { filter: { $and: [{ name: { $startsWith: 'li' } }, { $or: [{ 'priceData.price': { $lt: 30 } }, { price: { $gte: 90 } }] }] } }, []],
    ['a numeric price comparison (override)', v1, { filter: { price: { $gt: 5 } }, sort: [{ fieldName: 'price', order: 'DESC' }] }, []],
    ['the SDK alone refuses a numeric price', SDK_QUERY_SPECS.productsV1, { filter: { price: { $gt: 5 } } }, [{ kind: 'filter-operator', field: 'price', operator: '$gt', allowed: ['$exists'] }]],
    ['an undeclared field', v1, { filter: { 'price.price': { $gt: 5 } } }, [{ kind: 'filter-field', field: 'price.price', suggestion: 'priceData.price' }]],
    ['a misspelt field', v1, { filter: { nme: 'x' } }, [{ kind: 'filter-field', field: 'nme', suggestion: 'name' }]],
    ['an unrelated field gets no suggestion', v1, { filter: { zzzzqqqq: 1 } }, [{ kind: 'filter-field', field: 'zzzzqqqq', suggestion: undefined }]],
    ['$contains is not a string operator', v1, { filter: { name: { $contains: 'x' } } }, [{ kind: 'filter-operator', field: 'name', operator: '$contains' }]],
    ['$endsWith neither', v1, { filter: { sku: { $endsWith: 'x' } } }, [{ kind: 'filter-operator', field: 'sku', operator: '$endsWith' }]],
    ['a misspelt operator', v1, { filter: { name: { $startswith: 'x' } } }, [{ kind: 'filter-operator', operator: '$startswith', suggestion: '$startsWith' }]],
    ['implicit equality on an array-operator field', v1, { filter: { collectionIds: 'c1' } }, [{ kind: 'filter-operator', field: 'collectionIds', operator: '$eq', allowed: ['$hasAll', '$hasSome'] }]],
    ['inside $and/$or/$not', v1, { filter: { $and: [{ name: 'a' }, { $or: [{ ribbon: 'Sale' }, { $not: { brand: 'Acme' } }] }] } }, [{ kind: 'filter-field', field: 'ribbon' }, { kind: 'filter-field', field: 'brand' }]],
    ['every bad operator of one field', v1, { filter: { name: { $contains: 'a', $endsWith: 'b', $startsWith: 'c' } } }, [{ operator: '$contains' }, { operator: '$endsWith' }]],
    ['a filter sent as a JSON string', v1, { filter: '{"ribbon":"Sale"}' }, [{ kind: 'filter-field', field: 'ribbon' }]],
    ['a sort on an unsortable field', v1, { sort: [{ fieldName: '_createdDate', order: 'ASC' }] }, [{ kind: 'sort-field', field: '_createdDate', allowed: expect.arrayContaining(['name', 'price']) }]],
    ['a sort sent as a JSON string', v1, { sort: '[{"fieldName":"description"}]' }, [{ kind: 'sort-field', field: 'description' }]],
    ['the legacy {field: order} sort form', v1, { sort: [{ name: 'asc' }, { description: 'desc' }] }, [{ kind: 'sort-field', field: 'description' }]],
    ['any sort on a V3 product query', QUERY_SPECS.productsV3Query, { sort: [{ fieldName: '_createdDate', order: 'DESC' }] }, [{ kind: 'sort-field', field: '_createdDate', allowed: [] }]],
    ['which the SDK typings alone allow', SDK_QUERY_SPECS.productsV3Query, { sort: [{ fieldName: '_createdDate', order: 'DESC' }] }, []],
    ['name and price on V3 search', QUERY_SPECS.productsV3Search, { filter: { name: { $startsWith: 'a' }, 'actualPriceRange.minValue.amount': { $gte: '10' } }, sort: [{ fieldName: 'actualPriceRange.minValue.amount', order: 'ASC' }] }, []],
    ['categories with $matchItems on V3 search', QUERY_SPECS.productsV3Search, { filter: { 'allCategoriesInfo.categories': { $matchItems: [{ _id: 'c1' }] } } }, []],
    ['categories on V3 query', QUERY_SPECS.productsV3Query, { filter: { 'allCategoriesInfo.categories': { $matchItems: [{ _id: 'c1' }] } } }, [{ kind: 'filter-field', field: 'allCategoriesInfo.categories' }]],
    ['stock does not sort on V3 search', QUERY_SPECS.productsV3Search, { sort: [{ fieldName: 'inventory.availabilityStatus' }] }, [{ kind: 'sort-field', field: 'inventory.availabilityStatus' }]],
    ['hidden and appId on services', QUERY_SPECS.servicesQuery, { filter: { hidden: false, appId: '13d21c63-b5ec-5912-8397-c3a5ddb27a97' }, sort: [{ fieldName: 'name' }] }, []],
  ];

  it.each(cases)('%s', (_name, spec, query, expected) => {
    const got = checkQuery(spec, query);
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      const { suggestion, ...rest } = e;
      expect(got[i]).toMatchObject(rest);
      // `suggestion: undefined` in a case means: none offered.
      if ('suggestion' in e) expect(got[i]!.suggestion).toBe(suggestion);
    });
  });

  it('reads wire names as the SDK names them', () => {
    expect(checkQuery(v1, { filter: { id: 'p1' }, sort: [{ fieldName: 'createdDate', order: 'ASC' }] }, { fieldNames: 'wire' })).toEqual([
      { kind: 'sort-field', field: '_createdDate', allowed: expect.any(Array) },
    ]);
    // Without the option, a wire name is not a declared field.
    expect(checkQuery(v1, { filter: { id: 'p1' } })).toMatchObject([{ kind: 'filter-field', field: 'id', suggestion: '_id' }]);
  });

  it('lists the allowed fields closest first', () => {
    const [v] = checkQuery(v1, { filter: { 'price.price': 1 } });
    expect(v!.allowed.slice(0, 2)).toEqual(['priceData.price', 'price']);
    expect([...v!.allowed].sort()).toEqual(Object.keys(v1.fields).sort());
  });

  it.each([
    ['price.price', ['name', 'price', 'priceData.price'], ['priceData.price', 'price', 'name']],
    ['nme', ['slug', 'sku', 'name'], ['name', 'sku', 'slug']],
  ])('ranks candidates for %s', (wanted, candidates, ranked) => {
    expect(rankByCloseness(wanted, candidates)).toEqual(ranked);
  });
});

describe('formatViolation', () => {
  it('names the field, the endpoint, the suggestion and what is allowed, on one line', () => {
    const [v] = checkQuery(v1, { filter: { 'price.price': { $gt: 5 } } });
    const line = formatViolation(v!, '/stores-reader/v1/products/query');
    expect(line).toMatch(/^cannot filter on "price\.price" at \/stores-reader\/v1\/products\/query: not a declared field \(did you mean priceData\.price\?\); filterable: priceData\.price, price, /);
    expect(line).not.toContain('\n');
  });

  it('says which operators a field takes', () => {
    const [v] = checkQuery(v1, { filter: { name: { $contains: 'x' } } });
    expect(formatViolation(v!, 'V1 products')).toBe('cannot use $contains on "name" at V1 products; its operators: $eq, $ne, $gt, $lt, $gte, $lte, $isEmpty, $exists, $in, $nin, $startsWith');
  });

  it('says when nothing sorts', () => {
    const [v] = checkQuery(QUERY_SPECS.productsV3Query, { sort: [{ fieldName: 'slug' }] });
    expect(formatViolation(v!, '/stores/v3/products/query')).toBe('cannot sort on "slug" at /stores/v3/products/query: not sortable; sortable: none');
  });
});
