import { UsageError } from '../../errors.js';
import { buildQuery, parseFields, type WixFilter } from '../../wix/query.js';
import { isFieldPath, parseFilter } from '../../wix/filter.js';
import type { ListFlags, ListOptions } from '../list/flags.js';
import { parseListFlags } from '../list/parse.js';

/** `data items list` flags as commander hands them over. */
export interface DataListFlags extends ListFlags {
  includeReferenced?: string[];
  consistentRead?: boolean;
}

export interface DataGetFlags {
  fields?: string;
  includeReferenced?: string[];
  consistentRead?: boolean;
}

export interface DataCountFlags {
  filter?: string[];
  query?: string;
  consistentRead?: boolean;
}

/** What every items command reads: the collection, references to include, where to read from. */
export interface DataTarget {
  collectionId: string;
  includeReferences: string[];
  consistentRead: boolean;
}

export interface DataListOptions extends DataTarget, Omit<ListOptions, 'category'> {}

export interface DataGetOptions extends DataTarget {
  itemId: string;
  fields?: string[];
}

export interface DataCountOptions extends DataTarget {
  filter: WixFilter;
}

export interface CollectionsListOptions {
  limit?: number;
  offset: number;
  all: boolean;
  concurrency: number;
  fields?: string[];
}

/**
 * The list flags as for products, but with field names kept as written: data items carry `_id`, `_createdDate` and
 * `_updatedDate` on the wire too (no renaming to `id`), and no schema is checked (the CMS does not enforce one).
 */
export function parseDataListFlags(collectionId: string, flags: DataListFlags): DataListOptions {
  const target = parseTarget(collectionId, flags);
  if (target.consistentRead && flags.search !== undefined) {
    // SearchDataItemsRequest (@wix/wix-data-items-common) declares no consistentRead: a search cannot promise it.
    throw new UsageError("--consistent-read does not go with --search: Wix's search endpoint takes no consistentRead (SearchDataItemsRequest declares none)", {
      hint: 'Drop one: --search reads as Wix indexes the items; --consistent-read with --filter "field~=text" reads from the primary database.',
    });
  }
  // parseListFlags checks --limit, --all, --offset, --concurrency, --fields and --search; filter and sort are built here.
  const { category: _category, ...base } = parseListFlags({ ...flags, filter: undefined, sort: undefined, query: undefined });
  const built = buildQuery({ filters: [], sort: flags.sort ?? [], query: flags.query });
  return { ...target, ...base, filter: dataFilters(flags.filter ?? [], built.filter), sort: built.sort };
}

export function parseDataGetFlags(collectionId: string, itemId: string, flags: DataGetFlags): DataGetOptions {
  const target = parseTarget(collectionId, flags);
  if (itemId.trim() === '') throw new UsageError('the item ID is empty', { hint: `List the IDs with: wixq data items list ${collectionId} --fields _id` });
  return { ...target, itemId, fields: parseFields(flags.fields) };
}

export function parseDataCountFlags(collectionId: string, flags: DataCountFlags): DataCountOptions {
  const target = parseTarget(collectionId, flags);
  const built = buildQuery({ filters: [], sort: [], query: flags.query });
  if (built.sort.length > 0) throw new UsageError('count takes no sort: drop "sort" from --query');
  return { ...target, filter: dataFilters(flags.filter ?? [], built.filter) };
}

export function parseCollectionsListFlags(flags: DataListFlags): CollectionsListOptions {
  const { limit, offset, all, concurrency, fields } = parseListFlags({ limit: flags.limit, all: flags.all, offset: flags.offset, concurrency: flags.concurrency, fields: flags.fields });
  return { limit, offset, all, concurrency, fields };
}

export function parseDataCollectionGetFlags(collectionId: string, flags: { fields?: string }): { collectionId: string; fields?: string[] } {
  return { collectionId: parseCollectionId(collectionId), fields: parseFields(flags.fields) };
}

/**
 * Every --filter (ANDed) and the --query filter, as the Data API takes them. The Data API has no `$nin` (docs/wix-api.md
 * 12.1), so `notin` goes out as the `$not` of an `$in`, the shape the SDK's own `.not()` sends; a --query filter is
 * sent as written.
 */
function dataFilters(expressions: string[], queryFilter: WixFilter): WixFilter {
  const conditions = expressions.map((expression) => notInAsNot(parseFilter(expression)));
  if (Object.keys(queryFilter).length > 0) conditions.push(queryFilter);
  return conditions.length === 0 ? {} : conditions.length === 1 ? conditions[0]! : { $and: conditions };
}

/** `{f: {$nin: [a, b]}}` (what the grammar makes of `f notin (a,b)`) as `{$not: [{f: {$in: [a, b]}}]}`. */
function notInAsNot(filter: WixFilter): WixFilter {
  const [field, condition] = Object.entries(filter)[0] ?? [];
  if (field === undefined || typeof condition !== 'object' || condition === null || !('$nin' in condition)) return filter;
  return { $not: [{ [field]: { $in: (condition as { $nin: unknown }).$nin } }] };
}

function parseTarget(collectionId: string, flags: { includeReferenced?: string[]; consistentRead?: boolean }): DataTarget {
  const includeReferences: string[] = [];
  for (const field of flags.includeReferenced ?? []) {
    const trimmed = field.trim();
    if (!isFieldPath(trimmed) || trimmed.includes('.')) {
      throw new UsageError(`--include-referenced takes the key of a reference field, got ${JSON.stringify(field)}`, {
        hint: 'Repeat the flag for each field: --include-referenced author --include-referenced tags',
      });
    }
    if (!includeReferences.includes(trimmed)) includeReferences.push(trimmed);
  }
  return { collectionId: parseCollectionId(collectionId), includeReferences, consistentRead: flags.consistentRead === true };
}

/** A collection ID as the CMS shows it (`Team`, `Stores/Products` for an app's collection); never empty. */
function parseCollectionId(id: string): string {
  const trimmed = id.trim();
  if (trimmed === '' || /\s/.test(trimmed) || trimmed.length > 256) {
    throw new UsageError(`bad collection ID ${JSON.stringify(id)}`, {
      hint: 'Give the collection ID as the CMS shows it (collection settings), e.g. wixq data items list team',
    });
  }
  return trimmed;
}
