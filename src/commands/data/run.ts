import type { CommandContext } from '../../context.js';
import { AuthError, InterruptedError, NotFoundError, WixqError } from '../../errors.js';
import { writeOutput } from '../../output/io.js';
import { getPath } from '../../output/fields.js';
import { createListWriter, writeItem, type ColumnSpec, type OutputFormat } from '../../output/render.js';
import {
  countDataItems,
  DATA_COLLECTIONS_MODULES,
  DATA_ITEMS_MODULES,
  DATA_PAGE_SIZE,
  dataItemsSource,
  getDataCollection,
  getDataItem,
  listDataCollections,
  visitorEmptyNote,
  type DataItemsRequest,
} from '../../wix/data.js';
import { checkCollectionFilter, collectionFields, undeclaredFieldWarnings, withCollectionDates, type CollectionFields } from '../../wix/collection-fields.js';
import type { WixFilter } from '../../wix/filter.js';
import type { Pagination } from '../../wix/pager.js';
import { WIX_LISTS } from '../../specs/lists.js';
import type { Item } from '../../wix/resources.js';
import { walkToWriter } from '../list/walk.js';
import type { CollectionsListOptions, DataCountOptions, DataGetOptions, DataListOptions, DataTarget } from './parse.js';

function itemsRequest(target: DataTarget, search?: string): DataItemsRequest {
  return {
    collectionId: target.collectionId,
    includeReferences: target.includeReferences,
    consistentRead: target.consistentRead,
    ...(search !== undefined && { search }),
  };
}

/**
 * The collection's declared fields, read only when a filter or --fields needs them (one request), or undefined when
 * the caller may not read them or the collection declares none: then the query goes out as written.
 */
async function readCollectionFields(ctx: CommandContext, collectionId: string): Promise<CollectionFields | undefined> {
  try {
    const collection = await ctx.api().call(DATA_COLLECTIONS_MODULES, `read the fields of the collection "${collectionId}"`, (client) => getDataCollection(client, collectionId));
    return collectionFields(collection, collectionId);
  } catch (error) {
    if (error instanceof InterruptedError || !(error instanceof WixqError)) throw error;
    // An unknown collection is the items request's own error (WDE0025), with its hint.
    return undefined;
  }
}

/**
 * A filter and --fields checked against the collection's declared fields, when it has readable ones: a value its
 * field cannot take is exit 2 before the items are asked for, an undeclared --fields key a warning, and a date
 * compared with a date-and-time field goes out as a date. Answers the filter to send.
 */
async function checkedAgainstCollection(ctx: CommandContext, target: DataTarget, filter: WixFilter, fields: readonly string[] = []): Promise<WixFilter> {
  if (Object.keys(filter).length === 0 && fields.length === 0) return filter;
  const declared = await readCollectionFields(ctx, target.collectionId);
  if (!declared) return filter;
  checkCollectionFilter(declared, filter);
  for (const line of undeclaredFieldWarnings(declared, fields, target.includeReferences)) ctx.warn(line);
  return withCollectionDates(declared, filter);
}

/** An empty answer to a visitor may be a members-only collection's gate (docs/wix-api.md 12.4): say so, in one line. */
function noteIfVisitorGotNothing(count: number, collectionId: string, ctx: CommandContext): void {
  if (count === 0 && ctx.api().role !== 'member') ctx.warn(visitorEmptyNote(collectionId));
}

/** `data items list <collectionId>`: pages through the items and streams them in the chosen format. */
export async function runDataItemsList(options: DataListOptions, ctx: CommandContext): Promise<void> {
  const { format } = ctx.settings();
  ctx.clientId();
  const filter = await checkedAgainstCollection(ctx, options, options.filter, options.fields);
  const source = dataItemsSource(itemsRequest(options, options.search));
  const action = `list the items of the collection "${options.collectionId}"`;
  let written = 0;
  await walkToWriter(
    source,
    (request) => ctx.api().call(DATA_ITEMS_MODULES, action, (client) => source.list(client, request)),
    { filter, sort: options.sort, limit: options.limit, offset: options.offset, concurrency: options.concurrency, pageSize: DATA_PAGE_SIZE },
    (sample) => {
      const writer = createListWriter(ctx.io, format, {
        columns: options.fields ? [] : itemColumns(sample, format, options.sort.map((key) => key.fieldName)),
        fields: options.fields,
        noun: 'items',
      });
      return {
        write: (item) => writer.write(item),
        close: async () => {
          const closed = await writer.close();
          written = closed.count;
          return closed;
        },
      };
    },
    ctx,
  );
  noteIfVisitorGotNothing(written, options.collectionId, ctx);
}

