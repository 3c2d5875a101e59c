/**
 * The Wix query language (docs/wix-api.md 4.1 and 4.3), evaluated over plain JSON records.
 * Pure: no I/O, no clock. Routes turn a thrown QueryValidationError into Wix's 400 validationError envelope.
 */

/** One entry of Wix's `validationError.fieldViolations` (docs/wix-api.md 5.1). */
export interface FieldViolation {
  field: string;
  description: string;
  violatedRule: string;
  ruleName?: string;
  data?: Record<string, unknown>;
}

/** A request the query language rejects; routes answer it with a 400 validationError. */
export class QueryValidationError extends Error {
  readonly violations: FieldViolation[];
  constructor(violations: FieldViolation[]) {
    super(violations.map((v) => `"${v.field}" ${v.description}`).join('; '));
    this.name = 'QueryValidationError';
    this.violations = violations;
  }
}

/** One sort entry as the SDK sends it: `{fieldName, order}`. */
export interface SortSpec {
  fieldName: string;
  order?: string;
}

export type Predicate = (item: unknown) => boolean;

/**
 * How values compare. By default numeric strings equal and order like numbers and ISO-date strings like instants (the
 * Stores and Bookings APIs). `strictTypes` is Wix Data's rule: a value matches and orders only against a value of its
 * own type, numbers numerically, strings lexicographically, Dates as instants (docs/wix-api.md 12.1).
 */
export interface CompareOptions {
  strictTypes?: boolean;
}

/** Offset paging after validation. */
export interface OffsetPaging {
  limit: number;
  offset: number;
}

/** Wix's offset paging metadata `{count, offset, total}`. */
export interface OffsetPageMetadata {
  count: number;
  offset: number;
  total: number;
}

const OPERATORS = new Set([
  '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$startsWith', '$endsWith', '$contains',
  '$isEmpty', '$exists', '$hasSome', '$hasAll', '$matchItems',
]);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMERIC = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every value at a dotted path; arrays met on the way are walked element by element (any element may match). */
export function valuesAt(item: unknown, path: string): unknown[] {
  return valuesAtSegments(item, path.split('.'));
}

