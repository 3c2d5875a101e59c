import type { CommandContext } from '../../context.js';
import { WixqError, ExitCode, NotFoundError, UsageError } from '../../errors.js';
import { writeOutput } from '../../output/io.js';
import type { WixClient } from '../../wix/client.js';
import type { OutputFormat } from '../../output/formats.js';
import { createListWriter, writeItem } from '../../output/render.js';
import type { CatalogAnswer } from '../../wix/catalog.js';
import { getProductV3, productsV1, productsV3, resourceFor, services, type Item, type ResourceDef } from '../../wix/resources.js';
import { nounNeedsCatalog, type CatalogNoun } from '../../specs/lists.js';
import { categoryFilter } from './category.js';
import type { GetOptions, ListOptions } from './flags.js';
import { siteCatalogOf } from '../../wix/errors.js';
import { andFilter } from '../../wix/filter.js';
import { checkListFields, planQuery } from '../../wix/query-plan.js';
import { RESOURCE_COLUMNS } from './columns.js';
import { walkToWriter } from './walk.js';
import { tellPriceMeaning } from './price-note.js';
import { openOrPrint } from './open-page.js';

/** A resource to list or get, and the catalog answer it was chosen by (a cached answer may be stale). */
interface Resolved {
  resource: ResourceDef;
  catalog?: CatalogAnswer;
  /** Told on stderr when the site answers a noun with the other catalog's kind (categories for collections). */
  notice?: string;
}

/** Picks the resource for a noun through the table's catalog → list choice; products and collections depend on the site's catalog. */
export async function resolveResource(noun: string, catalogFlag: string | undefined, ctx: CommandContext, fresh = false): Promise<Resolved> {
  if (!isCatalogNoun(noun)) throw new WixqError(`unknown resource "${noun}"`);
  if (!nounNeedsCatalog(noun)) return { resource: resourceFor(noun, undefined)! };
  const catalog = await ctx.catalog(catalogFlag, { fresh });
  const resource = resourceFor(noun, catalog.version);
  if (!resource) throw storesNotInstalled();
  if (resource.noun === noun) return { resource, catalog };
  // Catalog V1 groups products in collections, V3 in categories: each word answers with what the site has.
  const notice =
    catalog.version === 'v3'
      ? 'Note: this site runs Stores Catalog V3, which groups products in categories, not collections: showing its categories.'
      : 'Note: this site runs Stores Catalog V1, which groups products in collections, not categories: showing its collections.';
  return { resource, catalog, notice };
}

function isCatalogNoun(noun: string): noun is CatalogNoun {
  return noun === 'products' || noun === 'collections' || noun === 'categories' || noun === 'services';
}

function storesNotInstalled(): WixqError {
  return new WixqError('Wix Stores is not installed on this site (STORES_NOT_INSTALLED).', ExitCode.ERROR, {
    hint: 'Add the Wix Stores app to the site, or check that the client ID belongs to the site you mean: wixq auth status',
  });
}

/**
 * Runs work against the resource for a noun. A 428 on a catalog version that came from the cache means the site
 * moved to the other catalog (V1 sites can be migrated to V3): detect again, once, and retry.
 */
export async function withResource<T>(noun: string, catalogFlag: string | undefined, ctx: CommandContext, work: (resource: ResourceDef) => Promise<T>): Promise<T> {
  const { resource, catalog, notice } = await resolveResource(noun, catalogFlag, ctx);
  let failure: WixqError;
  try {
    if (notice) ctx.warn(notice);
    return await work(resource);
  } catch (error) {
    if (!(error instanceof WixqError) || catalog?.source !== 'cache') throw error;
    // A wrong-catalog 428 on a cached answer is worth a new detection (not a site without Stores); so is a 404 on a
    // cached V1 answer: on a site moved to V3, Wix's V1 reader may answer from a stale shim (docs/wix-api.md 2.0).
    if (siteCatalogOf(error.code) === undefined && !(error instanceof NotFoundError && catalog.version === 'v1')) throw error;
    failure = error;
  }
  const again = await resolveResource(noun, catalogFlag, ctx, true);
  if (siteCatalogOf(failure.code) === undefined && again.catalog?.version === catalog.version) throw failure;
  if (again.notice && again.notice !== notice) ctx.warn(again.notice);
  return work(again.resource);
}

/** `<noun> list`: pages through the list and streams it to the chosen format. */
export async function runList(noun: string, options: ListOptions, ctx: CommandContext): Promise<void> {
  const { format } = ctx.settings();
  ctx.clientId();
  await withResource(noun, options.catalog, ctx, (resource) => {
    const filter = resource.scopeFilter ? resource.scopeFilter(options.filter, { includeHidden: options.includeHidden }) : options.filter;
    return listResource(resource, { ...options, filter }, format, ctx, resource.noun === noun);
  });
}