/** `data items get <collectionId> <itemId>`. */
export async function runDataItemsGet(options: DataGetOptions, ctx: CommandContext): Promise<void> {
  const { format } = ctx.settings();
  ctx.clientId();
  const request = itemsRequest(options);
  await checkedAgainstCollection(ctx, options, {}, options.fields);
  let item: Item;
  try {
    item = await ctx.api().call(DATA_ITEMS_MODULES, `get the item "${options.itemId}" of the collection "${options.collectionId}"`, (client) =>
      getDataItem(client, request, options.itemId),
    );
  } catch (error) {
    // Not found for a visitor may be a members-only collection that hides its items (docs/wix-api.md 12.4).
    if (!(error instanceof NotFoundError) || ctx.api().role === 'member') throw error;
    throw new NotFoundError(error.message, {
      requestId: error.requestId,
      status: error.status,
      code: error.code,
      hint: `${error.hint ?? 'Check the item ID.'} (A members-only collection hides its items from visitors: wixq auth login.)`,
      cause: error,
    });
  }
  // A referenced item (--include-referenced) is an object: its title stands in for it, as in a list.
  await writeItem(ctx.io, format, item, { columns: options.fields ? [] : itemFieldColumns(item), fields: options.fields });
}

/**
 * `data items count <collectionId>`: the number alone (on a terminal and in a pipe alike: `$(wixq data items count X)`),
 * or in the format asked for with -o or --json (`{"count": N}`).
 */
export async function runDataItemsCount(options: DataCountOptions, ctx: CommandContext): Promise<void> {
  const { output } = ctx.settings();
  const format = output ?? 'table';
  ctx.clientId();
  const filter = await checkedAgainstCollection(ctx, options, options.filter);
  const count = await ctx.api().call(DATA_ITEMS_MODULES, `count the items of the collection "${options.collectionId}"`, (client) =>
    countDataItems(client, itemsRequest(options), filter),
  );
  if (format === 'json') await writeOutput(ctx.io.out, `${JSON.stringify({ count }, null, 2)}\n`);
  else if (format === 'ndjson') await writeOutput(ctx.io.out, `${JSON.stringify({ count })}\n`);
  else if (format === 'csv' || format === 'tsv') await writeOutput(ctx.io.out, `count\n${count}\n`);
  else await writeOutput(ctx.io.out, `${count}\n`);
  noteIfVisitorGotNothing(count, options.collectionId, ctx);
}

const COLLECTIONS: Pagination = { noun: WIX_LISTS.dataCollections.noun, paging: WIX_LISTS.dataCollections.paging };

/** `data collections list`: the collections the caller may see. */
export async function runDataCollectionsList(options: CollectionsListOptions, ctx: CommandContext): Promise<void> {
  const { format } = ctx.settings();
  ctx.clientId();
  await collectionsRefused(ctx, () =>
    walkToWriter(
      COLLECTIONS,
      (request) =>
        ctx.api().call(DATA_COLLECTIONS_MODULES, 'list the CMS collections', (client) => listDataCollections(client, { limit: request.limit, offset: request.offset ?? 0 })),
      { filter: {}, sort: [], limit: options.limit, offset: options.offset, concurrency: options.concurrency },
      () => createListWriter(ctx.io, format, { columns: COLLECTION_COLUMNS, fields: options.fields, noun: 'collections' }),
      ctx,
    ),
  );
}

/** `data collections get <id>`: one collection with its fields and permissions. */
export async function runDataCollectionsGet(options: { collectionId: string; fields?: string[] }, ctx: CommandContext): Promise<void> {
  const { format } = ctx.settings();
  ctx.clientId();
  const collection = await collectionsRefused(ctx, () =>
    ctx.api().call(DATA_COLLECTIONS_MODULES, `get the CMS collection "${options.collectionId}"`, (client) => getDataCollection(client, options.collectionId)),
  );
  if (format !== 'table' || options.fields) {
    await writeItem(ctx.io, format, collection, { columns: format === 'table' ? [] : COLLECTION_COLUMNS, fields: options.fields });
    return;
  }
  // A table: what the caller may see of the collection (a visitor gets no permissions), then one row per field.
  const summary = COLLECTION_DETAIL_COLUMNS.filter((column) => getPath(collection, column.path) !== undefined);
  await writeItem(ctx.io, format, collection, { columns: summary });
  const writer = createListWriter(ctx.io, format, { columns: FIELD_COLUMNS, noun: 'fields' });
  for (const field of (collection.fields as Item[] | undefined) ?? []) await writer.write(field);
  await writer.close();
}

/**
 * Wix lets only apps and the site's own people read the Data Collections API: a visitor or member is refused (403).
 * The items of a collection are still readable by ID, so the error says where to find the ID.
 */
async function collectionsRefused<T>(ctx: CommandContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AuthError) || error.status !== 403) throw error;
    const member = ctx.api().role === 'member';
    const who = member ? 'a site member' : 'a visitor';
    throw new AuthError(`permission denied (403${error.code ? ` ${error.code}` : ''}): Wix lets only the site's own apps and admins list its CMS collections, not ${who}`, {
      requestId: error.requestId,
      status: error.status,
      code: error.code,
      hint:
        'Read the items by the collection ID instead: the CMS shows it in the collection settings, e.g. wixq data items list <collectionId>.' +
        (member ? '' : ' A members-only collection needs a member: wixq auth login.'),
      cause: error,
    });
  }
}

