import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { FilterSyntaxError, filterFieldNames, isFieldPath, mapFilterFields, parseFilter, typeUnquotedValue } from '../../src/wix/filter.js';

describe('parseFilter: operators', () => {
  it.each([
    ['name=Red shirt', { name: 'Red shirt' }],
    ['name="Red shirt"', { name: 'Red shirt' }],
    ["name='Red shirt'", { name: 'Red shirt' }],
    ['price.price!=10', { 'price.price': { $ne: 10 } }],
    ['price.price>10', { 'price.price': { $gt: 10 } }],
    ['price.price>=10', { 'price.price': { $gte: 10 } }],
    ['price.price<10', { 'price.price': { $lt: 10 } }],
    ['price.price<=10', { 'price.price': { $lte: 10 } }],
    ['name^=Re', { name: { $startsWith: 'Re' } }],
    ['name~=shirt', { name: { $contains: 'shirt' } }],
    // The text operators take text: an unquoted number, true or null stays the string it was written as.
    ['title$=3', { title: { $endsWith: '3' } }],
    ['sku^=007', { sku: { $startsWith: '007' } }],
    ['note~=true', { note: { $contains: 'true' } }],
    ['name$=shirt', { name: { $endsWith: 'shirt' } }],
    ['_id in (a,b)', { _id: { $in: ['a', 'b'] } }],
    ['_id notin (a,b)', { _id: { $nin: ['a', 'b'] } }],
    ['collectionIds has (c1,c2)', { collectionIds: { $hasSome: ['c1', 'c2'] } }],
    ['collectionIds hasall (c1,c2)', { collectionIds: { $hasAll: ['c1', 'c2'] } }],
    ['_id IN (a)', { _id: { $in: ['a'] } }],
    ['_id in(a)', { _id: { $in: ['a'] } }],
    ['ribbon', { ribbon: { $exists: true } }],
    ['!ribbon', { ribbon: { $exists: false } }],
    ['! ribbon ', { ribbon: { $exists: false } }],
    ['variants.0.sku=A-1', { 'variants.0.sku': 'A-1' }],
    ['my-field_2=x', { 'my-field_2': 'x' }],
  ])('%s', (expression, expected) => {
    expect(parseFilter(expression)).toEqual(expected);
  });
});

describe('parseFilter: whitespace and values', () => {
  it.each([
    ['  price.price  >=  10  ', { 'price.price': { $gte: 10 } }],
    ['name =   Red  shirt  ', { name: 'Red  shirt' }],
    ['name = " padded "', { name: ' padded ' }],
    ['name=a=b!=c', { name: 'a=b!=c' }],
    ["name=Bob's shirt", { name: "Bob's shirt" }],
    ['price>-5', { price: { $gt: -5 } }],
    ['price=1.5e3', { price: 1500 }],
    ['price=0', { price: 0 }],
    ['price=-0.25', { price: -0.25 }],
    ['visible=true', { visible: true }],
    ['visible=false', { visible: false }],
    ['ribbon=null', { ribbon: null }],
    ['visible="true"', { visible: 'true' }],
    ['price="10"', { price: '10' }],
    ["ribbon='null'", { ribbon: 'null' }],
    ['sku=007', { sku: '007' }],
    ['sku=12345678901234567890', { sku: '12345678901234567890' }],
    ['sku=0x10', { sku: '0x10' }],
    ['visible=True', { visible: 'True' }],
    ['name=""', { name: '' }],
    ['name="say \\"hi\\""', { name: 'say "hi"' }],
    ["name='it\\'s'", { name: "it's" }],
    ['name="back\\\\slash"', { name: 'back\\slash' }],
    ['name="a\'b"', { name: "a'b" }],
    ['_id in ( a , "b,c" , 3, true, null, \'x)\' )', { _id: { $in: ['a', 'b,c', 3, true, null, 'x)'] } }],
    ['_id in (a b, c)', { _id: { $in: ['a b', 'c'] } }],
    ['tags has ("10")', { tags: { $hasSome: ['10'] } }],
    ['name=😀 emoji', { name: '😀 emoji' }],
  ])('%s', (expression, expected) => {
    expect(parseFilter(expression)).toEqual(expected);
  });

  it('creates an own property for a field named __proto__', () => {
    const filter = parseFilter('__proto__=1');
    expect(Object.keys(filter)).toEqual(['__proto__']);
    expect(JSON.stringify(filter)).toBe('{"__proto__":1}');
  });
});

