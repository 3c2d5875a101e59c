import type { ColumnSpec } from '../../output/render.js';
import type { Item, ResourceDef } from '../../wix/resources.js';

/** The table columns of each list: the same five for products on both catalogs. */
function money(amount: unknown, currency: unknown): string {
  if (amount === undefined || amount === null || amount === '') return '';
  const n = Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: typeof currency === 'string' && currency ? currency : 'USD' }).format(n);
  } catch {
    return `${n.toFixed(2)} ${String(currency ?? '')}`.trim();
  }
}

/** Catalog V1 price text: the discounted price, with the original when there is a discount. */
function v1Price(_value: unknown, item: Item): string {
  const p = (item.priceData ?? item.price) as Record<string, any> | undefined;
  if (!p) return '';
  const price = p.formatted?.price ?? money(p.price, p.currency);
  const discounted = p.formatted?.discountedPrice ?? money(p.discountedPrice, p.currency);
  if (typeof p.discountedPrice === 'number' && typeof p.price === 'number' && p.discountedPrice < p.price) return `${discounted} (was ${price})`;
  return price;
}

/** Catalog V3 price text from the actual price range (a range when variants differ). */
function v3Price(_value: unknown, item: Item): string {
  const range = item.actualPriceRange as Record<string, any> | undefined;
  const min = range?.minValue;
  const max = range?.maxValue;
  if (!min) return '';
  const minText = min.formattedAmount ?? min.amount ?? '';
  const maxText = max?.formattedAmount ?? max?.amount;
  const compare = (item.compareAtPriceRange as Record<string, any> | undefined)?.minValue;
  let text = maxText && maxText !== minText ? `${minText}–${maxText}` : String(minText);
  if (compare?.amount && Number(compare.amount) > Number(min.amount)) text += ` (was ${compare.formattedAmount ?? compare.amount})`;
  return text;
}

/**
 * The product-count columns' headers: Wix's own count, which need not match `products list` (the demo site counts
 * hidden products there; Wix documents only "number of products in the collection", docs/wix-api.md 2.4).
 */
export const COUNT_HEADERS = { collectionsV1: 'Products (Wix count)', categories: 'Products (own, Wix count)' } as const;

/** A boolean cell: yes, no, or empty when unknown. */
export function yesNo(value: unknown): string {
  return value === true ? 'yes' : value === false ? 'no' : '';
}

const stockText = (value: unknown): string =>
  typeof value === 'string' ? value.toLowerCase().replace(/_/g, ' ') : value === undefined || value === null ? '' : String(value);

function servicePrice(_value: unknown, item: Item): string {
  const payment = item.payment as Record<string, any> | undefined;
  if (!payment) return '';
  switch (payment.rateType) {
    case 'FIXED':
      return money(payment.fixed?.price?.value, payment.fixed?.price?.currency);
    case 'VARIED': {
      const min = payment.varied?.minPrice;
      const max = payment.varied?.maxPrice;
      return min && max ? `${money(min.value, min.currency)}–${money(max.value, max.currency)}` : 'varies';
    }
    case 'CUSTOM':
      return payment.custom?.description ?? 'custom';
    case 'NO_FEE':
      return 'free';
    default:
      return payment.rateType ? String(payment.rateType).toLowerCase() : '';
  }
}

/** V1 stock: `inventoryStatus`, or what `inStock` says when Wix sends only `{trackInventory, quantity, inStock}`. */
function v1Stock(value: unknown, item: Item): string {
  if (value !== undefined && value !== null) return stockText(value);
  const inStock = (item.stock as Record<string, unknown> | undefined)?.inStock;
  return inStock === true ? 'in stock' : inStock === false ? 'out of stock' : '';
}

/**
 * What the products' price column shows on both catalogs: the price the customer pays, after any discount, with the
 * price before it when there is one (`$71.39 (was $101.99)`); on V3 the range of the variants' prices. It is not what
 * `price` filters and sorts on everywhere (V1: the price before discount; docs/reference.md 4.5), so the header says it.
 */
export const PRICE_COLUMN_HEADER = 'Price after discount';

/** The default columns of a resource's table (CSV/TSV use their paths, and a derived column's text under its header). */
export const RESOURCE_COLUMNS: Readonly<Record<ResourceDef['id'], ColumnSpec[]>> = {
  productsV1: [
    { header: 'Name', path: 'name' },
    { header: 'Slug', path: 'slug' },
    { header: PRICE_COLUMN_HEADER, path: 'priceData.formatted.discountedPrice', format: v1Price, align: 'right', derived: true },
    { header: 'Stock', path: 'stock.inventoryStatus', format: v1Stock },
    { header: 'Visible', path: 'visible', format: yesNo },
  ],
  productsV3: [
    { header: 'Name', path: 'name' },
    { header: 'Slug', path: 'slug' },
    { header: PRICE_COLUMN_HEADER, path: 'actualPriceRange.minValue.formattedAmount', format: v3Price, align: 'right', derived: true },
    { header: 'Stock', path: 'inventory.availabilityStatus', format: stockText },
    { header: 'Visible', path: 'visible', format: yesNo },
  ],
  categories: [
    { header: 'Name', path: 'name' },
    { header: 'Slug', path: 'slug' },
    // Wix's itemCounter: the items assigned to this category itself (`products list --category` shows visible
    // products, subcategories included), so the header says whose count it is.
    { header: COUNT_HEADERS.categories, path: 'itemCounter', align: 'right' },
    { header: 'Visible', path: 'visible', format: yesNo },
    { header: 'ID', path: '_id' },
  ],
  collectionsV1: [
    { header: 'Name', path: 'name' },
    { header: 'Slug', path: 'slug' },
    // Wix's numberOfProducts can count hidden products, which a visitor's products list leaves out (demo: 240 against 234).
    { header: COUNT_HEADERS.collectionsV1, path: 'numberOfProducts', align: 'right' },
    { header: 'Visible', path: 'visible', format: yesNo },
    { header: 'ID', path: '_id' },
  ],
  services: [
    { header: 'Name', path: 'name' },
    { header: 'Type', path: 'type', format: stockText },
    { header: 'Category', path: 'category.name' },
    { header: 'Price', path: 'payment.fixed.price.value', format: servicePrice, align: 'right' },
    { header: 'ID', path: '_id' },
  ],
};