/** The item's own property `key`: a field name such as `constructor` or `__proto__` is a field, never the prototype's. */
function own(object: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function valuesAtSegments(item: unknown, segments: readonly string[]): unknown[] {
  // Fast path: a plain walk through objects, the common case.
  let value: unknown = item;
  let i = 0;
  for (; i < segments.length; i++) {
    if (!isPlainObject(value)) break;
    value = own(value, segments[i]!);
  }
  if (i === segments.length) return [value];
  if (!Array.isArray(value)) return [undefined];
  let current: unknown[] = [value];
  for (; i < segments.length; i++) {
    const segment = segments[i]!;
    const next: unknown[] = [];
    for (const v of current) {
      if (Array.isArray(v)) {
        for (const element of v) if (isPlainObject(element)) next.push(own(element, segment));
      } else if (isPlainObject(v)) {
        next.push(own(v, segment));
      } else {
        next.push(undefined);
      }
    }
    current = next;
  }
  return current;
}

/** Leaf values with arrays opened up, missing and null dropped: what scalar operators compare against. */
function scalarCandidates(leaves: unknown[]): unknown[] {
  if (leaves.length === 1) {
    const only = leaves[0];
    if (only === undefined || only === null) return [];
    if (!Array.isArray(only)) return leaves;
  }
  const out: unknown[] = [];
  for (const v of leaves) {
    if (Array.isArray(v)) {
      for (const e of v) if (e !== undefined && e !== null) out.push(e);
    } else if (v !== undefined && v !== null) {
      out.push(v);
    }
  }
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Equality with Wix's coercions: numeric strings equal numbers, ISO dates equal the same instant. */
export function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // A Date (a Wix Data date value) equals only the same instant as a Date, never a string (docs/wix-api.md 12.1).
  if (a instanceof Date || b instanceof Date) return deepEqual(a, b);
  if (typeof a === 'number' && typeof b === 'string') return NUMERIC.test(b) && a === Number(b);
  if (typeof a === 'string' && typeof b === 'number') return NUMERIC.test(a) && Number(a) === b;
  if (typeof a === 'string' && typeof b === 'string') {
    return ISO_DATE.test(a) && ISO_DATE.test(b) && Date.parse(a) === Date.parse(b);
  }
  if (typeof a === 'object' && typeof b === 'object') return deepEqual(a, b);
  return false;
}

/** Equality of Wix Data: same type and value (Dates: the same instant). */
function strictEquals(a: unknown, b: unknown): boolean {
  return typeof a === 'object' && a !== null && typeof b === 'object' && b !== null ? deepEqual(a, b) : a === b;
}

/** Orders two values, or answers undefined when they cannot be compared (e.g. a string and a boolean). Dates compare as instants, decimal strings as numbers. */
export function compareValues(a: unknown, b: unknown): number | undefined {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date ? a.getTime() - b.getTime() : undefined;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number' && typeof b === 'string') return NUMERIC.test(b) ? a - Number(b) : undefined;
  if (typeof a === 'string' && typeof b === 'number') return NUMERIC.test(a) ? Number(a) - b : undefined;
  if (typeof a === 'string' && typeof b === 'string') {
    if (ISO_DATE.test(a) && ISO_DATE.test(b)) return Date.parse(a) - Date.parse(b);
    // Decimal strings (V3 amounts, numericId) order as numbers: "93" < "164".
    if (NUMERIC.test(a) && NUMERIC.test(b)) return Number(a) - Number(b);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return undefined;
}

/** compareValues(candidate, operand) with the operand's type worked out once, for hot filter loops. */
function comparatorFor(operand: unknown, options: CompareOptions = {}): (candidate: unknown) => number | undefined {
  if (operand instanceof Date) {
    const t = operand.getTime();
    return (c) => (c instanceof Date ? c.getTime() - t : undefined);
  }
  if (options.strictTypes) {
    if (typeof operand === 'number') return (c) => (typeof c === 'number' ? c - operand : undefined);
    if (typeof operand === 'string') return (c) => (typeof c === 'string' ? (c < operand ? -1 : c > operand ? 1 : 0) : undefined);
    if (typeof operand === 'boolean') return (c) => (typeof c === 'boolean' ? Number(c) - Number(operand) : undefined);
    return () => undefined;
  }
  if (typeof operand === 'number') {
    return (c) => (typeof c === 'number' ? c - operand : typeof c === 'string' && NUMERIC.test(c) ? Number(c) - operand : undefined);
  }
  if (typeof operand === 'string') {
    const instant = ISO_DATE.test(operand) ? Date.parse(operand) : undefined;
    const numeric = NUMERIC.test(operand) ? Number(operand) : undefined;
    return (c) => {
      if (typeof c === 'string') {
        if (instant !== undefined && ISO_DATE.test(c)) return Date.parse(c) - instant;
        if (numeric !== undefined && NUMERIC.test(c)) return Number(c) - numeric;
        return c < operand ? -1 : c > operand ? 1 : 0;
      }
      if (typeof c === 'number') return numeric === undefined ? undefined : c - numeric;
      return undefined;
    };
  }
  return (c) => compareValues(c, operand);
}

/** looseEquals(candidate, value) with the value's type worked out once. */
function equalityFor(value: unknown, options: CompareOptions = {}): (candidate: unknown) => boolean {
  if (value instanceof Date) {
    const t = value.getTime();
    return (c) => c instanceof Date && c.getTime() === t;
  }
  if (options.strictTypes) return (c) => c === value;
  if (typeof value === 'string' && !ISO_DATE.test(value) && !NUMERIC.test(value)) return (c) => c === value;
  if (typeof value === 'boolean') return (c) => c === value;
  return (c) => looseEquals(c, value);
}

function isEmptyValue(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function violation(field: string, description: string, violatedRule = 'INVALID'): QueryValidationError {
  return new QueryValidationError([{ field, description, violatedRule, ruleName: 'VALIDATION_ERROR', data: {} }]);
}

/** Compiles a Wix filter object into a predicate; throws QueryValidationError for unknown operators or bad operands. */
export function compileFilter(filter: unknown, fieldPrefix = 'query.filter', options: CompareOptions = {}): Predicate {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) throw violation(fieldPrefix, 'must be an object');
  const parts: Predicate[] = [];
  for (const [key, operand] of Object.entries(filter)) {
    const where = `${fieldPrefix}.${key}`;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(operand)) throw violation(where, `${key} expects an array of filters`);
      const subs = operand.map((f, i) => compileFilter(f, `${where}[${i}]`, options));
      parts.push(key === '$and' ? (item) => subs.every((p) => p(item)) : (item) => subs.some((p) => p(item)));
    } else if (key === '$not') {
      const sub = compileFilter(operand, where, options);
      parts.push((item) => !sub(item));
    } else if (key.startsWith('$')) {
      throw violation(where, `unknown operator ${key}`, 'UNKNOWN_OPERATOR');
    } else {
      parts.push(compileField(key, operand, where, options));
    }
  }
  if (parts.length === 1) return parts[0]!;
  return (item) => parts.every((p) => p(item));
}

