import { UsageError } from '../../errors.js';
import { DEFAULT_CONCURRENCY } from '../list/flags.js';

/** A part of the site: the catalog's products, its groups (V1 collections or V3 categories), services. */
export type BasePart = 'products' | 'groups' | 'services';

/** Parts asked for: base parts, CMS collections by ID, and `data` (every CMS collection the session can list). */
export interface Parts {
  base: Set<BasePart>;
  data: Set<string>;
  allData: boolean;
}

export interface SnapshotOptions {
  out?: string;
  /** What to read; undefined: everything the session can read. */
  include?: Parts;
  exclude: Parts;
  concurrency: number;
}

const PART_NAMES: Record<string, BasePart> = { products: 'products', collections: 'groups', categories: 'groups', services: 'services' };

function parseParts(values: unknown, flag: string): Parts | undefined {
  if (values === undefined) return undefined;
  const parts: Parts = { base: new Set(), data: new Set(), allData: false };
  for (const value of values as string[]) {
    for (const raw of value.split(',')) {
      const word = raw.trim();
      const part = PART_NAMES[word];
      if (part) parts.base.add(part);
      else if (word === 'data') parts.allData = true;
      else if (word.startsWith('data:') && word.length > 5) parts.data.add(word.slice(5));
      else {
        throw new UsageError(`${flag}: unknown part "${word}"`, {
          hint: 'Parts are products, collections, categories, services and data:<CMS collection ID>, comma-separated: --include products,data:<collection ID>',
        });
      }
    }
  }
  return parts;
}

/** Checks the flags before anything is read or sent. */
export function parseSnapshotFlags(flags: Record<string, unknown>): SnapshotOptions {
  const out = flags.out as string | undefined;
  if (out !== undefined && out.trim() === '') throw new UsageError('--out needs a file name: --out site.json');
  let concurrency = DEFAULT_CONCURRENCY;
  if (flags.concurrency !== undefined) {
    concurrency = Number(flags.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new UsageError(`--concurrency must be a whole number from 1 to 16 (got "${String(flags.concurrency)}")`);
  }
  const exclude = parseParts(flags.exclude, '--exclude') ?? { base: new Set(), data: new Set(), allData: false };
  if (exclude.allData) throw new UsageError('--exclude takes CMS collections one by one: --exclude data:<collection ID>');
  return { out, include: parseParts(flags.include, '--include'), exclude, concurrency };
}

