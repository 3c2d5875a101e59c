/**
 * Checks the values of a Wix query filter against the type of each field (the `type` of the spec table, from the
 * entity typings with SPEC_OVERRIDES applied): a value the field cannot take (`{"price":{"$gt":"abc"}}`) is a
 * violation. Pure; the CLI refuses such a filter before it sends it. The emulator does not use it: what Wix answers
 * to a mistyped value is not documented.
 */
import { rankByCloseness } from './check-query.js';
import { sdkFieldPath, type QuerySpec, type ValueType } from './query-specs.js';

/** One value a field cannot take. */
export interface ValueViolation {
  /** The field as the filter names it. */
  field: string;
  /** The Wix operator it goes with (`$eq` for a bare value). */
  operator: string;
  /** The offending value (one item, for a list operator). */
  value: unknown;
  /** The field's type. */
  type: ValueType;
  /** The value as the field would take it, when one is plainly meant (`IN_STOCK` for `in_stock`, `true` for `"true"`). */
  suggestion?: unknown;
  /** Set when the operator itself cannot go with the field's type (`$startsWith` on a number). */
  operatorMismatch?: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const LOGICAL = new Set(['$and', '$or', '$not']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const TEXT_OPERATORS = new Set(['$startsWith', '$contains', '$endsWith']);
const LIST_OPERATORS = new Set(['$in', '$nin', '$hasSome', '$hasAll']);
const ORDER_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/** What a field of `type` takes, in words, for messages: "a number", "one of IN_STOCK, OUT_OF_STOCK". */
export function describeValueType(type: ValueType): string {
  if (typeof type === 'object' && 'enum' in type) return `one of ${type.enum.join(', ')}`;
  if (typeof type === 'object') return `a list of ${plural(type.arrayOf)}`;
  switch (type) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'date':
      return 'a date (2024-06-01 or 2024-06-01T12:00:00Z)';
    case 'decimal-string':
      return 'a decimal number (19.99)';
    case 'object':
      return 'an object';
  }
}

function plural(type: ValueType): string {
  if (typeof type === 'object' && 'enum' in type) return `values among ${type.enum.join(', ')}`;
  if (typeof type === 'object') return 'lists';
  return { string: 'text values', number: 'numbers', boolean: 'true or false values', date: 'dates', 'decimal-string': 'decimal numbers', object: 'objects' }[type];
}

/** Whether a field of `type` is compared as text (the operators that compare text go with these only). */
function isText(type: ValueType): boolean {
  return type === 'string' || (typeof type === 'object' && 'enum' in type);
}

/** Whether `value` is a valid ISO 8601 date or date-time. */
export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Whether `value` is one a field of (scalar) `type` takes, and if not, the value most plainly meant. A list type's
 * scalar is its element's; `dates` says how a date may be written besides ISO text (the Data API's `{"$date": …}`).
 */
export function checkScalar(type: ValueType, value: unknown, dates: 'text' | 'text-or-$date' = 'text'): { ok: boolean; suggestion?: unknown } {
  if (typeof type === 'object' && 'arrayOf' in type) return checkScalar(type.arrayOf, value, dates);
  if (typeof type === 'object') {
    if (typeof value === 'string' && type.enum.includes(value)) return { ok: true };
    const text = typeof value === 'string' ? value : String(value);
    const same = type.enum.find((v) => v.toLowerCase() === text.toLowerCase().replace(/[\s-]+/g, '_'));
    if (same !== undefined) return { ok: false, suggestion: same };
    const [closest] = rankByCloseness(text, type.enum);
    return { ok: false, ...(closest !== undefined && closeEnough(text, closest) && { suggestion: closest }) };
  }
  switch (type) {
    case 'string':
      if (typeof value === 'string') return { ok: true };
      return { ok: false, ...(typeof value === 'number' || typeof value === 'boolean' ? { suggestion: String(value) } : {}) };
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true };
      // Only a number that says exactly what the text says (a 20-digit id would be rounded).
      return { ok: false, ...(typeof value === 'string' && DECIMAL.test(value.trim()) && String(Number(value)) === value.trim() ? { suggestion: Number(value) } : {}) };
    case 'decimal-string':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true };
      if (typeof value === 'string' && DECIMAL.test(value)) return { ok: true };
      return { ok: false, ...(typeof value === 'string' && DECIMAL.test(value.trim().replace(/^\$/, '').replace(/,/g, '')) ? { suggestion: Number(value.trim().replace(/^\$/, '').replace(/,/g, '')) } : {}) };
    case 'boolean': {
      if (typeof value === 'boolean') return { ok: true };
      const text = String(value).trim().toLowerCase();
      if (['true', 'yes', '1', 'y', 'on'].includes(text)) return { ok: false, suggestion: true };
      if (['false', 'no', '0', 'n', 'off'].includes(text)) return { ok: false, suggestion: false };
      return { ok: false };
    }
    case 'date':
      if (typeof value === 'string' && isIsoDate(value)) return { ok: true };
      if (dates === 'text-or-$date' && isPlainObject(value) && Object.keys(value).length === 1 && typeof value.$date === 'string' && isIsoDate(value.$date)) return { ok: true };
      return { ok: false };
    case 'object':
      return { ok: isPlainObject(value) };
  }
}