function compileField(path: string, operand: unknown, where: string, options: CompareOptions): Predicate {
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const opKeys = keys.filter((k) => k.startsWith('$'));
    if (opKeys.length > 0) {
      if (opKeys.length !== keys.length) throw violation(where, 'mixes operators and plain fields');
      const preds = opKeys.map((op) => compileOperator(path, op, operand[op], `${where}.${op}`, options));
      return preds.length === 1 ? preds[0]! : (item) => preds.every((p) => p(item));
    }
  }
  return compileOperator(path, '$eq', operand, where, options);
}

function expectArray(operand: unknown, where: string, op: string): unknown[] {
  if (!Array.isArray(operand)) throw violation(where, `${op} expects an array`);
  return operand;
}

function expectString(operand: unknown, where: string, op: string): string {
  if (typeof operand !== 'string') throw violation(where, `${op} expects a string`);
  return operand;
}

function expectBoolean(operand: unknown, where: string, op: string): boolean {
  if (typeof operand !== 'boolean') throw violation(where, `${op} expects true or false`);
  return operand;
}

function eqPredicate(path: string, value: unknown, options: CompareOptions): Predicate {
  const segs = path.split('.');
  if (value === null || value === undefined) {
    // `.isEmpty(f)` sends {f:null}: missing or null matches (docs/wix-api.md 4.2).
    return (item) => valuesAtSegments(item, segs).every((v) => v === undefined || v === null);
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    return (item) => valuesAtSegments(item, segs).some((v) => deepEqual(v, value));
  }
  const equals = equalityFor(value, options);
  return (item) => scalarCandidates(valuesAtSegments(item, segs)).some(equals);
}

