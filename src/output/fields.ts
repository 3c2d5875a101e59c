/**
 * Field paths over SDK items: `priceData.price`, `variants.sku` (through an array: every element's value),
 * `variants.0.sku` (a numeric segment indexes an array).
 */

/** The value at a dotted path; crossing an array collects each element's value (missing ones dropped) into one flat array. */
export function getPath(item: unknown, path: string): unknown {
  return lookup(item, path.split('.')).value;
}

/** A new object with only the given paths, nested the same way (like jq's `pick`); a missing path becomes null. */
export function projectFields(item: Record<string, unknown>, paths: string[]): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  for (const path of paths) pickInto(projected, item, path.split('.'));
  return projected;
}

/** A value as plain cell text for CSV, TSV and tables: scalars as text, scalar lists joined with ", ", the rest as compact JSON. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (Array.isArray(value) && value.every(isScalar)) return value.map(formatCell).join(', ');
  return JSON.stringify(value) ?? '';
}

function isScalar(value: unknown): boolean {
  return value === null || value === undefined || ['string', 'number', 'boolean', 'bigint'].includes(typeof value) || value instanceof Date;
}

function isIndex(segment: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(segment);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `crossed` tells the caller the value was gathered from array elements, so it flattens instead of nesting. */
function lookup(value: unknown, segments: string[]): { value: unknown; crossed: boolean } {
  if (segments.length === 0) return { value, crossed: false };
  const [segment, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(value)) {
    if (isIndex(segment)) return lookup(value[Number(segment)], rest);
    const gathered: unknown[] = [];
    for (const element of value) {
      const found = lookup(element, segments);
      if (found.value === undefined) continue;
      if (found.crossed && Array.isArray(found.value)) gathered.push(...found.value);
      else gathered.push(found.value);
    }
    return { value: gathered, crossed: true };
  }
  if (isRecord(value) && Object.hasOwn(value, segment)) return lookup(value[segment], rest);
  return { value: undefined, crossed: false };
}

/** Copies the value at `segments` from source into target, creating the same nesting; arrays are projected element-wise. */
function pickInto(target: Record<string, unknown> | unknown[], source: unknown, segments: string[]): void {
  const [segment, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(target)) {
    // target mirrors an array of source: project every element, or only the indexed one (jq pads the rest with null)
    const sourceArray = source as unknown[];
    if (isIndex(segment)) {
      const index = Number(segment);
      while (target.length <= index) target.push(null);
      target[index] = pickValue(target[index], sourceArray[index], rest);
      return;
    }
    sourceArray.forEach((element, i) => {
      target[i] = pickValue(target[i], element, segments);
    });
    return;
  }
  const child = isRecord(source) && Object.hasOwn(source, segment) ? source[segment] : undefined;
  defineOwn(target, segment, pickValue(Object.hasOwn(target, segment) ? target[segment] : undefined, child, rest));
}

/** What a projected slot holds after picking `segments` of source into what it already holds. */
function pickValue(existing: unknown, source: unknown, segments: string[]): unknown {
  // A copy, so a later, deeper path never writes into the caller's item.
  if (segments.length === 0) return source === undefined ? null : structuredClone(source);
  if (Array.isArray(source)) {
    const container = Array.isArray(existing) ? existing : [];
    pickInto(container, source, segments);
    return container;
  }
  if (isRecord(source) || source === undefined || source === null) {
    const container = isRecord(existing) ? existing : {};
    pickInto(container, source, segments);
    return container;
  }
  // A scalar has no fields to pick: the slot keeps what an earlier path put there, else null.
  return existing === undefined ? null : existing;
}

/** Sets an own data property, so a field named `__proto__` stays a field. */
function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
