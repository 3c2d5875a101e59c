import { checkQuery, type QueryViolation } from '../specs/check-query.js';
import { QUERY_SPECS, type SpecName } from '../specs/query-specs.js';
import { HttpError, invalidField } from './http.js';

/**
 * Refuses, as real Wix does, a list query whose filter or sort the endpoint's spec does not declare.
 *
 * Wording: "Field '<fieldName>' is not declared as filterable" is what Wix documents for undeclared filter fields
 * (https://dev.wix.com/docs/api-reference/business-solutions/stores/catalog-v3/products-v3/query-products), and real
 * V3 sites answer "Field '_createdDate' is not declared as sortable" (SDK names in the text, not the wire's)
 * (https://github.com/wix/skills/blob/main/skills/wix-app/references/STORES_VERSIONING.md). Envelope: Wix's 400 validationError
 * (https://dev.wix.com/docs/rest/articles/getting-started/errors); a published real refusal of this kind reads
 * {"message":"value Field 'name.first' is not declared as filterable","details":{"validationError":
 * {"fieldViolations":[{"field":"value","description":"Field 'name.first' is not declared as filterable"}]}}}.
 * No public source shows the wording for an undeclared operator; it follows the same pattern.
 */

function description(v: QueryViolation): string {
  switch (v.kind) {
    case 'filter-field':
      return `Field '${v.field}' is not declared as filterable`;
    case 'filter-operator':
      return `Operator '${v.operator}' is not declared for field '${v.field}'`;
    case 'sort-field':
      return `Field '${v.field}' is not declared as sortable`;
  }
}

/** Wix's 400 for a query its spec refuses (first violation only: Wix stops at the first). */
export function specViolationError(v: QueryViolation): HttpError {
  const text = description(v);
  return new HttpError(400, { message: `value ${text}`, details: { validationError: { fieldViolations: [{ field: 'value', description: text }] } } });
}

function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Throws Wix's 400 when `filter` or `sort` (wire names: `id`, `createdDate`) uses a field or operator the
 * `name` spec does not declare, or sorts on a field it does not declare sortable. `prefix` is the request's
 * wrapper key (`query` or `search`), used for a filter or sort that is not even the right shape.
 */
export function enforceQuerySpec(name: SpecName, filter: unknown, sort: unknown, prefix: string): void {
  const f = parsedJson(filter);
  const s = parsedJson(sort);
  // Malformed shapes would otherwise slip past the spec check unseen.
  if (f !== undefined && f !== null && (typeof f !== 'object' || Array.isArray(f))) throw invalidField(`${prefix}.filter`, 'must be an object');
  if (s !== undefined && s !== null && !Array.isArray(s)) throw invalidField(`${prefix}.sort`, 'must be an array');
  const [first] = checkQuery(QUERY_SPECS[name], { filter: f, sort: s }, { fieldNames: 'wire' });
  if (first) throw specViolationError(first);
}