function compileOperator(path: string, op: string, operand: unknown, where: string, options: CompareOptions): Predicate {
  const segs = path.split('.');
  if (!OPERATORS.has(op)) throw violation(where, `unknown operator ${op}`, 'UNKNOWN_OPERATOR');
  switch (op) {
    case '$eq':
      return eqPredicate(path, operand, options);
    case '$ne': {
      const eq = eqPredicate(path, operand, options);
      return (item) => !eq(item);
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      if (operand === null || (typeof operand === 'object' && !(operand instanceof Date))) throw violation(where, `${op} expects a number, string or date`);
      const test =
        op === '$gt' ? (d: number) => d > 0 : op === '$gte' ? (d: number) => d >= 0 : op === '$lt' ? (d: number) => d < 0 : (d: number) => d <= 0;
      const compare = comparatorFor(operand, options);
      return (item) =>
        scalarCandidates(valuesAtSegments(item, segs)).some((c) => {
          const d = compare(c);
          return d !== undefined && !Number.isNaN(d) && test(d);
        });
    }
    case '$in':
    case '$nin':
    case '$hasSome': {
      const list = expectArray(operand, where, op);
      const hasNull = list.some((v) => v === null);
      const equals = list.filter((v) => v !== null).map((v) => equalityFor(v, options));
      const inList: Predicate = (item) => {
        const leaves = valuesAtSegments(item, segs);
        if (hasNull && leaves.every((v) => v === undefined || v === null)) return true;
        return scalarCandidates(leaves).some((c) => equals.some((eq) => eq(c)));
      };
      return op === '$nin' ? (item) => !inList(item) : inList;
    }
    case '$hasAll': {
      const list = expectArray(operand, where, op);
      if (list.length === 0) return () => false;
      return (item) => {
        const candidates = scalarCandidates(valuesAtSegments(item, segs));
        const same = options.strictTypes ? strictEquals : looseEquals;
        return list.every((v) => candidates.some((c) => same(c, v)));
      };
    }
    case '$startsWith':
    case '$endsWith':
    case '$contains': {
      const needle = expectString(operand, where, op).toLowerCase();
      // Case-insensitive, as the Wix query language documents for string operators.
      const test =
        op === '$startsWith'
          ? (s: string) => s.startsWith(needle)
          : op === '$endsWith'
            ? (s: string) => s.endsWith(needle)
            : (s: string) => s.includes(needle);
      return (item) => scalarCandidates(valuesAtSegments(item, segs)).some((c) => typeof c === 'string' && test(c.toLowerCase()));
    }
    case '$isEmpty': {
      const wanted = expectBoolean(operand, where, op);
      return (item) => valuesAtSegments(item, segs).every(isEmptyValue) === wanted;
    }
    case '$exists': {
      const wanted = expectBoolean(operand, where, op);
      return (item) => valuesAtSegments(item, segs).some((v) => v !== undefined && v !== null) === wanted;
    }
    case '$matchItems':
      return matchItemsPredicate(segs, operand, where, options);
    default:
      throw violation(where, `unknown operator ${op}`, 'UNKNOWN_OPERATOR');
  }
}

// Wix storefronts send `{"allCategoriesInfo.categories": {"$matchItems": [{"_id": {"$in": [id]}}]}}` (wix-incubator/headless-components
// packages/headless-components/stores/src/services/products-list-search-service.ts); each item filter needs a matching element.
function matchItemsPredicate(segs: readonly string[], operand: unknown, where: string, options: CompareOptions): Predicate {
  const list = expectArray(operand, where, '$matchItems');
  if (list.length === 0) throw violation(where, '$matchItems expects at least one item filter');
  const itemFilters = list.map((f, i) => {
    if (!isPlainObject(f)) throw violation(`${where}[${i}]`, '$matchItems expects item filters (objects)');
    return compileFilter(f, `${where}[${i}]`, options);
  });
  return (item) => {
    const elements: unknown[] = [];
    for (const v of valuesAtSegments(item, segs)) {
      if (Array.isArray(v)) for (const e of v) if (isPlainObject(e)) elements.push(e);
    }
    return itemFilters.every((matches) => elements.some((e) => matches(e)));
  };
}

/** Renames field paths in a filter (e.g. the V1 alias `price` for the number `priceData.price`). */
export function renameFilterFields(filter: unknown, aliases: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(filter)) return filter.map((f) => renameFilterFields(f, aliases));
  if (!isPlainObject(filter)) return filter;
  // No prototype: a field named `__proto__` stays a key (docs/reference.md 7.5).
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$not') out[key] = renameFilterFields(value, aliases);
    else out[(Object.hasOwn(aliases, key) ? aliases[key] : undefined) ?? key] = value;
  }
  return out;
}

/** Renames the field names of a sort array. */
export function renameSortFields(sort: unknown, aliases: Readonly<Record<string, string>>): unknown {
  if (!Array.isArray(sort)) return sort;
  return sort.map((s) => (isPlainObject(s) && typeof s.fieldName === 'string' && Object.hasOwn(aliases, s.fieldName) ? { ...s, fieldName: aliases[s.fieldName] } : s));
}

