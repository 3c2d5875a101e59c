import { NotFoundError } from '../errors.js';
import type { ColumnSpec } from '../output/render.js';
import type { WixClient } from './client.js';
import type { ModuleName } from './modules.js';
import type { WixSort } from './query.js';

export type Item = Record<string, unknown>;

/** One page of a list, in the SDK's item shape (`_id`, ...). */
export interface Page {
  items: Item[];
  /** Total matching items, when the API counts them (offset paging). */
  total?: number;
  /** The cursor of the next page (cursor paging); absent or null on the last page. */
  nextCursor?: string | null;
}

export interface PageRequest {
  filter: Record<string, unknown>;
  sort: WixSort[];
  limit: number;
  offset?: number;
  cursor?: string;
}

/** Everything wixq needs to list and get one kind of thing; commands are built from these. */
export interface ResourceDef {
  /** Plural noun for messages: "products". */
  noun: string;
  /** Singular noun for messages: "product". */
  singular: string;
  modules: ModuleName[];
  paging: 'offset' | 'cursor';
  /** The API refuses offset + limit past this (the Stores 10,000-item ceiling). */
  maxOffset?: number;
  /** A unique, sortable field for keyset paging past maxOffset. */
  keysetField?: string;
  list(client: WixClient, request: PageRequest): Promise<Page>;
  get(client: WixClient, idOrSlug: string): Promise<Item>;
  columns: ColumnSpec[];
}

/** Wix IDs are GUIDs (some system ones, like the All Products collection, have odd group lengths). */
export function looksLikeId(value: string): boolean {
  return /^[0-9a-f]{8}(-[0-9a-f]{4,12}){3,4}$/i.test(value);
}

/**
 * One page of an offset-paged SDK query through its typed overload (`queryX({filter, sort, paging})`), which answers
 * the raw renamed response `{<itemsKey>: items, metadata|pagingMetadata: {count, offset, total}}`.
 */
async function queryOffsetPage(
  query: (q: Record<string, unknown>) => Promise<Record<string, any>>,
  req: PageRequest,
  itemsKey: string,
  metaKey: 'metadata' | 'pagingMetadata',
): Promise<Page> {
  const response = await query({
    filter: req.filter,
    ...(req.sort.length ? { sort: req.sort } : {}),
    paging: { limit: req.limit, offset: req.offset ?? 0 },
  });
  const meta = response?.[metaKey] ?? {};
  return {
    items: (response?.[itemsKey] ?? []) as Item[],
    total: typeof meta.total === 'number' && !meta.tooManyToCount ? meta.total : undefined,
  };
}

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

function yesNo(value: unknown): string {
  return value === true ? 'yes' : value === false ? 'no' : '';
}

const stockText = (value: unknown): string =>
  typeof value === 'string' ? value.toLowerCase().replace(/_/g, ' ') : value === undefined || value === null ? '' : String(value);

/** Catalog V1 products (`products` module, offset paging, 10,000-item offset ceiling). */
export const productsV1: ResourceDef = {
  noun: 'products',
  singular: 'product',
  modules: ['products'],
  paging: 'offset',
  maxOffset: 10_000,
  keysetField: 'numericId',
  list: (client, req) => queryOffsetPage((q) => client.products.queryProducts(q), req, 'products', 'metadata'),
  async get(client, idOrSlug) {
    if (looksLikeId(idOrSlug)) {
      const response = await client.products.getProduct(idOrSlug);
      return response.product as Item;
    }
    const page = await productsV1.list(client, { filter: { slug: idOrSlug }, sort: [], limit: 1 });
    if (!page.items[0]) throw new NotFoundError(`no product with slug "${idOrSlug}"`, { hint: 'List them with: wixq products list --fields _id,slug,name' });
    return page.items[0];
  },
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'Slug', path: 'slug' },
    { header: 'Price', path: 'priceData.formatted.price', format: v1Price, align: 'right' },
    { header: 'Stock', path: 'stock.inventoryStatus', format: stockText },
    { header: 'Visible', path: 'visible', format: yesNo },
  ],
};

/** Catalog V3 products (`productsV3` module, cursor paging; the cursor carries filter and sort). */
export const productsV3: ResourceDef = {
  noun: 'products',
  singular: 'product',
  modules: ['productsV3'],
  paging: 'cursor',
  async list(client, req) {
    const query = req.cursor
      ? { cursorPaging: { limit: req.limit, cursor: req.cursor } }
      : { filter: req.filter, ...(req.sort.length ? { sort: req.sort } : {}), cursorPaging: { limit: req.limit } };
    const response = await client.productsV3.queryProducts(query, { fields: ['CURRENCY'] });
    const meta = response?.pagingMetadata ?? {};
    return { items: (response?.products ?? []) as Item[], nextCursor: meta.cursors?.next ?? null };
  },
  async get(client, idOrSlug) {
    if (looksLikeId(idOrSlug)) return (await client.productsV3.getProduct(idOrSlug, { fields: ['CURRENCY'] })) as Item;
    const response = await client.productsV3.getProductBySlug(idOrSlug, { fields: ['CURRENCY'] });
    return response.product as Item;
  },
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'Slug', path: 'slug' },
    { header: 'Price', path: 'actualPriceRange.minValue.formattedAmount', format: v3Price, align: 'right' },
    { header: 'Stock', path: 'inventory.availabilityStatus', format: stockText },
    { header: 'Visible', path: 'visible', format: yesNo },
  ],
};

/** Catalog V1 collections (`collections` module). */
export const collectionsV1: ResourceDef = {
  noun: 'collections',
  singular: 'collection',
  modules: ['collections'],
  paging: 'offset',
  list: (client, req) => queryOffsetPage((q) => client.collections.queryCollections(q), req, 'collections', 'metadata'),
  async get(client, idOrSlug) {
    if (looksLikeId(idOrSlug)) return (await client.collections.getCollection(idOrSlug)) as Item;
    const response = await client.collections.getCollectionBySlug(idOrSlug);
    return response.collection as Item;
  },
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'Slug', path: 'slug' },
    { header: 'Products', path: 'numberOfProducts', align: 'right' },
    { header: 'Visible', path: 'visible', format: yesNo },
    { header: 'ID', path: '_id' },
  ],
};

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

/** Bookings services v2 (`services` module, offset paging). */
export const services: ResourceDef = {
  noun: 'services',
  singular: 'service',
  modules: ['services'],
  paging: 'offset',
  list: (client, req) => queryOffsetPage((q) => client.services.queryServices(q), req, 'services', 'pagingMetadata'),
  async get(client, idOrSlug) {
    if (looksLikeId(idOrSlug)) return (await client.services.getService(idOrSlug)) as Item;
    const page = await services.list(client, { filter: { 'mainSlug.name': idOrSlug }, sort: [], limit: 1 });
    if (!page.items[0]) throw new NotFoundError(`no service with slug "${idOrSlug}"`, { hint: 'List them with: wixq services list --fields _id,mainSlug.name,name' });
    return page.items[0];
  },
  columns: [
    { header: 'Name', path: 'name' },
    { header: 'Type', path: 'type', format: stockText },
    { header: 'Category', path: 'category.name' },
    { header: 'Price', path: 'payment.fixed.price.value', format: servicePrice, align: 'right' },
    { header: 'ID', path: '_id' },
  ],
};