describe('parseFilter: errors', () => {
  it.each([
    ['price.price ~ 10', 13, 'unexpected "~" at column 13 (expected an operator: = != > >= < <= ^= ~= $= in notin has hasall)'],
    ['', 1, 'empty expression'],
    ['   ', 1, 'empty expression'],
    ['=5', 1, 'missing field name before "=" at column 1'],
    [' >= 5', 2, 'missing field name before ">" at column 2'],
    ['!', 2, 'missing field name after "!" at column 2'],
    ['!=x', 2, 'unexpected "=" at column 2 (expected a field name'],
    ['*=1', 1, 'unexpected "*" at column 1 (expected a field name'],
    ['na*me=1', 3, 'unexpected "*" at column 3 (expected an operator'],
    ['name!x', 5, 'unexpected "!" at column 5'],
    ['name=', 6, 'missing value after "=" at column 6 (end of the expression)'],
    ['price >=   ', 12, 'missing value after ">=" at column 12'],
    ['name="Red shirt', 6, 'unclosed double quote at column 6'],
    ["name='Red", 6, 'unclosed single quote at column 6'],
    ['name="abc\\"', 6, 'unclosed double quote at column 6'],
    ['name="Red" shirt', 12, 'unexpected "s" at column 12 (nothing may follow the closing quote'],
    ['_id in (a,b', 8, 'unclosed "(" at column 8'],
    ['_id in ("a"', 8, 'unclosed "(" at column 8'],
    ['_id in (', 8, 'unclosed "(" at column 8'],
    ['_id in ()', 8, 'empty list at column 8'],
    ['_id in (  )', 8, 'empty list at column 8'],
    ['_id in (a,)', 11, 'missing value after "," at column 11'],
    ['_id in (a,,b)', 11, 'missing value before "," at column 11'],
    ['_id in (,a)', 9, 'missing value before "," at column 9'],
    ['_id in ("a" b)', 13, 'unexpected "b" at column 13 (expected "," or ")"'],
    ['_id in (a) x', 12, 'unexpected "x" at column 12 (nothing may follow the closing ")")'],
    ['_id in a,b', 8, 'unexpected "a" at column 8 (expected "(" to start the list after "in")'],
    ['_id in', 7, 'missing list after "in" at column 7'],
    ['_id inside (a)', 5, 'unknown operator "inside" at column 5'],
    ['!ribbon=1', 8, 'unexpected "=" at column 8 (a negated field "!ribbon" takes no operator or value)'],
    ['.name=1', 1, 'empty segment in field name ".name" at column 1'],
    ['a..b=1', 3, 'empty segment in field name "a..b" at column 3'],
    ['name.=1', 5, 'empty segment in field name "name." at column 5'],
    ['😀=1', 1, 'unexpected "😀" at column 1'],
    ['a="😀', 3, 'unclosed double quote at column 3'],
    ['name"x"=1', 5, `unexpected '"' at column 5`],
  ])('%j fails at column %i', (expression, column, message) => {
    let error: unknown;
    try {
      parseFilter(expression);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FilterSyntaxError);
    expect(error).toBeInstanceOf(UsageError);
    const syntaxError = error as FilterSyntaxError;
    expect(syntaxError.column).toBe(column);
    expect(syntaxError.message).toContain(message);
    expect(syntaxError.message.startsWith(`bad filter ${JSON.stringify(expression)}: `)).toBe(true);
    expect(syntaxError.message).not.toContain('\n');
    expect(syntaxError.exitCode).toBe(2);
  });

  it('gives the exact message of the contract example', () => {
    expect(() => parseFilter('price.price ~ 10')).toThrow(
      'bad filter "price.price ~ 10": unexpected "~" at column 13 (expected an operator: = != > >= < <= ^= ~= $= in notin has hasall)',
    );
  });

  it('puts a caret under the offending character in the hint', () => {
    try {
      parseFilter('price.price ~ 10');
      expect.unreachable();
    } catch (e) {
      expect((e as FilterSyntaxError).hint).toBe('  price.price ~ 10\n              ^');
    }
  });

  it('keeps the message on one line and the caret aligned when the expression has a newline', () => {
    try {
      parseFilter('a\n~');
      expect.unreachable();
    } catch (e) {
      const error = e as FilterSyntaxError;
      expect(error.message).toBe('bad filter "a\\n~": unexpected "~" at column 3 (expected an operator: = != > >= < <= ^= ~= $= in notin has hasall)');
      expect(error.hint).toBe('  a ~\n    ^');
    }
  });
});