/** Validates a sort array; throws QueryValidationError for a bad entry. */
export function normalizeSort(sort: unknown, fieldPrefix = 'query.sort'): { fieldName: string; descending: boolean }[] {
  if (sort === undefined || sort === null) return [];
  if (!Array.isArray(sort)) throw violation(fieldPrefix, 'must be an array');
  return sort.map((entry, i) => {
    if (!isPlainObject(entry) || typeof entry.fieldName !== 'string' || entry.fieldName === '') {
      throw violation(`${fieldPrefix}[${i}].fieldName`, 'must be a non-empty string');
    }
    const order = entry.order ?? 'ASC';
    if (order !== 'ASC' && order !== 'DESC') throw violation(`${fieldPrefix}[${i}].order`, 'must be ASC or DESC');
    return { fieldName: entry.fieldName, descending: order === 'DESC' };
  });
}

type SortKey = { missing: boolean; value: number | string | boolean | object };

function sortKey(item: unknown, segments: readonly string[], options: CompareOptions): SortKey {
  const first = scalarCandidates(valuesAtSegments(item, segments))[0];
  if (first === undefined) return { missing: true, value: 0 };
  if (first instanceof Date) return { missing: false, value: first.getTime() };
  // Wix Data orders strings as strings, whatever they look like.
  if (options.strictTypes) return { missing: false, value: first as SortKey['value'] };
  // Dates sort as instants (decided once per item, not per comparison).
  if (typeof first === 'string' && ISO_DATE.test(first)) return { missing: false, value: Date.parse(first) };
  // Decimal strings sort as numbers (V3 amounts); numericId strings of equal length keep their order either way.
  if (typeof first === 'string' && NUMERIC.test(first)) return { missing: false, value: Number(first) };
  return { missing: false, value: first as SortKey['value'] };
}

const TYPE_RANK: Record<string, number> = { number: 0, string: 1, boolean: 2 };

function compareKeys(a: SortKey, b: SortKey): number {
  const ta = typeof a.value;
  const tb = typeof b.value;
  if (ta === tb) {
    if (ta === 'number') return (a.value as number) - (b.value as number);
    if (ta === 'boolean') return Number(a.value) - Number(b.value);
    if (ta === 'string') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    return 0;
  }
  // Different types: a fixed type order keeps the sort total and deterministic.
  return (TYPE_RANK[ta] ?? 3) - (TYPE_RANK[tb] ?? 3);
}

/** Sorts a copy of items by several fields (stable; missing values last in both directions, lowest with strictTypes). */
export function sortItems<T>(items: readonly T[], sort: unknown, fieldPrefix = 'query.sort', options: CompareOptions = {}): T[] {
  const fields = normalizeSort(sort, fieldPrefix);
  if (fields.length === 0) return items.slice();
  const paths = fields.map((f) => f.fieldName.split('.'));
  const decorated = items.map((item, index) => ({ item, index, keys: paths.map((segments) => sortKey(item, segments, options)) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < fields.length; i++) {
      const a = x.keys[i]!;
      const b = y.keys[i]!;
      if (a.missing !== b.missing) {
        // Missing values come last in both directions; Wix Data ranks them lowest (first ascending, last descending).
        if (!options.strictTypes) return a.missing ? 1 : -1;
        const low = a.missing ? -1 : 1;
        return fields[i]!.descending ? -low : low;
      }
      const d = compareKeys(a, b);
      if (d !== 0) return fields[i]!.descending ? -d : d;
    }
    return x.index - y.index;
  });
  return decorated.map((d) => d.item);
}

/** Filters then sorts: the selection a query describes, before paging. */
export function selectItems<T>(items: readonly T[], filter: unknown, sort: unknown): T[] {
  const predicate = compileFilter(filter);
  return sortItems(items.filter((item) => predicate(item)), sort);
}

/** Options of offset paging validation. */
export interface PagingRules {
  /** Limit used when the request has none (the SDK builder always sends one). */
  defaultLimit?: number;
  /** Largest page (Wix: 100). */
  maxLimit?: number;
  /** Largest offset + limit (Stores V1 products: 10,000). */
  maxWindow?: number;
  /** Field path used in violations, e.g. `query.paging`. */
  field?: string;
}

