import { UsageError } from '../errors.js';
import { checkFieldPaths, topLevelKeys } from '../specs/check-fields.js';
import { checkQuery, formatViolation, listed, rankByCloseness } from '../specs/check-query.js';
import { checkFilterValues, checkScalar, describeValueType, type ValueViolation } from '../specs/check-values.js';
import type { QueryTarget } from '../specs/lists.js';
import { QUERY_SPECS, sdkFieldPath } from '../specs/query-specs.js';
import { andFilter, mapFilterFields, typeUnquotedValue, type WixFilter } from './filter.js';
import type { WixSort } from './query.js';

export type { QueryTarget };

/** What a catalog-neutral field name means on one catalog: the real field to filter and to sort on (absent: cannot). */
export interface NeutralField {
  filter?: string;
  sort?: string;
}

/** How one list is queried: its endpoints in order of preference, and the neutral names it understands. */
export interface QueryRules {
  /** "Catalog V1", "Catalog V3", "Bookings": for messages. */
  label: string;
  /** Tried in order; the first whose spec allows the whole query serves it. A free-text search needs `search`. */
  targets: readonly QueryTarget[];
  vocabulary?: Readonly<Record<string, NeutralField>>;
  /** For lists without a search endpoint: the filter that stands in for free text (V1: a name prefix). */
  textFilter?: (text: string) => WixFilter;
}

/** A query ready to send: the endpoint that serves it and the filter and sort in that endpoint's field names. */
export interface QueryPlan {
  target: QueryTarget;
  filter: WixFilter;
  sort: WixSort[];
  search?: string;
}

/**
 * Maps the neutral names, picks the first endpoint whose spec allows the whole query, and refuses (exit 2, before any
 * request) a field or operator no endpoint declares, naming the field, the endpoint and what is allowed.
 */
export function planQuery(rules: QueryRules, query: { filter: WixFilter; sort: WixSort[]; search?: string }): QueryPlan {
  // The name the user wrote for each field sent (a neutral `price` for V3's actualPriceRange.minValue.amount), for messages.
  const written = new Map<string, string>();
  let filter = renameFilter(query.filter, (field) => {
    const mapped = neutralFilterField(rules, field);
    if (!written.has(mapped)) written.set(mapped, field);
    return mapped;
  });
  let search = query.search;
  if (search !== undefined && rules.textFilter && !rules.targets.some((t) => t.endpoint === 'search')) {
    const text = rules.textFilter(search);
    filter = andFilter(filter, text);
    search = undefined;
  }
  const sort = query.sort.map((key) => ({ ...key, fieldName: neutralSortField(rules, key.fieldName) }));
  const candidates = search !== undefined ? rules.targets.filter((t) => t.endpoint === 'search') : rules.targets;
  if (candidates.length === 0) throw new UsageError(`${rules.label} has no free-text search`);
  for (const target of candidates) {
    if (checkQuery(QUERY_SPECS[target.spec], { filter, sort }, { fieldNames: 'wire' }).length > 0) continue;
    // The endpoints of one list share their entity: its field types decide which values each field takes.
    const [bad] = checkFilterValues(QUERY_SPECS[target.spec], filter);
    if (bad) throw new UsageError(valueViolationMessage(bad, { written: sdkFieldPath(written.get(bad.field) ?? bad.field), sdkName: sdkFieldPath(bad.field), label: rules.label }));
    return { target, filter, sort, ...(search !== undefined && { search }) };
  }
  // No endpoint takes it: explain against the last (the most capable) endpoint.
  const last = candidates[candidates.length - 1]!;
  const violation = checkQuery(QUERY_SPECS[last.spec], { filter, sort }, { fieldNames: 'wire' })[0]!;
  const neutral = Object.keys(rules.vocabulary ?? {});
  const hint = neutral.length ? `Catalog-neutral names work on both catalogs: ${neutral.join(', ')} (see wixq products list --help).` : undefined;
  throw new UsageError(formatViolation(violation, `${last.path} (${rules.label})`), hint ? { hint } : {});
}

function neutralFilterField(rules: QueryRules, field: string): string {
  const entry = rules.vocabulary?.[field];
  if (!entry) return field;
  if (entry.filter === undefined) throw notOnCatalog(rules, field, 'filter');
  return entry.filter;
}

function neutralSortField(rules: QueryRules, field: string): string {
  const entry = rules.vocabulary?.[field];
  if (!entry) return field;
  if (entry.sort === undefined) throw notOnCatalog(rules, field, 'sort');
  return entry.sort;
}

function notOnCatalog(rules: QueryRules, field: string, what: 'filter' | 'sort'): UsageError {
  const possible = Object.entries(rules.vocabulary ?? {})
    .filter(([, entry]) => entry[what] !== undefined)
    .map(([name]) => name);
  return new UsageError(`${rules.label} cannot ${what} on "${field}": no endpoint of it takes that field`, {
    hint: `On ${rules.label}, --${what} takes: ${rankByCloseness(field, possible).join(', ')} (and the catalog's own fields, see --help).`,
  });
}

/** Renames every field key of a filter (at any depth under $and, $or, $not); operator objects are kept as they are. */
function renameFilter(filter: WixFilter, rename: (field: string) => string): WixFilter {
  return mapFilterFields(filter, (field, condition) => [rename(field), condition]);
}