/** The system fields of every data item (docs/wix-api.md 12.1). */
const SYSTEM_FIELDS = new Set(['_id', '_owner', '_createdDate', '_updatedDate']);
/** Field keys that usually name an item, in the order they are looked for (the CMS's own default is `title`). */
const TITLE_KEYS = ['title', 'name', 'displayName', 'label', 'headline', 'question', 'slug'];
/** A table shows `_id`, the title-like field and this many more of the item's scalar fields (they must fit a terminal). */
const TABLE_EXTRA_FIELDS = 3;

const isScalar = (value: unknown): boolean => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/**
 * Columns for a collection wixq knows nothing of, from its first item: `_id`, a title-like field, the fields the list
 * is sorted by, then the item's own scalar fields in their order (a table keeps five columns in all, as for products;
 * CSV and TSV keep every one, then the system dates and owner).
 */
export function itemColumns(sample: Item | undefined, format: OutputFormat, sortedBy: string[] = []): ColumnSpec[] {
  if (!sample) return [{ header: '_id', path: '_id' }];
  const own = Object.keys(sample).filter((key) => !SYSTEM_FIELDS.has(key) && (isScalar(sample[key]) || referencedKey(sample[key]) !== undefined));
  const scalars = own.filter((key) => isScalar(sample[key]));
  const title = TITLE_KEYS.find((key) => scalars.includes(key)) ?? scalars.find((key) => typeof sample[key] === 'string');
  const sorted = sortedBy.filter((key, i) => key !== title && key !== '_id' && sortedBy.indexOf(key) === i && (own.includes(key) || SYSTEM_FIELDS.has(key)));
  const rest = [...sorted, ...own.filter((key) => key !== title && !sorted.includes(key))];
  const keys =
    format === 'table'
      ? ['_id', ...(title ? [title] : []), ...rest.slice(0, TABLE_EXTRA_FIELDS)]
      : ['_id', ...(title ? [title] : []), ...rest, ...['_createdDate', '_updatedDate', '_owner'].filter((key) => key in sample && !rest.includes(key))];
  return keys.map((key) => column(sample, key));
}

/** `data items get` in a table or CSV: the item's scalar fields in its order, a referenced item by its title. */
function itemFieldColumns(item: Item): ColumnSpec[] {
  return Object.keys(item)
    .filter((key) => isScalar(item[key]) || referencedKey(item[key]) !== undefined)
    .map((key) => column(item, key));
}

/**
 * A field that `--include-referenced` filled holds the referenced item (an object with an `_id`), or a list of them for
 * a multi-reference: the key that names it (title-like, else `_id`), for a `field.title` column. Undefined otherwise.
 */
function referencedKey(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'object' || first === null || Array.isArray(first) || typeof (first as Item)._id !== 'string') return undefined;
  const ref = first as Item;
  return TITLE_KEYS.find((key) => typeof ref[key] === 'string') ?? '_id';
}

function column(sample: Item, key: string): ColumnSpec {
  const ref = isScalar(sample[key]) ? undefined : referencedKey(sample[key]);
  const path = ref ? `${key}.${ref}` : key;
  return { header: path, path };
}

const permissionsText = (value: unknown): string => {
  const p = value as Record<string, unknown> | undefined;
  if (!p) return '';
  return ['read', 'insert', 'update', 'remove']
    .filter((action) => typeof p[action] === 'string')
    .map((action) => `${action} ${String(p[action]).toLowerCase().replace(/_/g, ' ')}`)
    .join(', ');
};


/** `data collections list`: ID, name, read permission, the number of fields. */
const COLLECTION_COLUMNS: ColumnSpec[] = [
  { header: 'ID', path: '_id' },
  { header: 'Name', path: 'displayName' },
  { header: 'Read', path: 'permissions.read', format: (value) => (typeof value === 'string' ? value.toLowerCase().replace(/_/g, ' ') : '') },
  { header: 'Fields', path: 'fields', format: (value) => (Array.isArray(value) ? String(value.length) : ''), align: 'right' },
];

/** `data collections get` as a table: the collection (its permissions when the caller may see them)… */
const COLLECTION_DETAIL_COLUMNS: ColumnSpec[] = [
  { header: 'ID', path: '_id' },
  { header: 'Name', path: 'displayName' },
  { header: 'Type', path: 'collectionType' },
  { header: 'Display field', path: 'displayField' },
  { header: 'Permissions', path: 'permissions', format: permissionsText },
];

/** …then its fields: key, type, the collection a reference field points to, the name the CMS shows. */
const FIELD_COLUMNS: ColumnSpec[] = [
  { header: 'Field', path: 'key' },
  { header: 'Type', path: 'type' },
  {
    header: 'References',
    path: 'typeMetadata',
    format: (_value, f: Record<string, any>) => f.typeMetadata?.reference?.referencedCollectionId ?? f.typeMetadata?.multiReference?.referencedCollectionId ?? '',
  },
  { header: 'Name', path: 'displayName' },
];
