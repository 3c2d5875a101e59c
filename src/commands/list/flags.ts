import { Option, type Command } from 'commander';
import type { WixSort } from '../../wix/query.js';

/** The list flags (docs/reference.md, "Lists"), as commander hands them over. */
export interface ListFlags {
  limit?: string;
  all?: boolean;
  offset?: string;
  filter?: string[];
  sort?: string[];
  query?: string;
  fields?: string;
  concurrency?: string;
  search?: string;
  category?: string;
  /** --catalog of the Stores nouns (commander checks the choices). */
  catalog?: string;
  /** --include-hidden of `services list`. */
  includeHidden?: boolean;
}

/** Validated list options: everything is checked here, before any request is sent. */
export interface ListOptions {
  limit?: number;
  offset: number;
  concurrency: number;
  filter: Record<string, unknown>;
  sort: WixSort[];
  fields?: string[];
  all: boolean;
  /** Free text (--search). */
  search?: string;
  /** A category (V3) or collection (V1) by ID or slug (--category). */
  category?: string;
  /** --catalog: the site's catalog as given (detected when absent). */
  catalog?: CatalogChoice;
  /** --include-hidden: widen the list's default scope (services: hidden ones and other apps' too). */
  includeHidden: boolean;
}

/** What --catalog takes. */
export type CatalogChoice = 'v1' | 'v3';

/** Validated `get` options. */
export interface GetOptions {
  fields?: string[];
  /** Whether --fields was given (--web refuses it). */
  fieldsGiven: boolean;
  catalog?: CatalogChoice;
  /** --web: open the item's page (or print its URL). */
  web: boolean;
  /** --no-browser (false) with --web. */
  browser: boolean;
}

export const DEFAULT_LIMIT = 50;
export const DEFAULT_CONCURRENCY = 4;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds the list flags to a command; `filterExamples` shows --filter in that list's own field names. */
export function addListFlags(command: Command, filterExamples = 'name=Shirt, price>10, _id in (a,b), name^=Li'): Command {
  return command
    .option('-L, --limit <n>', `at most N items in total, across pages (default ${DEFAULT_LIMIT})`)
    .option('--all', 'every item (pages fetched with bounded concurrency)')
    .option('--offset <n>', 'skip N items')
    .option('--filter <expr>', `filter, repeatable (all must hold): ${filterExamples}`, collect)
    .option('--sort <fields>', 'sort, repeatable or comma-separated; -field for descending', collect)
    .option('--query <json>', 'a raw Wix query object {"filter":…,"sort":…}, combined with the flags')
    .option('--fields <paths>', 'fields to show: table and CSV columns, JSON projection (a,b.c)')
    .addOption(new Option('--concurrency <n>', `pages in flight with --all (default ${DEFAULT_CONCURRENCY})`));
}

