/**
 * Checks `--fields` paths against an entity's typed paths (entity-fields.generated.ts, from the SDK typings): a
 * top-level key the entity does not have is a mistake (a `null` column otherwise); a deeper path the typings do not
 * show may still be in the data (nested data can be richer than the typings), so it is only worth a warning. Pure.
 */
import { closestName, rankByCloseness } from './check-query.js';
import type { FieldTree } from './types.js';

export interface FieldsCheck {
  /** Top-level keys the entity does not have, each with the closest one when it is a likely typo. */
  unknown: { path: string; key: string; suggestion?: string }[];
  /** Deeper paths the typings do not show, with the segment where they leave the typings. */
  untyped: { path: string; at: string }[];
}

const isIndex = (segment: string) => /^(0|[1-9][0-9]*)$/.test(segment);

/** Sorts each path into known, unknown at the top, or leaving the typings deeper down. */
export function checkFieldPaths(tree: FieldTree, paths: readonly string[]): FieldsCheck {
  const check: FieldsCheck = { unknown: [], untyped: [] };
  const topKeys = Object.keys(tree);
  for (const path of paths) {
    const segments = path.split('.');
    const [top] = segments as [string, ...string[]];
    if (!Object.hasOwn(tree, top)) {
      const suggestion = closestName(top, topKeys);
      check.unknown.push({ path, key: top, ...(suggestion !== undefined && { suggestion }) });
      continue;
    }
    let node: FieldTree | 0 | 1 = tree[top]!;
    for (let i = 1; i < segments.length; i++) {
      const segment = segments[i]!;
      if (node === 0) break;
      if (isIndex(segment)) continue;
      if (node === 1 || !Object.hasOwn(node, segment)) {
        check.untyped.push({ path, at: segments.slice(0, i + 1).join('.') });
        break;
      }
      node = node[segment]!;
    }
  }
  return check;
}

/** The top-level keys of an entity, closest to `wanted` first. */
export function topLevelKeys(tree: FieldTree, wanted?: string): string[] {
  const keys = Object.keys(tree);
  return wanted === undefined ? keys : rankByCloseness(wanted, keys);
}
