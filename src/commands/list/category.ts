import type { CommandContext } from '../../context.js';
import { NotFoundError, WixqError } from '../../errors.js';
import type { WixFilter } from '../../wix/filter.js';
import { toWireNames } from '../../wix/query.js';
import { looksLikeId, resourceFor, type ResourceDef } from '../../wix/resources.js';

/**
 * The filter for `products list --category <id|slug>`. Catalog V1: products whose `collectionIds` hold the
 * collection. Catalog V3: products whose `allCategoriesInfo.categories` hold the category, so products of its
 * subcategories count too, as on Wix's own storefronts (`$matchItems`, which only the search endpoint declares).
 */
export async function categoryFilter(ref: string, products: ResourceDef, ctx: CommandContext): Promise<WixFilter> {
  const catalog = products.catalog === 'v3' ? 'v3' : 'v1';
  const id = looksLikeId(ref) ? ref : await idForSlug(ref, catalog, ctx);
  const filter =
    catalog === 'v3' ? { 'allCategoriesInfo.categories': { $matchItems: [{ _id: { $in: [id] } }] } } : { collectionIds: { $hasSome: [id] } };
  return toWireNames(filter);
}

/** A slug's id: cached per profile like the catalog version (a warm run stays one request), else one get by slug. */
async function idForSlug(slug: string, catalog: 'v1' | 'v3', ctx: CommandContext): Promise<string> {
  const s = ctx.settings();
  const clientId = ctx.clientId();
  const cached = s.settings.getCategoryId(s.profile, clientId, s.cacheApi, catalog, slug);
  if (cached) return cached;
  // The site's product groups: the table's choice for the catalog (V1 collections, V3 categories).
  const resource = resourceFor('categories', catalog)!;
  let item: Record<string, unknown>;
  try {
    item = await ctx.api().call(resource.modules, `find ${resource.singular} "${slug}"`, (client) => resource.get(client, slug));
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new NotFoundError(`no ${resource.singular} with slug "${slug}" (--category)`, {
        requestId: error.requestId,
        hint: `List them with: wixq ${resource.noun} list --fields _id,slug,name`,
      });
    }
    throw error;
  }
  const id = item._id ?? item.id;
  if (typeof id !== 'string') throw new WixqError(`the ${resource.singular} "${slug}" came back without an ID`);
  try {
    await s.settings.setCategoryId(s.profile, clientId, s.cacheApi, catalog, slug, id);
  } catch (error) {
    ctx.warn(`Warning: could not cache the ${resource.singular} ID: ${error instanceof Error ? error.message : String(error)}`);
  }
  return id;
}