function intField(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && NUMERIC.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw violation(field, 'must be an integer', 'TYPE');
  return n;
}

/** Validates `{limit, offset}` against Wix's limits; throws QueryValidationError (docs/wix-api.md 4.5, 5.1). */
export function resolveOffsetPaging(paging: unknown, rules: PagingRules = {}): OffsetPaging {
  const field = rules.field ?? 'query.paging';
  const maxLimit = rules.maxLimit ?? 100;
  const source = isPlainObject(paging) ? paging : {};
  const limit = intField(source.limit, `${field}.limit`) ?? rules.defaultLimit ?? 50;
  const offset = intField(source.offset, `${field}.offset`) ?? 0;
  const violations: FieldViolation[] = [];
  if (limit > maxLimit) {
    violations.push({ field: `${field}.limit`, description: `must not be greater than ${maxLimit}`, violatedRule: 'MAX', ruleName: 'VALIDATION_ERROR', data: { threshold: maxLimit } });
  }
  if (limit < 0) {
    violations.push({ field: `${field}.limit`, description: 'must not be less than 0', violatedRule: 'MIN', ruleName: 'VALIDATION_ERROR', data: { threshold: 0 } });
  }
  if (offset < 0) {
    violations.push({ field: `${field}.offset`, description: 'must not be less than 0', violatedRule: 'MIN', ruleName: 'VALIDATION_ERROR', data: { threshold: 0 } });
  }
  if (rules.maxWindow !== undefined && offset + limit > rules.maxWindow) {
    violations.push({
      field: `${field}.offset`,
      description: `offset + limit must not be greater than ${rules.maxWindow}`,
      violatedRule: 'MAX',
      ruleName: 'VALIDATION_ERROR',
      data: { threshold: rules.maxWindow },
    });
  }
  if (violations.length > 0) throw new QueryValidationError(violations);
  return { limit, offset };
}

/** Cuts one offset page out of a selection, with Wix's `{count, offset, total}`. */
export function offsetPage<T>(selection: readonly T[], paging: OffsetPaging): { items: T[]; metadata: OffsetPageMetadata } {
  const items = selection.slice(paging.offset, paging.offset + paging.limit);
  return { items, metadata: { count: items.length, offset: paging.offset, total: selection.length } };
}

/** A JSON replacer that keeps a Date operand apart from the same instant written as a string (they match differently). */
function keepDates(this: Record<string, unknown>, key: string, value: unknown): unknown {
  return this[key] instanceof Date ? { $date: value } : value;
}

/**
 * Remembers the sorted, filtered selection per filter+sort, so repeated pages of one query cost a slice.
 * One cache per immutable list of items (e.g. the visible products).
 */
export class QueryCache<T> {
  private readonly entries = new Map<string, T[]>();
  private readonly sorted = new Map<string, T[]>();

  constructor(
    private readonly items: readonly T[],
    private readonly maxEntries = 64,
    private readonly options: CompareOptions = {},
  ) {}

  /** The filtered, sorted items; validates the filter and sort on a miss. */
  select(filter: unknown, sort: unknown): T[] {
    const key = JSON.stringify([filter ?? {}, sort ?? []], keepDates);
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert to keep the map in least-recently-used order.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const predicate = compileFilter(filter, 'query.filter', this.options);
    // Filtering a stably sorted list keeps its order, so each sort is computed once for all filters
    // (keyset paging asks for a new filter on every page).
    const selection = this.sortedBy(sort).filter((item) => predicate(item));
    this.entries.set(key, selection);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return selection;
  }

  private sortedBy(sort: unknown): readonly T[] {
    const key = JSON.stringify(sort ?? []);
    let list = this.sorted.get(key);
    if (!list) {
      list = sortItems(this.items, sort, 'query.sort', this.options);
      this.sorted.set(key, list);
      if (this.sorted.size > 16) this.sorted.delete(this.sorted.keys().next().value as string);
    }
    return list;
  }
}
