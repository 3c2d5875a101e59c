import { UsageError } from '../../errors.js';
import { buildQuery, parseFields, type WixFilter } from '../../wix/query.js';
import { isFieldPath } from '../../wix/filter.js';
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
  // parseListFlags checks --limit, --all, --offset, --concurrency, --fields and --search; filter and sort are built here.
  const { category: _category, ...base } = parseListFlags({ ...flags, filter: undefined, sort: undefined, query: undefined });
  const built = buildQuery({ filters: flags.filter ?? [], sort: flags.sort ?? [], query: flags.query });
  return { ...target, ...base, filter: built.filter, sort: built.sort };
}

export function parseDataGetFlags(collectionId: string, itemId: string, flags: DataGetFlags): DataGetOptions {
  const target = parseTarget(collectionId, flags);
  if (itemId.trim() === '') throw new UsageError('the item ID is empty', { hint: `List the IDs with: wixq data items list ${collectionId} --fields _id` });
  return { ...target, itemId, fields: parseFields(flags.fields) };
}

export function parseDataCountFlags(collectionId: string, flags: DataCountFlags): DataCountOptions {
  const target = parseTarget(collectionId, flags);
  const built = buildQuery({ filters: flags.filter ?? [], sort: [], query: flags.query });
  if (built.sort.length > 0) throw new UsageError('count takes no sort: drop "sort" from --query');
  return { ...target, filter: built.filter };
}

export function parseCollectionsListFlags(flags: DataListFlags): CollectionsListOptions {
  const { limit, offset, all, concurrency, fields } = parseListFlags({ limit: flags.limit, all: flags.all, offset: flags.offset, concurrency: flags.concurrency, fields: flags.fields });
  return { limit, offset, all, concurrency, fields };
}

export function parseDataCollectionGetFlags(collectionId: string, flags: { fields?: string }): { collectionId: string; fields?: string[] } {
  return { collectionId: parseCollectionId(collectionId), fields: parseFields(flags.fields) };
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
      hint: 'Give the collection ID as the CMS shows it (collection settings), e.g. wixq data items list Team',
    });
  }
  return trimmed;
}
