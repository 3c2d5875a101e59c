/** Types of query-spec-derivation.mjs (the derivation of wixq's query specs from the installed SDK typings). */

export interface DerivedFieldRule {
  operators: string[];
  sort: 'BOTH' | 'ASC' | 'DESC' | 'NONE';
}

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
