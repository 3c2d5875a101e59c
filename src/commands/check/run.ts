import { performance } from 'node:perf_hooks';
import type { CommandContext } from '../../context.js';
import type { CatalogVersion } from '../../wix/catalog.js';
import type { WixClient } from '../../wix/client.js';
import { DEFAULT_API_URL } from '../../wix/hosts.js';
import { CheckFailedError, ExitCode, UsageError, WixqError } from '../../errors.js';
import { clockOf, writeOutput } from '../../output/io.js';
import { createListWriter, type ColumnSpec, type OutputFormat } from '../../output/render.js';
import { categories, productsV3, resourceFor, STORES_CATEGORY_TREE, type Page, type ResourceDef } from '../../wix/resources.js';
import { toWixqError } from '../../wix/errors.js';
import { nounNeedsCatalog } from '../../specs/lists.js';
import type { CheckReport, CheckResult, CheckStatus } from './report.js';
import { counted } from '../list/progress.js';

/** The lists `wixq check` reads one page of. */
export const CHECK_RESOURCES = ['products', 'collections', 'services'] as const;
export type CheckResource = (typeof CHECK_RESOURCES)[number];
/** A list a check can require: one of the above, or a CMS collection's items (`data:<collectionId>`). */
export type CheckName = CheckResource | `data:${string}`;

export interface CheckOptions {
  /** Resources that must be there and not empty. */
  require: Set<CheckName>;
  /** Smallest acceptable count per resource. */
  min: Map<CheckName, number>;
  catalog?: string;
  /** Where to write the JUnit XML report (--junit). */
  junit?: string;
  /** --checkout: the purchase flow with a throwaway visitor (checkout.ts). */
  checkout?: boolean;
}

export type { CheckReport, CheckResult, CheckStatus } from './report.js';

const PAGE_SIZE = 10;
const EMPTY_SITE_HINT =
  'The site looks empty. A client ID that belongs to another site still authenticates and shows that site\'s (maybe empty) ' +
  'catalog: check the client ID in the Headless settings of the site you mean (wixq config get client-id).';

/** Turns --require and --min values (repeatable, comma-separated) into options; unknown names are exit 2. */
export function parseCheckFlags(flags: { require?: string[]; min?: string[]; catalog?: string; junit?: string; checkout?: boolean }): CheckOptions {
  const require = new Set<CheckName>();
  for (const name of splitList(flags.require)) require.add(resourceName(name, '--require'));
  const min = new Map<CheckName, number>();
  for (const entry of splitList(flags.min)) {
    const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(entry);
    if (!match) throw new UsageError(`--min takes name=count, got "${entry}"`, { hint: 'For example: --min products=1,services=2' });
    const count = match[2]!;
    if (!/^\d+$/.test(count) || !Number.isSafeInteger(Number(count))) {
      throw new UsageError(`--min ${entry}: the count must be a whole number, 0 or more`, { hint: 'For example: --min products=1' });
    }
    min.set(resourceName(match[1]!, '--min'), Number(count));
  }
  if (flags.junit !== undefined && !flags.junit.trim()) throw new UsageError('--junit takes a file path', { hint: 'For example: --junit wixq-check.xml' });
  return { require, min, catalog: flags.catalog, ...(flags.junit !== undefined && { junit: flags.junit }), ...(flags.checkout === true && { checkout: true }) };
}

