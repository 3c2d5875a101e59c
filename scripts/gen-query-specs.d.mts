import type { DerivedQuerySpec } from './query-spec-derivation.mjs';

/** Renders derived specs as the TypeScript source of src/specs/sdk-query-specs.generated.ts. */
export function renderGeneratedSpecs(specs: Record<string, DerivedQuerySpec>): string;
