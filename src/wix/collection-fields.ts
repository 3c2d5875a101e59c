import { UsageError } from '../errors.js';
import { closestName } from '../specs/check-query.js';
import { checkFilterValuesBy } from '../specs/check-values.js';
import type { ValueType } from '../specs/types.js';
import { mapFilterFields, type WixFilter } from './filter.js';
import { valueViolationMessage } from './query-plan.js';

/**
 * What a CMS collection's declared fields say about a query, when `getDataCollection` answered them (a visitor gets
 * each field's key and type too, docs/wix-api.md 12.6). The Data API does not enforce a collection's structure, so
 * without them wixq sends a filter as written; with them, a value its field cannot take is refused before sending,
 * a date-and-time field compares with a date, and a `--fields` key the collection does not declare is warned about.
 */

/** A collection's fields as wixq reads them: each key's type, the Data API's date-and-time fields apart. */
export interface CollectionFields {
  collectionId: string;
  types: ReadonlyMap<string, ValueType>;
  keys: readonly string[];
  dateTimes: ReadonlySet<string>;
}

/**
 * The Data API's field types (`FieldType` of @wix/auto_sdk_data_collections) wixq checks values of; any other type
 * (images, references, objects, rich content, …) is sent as written.
 */
const FIELD_TYPES: Readonly<Record<string, ValueType>> = {
  TEXT: 'string',
  URL: 'string',
  RICH_TEXT: 'string',
  NUMBER: 'number',
  BOOLEAN: 'boolean',
  DATE: 'date',
  DATETIME: 'date',
  ARRAY_STRING: { arrayOf: 'string' },
};

/** The system fields every item has (docs/wix-api.md 12.1); a collection may or may not list them. */
const SYSTEM_FIELDS: Readonly<Record<string, string>> = { _id: 'TEXT', _owner: 'TEXT', _createdDate: 'DATETIME', _updatedDate: 'DATETIME' };

/** The fields of a collection as getDataCollection answers it, or undefined when it has none with types. */
export function collectionFields(collection: Record<string, unknown>, collectionId: string): CollectionFields | undefined {
  const declared = Array.isArray(collection.fields) ? (collection.fields as Record<string, unknown>[]) : [];
  const typed = declared.filter((f) => typeof f?.key === 'string' && typeof f.type === 'string') as { key: string; type: string }[];
  if (typed.length === 0) return undefined;
  const all = new Map<string, string>(Object.entries(SYSTEM_FIELDS));
  for (const f of typed) all.set(f.key, f.type);
  const types = new Map<string, ValueType>();
  const dateTimes = new Set<string>();
  for (const [key, type] of all) {
    const valueType = FIELD_TYPES[type];
    if (valueType !== undefined) types.set(key, valueType);
    if (type === 'DATETIME') dateTimes.add(key);
  }
  return { collectionId, types, keys: [...all.keys()], dateTimes };
}

/** Refuses (exit 2) a filter value its field cannot take; field names are the items' own. */
export function checkCollectionFilter(fields: CollectionFields, filter: WixFilter): void {
  const [bad] = checkFilterValuesBy(filter, (field) => fields.types.get(field), { dates: 'text-or-$date' });
  if (bad) throw new UsageError(valueViolationMessage(bad, { written: bad.field, sdkName: bad.field, label: `the collection "${fields.collectionId}"` }));
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The filter with each date or timestamp compared with a date-and-time field as a Date (the SDK sends `{"$date": …}`):
 * the Data API compares dates only with dates, as it does for `_createdDate` (docs/wix-api.md 12.9).
 */
export function withCollectionDates(fields: CollectionFields, filter: WixFilter): WixFilter {
  return mapFilterFields(filter, (field, condition) => [field, fields.dateTimes.has(field) ? datesIn(condition) : condition]);
}

function datesIn(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!ISO_TIMESTAMP.test(value)) return value;
    const date = new Date(/T/.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? `${value}Z` : value);
    return Number.isNaN(date.getTime()) ? value : date;
  }
  if (Array.isArray(value)) return value.map(datesIn);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  // Already a date as the Data API writes it.
  if (Object.keys(value).length === 1 && '$date' in value) return value;
  return Object.fromEntries(Object.entries(value).map(([op, inner]) => [op, datesIn(inner)]));
}

/** A warning line for each `--fields` key the collection does not declare (the column is empty; nothing is refused). */
export function undeclaredFieldWarnings(fields: CollectionFields, paths: readonly string[], included: readonly string[] = []): string[] {
  const warnings: string[] = [];
  for (const path of paths) {
    const key = path.split('.')[0]!;
    if (fields.keys.includes(key) || included.includes(key)) continue;
    const suggestion = closestName(key, fields.keys);
    warnings.push(`Warning: --fields ${path}: the collection "${fields.collectionId}" declares no field "${key}"${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}; the column is empty where an item has none.`);
  }
  return warnings;
}
