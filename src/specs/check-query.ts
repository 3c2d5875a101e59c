/**
 * Checks a Wix query's filter and sort against a list API's spec (query-specs.ts): which fields it may filter on,
 * with which operators, and which it may sort on. Pure; used by the CLI before it sends and by the emulator.
 */
import { filterableFields, sdkFieldPath, sortableFields, type QuerySpec } from './query-specs.js';

/** One thing a query asks for that the spec does not allow. */
export interface QueryViolation {
  kind: 'filter-field' | 'filter-operator' | 'sort-field';
  /** The field as the spec names it (SDK names: `_id`, `_createdDate`). */
  field: string;
  /** The refused operator (filter-operator only). */
  operator?: string;
  /** Allowed fields, closest first (filter-field, sort-field), or the field's operators (filter-operator). */
  allowed: string[];
  /** The closest allowed name, when one is close enough to be a likely typo. */
  suggestion?: string;
}

/** How the query names its fields: as the SDK does (`_id`, the default) or as the wire does (`id`). */
export interface CheckOptions {
  fieldNames?: 'sdk' | 'wire';
}

const LOGICAL = new Set(['$and', '$or', '$not']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Legacy endpoints and hand-written requests send filter and sort as JSON strings. */
function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Levenshtein distance, for ranking likely typos. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

const lastSegment = (path: string) => path.slice(path.lastIndexOf('.') + 1).toLowerCase();

/** `candidates` closest to `wanted` first: those sharing its last path segment, then by edit distance. */
export function rankByCloseness(wanted: string, candidates: readonly string[]): string[] {
  const tail = lastSegment(wanted);
  const lower = wanted.toLowerCase();
  return candidates
    .map((name, index) => ({ name, index, shares: lastSegment(name) === tail, distance: editDistance(lower, name.toLowerCase()) }))
    .sort((x, y) => Number(y.shares) - Number(x.shares) || x.distance - y.distance || x.index - y.index)
    .map((c) => c.name);
}

/** The candidate closest to `wanted` when it is plausibly what was meant (same last segment, or a small edit away). */
export function closestName(wanted: string, candidates: readonly string[]): string | undefined {
  return closeEnough(wanted, rankByCloseness(wanted, candidates));
}

/** The closest candidate when it is plausibly what was meant (same last segment, or a small edit away). */
function closeEnough(wanted: string, ranked: readonly string[]): string | undefined {
  const best = ranked[0];
  if (best === undefined) return undefined;
  if (lastSegment(best) === lastSegment(wanted)) return best;
  return editDistance(wanted.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(wanted.length / 3)) ? best : undefined;
}

function fieldViolation(kind: 'filter-field' | 'sort-field', field: string, candidates: readonly string[]): QueryViolation {
  const allowed = rankByCloseness(field, candidates);
  const suggestion = closeEnough(field, allowed);
  return { kind, field, allowed, ...(suggestion !== undefined && { suggestion }) };
}

/** One sort entry in any wire form: `{fieldName, order}` or the legacy `{"<field>": "asc"|"desc"}`. */
function sortEntries(sort: unknown): { field: string; order: 'ASC' | 'DESC' }[] {
  const list = parsed(sort);
  if (!Array.isArray(list)) return [];
  const out: { field: string; order: 'ASC' | 'DESC' }[] = [];
  for (const entry of list) {
    if (!isPlainObject(entry)) continue;
    if (typeof entry.fieldName === 'string') {
      out.push({ field: entry.fieldName, order: String(entry.order ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC' });
    } else {
      for (const [field, order] of Object.entries(entry)) out.push({ field, order: String(order).toUpperCase() === 'DESC' ? 'DESC' : 'ASC' });
    }
  }
  return out;
}

/** Every refusal the spec makes of this query's filter and sort (empty when the query is allowed). */
export function checkQuery(spec: QuerySpec, query: { filter?: unknown; sort?: unknown }, options: CheckOptions = {}): QueryViolation[] {
  const name = options.fieldNames === 'wire' ? sdkFieldPath : (path: string) => path;
  const violations: QueryViolation[] = [];
  const filterable = filterableFields(spec);

  const walk = (filter: unknown): void => {
    if (Array.isArray(filter)) {
      filter.forEach(walk);
      return;
    }
    if (!isPlainObject(filter)) return;
    for (const [key, operand] of Object.entries(filter)) {
      if (LOGICAL.has(key)) {
        walk(operand);
        continue;
      }
      // A top-level `$op` is not a field; the query language refuses it elsewhere.
      if (key.startsWith('$')) continue;
      const field = name(key);
      const rule = spec.fields[field];
      if (!rule) {
        violations.push(fieldViolation('filter-field', field, filterable));
        continue;
      }
      const operators = isPlainObject(operand) && Object.keys(operand).some((k) => k.startsWith('$')) ? Object.keys(operand).filter((k) => k.startsWith('$')) : ['$eq'];
      for (const operator of operators) {
        if (rule.operators.includes(operator)) continue;
        const allowed = [...rule.operators];
        const suggestion = closeEnough(operator, rankByCloseness(operator, allowed));
        violations.push({ kind: 'filter-operator', field, operator, allowed, ...(suggestion !== undefined && { suggestion }) });
      }
    }
  };
  walk(parsed(query.filter));

  for (const { field: raw, order } of sortEntries(query.sort)) {
    const field = name(raw);
    const rule = spec.fields[field];
    if (rule && (rule.sort === 'BOTH' || rule.sort === order)) continue;
    violations.push(fieldViolation('sort-field', field, sortableFields(spec, order)));
  }
  return violations;
}

const MAX_LISTED = 12;

/** Names for a message: the first MAX_LISTED, then how many more. */
export function listed(names: readonly string[]): string {
  return names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(', ')}, … (${names.length - MAX_LISTED} more)` : names.join(', ');
}

/** One line naming what was refused, where, and what is allowed instead (closest first). */
export function formatViolation(v: QueryViolation, endpointLabel: string): string {
  const hint = v.suggestion !== undefined ? ` (did you mean ${v.suggestion}?)` : '';
  switch (v.kind) {
    case 'filter-field':
      return `cannot filter on "${v.field}" at ${endpointLabel}: not a declared field${hint}; filterable: ${v.allowed.length ? listed(v.allowed) : 'none'}`;
    case 'filter-operator':
      return `cannot use ${v.operator} on "${v.field}" at ${endpointLabel}${hint}; its operators: ${v.allowed.length ? listed(v.allowed) : 'none'}`;
    case 'sort-field':
      return `cannot sort on "${v.field}" at ${endpointLabel}: not sortable${hint}; sortable: ${v.allowed.length ? listed(v.allowed) : 'none'}`;
  }
}
