/** The shapes of the query-spec table (a leaf: the generated table and query-specs.ts both use them). */

export type SpecName = 'productsV1' | 'collectionsV1' | 'productsV3Query' | 'productsV3Search' | 'categoriesQuery' | 'categoriesSearch' | 'servicesQuery' | 'variantsV3Query';

export type SortRule = 'BOTH' | 'ASC' | 'DESC' | 'NONE';

/**
 * The value a field takes, from its type in the entity typings: text, a number, true or false, a date (ISO 8601),
 * a decimal number written as text (`'decimal-string'`, only through SPEC_OVERRIDES: Wix's money amounts), an object,
 * one of an enum's values, or a list of one of these.
 */
export type ValueType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'date'
  | 'decimal-string'
  | 'object'
  | { readonly enum: readonly string[] }
  | { readonly arrayOf: ValueType };

/** What one field allows: its operators (`'*'` already expanded per field type), its sort directions, its value type. */
export interface FieldRule {
  operators: readonly string[];
  sort: SortRule;
  /** Absent when the typings do not say (the field is missing from the entity type): values go unchecked. */
  type?: ValueType;
}

/** An entity's typed paths (for `--fields`): 1 a field without fields of its own, 0 where the typings stop saying. */
export type FieldTree = { readonly [key: string]: FieldTree | 0 | 1 };

/** One list API's spec. Field names are the SDK's (`_id`, `_createdDate`), not the wire's (`id`, `createdDate`). */
export interface QuerySpec {
  name: SpecName;
  /** The SDK interface the spec comes from, e.g. `ProductQuerySpec`. */
  sdkType: string;
  /** The package whose typings declare it, e.g. `@wix/auto_sdk_stores_products`. */
  sdkPackage?: string;
  /** The entity the field paths are resolved in, e.g. `Product`. */
  entityType?: string;
  paging: 'offset' | 'cursor';
  fields: Readonly<Record<string, FieldRule>>;
  /** Search APIs only: the fields free text (`search.expression`) looks in. */
  searchable?: readonly string[];
}