function splitList(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

function resourceName(name: string, flag: string): CheckName {
  const lower = name.toLowerCase();
  if ((CHECK_RESOURCES as readonly string[]).includes(lower)) return lower as CheckResource;
  if (lower.startsWith('data:')) {
    const id = name.slice('data:'.length).trim();
    if (id === '' || /\s/.test(id)) throw new UsageError(`${flag}: "${name}" names no collection`, { hint: 'Give the CMS collection ID after data:, e.g. data:team (IDs are case-sensitive)' });
    return `data:${id}`;
  }
  throw new UsageError(`${flag}: unknown resource "${name}"`, { hint: `Use ${CHECK_RESOURCES.join(', ')}, or data:<collectionId> for a CMS collection.` });
}

/** `wixq check`: runs the checklist, prints it (table or JSON report), and fails with the first error's exit code or 6. */
export async function runCheck(options: CheckOptions, ctx: CommandContext): Promise<void> {
  const clock = clockOf(ctx.io);
  const startedAt = new Date(clock.now());
  const s = ctx.settings();
  const { format } = s;
  // Every key is set here so the JSON keeps this order; undefined ones are left out.
  const report: CheckReport = {
    ok: false,
    exitCode: ExitCode.OK,
    profile: s.profile,
    clientId: undefined,
    apiUrl: s.apiUrl ?? DEFAULT_API_URL,
    role: undefined,
    catalog: undefined,
    checks: [],
    hints: [],
  };
  // The error behind each failed check, in checklist order: the first one decides the exit code.
  const errors = new Map<CheckResult, WixqError>();
  const add = (result: CheckResult, error?: unknown): void => {
    if (error !== undefined) {
      const mapped = error instanceof WixqError ? error : toWixqError(error, { action: result.name });
      errors.set(result, mapped);
      result.error = { message: mapped.message, exitCode: mapped.exitCode, ...(mapped.requestId && { requestId: mapped.requestId }), ...(mapped.hint && { hint: mapped.hint }) };
    }
    report.checks.push(result);
  };
  const notRun = (names: string[], why: string): void => {
    for (const name of names) add({ name, status: 'skip', ms: 0, details: `not run: ${why}`, ...requirement(name, options) });
  };

  // 1. Settings: without a client ID nothing else can run.
  let started = performance.now();
  const apiText = `API ${report.apiUrl}${s.apiUrl ? ` (${s.sources.apiUrl.from})` : ''}`;
  try {
    report.clientId = ctx.clientId();
    add({ name: 'settings', status: 'pass', ms: elapsed(started), details: `profile ${s.profile}, client ID ${report.clientId} (${s.sources.clientId.from}), ${apiText}` });
  } catch (error) {
    add({ name: 'settings', status: 'fail', ms: elapsed(started), details: `no client ID for profile ${s.profile}; ${apiText}` }, error);
    notRun(['token', 'catalog', ...CHECK_RESOURCES], 'no client ID');
    return finish(report, errors, options, format, ctx, startedAt);
  }

  // 2. Token: a session reused from tokens.json, renewed, or new.
  started = performance.now();
  try {
    const before = await ctx.tokenStore().read(ctx.api().key).catch(() => undefined);
    const session = await ctx.api().tokens();
    report.role = session.role;
    const how =
      before?.accessToken.value === session.accessToken.value ? 'reused' : before?.refreshToken.value === session.refreshToken.value ? 'renewed' : 'new';
    add({ name: 'token', status: 'pass', ms: elapsed(started), details: `${session.role} session ${how}, ${expiryText(session.accessToken.expiresAt, clock.now())}` });
  } catch (error) {
    add({ name: 'token', status: 'fail', ms: elapsed(started), details: 'could not get a session' }, error);
    notRun(['catalog', ...CHECK_RESOURCES], 'no session');
    return finish(report, errors, options, format, ctx, startedAt);
  }

  // 3. Catalog version: decides which products API to read and whether there are collections.
  started = performance.now();
  let catalog: CatalogVersion | undefined;
  try {
    // Always asked afresh (never the cached answer): a check is where a site that moved to V3 must show.
    const answer = await ctx.catalog(options.catalog, { fresh: true });
    catalog = answer.version;
    report.catalog = catalog;
    const source =
      answer.source === 'flag' ? ' (--catalog)'
      : answer.detectedBy === 'probe' ? ` (detected by a products query: the version endpoint answered ${answer.refusedWith})`
      : '';
    add({ name: 'catalog', status: catalog === 'none' ? 'warn' : 'pass', ms: elapsed(started), details: `${catalogText(catalog)}${source}` });
  } catch (error) {
    const mapped = toWixqError(error, { action: 'detect the catalog version' });
    if (fatal(mapped)) add({ name: 'catalog', status: 'fail', ms: elapsed(started), details: 'could not detect the Stores catalog version' }, mapped);
    else add({ name: 'catalog', status: 'warn', ms: elapsed(started), details: `${mapped.message} (pass --catalog v1 or v3)` });
  }

  // 4. One page of each list, in order, each timed on its own.
  for (const name of CHECK_RESOURCES) {
    if (nounNeedsCatalog(name)) {
      const skipped = catalog === undefined ? 'the catalog version is unknown (pass --catalog v1 or v3)' : catalog === 'none' ? 'Wix Stores is not installed' : undefined;
      if (skipped) {
        add(missing(name, options, skipped));
        continue;
      }
    }
    // On Catalog V3 the site groups products in categories: the collections check counts those.
    const resource = resourceFor(name, catalog)!;
    started = performance.now();
    try {
      const { count, exact } = await countOf(resource, ctx);
      add(judge(name, count, exact, elapsed(started), options, resource.noun));
    } catch (error) {
      const mapped = toWixqError(error, { action: `list ${name}` });
      const req = requirement(name, options);
      if (fatal(mapped) || req.required || req.min !== undefined) add({ name, status: 'fail', ms: elapsed(started), details: `could not list ${name}`, ...req }, mapped);
      else add({ name, status: 'warn', ms: elapsed(started), details: `${mapped.message} (not required, so not a failure)`, ...req });
    }
  }

  // 5. The CMS collections named by --require data:<id> or --min data:<id>=N: their items, counted by the Data API.
  for (const name of dataChecks(options)) {
    const collectionId = name.slice('data:'.length);
    started = performance.now();
    try {
      const { countDataItems, DATA_ITEMS_MODULES, visitorEmptyCheckHint } = await import('../../wix/data.js');
      const count = await ctx.api().call(DATA_ITEMS_MODULES, `count the items of the collection "${collectionId}"`, (client) => countDataItems(client, { collectionId }, {}));
      add(judge(name, count, true, elapsed(started), options, 'items'));
      // A visitor's empty count may be a members-only collection's gate (docs/wix-api.md 12.4): the check says so.
      if (count === 0 && ctx.api().role !== 'member') report.hints.push(visitorEmptyCheckHint(name));
    } catch (error) {
      add({ name, status: 'fail', ms: elapsed(started), details: `could not count the items of the collection "${collectionId}"`, ...requirement(name, options) }, error);
    }
  }

  // 6. --checkout: add, check out and clean up as a throwaway visitor of its own (never the profile's session or cart).
  if (options.checkout) for (const result of await (await import('./checkout.js')).checkoutChecks(ctx, catalog)) add(result);

  const counted = report.checks.filter((c) => c.count !== undefined);
  const products = report.checks.find((c) => c.name === 'products');
  if ((products?.count === 0 || (counted.length > 0 && counted.every((c) => c.count === 0))) && !report.hints.includes(EMPTY_SITE_HINT)) {
    report.hints.push(EMPTY_SITE_HINT);
  }
  return finish(report, errors, options, format, ctx, startedAt);
}

/** The `data:<collectionId>` names of --require and --min, each once, in the order given. */
function dataChecks(options: CheckOptions): Array<`data:${string}`> {
  const names = new Set<CheckName>([...options.require, ...options.min.keys()]);
  return [...names].filter((name): name is `data:${string}` => name.startsWith('data:'));
}

/** Authentication and network failures stop a check whatever was required (exit 4 or 5). */
function fatal(error: WixqError): boolean {
  return error.exitCode === ExitCode.AUTH || error.exitCode === ExitCode.TEMPORARY;
}

function requirement(name: string, options: CheckOptions): { required?: boolean; min?: number } {
  const resource = name as CheckName;
  return {
    ...(options.require.has(resource) && { required: true }),
    ...(options.min.has(resource) && { min: options.min.get(resource) }),
  };
}

/** A list that is not there: a failure when required or asserted with --min, else a skip. */
function missing(name: CheckName, options: CheckOptions, why: string): CheckResult {
  const req = requirement(name, options);
  const needed = req.required || req.min !== undefined;
  return { name, status: needed ? 'fail' : 'skip', ms: 0, details: needed ? `${why}, but ${flagsFor(name, options)} asks for ${name}` : why, ...req };
}

/** How many items a list has, in its default scope (as `list` shows it): the API's total, V3's count endpoint, or the first page. */
async function countOf(resource: ResourceDef, ctx: CommandContext): Promise<{ count: number; exact: boolean }> {
  const page: Page = await ctx.api().call(resource.modules, `list ${resource.noun}`, (client) =>
    resource.list(client, { filter: resource.scopeFilter?.({}, {}) ?? {}, sort: [], limit: PAGE_SIZE, offset: 0 }),
  );
  if (page.total !== undefined) return { count: page.total, exact: true };
  if (!page.nextCursor) return { count: page.items.length, exact: page.items.length < PAGE_SIZE || resource.paging === 'cursor' };
  // Cursor lists have no total: V3 products and categories have a count endpoint.
  const count: ((client: WixClient) => Promise<{ count?: number }>) | undefined =
    resource === productsV3 ? (client) => client.productsV3.countProducts({})
    : resource === categories ? (client) => client.categories.countCategories({ treeReference: STORES_CATEGORY_TREE })
    : undefined;
  if (count) {
    try {
      const counted = await ctx.api().call(resource.modules, `count ${resource.noun}`, count);
      if (typeof counted?.count === 'number') return { count: counted.count, exact: true };
    } catch (error) {
      // Authentication and network failures count; an endpoint the site lacks only makes the count inexact.
      const mapped = toWixqError(error, { action: `count ${resource.noun}` });
      if (fatal(mapped)) throw mapped;
    }
  }
  return { count: page.items.length, exact: false };
}

/** Passes, warns (empty, not required) or fails (empty and required, or under --min) one counted list. */
function judge(name: CheckName, count: number, exact: boolean, ms: number, options: CheckOptions, noun: string = name): CheckResult {
  const req = requirement(name, options);
  const shown = `${exact ? '' : 'at least '}${counted(count, noun)}`;
  const result = (status: CheckStatus, details: string): CheckResult => ({ name, status, ms, details, count, countExact: exact, ...req });
  if (req.min !== undefined && count < req.min) {
    return result('fail', `${shown}, fewer than --min ${name}=${req.min}${exact ? '' : ' (only the first page could be counted)'}`);
  }
  if (count === 0) {
    // Counted in the list's noun, as when not empty: `0 items` for a data:<collectionId> check.
    return req.required ? result('fail', `0 ${noun}, but --require ${name} needs at least one`) : result(req.min === 0 ? 'pass' : 'warn', `0 ${noun}`);
  }
  return result('pass', shown);
}

function flagsFor(name: CheckName, options: CheckOptions): string {
  const parts: string[] = [];
  if (options.require.has(name)) parts.push(`--require ${name}`);
  if (options.min.has(name)) parts.push(`--min ${name}=${options.min.get(name)}`);
  return parts.join(' and ');
}

/** Prints the report, hints on stderr, and throws the outcome: the first auth or network error's code, else 6 for any failure. */
async function finish(
  report: CheckReport,
  errors: Map<CheckResult, WixqError>,
  options: CheckOptions,
  format: OutputFormat,
  ctx: CommandContext,
  startedAt: Date,
): Promise<void> {
  const failed = report.checks.filter((c) => c.status === 'fail');
  // Authentication and network failures keep their own code; anything else that failed a check is exit 6.
  const firstError = failed.map((c) => errors.get(c)).find((e) => e !== undefined && fatal(e));
  report.exitCode = firstError ? firstError.exitCode : failed.length > 0 ? ExitCode.CHECK_FAILED : ExitCode.OK;
  report.ok = report.exitCode === ExitCode.OK;
  for (const check of report.checks) if (check.error?.hint && !report.hints.includes(check.error.hint)) report.hints.push(check.error.hint);

  await writeReport(report, format, ctx);
  const reportErrors = await writeCiReports(report, options, ctx, startedAt);
  // A report that could not be written ends a run whose checks passed (exit 1, said once, as the error); otherwise it is a warning.
  const reportError = !firstError && failed.length === 0 ? reportErrors[0] : undefined;
  for (const error of reportErrors) if (error !== reportError) ctx.warn(`Warning: ${error.message}`);
  // The error that ends the run prints its own hint after it: not twice.
  for (const hint of report.hints) if (hint !== firstError?.hint) ctx.warn(`Hint: ${hint}`);
  if (format === 'table') {
    ctx.warn(report.ok ? `All checks passed (${report.checks.filter((c) => c.status === 'pass').length} passed).` : `${failed.length} of ${report.checks.length} checks failed.`);
  }
  if (firstError) throw firstError;
  if (reportError) throw reportError;
  if (failed.length > 0) {
    const reasons = failed.map((c) => `${c.name}: ${c.details}`).join('; ');
    throw new CheckFailedError(`check failed: ${reasons}`, {
      hint: options.min.size > 0 || options.require.size > 0 ? 'See the checklist above; --require and --min set what must be there.' : undefined,
    });
  }
}

/**
 * The --junit file, and under GitHub Actions the job summary and one `::error` annotation per failed check.
 * Returns the reports that could not be written (the caller says so once: as the error that ends the run, or as a warning).
 */
async function writeCiReports(report: CheckReport, options: CheckOptions, ctx: CommandContext, startedAt: Date): Promise<WixqError[]> {
  const ci = await import('./ci.js');
  const failures: WixqError[] = [];
  const failed = (what: string, error: unknown): void => {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    failures.push(new WixqError(`cannot write ${what}: ${reason}`, ExitCode.ERROR, { hint: 'Check that the folder exists and can be written.' }));
  };
  if (options.junit !== undefined) await ci.writeJunitReport(options.junit, report, startedAt).catch((error: unknown) => failed(`--junit ${options.junit}`, error));
  const env = ctx.io.env;
  if (env.GITHUB_ACTIONS === 'true') {
    if (env.GITHUB_STEP_SUMMARY) await ci.appendStepSummary(env.GITHUB_STEP_SUMMARY, report).catch((error: unknown) => failed(`the job summary ${env.GITHUB_STEP_SUMMARY}`, error));
    for (const line of ci.errorAnnotations(report)) ctx.warn(line);
  }
  return failures;
}

const STATUS_TEXT: Record<CheckStatus, string> = { pass: 'ok', fail: 'FAIL', warn: 'warn', skip: 'skip' };

const COLUMNS: ColumnSpec[] = [
  { header: 'Check', path: 'name' },
  { header: 'Result', path: 'status', format: (value) => STATUS_TEXT[value as CheckStatus] ?? String(value) },
  { header: 'Time', path: 'ms', format: (value, item) => (item.status === 'skip' ? '' : `${String(value)} ms`), align: 'right' },
  { header: 'Details', path: 'details' },
];

async function writeReport(report: CheckReport, format: OutputFormat, ctx: CommandContext): Promise<void> {
  if (format === 'json') {
    await writeOutput(ctx.io.out, `${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  // Table, NDJSON, CSV and TSV: one row per check.
  const writer = createListWriter(ctx.io, format, { columns: COLUMNS, noun: 'checks' });
  for (const check of report.checks) await writer.write(format === 'table' ? { ...check } : flatRow(check));
  await writer.close();
}

function flatRow(check: CheckResult): Record<string, unknown> {
  return { name: check.name, status: check.status, ms: check.ms, details: check.details, ...(check.count !== undefined && { count: check.count }) };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function catalogText(catalog: CatalogVersion): string {
  return catalog === 'v1' ? 'Stores Catalog V1' : catalog === 'v3' ? 'Stores Catalog V3' : 'Wix Stores is not installed';
}

function expiryText(expiresAt: number, nowMs: number): string {
  const seconds = Math.round(expiresAt - nowMs / 1000);
  const when = new Date(expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (seconds <= 0) return `expired at ${when}`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return `expires in ${hours > 0 ? `${hours} h ` : ''}${minutes} min (${when})`;
}
