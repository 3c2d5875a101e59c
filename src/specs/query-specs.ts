/**
 * What each Wix list API lets a query filter and sort on, from the SDK's own `…QuerySpec` / `…SearchSpec` typings
 * (generated into sdk-query-specs.generated.ts) plus the places where real Wix is known to differ (SPEC_OVERRIDES).
 * Pure data shared by the CLI (src/wix) and the emulator (src/emulator): no imports from other rooms.
 */
import { SDK_QUERY_SPECS } from './sdk-query-specs.generated.js';
import type { FieldRule, FieldTree, QuerySpec, SortRule, SpecName, ValueType } from './types.js';

export { SDK_QUERY_SPECS };

export type { FieldRule, FieldTree, QuerySpec, SortRule, SpecName, ValueType };

/** A documented difference between real Wix and the SDK typings, applied on top of SDK_QUERY_SPECS. */
export interface SpecOverride {
  spec: SpecName;
  field: string;
  change: Partial<FieldRule>;
  /** A public URL or an SDK package + type name. */
  source: string;
  why: string;
}

const V3_NO_SORT_SOURCE = 'https://github.com/wix/skills/blob/main/skills/wix-app/references/STORES_VERSIONING.md';
const V3_NO_SORT_WHY =
  "V3ProductQuerySpec marks it sortable, but real V3 sites answer 400 \"Field '_createdDate' is not declared as sortable\"; Wix's guidance is to omit sort on V3 product queries";

export const SPEC_OVERRIDES: readonly SpecOverride[] = [
  ...(['_createdDate', '_updatedDate', 'slug', 'visible'] as const).map(
    (field): SpecOverride => ({ spec: 'productsV3Query', field, change: { sort: 'NONE' }, source: V3_NO_SORT_SOURCE, why: V3_NO_SORT_WHY }),
  ),
  {
    spec: 'productsV1',
    field: 'price',
    // The typings give Product.price the PriceData object type (so only $exists); Wix filters it as the number.
    change: { operators: SDK_QUERY_SPECS.productsV1.fields['priceData.price']!.operators, type: 'number' },
    source: 'https://dev.wix.com/docs/rest/business-solutions/stores/catalog/filter-and-sort',
    why: 'Wix documents V1 product `price` as a numeric filter ($lt, $lte, $gt, $gte) and sort field, not an object',
  },
  {
    spec: 'productsV1',
    field: 'numericId',
    // Typed `numericId?: string` (answers carry "1608035843758000"), but compared as a number: a digit string would not match.
    change: { type: 'number' },
    source: 'https://dev.wix.com/docs/api-reference/business-solutions/stores/pagination.md',
    why: 'typed as a string of digits, but Wix compares `numericId` as a number (its keyset-paging example filters `numericId` with a bare number)',
  },
];

function applyOverrides(specs: Readonly<Record<SpecName, QuerySpec>>, overrides: readonly SpecOverride[]): Readonly<Record<SpecName, QuerySpec>> {
  const out = {} as Record<SpecName, QuerySpec>;
  for (const [name, spec] of Object.entries(specs) as [SpecName, QuerySpec][]) {
    const fields: Record<string, FieldRule> = { ...spec.fields };
    for (const o of overrides) if (o.spec === name && fields[o.field]) fields[o.field] = { ...fields[o.field]!, ...o.change };
    out[name] = { ...spec, fields };
  }
  return out;
}

/** The specs wixq and its emulator enforce: the SDK's, with SPEC_OVERRIDES applied. */
export const QUERY_SPECS: Readonly<Record<SpecName, QuerySpec>> = applyOverrides(SDK_QUERY_SPECS, SPEC_OVERRIDES);

/** Fields a query may filter on (at least one operator). */
export function filterableFields(spec: QuerySpec): string[] {
  return Object.entries(spec.fields)
    .filter(([, rule]) => rule.operators.length > 0)
    .map(([field]) => field);
}

/** Fields a query may sort on in `order` (either direction when omitted). */
export function sortableFields(spec: QuerySpec, order?: 'ASC' | 'DESC'): string[] {
  return Object.entries(spec.fields)
    .filter(([, rule]) => rule.sort === 'BOTH' || (rule.sort !== 'NONE' && (order === undefined || rule.sort === order)))
    .map(([field]) => field);
}

// The SDK renames these keys (any depth) before sending; the wire carries the names on the right.
const SDK_TO_WIRE: Readonly<Record<string, string>> = { _id: 'id', _createdDate: 'createdDate', _updatedDate: 'updatedDate' };
const WIRE_TO_SDK: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SDK_TO_WIRE).map(([sdk, wire]) => [wire, sdk]));

/** A wire field path in the SDK's names (`options.id` → `options._id`), as specs name fields. */
export function sdkFieldPath(wirePath: string): string {
  return wirePath
    .split('.')
    .map((segment) => WIRE_TO_SDK[segment] ?? segment)
    .join('.');
}

/** An SDK field path in the wire's names (`_createdDate` → `createdDate`), as the SDK sends it. */
export function wireFieldPath(sdkPath: string): string {
  return sdkPath
    .split('.')
    .map((segment) => SDK_TO_WIRE[segment] ?? segment)
    .join('.');
}
