/** The shapes of the query-spec table (a leaf: the generated table and query-specs.ts both use them). */

export type SpecName = 'productsV1' | 'collectionsV1' | 'productsV3Query' | 'productsV3Search' | 'categoriesQuery' | 'categoriesSearch' | 'servicesQuery' | 'variantsV3Query';

export type SortRule = 'BOTH' | 'ASC' | 'DESC' | 'NONE';

/** What one field allows: its operators (`'*'` already expanded per field type) and its sort directions. */
export interface FieldRule {
  operators: readonly string[];
  sort: SortRule;
}

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
