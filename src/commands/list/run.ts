import type { CommandContext } from '../../context.js';
import { WixqError, ExitCode } from '../../errors.js';
import { parseFields } from '../../wix/query.js';
import type { OutputFormat } from '../../output/formats.js';
import { createListWriter, writeItem } from '../../output/render.js';
import type { CatalogAnswer } from '../../wix/catalog.js';
import { walkList } from '../../wix/pager.js';
import { collectionsV1, productsV1, productsV3, services, type ResourceDef } from '../../wix/resources.js';
import type { ListOptions } from './flags.js';
import { RESOURCE_COLUMNS } from './columns.js';
import { progressReporter } from './progress.js';

/** A resource to list or get, and the catalog answer it was chosen by (a cached answer may be stale). */
interface Resolved {
  resource: ResourceDef;
  catalog?: CatalogAnswer;
}

/** Picks the resource for a noun; products and collections depend on the site's catalog version. */
export async function resolveResource(noun: string, flags: Record<string, unknown>, ctx: CommandContext, fresh = false): Promise<Resolved> {
  switch (noun) {
    case 'products': {
      const catalog = await ctx.catalog(flags.catalog as string | undefined, { fresh });
      if (catalog.version === 'none') throw storesNotInstalled();
      return { resource: catalog.version === 'v3' ? productsV3 : productsV1, catalog };
    }
    case 'collections': {
      const catalog = await ctx.catalog(flags.catalog as string | undefined, { fresh });
      if (catalog.version === 'none') throw storesNotInstalled();
      if (catalog.version === 'v3') {
        throw new WixqError('this site uses Stores Catalog V3, which has no collections: V3 groups products in categories.', ExitCode.ERROR, {
          hint:
            'The SDK reads categories through @wix/categories, which wixq does not include. List a category\'s products with: ' +
            'wixq products list --filter "directCategoryIds has (<category ID>)"',
        });
      }
      return { resource: collectionsV1, catalog };
    }
    case 'services':
      return { resource: services };
    default:
      throw new WixqError(`unknown resource "${noun}"`);
  }
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
async function withResource<T>(noun: string, flags: Record<string, unknown>, ctx: CommandContext, work: (resource: ResourceDef) => Promise<T>): Promise<T> {
  const { resource, catalog } = await resolveResource(noun, flags, ctx);
  try {
    return await work(resource);
  } catch (error) {
    if (!(error instanceof WixqError) || error.status !== 428 || catalog?.source !== 'cache') throw error;
  }
  return work((await resolveResource(noun, flags, ctx, true)).resource);
}

/** `<noun> list`: pages through the list and streams it to the chosen format. */
export async function runList(noun: string, options: ListOptions, flags: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const { format } = ctx.settings();
  ctx.clientId();
  await withResource(noun, flags, ctx, (resource) => {
    const filter = resource.scopeFilter ? resource.scopeFilter(options.filter, { includeHidden: flags.includeHidden === true }) : options.filter;
    return listResource(resource, { ...options, filter }, format, ctx);
  });
}

async function listResource(resource: ResourceDef, options: ListOptions, format: OutputFormat, ctx: CommandContext): Promise<void> {
  const writer = createListWriter(ctx.io, format, { columns: RESOURCE_COLUMNS[resource.id], fields: options.fields, noun: resource.noun });
  const progress = progressReporter(ctx.io, resource.noun);
  const result = await (async () => {
    try {
      return await walkList(
        resource,
        (request) => ctx.api().call(resource.modules, `list ${resource.noun}`, (client) => resource.list(client, request)),
        { filter: options.filter, sort: options.sort, limit: options.limit, offset: options.offset, concurrency: options.concurrency },
        {
          sink: async (items) => {
            for (const item of items) await writer.write(item);
          },
          progress: progress.update,
        },
      );
    } finally {
      progress.done();
    }
  })();
  await writer.close();
  if (result.stoppedReason) ctx.warn(`Stopped after ${result.count.toLocaleString('en-US')} ${resource.noun}. ${result.stoppedReason}`);
  else if (result.more) {
    const shown = result.count.toLocaleString('en-US');
    ctx.warn(
      result.total !== undefined
        ? `Showing ${shown} of ${result.total.toLocaleString('en-US')} ${resource.noun} (use --all or --limit).`
        : `Showing ${shown} ${resource.noun}; there are more (use --all or --limit).`,
    );
  }
}

/** `<noun> get <id|slug>`: one item, in the chosen format. */
export async function runGet(noun: string, idOrSlug: string, flags: { fields?: string } & Record<string, unknown>, ctx: CommandContext): Promise<void> {
  const fields = parseFields(flags.fields);
  const { format } = ctx.settings();
  ctx.clientId();
  await withResource(noun, flags, ctx, async (resource) => {
    const item = await ctx.api().call(resource.modules, `get ${resource.singular} "${idOrSlug}"`, (client) => resource.get(client, idOrSlug));
    await writeItem(ctx.io, format, item, { columns: RESOURCE_COLUMNS[resource.id], fields });
  });
}
