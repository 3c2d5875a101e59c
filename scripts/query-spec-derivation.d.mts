/** Types of query-spec-derivation.mjs (the derivation of wixq's query specs from the installed SDK typings). */

export type DerivedValueType = 'string' | 'decimal-string' | 'number' | 'boolean' | 'date' | 'object' | { enum: string[] } | { arrayOf: DerivedValueType };

export interface DerivedFieldRule {
  operators: string[];
  sort: 'BOTH' | 'ASC' | 'DESC' | 'NONE';
  /** The value the field takes, from its type in the entity typings (absent when they do not say). */
  type?: DerivedValueType;
}

/** An entity's typed paths: 1 a field without fields of its own, 0 where the typings stop saying. */
export type DerivedFieldTree = { [key: string]: DerivedFieldTree | 0 | 1 };

export interface DerivedQuerySpec {
  name: string;
  sdkType: string;
  sdkPackage: string;
  entityType: string;
  paging: 'offset' | 'cursor';
  fields: Record<string, DerivedFieldRule>;
  searchable?: string[];
}

export const SPEC_SOURCES: readonly { name: string; sdkPackage: string; sdkType: string }[];

export function findSpecFile(sdkPackage: string, sdkType: string, root?: string): string;

export function deriveQuerySpecs(root?: string): Record<string, DerivedQuerySpec>;

export const FIELD_TREE_DEPTH: number;

export function deriveEntityFields(root?: string): Record<string, DerivedFieldTree>;