describe('typeUnquotedValue and isFieldPath', () => {
  it('types only exact literals', () => {
    expect(typeUnquotedValue('10')).toBe(10);
    expect(typeUnquotedValue('1e400')).toBe('1e400');
    expect(typeUnquotedValue('.5')).toBe('.5');
    expect(typeUnquotedValue('5.')).toBe('5.');
    expect(typeUnquotedValue('+5')).toBe('+5');
    expect(typeUnquotedValue('NULL')).toBe('NULL');
  });

  it('accepts dotted paths of letters, digits, _ and -', () => {
    expect(isFieldPath('price.price')).toBe(true);
    expect(isFieldPath('variants.0._id')).toBe(true);
    expect(isFieldPath('')).toBe(false);
    expect(isFieldPath('a..b')).toBe(false);
    expect(isFieldPath('a b')).toBe(false);
    expect(isFieldPath('$and')).toBe(false);
  });
});

const fieldSegment = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
const fieldPath = fc.array(fieldSegment, { minLength: 1, maxLength: 4 }).map((segments) => segments.join('.'));

describe('parseFilter: properties', () => {
  it('round-trips any double-quoted string value exactly', () => {
    fc.assert(
      fc.property(fieldPath, fc.string({ unit: 'binary', maxLength: 40 }), (field, value) => {
        const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
        const filter = parseFilter(`${field}="${escaped}"`);
        expect(Object.keys(filter)).toEqual([field]);
        expect(filter[field]).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips any single-quoted list item exactly', () => {
    fc.assert(
      fc.property(fieldPath, fc.array(fc.string({ maxLength: 10 }), { minLength: 1, maxLength: 4 }), (field, values) => {
        const items = values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
        expect(parseFilter(`${field} notin (${items.join(' , ')})`)).toEqual({ [field]: { $nin: values } });
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but a UsageError with a column inside the expression (or just past it)', () => {
    const junk = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.string({ unit: fc.constantFrom(...'ab_.-!=<>^~$() ,"\'\\10tn'.split('')), maxLength: 30 }),
    );
    fc.assert(
      fc.property(junk, (expression) => {
        try {
          parseFilter(expression);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          const column = (error as FilterSyntaxError).column;
          expect(column).toBeGreaterThanOrEqual(1);
          expect(column).toBeLessThanOrEqual(Array.from(expression).length + 1);
          expect((error as Error).message).not.toMatch(/[\n\r]/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('mapFilterFields and filterFieldNames', () => {
  const filter = {
    $and: [{ name: { $startsWith: 'Li' } }, { $or: [{ price: { $gt: 5 } }, { $not: { stock: true } }] }],
    $not: [{ hidden: true }],
    $comment: 'kept',
  };

  it('reaches every field under $and, $or and $not (object or array) and keeps other $ keys', () => {
    const upper = mapFilterFields(filter, (field, condition) => [field.toUpperCase(), condition]);
    expect(upper).toEqual({
      $and: [{ NAME: { $startsWith: 'Li' } }, { $or: [{ PRICE: { $gt: 5 } }, { $not: { STOCK: true } }] }],
      $not: [{ HIDDEN: true }],
      $comment: 'kept',
    });
    expect([...filterFieldNames(filter)].sort()).toEqual(['hidden', 'name', 'price', 'stock']);
  });

  it('keeps a field named __proto__ a field', () => {
    const out = mapFilterFields(JSON.parse('{"__proto__": 1}'), (field, condition) => [field, condition]);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });
});
