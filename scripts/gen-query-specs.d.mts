import type { DerivedFieldTree, DerivedQuerySpec } from './query-spec-derivation.mjs';

/** Renders derived specs as the TypeScript source of src/specs/sdk-query-specs.generated.ts. */
export function renderGeneratedSpecs(specs: Record<string, DerivedQuerySpec>): string;
/** Renders the entities' typed paths as the TypeScript source of src/specs/entity-fields.generated.ts. */
export function renderEntityFields(entities: Record<string, DerivedFieldTree>): string;
