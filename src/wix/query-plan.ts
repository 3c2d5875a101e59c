import { UsageError } from '../errors.js';
import { checkQuery, formatViolation, rankByCloseness } from '../specs/check-query.js';
import { QUERY_SPECS, type SpecName } from '../specs/query-specs.js';
import { andFilter, mapFilterFields, type WixFilter } from './filter.js';
import type { WixSort } from './query.js';

/** One endpoint a list can be read from, and the spec Wix checks its queries against. */
export interface QueryTarget {
  endpoint: 'query' | 'search';
  spec: SpecName;
  /** The REST path, for messages: `/stores/v3/products/search`. */
  path: string;
}

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
  let filter = renameFilter(query.filter, (field) => neutralFilterField(rules, field));
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
    if (checkQuery(QUERY_SPECS[target.spec], { filter, sort }, { fieldNames: 'wire' }).length === 0) return { target, filter, sort, ...(search !== undefined && { search }) };
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