async function listResource(listed: ResourceDef, options: ListOptions, format: OutputFormat, ctx: CommandContext, asked = true): Promise<void> {
  // Checked against the endpoint's spec before anything is sent: a query Wix would refuse is exit 2 here. --fields
  // named for the other catalog's kind (categories on a V1 site, which answers collections) is only warned about.
  await checkListFields(listed.rules, options.fields, (line) => ctx.warn(line), { strict: asked });
  // The user's own filter, checked before a --category slug is looked up (its request).
  if (options.category !== undefined) planQuery(listed.rules, { filter: options.filter, sort: options.sort, search: options.search });
  const category = options.category === undefined ? undefined : await categoryFilter(options.category, listed, ctx);
  const filter = category === undefined ? options.filter : andFilter(options.filter, category);
  const plan = planQuery(listed.rules, { filter, sort: options.sort, search: options.search });
  const resource: ResourceDef = { ...listed, list: (client, request) => listed.list(client, { ...request, endpoint: plan.target.endpoint, search: plan.search }) };
  // Made before the walk: its columns are the resource's own.
  const writer = createListWriter(ctx.io, format, { columns: RESOURCE_COLUMNS[resource.id], fields: options.fields, noun: resource.noun });
  await walkToWriter(
    resource,
    (request) => ctx.api().call(resource.modules, `list ${resource.noun}`, (client) => resource.list(client, request)),
    { filter: plan.filter, sort: plan.sort, limit: options.limit, offset: options.offset, concurrency: options.concurrency },
    () => {
      // The first page has answered: the catalog is the site's, so its meaning of `price` can be said.
      tellPriceMeaning(ctx, listed, { filter, sort: options.sort });
      return writer;
    },
    ctx,
  );
  // The table's product counts are Wix's, which can include hidden products: said once, as the header may be cut to fit.
  if (format === 'table' && options.fields === undefined && (resource.id === 'collectionsV1' || resource.id === 'categories')) {
    ctx.warn(`Note: the Products column is Wix's own count${resource.id === 'categories' ? " of the category's own products (not its subcategories')" : ''}, which can include hidden products; products list shows what visitors see.`);
  }
}

/** `<noun> get <id|slug>`: one item, in the chosen format; with --web its page on the site, in the browser. */
export async function runGet(noun: string, idOrSlug: string, options: GetOptions, ctx: CommandContext): Promise<void> {
  if (options.web) return runGetWeb(noun, idOrSlug, options, ctx);
  if (!options.browser) throw new UsageError('--no-browser goes with --web', { hint: `Try: wixq ${noun} get ${idOrSlug} --web --no-browser` });
  const { fields } = options;
  const { format } = ctx.settings();
  ctx.clientId();
  await withResource(noun, options.catalog, ctx, async (resource) => {
    await checkListFields(resource.rules, fields, (line) => ctx.warn(line), { strict: resource.noun === noun });
    const item = await ctx.api().call(resource.modules, `get ${resource.singular} "${idOrSlug}"`, (client) => resource.get(client, idOrSlug));
    await writeItem(ctx.io, format, item, { columns: RESOURCE_COLUMNS[resource.id], fields });
  });
}

/** `<noun> get X --web`: opens the item's page, or prints its URL on stdout with --no-browser or without a display (as `gh … --web`). */
async function runGetWeb(noun: string, idOrSlug: string, options: GetOptions, ctx: CommandContext): Promise<void> {
  if (options.fieldsGiven) throw new UsageError('--fields does not go with --web (it opens the page instead of printing fields)');
  ctx.clientId();
  const url = await withResource(noun, options.catalog, ctx, async (resource) => {
    const item = await ctx.api().call(resource.modules, `get ${resource.singular} "${idOrSlug}"`, (client) => getForPage(resource, client, idOrSlug));
    const found = pageUrlOf(resource, item);
    if (!found) throw new WixqError(`${resource.singular} "${idOrSlug}" has no page on the site`, ExitCode.ERROR, { hint: `See what Wix returns: wixq ${noun} get ${idOrSlug} --json` });
    return found;
  });
  await openOrPrint(url, options.browser, ctx);
}

/** The item as `get` reads it; a V3 product only has its `url` when `fields` asks for URL. */
async function getForPage(resource: ResourceDef, client: WixClient, idOrSlug: string): Promise<Item> {
  if (resource !== productsV3) return resource.get(client, idOrSlug);
  // @wix/auto_sdk_stores_products-v-3 V3Product.url: "Returned only when you pass URL to the fields array".
  return getProductV3(client, idOrSlug, ['URL']);
}

/**
 * The item's page on the site: V1 `productPageUrl` (base + path, @wix/auto_sdk_stores_products Product.productPageUrl),
 * V3 `url` (@wix/auto_sdk_stores_products-v-3 V3Product.url), a service's `urls.servicePage` (@wix/auto_sdk_bookings_services URLs).
 */
export function pageUrlOf(resource: ResourceDef, item: Item): string | undefined {
  const record = item as Record<string, any>;
  let url: unknown;
  if (resource === productsV1) {
    const page = record.productPageUrl as { base?: string; path?: string } | undefined;
    url = page?.base && page.path !== undefined ? `${page.base.replace(/\/+$/, '')}/${page.path.replace(/^\/+/, '')}` : undefined;
  } else if (resource === productsV3) {
    // Typed as a string; an object carrying `url` (as some wire answers are shaped) is taken too.
    url = typeof record.url === 'string' ? record.url : record.url?.url;
  } else if (resource === services) {
    url = record.urls?.servicePage;
  }
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
}