/** The `--filter` syntax of each Wix operator (docs/reference.md 4.3), for suggestions. */
const FILTER_SYNTAX: Readonly<Record<string, string>> = {
  $eq: '=',
  $ne: '!=',
  $gt: '>',
  $gte: '>=',
  $lt: '<',
  $lte: '<=',
  $startsWith: '^=',
  $contains: '~=',
  $endsWith: '$=',
  $in: ' in ',
  $nin: ' notin ',
  $hasSome: ' has ',
  $hasAll: ' hasall ',
};

/** A value as `--filter` writes it: quoted when it would otherwise be typed as something else, or has a quote. */
function filterText(value: unknown, asText: boolean): string {
  if (typeof value !== 'string') return String(value);
  const plain = value === value.trim() && !/["'\\]/.test(value) && (!asText || typeUnquotedValue(value) === value);
  return plain ? value : JSON.stringify(value);
}

/**
 * The operator a typo like `price=>100` or `price>>100` meant: the operator written and the operator characters the
 * value starts with, read as one. Returns the candidates (in --filter syntax) and the rest of the value.
 */
function operatorTypo(operator: string, value: unknown): { operators: string[]; rest: string } | undefined {
  const symbol = FILTER_SYNTAX[operator];
  if (typeof value !== 'string' || symbol === undefined || !['$eq', '$ne', '$gt', '$gte', '$lt', '$lte'].includes(operator)) return undefined;
  const match = /^([=<>!]+)\s*(\S.*)$/.exec(value.trim());
  if (!match) return undefined;
  const chars = symbol + match[1]!;
  const has = (c: string) => chars.includes(c);
  if (has('>') && has('<')) return undefined;
  let operators: string[];
  if (has('!')) operators = has('>') || has('<') ? [] : ['!='];
  else if (has('>')) operators = has('=') ? ['>='] : ['>', '>='];
  else if (has('<')) operators = has('=') ? ['<='] : ['<', '<='];
  else operators = ['='];
  return operators.length ? { operators, rest: match[2]!.trim() } : undefined;
}

/** What `--filter` expression(s) would say what a refused value plainly meant, or undefined. */
function suggestionFor(v: ValueViolation, field: string): string | undefined {
  const asText = v.type === 'string' || (typeof v.type === 'object' && 'enum' in v.type);
  const typo = operatorTypo(v.operator, v.value);
  if (typo) {
    const typed = asText ? typo.rest : typeUnquotedValue(typo.rest);
    const checked = checkScalar(v.type, typed);
    const rest = checked.ok ? typed : checked.suggestion;
    if (rest !== undefined) return typo.operators.map((op) => `${field}${op}${filterText(rest, asText)}`).join(' or ');
  }
  if (v.suggestion === undefined) return undefined;
  if (v.operator === '$exists') return v.suggestion === true ? field : `!${field}`;
  const symbol = FILTER_SYNTAX[v.operator];
  if (symbol === undefined || symbol.startsWith(' ')) return filterText(v.suggestion, asText);
  return `${field}${symbol}${filterText(v.suggestion, asText)}`;
}

/**
 * One line for a filter value its field cannot take: the field (as written, and the catalog's field it maps to), what
 * it takes, the value, and the expression plainly meant: `price takes a number on Catalog V1, got ">100" (did you mean
 * price>=100?)`.
 */
export function valueViolationMessage(v: ValueViolation, where: { written: string; sdkName: string; label: string }): string {
  const who = where.written === where.sdkName ? `"${where.written}"` : `"${where.written}" (${where.sdkName})`;
  const symbol = (FILTER_SYNTAX[v.operator] ?? v.operator).trim();
  if (v.operatorMismatch) {
    return `${who} takes ${describeValueType(v.type)} on ${where.label}: ${symbol} does not go with it (${symbol === '^=' || symbol === '~=' || symbol === '$=' ? 'it compares text' : 'it orders values'})`;
  }
  const suggestion = suggestionFor(v, where.written);
  const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
  const got = v.value === undefined ? 'nothing' : JSON.stringify(v.value);
  return `${who} takes ${describeValueType(v.type)} on ${where.label}, got ${got}${hint}`;
}

/**
 * Checks `--fields` against the typed paths of the list's entity (from the SDK typings, loaded only here): a top-level
 * key the entity does not have is exit 2 with the closest one; a deeper path the typings do not show is a warning
 * (nested data can be richer than the typings).
 */
export async function checkListFields(rules: QueryRules, paths: readonly string[] | undefined, warn: (line: string) => void, options: { strict?: boolean } = {}): Promise<void> {
  if (!paths?.length) return;
  const entity = QUERY_SPECS[rules.targets[0]!.spec].entityType;
  if (entity === undefined) return;
  const { ENTITY_FIELDS } = await import('../specs/entity-fields.js');
  const tree = ENTITY_FIELDS[entity];
  if (tree === undefined) return;
  const check = checkFieldPaths(tree, paths);
  const [bad] = check.unknown;
  const hint = (suggestion: string | undefined) => (suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`);
  if (bad && options.strict === false) {
    // The site answers the noun with the other catalog's kind (categories for collections): its fields were not asked for.
    for (const { key, suggestion } of check.unknown) warn(`Warning: --fields: "${key}" is not a field of ${entity} (${rules.label})${hint(suggestion)}; the column is empty.`);
  } else if (bad) {
    throw new UsageError(`--fields: "${bad.key}" is not a field of ${entity} (${rules.label})${hint(bad.suggestion)}`, { hint: `Its fields: ${listed(topLevelKeys(tree, bad.key))}` });
  }
  for (const { path, at } of check.untyped) {
    warn(`Warning: --fields ${path}: ${entity} (${rules.label}) has no "${at}" in the SDK typings; the column is empty where an item has none.`);
  }
}
