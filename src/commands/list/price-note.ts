import type { CommandContext } from '../../context.js';
import { filterFieldNames, type WixFilter } from '../../wix/filter.js';
import type { WixSort } from '../../wix/query.js';
import type { ResourceDef } from '../../wix/resources.js';

/**
 * What the catalog-neutral `price` filters and sorts on, per catalog (docs/reference.md 4.5): Catalog V1 only on the
 * price before discount (`price`, `priceData.price`: the V1 spec has no discounted-price field), Catalog V3 only on the
 * lowest actual price of the variants (`actualPriceRange.minValue.amount`, after discount). Neither can ask for the
 * other's meaning, so the word stays catalog-specific and a run that uses it says which it is.
 */
const PRICE_MEANING: Partial<Record<ResourceDef['id'], string>> = {
  productsV1:
    'Note: price on this site (Catalog V1) is the price before discount (priceData.price); V1 cannot filter or sort on the discounted price, which the table shows first.',
  productsV3: "Note: price on this site (Catalog V3) is the actual price after discount, the lowest of the product's variants (actualPriceRange.minValue.amount).",
};

/** The runs that were told already: once per run, whatever retries or pages follow. */
const told = new WeakSet<CommandContext>();

/** The note for a query that filters or sorts on the neutral `price` (from --filter, --sort or --query), if any. */
export function priceNote(resource: ResourceDef, query: { filter: WixFilter; sort: readonly WixSort[] }): string | undefined {
  const note = PRICE_MEANING[resource.id];
  if (!note) return undefined;
  return filterFieldNames(query.filter).has('price') || query.sort.some((key) => key.fieldName === 'price') ? note : undefined;
}

/**
 * Says on stderr, once per run, which price `price` is on this catalog. Called when the first page has answered, so
 * that a cached catalog answer found stale (a 428, then the other catalog) never leaves the wrong meaning said.
 */
export function tellPriceMeaning(ctx: CommandContext, resource: ResourceDef, query: { filter: WixFilter; sort: readonly WixSort[] }): void {
  const note = priceNote(resource, query);
  if (!note || told.has(ctx)) return;
  told.add(ctx);
  ctx.warn(note);
}
