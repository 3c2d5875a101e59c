import { UsageError } from '../errors.js';
import { isFieldPath, parseFilter, type WixFilter } from './filter.js';

export type { WixFilter } from './filter.js';

/** One sort key as Wix takes it: `{"fieldName":"price","order":"DESC"}`. */
export interface WixSort {
  fieldName: string;
  order: 'ASC' | 'DESC';
}

/** What `--query` may carry. */
export interface RawQuery {
  filter?: WixFilter;
  sort?: WixSort[];
}

/** The filter and sort of a list command, in the SDK's field names (`_id`, ...). */
export interface BuiltQuery {
  filter: WixFilter;
  sort: WixSort[];
}

/** The list flags that shape the query. */
export interface QueryFlags {
  filters: string[];
  sort: string[];
  query?: string;
}

/** Field names the SDK shows its users, and what they are called on the wire (docs/wix-api.md 0.4). */
const WIRE_NAMES: Readonly<Record<string, string>> = { _id: 'id', _createdDate: 'createdDate', _updatedDate: 'updatedDate' };

/** Parses repeatable, comma-separated `--sort` values (`name`, `-price`, `+name`) into Wix sort keys. */
export function parseSort(values: string[]): WixSort[] {
  const sort: WixSort[] = [];
  for (const value of values) {
    for (const rawEntry of value.split(',')) {
      const entry = rawEntry.trim();
      const sign = entry[0] === '-' || entry[0] === '+' ? entry[0] : '';
      const fieldName = entry.slice(sign.length);
      if (!isFieldPath(fieldName) || fieldName.startsWith('-') || fieldName.startsWith('+')) {
        throw new UsageError(`bad --sort ${JSON.stringify(value)}: ${JSON.stringify(entry)} is not a field name`, {
          hint: 'Give field names like name or price, with - in front for descending: --sort -price,name',
        });
      }
      sort.push({ fieldName, order: sign === '-' ? 'DESC' : 'ASC' });
    }
  }
  return sort;
}

/** Parses `--fields a,b.c` into field paths (undefined when the flag is absent); duplicates are dropped. */
export function parseFields(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const fields: string[] = [];
  for (const rawEntry of value.split(',')) {
    const field = rawEntry.trim();
    if (!isFieldPath(field)) {
      throw new UsageError(`bad --fields ${JSON.stringify(value)}: ${JSON.stringify(field)} is not a field path`, {
        hint: 'Give comma-separated field paths: --fields _id,name,slug',
      });
    }
    if (!fields.includes(field)) fields.push(field);
  }
  return fields;
}

/**
 * How deeply `--query` may nest objects and arrays: wixq's bound (Wix documents none), below the emulator's 64 levels for
 * a whole request body (docs/reference.md 4.3), so that what wixq sends, wrapped in `query` and an `$and`, stays under it.
 */
export const MAX_QUERY_DEPTH = 50;

/** True when `value` nests objects and arrays more than `max` levels deep; iterative, so any depth is safe to ask. */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Parses the `--query` JSON (a raw Wix query carrying `filter` and/or `sort`); anything else is a UsageError. */
export function parseQueryJson(text: string): RawQuery {
  if (text.trim() === '') throw new UsageError('--query is empty', { hint: 'Give a Wix query object: --query \'{"filter":{"visible":true}}\'' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw jsonSyntaxError(text, error);
  }
  if (nestsDeeperThan(parsed, MAX_QUERY_DEPTH)) {
    throw new UsageError(`--query nests objects and arrays deeper than ${MAX_QUERY_DEPTH} levels`, { hint: 'Flatten the filter: $and and $or take a list of conditions.' });
  }
  if (!isPlainObject(parsed)) {
    throw new UsageError(`--query must be a JSON object like {"filter":{…},"sort":[…]}, got ${describeJsonType(parsed)}`);
  }
  const query: RawQuery = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === 'filter') {
      if (!isPlainObject(value)) throw new UsageError(`--query "filter" must be an object, got ${describeJsonType(value)}`);
      query.filter = value;
    } else if (key === 'sort') {
      query.sort = parseRawSort(value);
    } else {
      const paging = key === 'paging' || key === 'cursorPaging';
      throw new UsageError(`--query may only carry "filter" and "sort", got ${JSON.stringify(key)}`, {
        hint: paging ? 'Use --limit, --offset or --all for paging.' : 'Give a Wix query object: {"filter":{…},"sort":[{"fieldName":"name","order":"ASC"}]}',
      });
    }
  }
  return query;
}

/** Combines every `--filter` and the `--query` filter with AND, and `--sort` keys before the `--query` sort. */
export function buildQuery(flags: QueryFlags): BuiltQuery {
  const raw = flags.query === undefined ? {} : parseQueryJson(flags.query);
  const conditions = flags.filters.map(parseFilter);
  if (raw.filter && Object.keys(raw.filter).length > 0) conditions.push(raw.filter);
  const filter: WixFilter = conditions.length === 0 ? {} : conditions.length === 1 ? conditions[0]! : { $and: conditions };
  return { filter, sort: [...parseSort(flags.sort), ...(raw.sort ?? [])] };
}

/** Renames the SDK's `_id`, `_createdDate`, `_updatedDate` to their wire names in sort keys. */
export function toWireNames(sort: WixSort[]): WixSort[];
/** Renames the SDK's `_id`, `_createdDate`, `_updatedDate` to their wire names in every dotted key of a filter, at any depth. */
export function toWireNames(filter: WixFilter): WixFilter;
export function toWireNames(filterOrSort: WixFilter | WixSort[]): WixFilter | WixSort[] {
  if (Array.isArray(filterOrSort)) return filterOrSort.map((key) => ({ ...key, fieldName: wirePath(key.fieldName) }));
  return renameKeysDeep(filterOrSort) as WixFilter;
}