function closeEnough(wanted: string, candidate: string): boolean {
  const a = wanted.toLowerCase();
  const b = candidate.toLowerCase();
  return b.startsWith(a) || a.startsWith(b) || b.includes(a) || a.includes(b);
}

/** The type of a field of the spec, or undefined when the typings do not give one (its values go unchecked). */
export type TypeOf = (field: string) => ValueType | undefined;

export interface CheckValuesOptions {
  /** How dates may be written besides ISO text (the Data API also takes `{"$date": …}`). */
  dates?: 'text' | 'text-or-$date';
}

/** Every value of a filter its field cannot take, at any depth under `$and`, `$or` and `$not`. */
export function checkFilterValuesBy(filter: unknown, typeOf: TypeOf, options: CheckValuesOptions = {}): ValueViolation[] {
  const violations: ValueViolation[] = [];
  const dates = options.dates ?? 'text';
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!isPlainObject(node)) return;
    for (const [key, operand] of Object.entries(node)) {
      if (LOGICAL.has(key)) {
        walk(operand);
        continue;
      }
      if (key.startsWith('$')) continue;
      const type = typeOf(key);
      if (type === undefined) continue;
      const conditions: [string, unknown][] =
        isPlainObject(operand) && Object.keys(operand).some((k) => k.startsWith('$')) ? Object.entries(operand).filter(([k]) => k.startsWith('$')) : [['$eq', operand]];
      for (const [operator, value] of conditions) checkCondition(key, type, operator, value);
    }
  };
  const push = (field: string, type: ValueType, operator: string, value: unknown, extra: Partial<ValueViolation> = {}): void => {
    violations.push({ field, operator, value, type, ...extra });
  };
  const scalar = (field: string, type: ValueType, operator: string, value: unknown): void => {
    const result = checkScalar(type, value, dates);
    if (!result.ok) push(field, type, operator, value, 'suggestion' in result ? { suggestion: result.suggestion } : {});
  };
  const checkCondition = (field: string, type: ValueType, operator: string, value: unknown): void => {
    const element = typeof type === 'object' && 'arrayOf' in type ? type.arrayOf : type;
    if (operator === '$exists' || operator === '$isEmpty') {
      if (typeof value !== 'boolean') {
        const { suggestion } = checkScalar('boolean', value);
        push(field, 'boolean', operator, value, suggestion === undefined ? {} : { suggestion });
      }
      return;
    }
    if (operator === '$matchItems') {
      if (!Array.isArray(value) || !value.every(isPlainObject)) push(field, { arrayOf: 'object' }, operator, value);
      return;
    }
    if (TEXT_OPERATORS.has(operator)) {
      if (!isText(element)) push(field, type, operator, value, { operatorMismatch: true });
      else if (typeof value !== 'string') push(field, 'string', operator, value, typeof value === 'number' ? { suggestion: String(value) } : {});
      return;
    }
    if (LIST_OPERATORS.has(operator)) {
      if (!Array.isArray(value)) {
        push(field, { arrayOf: element }, operator, value);
        return;
      }
      for (const item of value) scalar(field, element, operator, item);
      return;
    }
    if (ORDER_OPERATORS.has(operator) && (element === 'boolean' || element === 'object')) {
      push(field, type, operator, value, { operatorMismatch: true });
      return;
    }
    // $eq and $ne take null (an empty field); $eq on a list field means "holds this element" where a spec allows it.
    if ((operator === '$eq' || operator === '$ne') && value === null) return;
    scalar(field, element, operator, value);
  };
  walk(filter);
  return violations;
}

/** Every value of a filter (wire field names, as the CLI sends it) that the spec's field types refuse. */
export function checkFilterValues(spec: QuerySpec, filter: unknown): ValueViolation[] {
  return checkFilterValuesBy(filter, (field) => spec.fields[sdkFieldPath(field)]?.type);
}
