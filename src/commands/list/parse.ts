import { UsageError } from '../../errors.js';
import { buildQuery, parseFields, parsePositiveInt, toWireNames, type WixSort } from '../../wix/query.js';
import { DEFAULT_CONCURRENCY, DEFAULT_LIMIT, type CatalogChoice, type GetOptions, type ListFlags, type ListOptions } from './flags.js';

/** Parses and validates the list flags; throws UsageError (exit 2) on anything wrong. */
export function parseListFlags(flags: ListFlags): ListOptions {
  if (flags.all && flags.limit !== undefined) throw new UsageError('use either --all or --limit, not both');
  const limit = flags.all ? undefined : flags.limit === undefined ? DEFAULT_LIMIT : parsePositiveInt(flags.limit, '--limit', { min: 1, max: 1_000_000 });
  const offset = flags.offset === undefined ? 0 : parsePositiveInt(flags.offset, '--offset', { min: 0, max: 100_000_000 });
  const concurrency = flags.concurrency === undefined ? DEFAULT_CONCURRENCY : parsePositiveInt(flags.concurrency, '--concurrency', { min: 1, max: 16 });
  const built = buildQuery({ filters: flags.filter ?? [], sort: flags.sort ?? [], query: flags.query });
  return {
    limit,
    offset,
    concurrency,
    filter: toWireNames(built.filter) as Record<string, unknown>,
    sort: toWireNames(built.sort) as WixSort[],
    fields: parseFields(flags.fields),
    all: Boolean(flags.all),
    ...(flags.search !== undefined && { search: parseSearch(flags.search) }),
    ...(flags.category !== undefined && { category: parseCategory(flags.category) }),
    ...(flags.catalog !== undefined && { catalog: flags.catalog as CatalogChoice }),
    includeHidden: flags.includeHidden === true,
  };
}

/** Parses the flags of `<noun> get` (the --web ones are checked where they are used). */
export function parseGetFlags(flags: { fields?: string; web?: boolean; browser?: boolean; catalog?: string }): GetOptions {
  // --web refuses --fields, and --no-browser needs --web: those are said first (runGet), before --fields is read.
  const fieldsFirst = flags.web !== true && flags.browser !== false;
  return {
    fields: fieldsFirst ? parseFields(flags.fields) : undefined,
    fieldsGiven: flags.fields !== undefined,
    ...(flags.catalog !== undefined && { catalog: flags.catalog as CatalogChoice }),
    web: flags.web === true,
    browser: flags.browser !== false,
  };
}

/** --search: free text, trimmed; empty is a usage error (it would match everything or nothing, depending on the API). */
function parseSearch(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new UsageError('--search needs some text, e.g. --search "linen shirt"');
  if (trimmed.length > 200) throw new UsageError('--search takes at most 200 characters');
  return trimmed;
}

/** --category: an ID or a slug (one; a product in several is found by any of them). */
function parseCategory(ref: string): string {
  const trimmed = ref.trim();
  if (trimmed === '' || /[\s,]/.test(trimmed)) throw new UsageError(`--category takes one category ID or slug, got ${JSON.stringify(ref)}`);
  return trimmed;
}