/** Parses a whole-number flag (`--limit`, `--offset`, `--concurrency`) within bounds; a UsageError names the flag. */
export function parsePositiveInt(value: string | number, flagName: string, range: { min: number; max: number }): number {
  const flag = flagName.startsWith('-') ? flagName : `--${flagName}`;
  const text = String(value).trim();
  const parsed = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
    throw new UsageError(`${flag} must be a whole number from ${range.min} to ${range.max}, got ${JSON.stringify(String(value))}`);
  }
  return parsed;
}

function wirePath(path: string): string {
  return path
    .split('.')
    .map((segment) => WIRE_NAMES[segment] ?? segment)
    .join('.');
}

function renameKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameKeysDeep);
  if (!isPlainObject(value)) return value;
  const renamed: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const wireKey = key.startsWith('$') ? key : wirePath(key);
    // Like the SDK: never overwrite a key that already exists under the target name.
    const target = wireKey !== key && Object.hasOwn(value, wireKey) ? key : wireKey;
    defineOwn(renamed, target, renameKeysDeep(inner));
  }
  return renamed;
}

function parseRawSort(value: unknown): WixSort[] {
  const shape = 'Each --query sort key is {"fieldName":"name","order":"ASC"|"DESC"}.';
  if (!Array.isArray(value)) throw new UsageError(`--query "sort" must be an array, got ${describeJsonType(value)}`, { hint: shape });
  return value.map((entry, index) => {
    if (!isPlainObject(entry)) throw new UsageError(`--query sort[${index}] must be an object, got ${describeJsonType(entry)}`, { hint: shape });
    const extra = Object.keys(entry).find((k) => k !== 'fieldName' && k !== 'order');
    if (extra !== undefined) throw new UsageError(`--query sort[${index}] has an unknown key ${JSON.stringify(extra)}`, { hint: shape });
    const { fieldName, order = 'ASC' } = entry;
    if (typeof fieldName !== 'string' || !isFieldPath(fieldName)) {
      throw new UsageError(`--query sort[${index}].fieldName must be a field path, got ${JSON.stringify(fieldName) ?? 'nothing'}`, { hint: shape });
    }
    const normalized = typeof order === 'string' ? order.toUpperCase() : order;
    if (normalized !== 'ASC' && normalized !== 'DESC') {
      throw new UsageError(`--query sort[${index}].order must be "ASC" or "DESC", got ${JSON.stringify(order)}`, { hint: shape });
    }
    return { fieldName, order: normalized };
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

/** Sets a property as an own data property, so a key named `__proto__` stays a key. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A UsageError for bad `--query` JSON, naming the line, column and offset of the first bad character. */
function jsonSyntaxError(text: string, cause: unknown): UsageError {
  const located = locateJsonError(text);
  if (!located) return new UsageError(`bad --query JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  const { offset, problem } = located;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = offset - lineStart + 1;
  const lineText = text.slice(lineStart, text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset));
  return new UsageError(`bad --query JSON: ${problem} at line ${line}, column ${column} (position ${offset})`, {
    hint: `  ${lineText.replace(/[\u0000-\u001f]/g, ' ')}\n  ${' '.repeat(column - 1)}^`,
    cause,
  });
}

/**
 * Finds the first offending character of text that JSON.parse rejected; Node 20's messages do not always carry it.
 * Returns undefined if the text turns out to be valid (it never should).
 */
export function locateJsonError(text: string): { offset: number; problem: string } | undefined {
  let i = 0;
  const fail = (problem?: string): never => {
    const found = i >= text.length ? 'unexpected end of the JSON' : `unexpected ${JSON.stringify(text[i])}`;
    throw { offset: i, problem: problem ? `${found} (${problem})` : found };
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (literal: string): void => {
    for (const c of literal) {
      if (text[i] !== c) fail(`expected ${JSON.stringify(literal)}`);
      i++;
    }
  };
  const parseString = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('unterminated string');
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') fail('control characters must be escaped in strings');
      if (c === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail('expected 4 hex digits after \\u');
            i++;
          }
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('bad escape');
      }
      i++;
    }
  };
  const parseNumber = (): void => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (/[1-9]/.test(text[i] ?? '')) while (/[0-9]/.test(text[i] ?? '')) i++;
    else fail('expected a digit');
    if (text[i] === '.') {
      i++;
      if (!/[0-9]/.test(text[i] ?? '')) fail('expected a digit after "."');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!/[0-9]/.test(text[i] ?? '')) fail('expected a digit in the exponent');
      while (/[0-9]/.test(text[i] ?? '')) i++;
    }
  };
  const parseValue = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail('expected a property name in double quotes');
        parseString();
        skipSpace();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        parseValue();
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail('expected "," or "}"');
      }
    } else if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        parseValue();
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail('expected "," or "]"');
      }
    } else if (c === '"') parseString();
    else if (c === 't') expect('true');
    else if (c === 'f') expect('false');
    else if (c === 'n') expect('null');
    else if (c === '-' || /[0-9]/.test(c ?? '')) parseNumber();
    else fail('expected a JSON value');
  };
  try {
    parseValue();
    skipSpace();
    if (i < text.length) fail('after the end of the JSON value');
    return undefined;
  } catch (error) {
    if (error instanceof RangeError) return undefined; // nesting deeper than the stack: fall back to JSON.parse's message
    return error as { offset: number; problem: string };
  }
}
