/** The checks of a site file, whichever its format: each problem a SiteDataError of one line naming the file and the field. */


/** A data file that cannot be used; the message names the file and the bad field on one line. */
export class SiteDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteDataError';
  }
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class Checker {
  constructor(private readonly source: string) {}

  fail(field: string, problem: string): never {
    throw new SiteDataError(`${this.source}: ${field}: ${problem}`);
  }

  string(obj: Json, key: string, where: string, required: true): string;
  string(obj: Json, key: string, where: string, required?: false): string | undefined;
  string(obj: Json, key: string, where: string, required = false): string | undefined {
    const v = obj[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '') this.fail(`${where}.${key}`, v === undefined ? 'is required' : 'expected a non-empty string');
    return v;
  }

  boolean(obj: Json, key: string, where: string): boolean | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(`${where}.${key}`, 'expected true or false');
    return v;
  }

  stringArray(obj: Json, key: string, where: string): string[] | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) this.fail(`${where}.${key}`, 'expected an array of strings');
    return v as string[];
  }

  array(root: Json, key: string, required: boolean): unknown[] {
    const v = root[key];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v)) this.fail(key, v === undefined ? 'is required' : 'expected an array');
    return v;
  }

  object(v: unknown, where: string): Json {
    if (!isObject(v)) this.fail(where, 'expected an object');
    return v;
  }
}

export function unique<T>(items: T[], key: (t: T) => string, c: Checker, what: string): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) c.fail(`${what}[${i}].id`, `duplicate id ${k}`);
    seen.add(k);
  });
}
