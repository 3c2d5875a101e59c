import { createRandom, hashString, mixSeed, pick, randomGuid, randomHex, randomInt, type Random } from './random.js';
import { ALL_PRODUCTS_COLLECTION_ID, type V1Collection, type V1Product } from './types.js';

/** Generates the demo store: products in the Catalog V1 wire shape (docs/wix-api.md 2.1) and their collections. */

interface Category {
  key: string;
  collection: string;
  skuPrefix: string;
  items: readonly string[];
  materials: readonly string[];
  price: [number, number];
  options: 'apparel' | 'color' | 'size' | 'maybe-color';
}

const CATEGORIES: readonly Category[] = [
  {
    key: 'apparel',
    collection: 'Apparel',
    skuPrefix: 'APP',
    items: ['Shirt', 'T-Shirt', 'Dress', 'Jacket', 'Scarf', 'Sweater', 'Hoodie', 'Trousers', 'Skirt', 'Cardigan', 'Blouse', 'Shorts'],
    materials: ['Linen', 'Cotton', 'Wool', 'Denim', 'Silk', 'Cashmere', 'Velvet', 'Hemp', 'Bamboo', 'Merino'],
    price: [24, 180],
    options: 'apparel',
  },
  {
    key: 'accessories',
    collection: 'Accessories',
    skuPrefix: 'ACC',
    items: ['Tote Bag', 'Backpack', 'Wallet', 'Belt', 'Cap', 'Watch Strap', 'Card Holder', 'Beanie', 'Weekender Bag'],
    materials: ['Leather', 'Canvas', 'Cotton', 'Cork', 'Denim', 'Hemp', 'Suede', 'Nylon'],
    price: [15, 140],
    options: 'color',
  },
  {
    key: 'home',
    collection: 'Home & Living',
    skuPrefix: 'HOM',
    items: ['Vase', 'Cushion', 'Throw Blanket', 'Table Lamp', 'Candle Holder', 'Planter', 'Wall Clock', 'Mirror', 'Rug', 'Picture Frame'],
    materials: ['Ceramic', 'Oak', 'Walnut', 'Brass', 'Copper', 'Glass', 'Stoneware', 'Marble', 'Linen', 'Wool', 'Rattan'],
    price: [12, 160],
    options: 'maybe-color',
  },
  {
    key: 'kitchen',
    collection: 'Kitchen',
    skuPrefix: 'KIT',
    items: ['Mug', 'Teapot', 'Serving Tray', 'Salad Bowl', 'Cutting Board', 'Plate Set', 'Carafe', 'Spice Jar', 'Apron'],
    materials: ['Ceramic', 'Oak', 'Walnut', 'Glass', 'Stoneware', 'Marble', 'Copper', 'Bamboo', 'Enamel'],
    price: [9, 95],
    options: 'size',
  },
  {
    key: 'outdoor',
    collection: 'Outdoor',
    skuPrefix: 'OUT',
    items: ['Water Bottle', 'Picnic Blanket', 'Hammock', 'Camping Lantern', 'Daypack', 'Travel Mug', 'Folding Stool'],
    materials: ['Canvas', 'Cotton', 'Hemp', 'Bamboo', 'Steel', 'Nylon', 'Aluminium'],
    price: [14, 210],
    options: 'color',
  },
];

const ADJECTIVES = [
  'Classic', 'Vintage', 'Modern', 'Rustic', 'Cozy', 'Elegant', 'Minimal', 'Bold', 'Soft', 'Summer', 'Winter', 'Everyday',
  'Handmade', 'Organic', 'Urban', 'Coastal', 'Nordic', 'Retro', 'Essential', 'Premium', 'Lightweight', 'Weathered',
  'Bright', 'Midnight', 'Golden', 'Wild', 'Gentle', 'Sturdy', 'Tailored', 'Relaxed',
] as const;

const SUMMER_WORDS = new Set(['Summer', 'Coastal', 'Lightweight', 'Bright', 'Linen']);

const COLORS = [
  { value: '#1f2937', description: 'Charcoal' },
  { value: '#f5f5dc', description: 'Natural' },
  { value: '#1e3a8a', description: 'Navy' },
  { value: '#b45309', description: 'Rust' },
  { value: '#166534', description: 'Forest' },
  { value: '#fbbf24', description: 'Mustard' },
  { value: '#ffffff', description: 'White' },
  { value: '#000000', description: 'Black' },
] as const;

const BRANDS = ['Northwind', 'Fjord & Co', 'Atelier Nine', 'Maple Works', 'Sunday Studio', 'Kestrel Goods'] as const;

const BENEFITS = [
  'Made to last and easy to care for.',
  'Designed in small batches by independent makers.',
  'A favourite with our customers since the first drop.',
  'Ethically sourced and carefully finished by hand.',
  'Pairs well with the rest of the collection.',
  'Ships in plastic-free packaging.',
] as const;

/** Wix's id of the single default variant of a product without options. */
export const DEFAULT_VARIANT_ID = '00000000-0000-0000-0000-000000000000';

const moneyFormatters = new Map<string, Intl.NumberFormat>();
// Prices repeat a lot across a big catalog; Intl formatting is the slow part of generating one.
const formattedMoney = new Map<string, string>();

/** Formats an amount the way Wix's `formatted` fields do (e.g. `$10.00`). */
export function formatMoney(amount: number, currency: string): string {
  const key = `${currency}${amount}`;
  const cached = formattedMoney.get(key);
  if (cached !== undefined) return cached;
  let formatter = moneyFormatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    moneyFormatters.set(currency, formatter);
  }
  const text = formatter.format(amount);
  if (formattedMoney.size < 100_000) formattedMoney.set(key, text);
  return text;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A Wix media item (V1 shape) for a generated image id. */
function mediaItem(id: string, width: number, height: number, title: string): Record<string, unknown> {
  // Strings are joined flat: a big catalog keeps millions of them, and concatenation trees cost GC time.
  const url = ['https://static.wixstatic.com/media/', id].join('');
  return {
    id,
    mediaType: 'image',
    title,
    image: { url, width, height, format: 'jpg', altText: title },
    thumbnail: { url: [url, '/v1/fit/w_50,h_50,q_90/file.jpg'].join(''), width: 50, height: 50 },
  };
}

function imageId(random: Random): string {
  return [randomHex(random, 6), '_', randomHex(random, 32), '~mv2.jpg'].join('');
}

/** Collections of the demo store, keyed by a stable name. */
export interface GeneratedCollections {
  list: V1Collection[];
  byName: Map<string, string>;
}

const CROSS_COLLECTIONS = ['Summer Collection', 'Sale', 'New Arrivals', 'Best Sellers'] as const;

function generateCollectionShells(seed: number): GeneratedCollections {
  const random = createRandom(mixSeed(seed, 0xc011));
  const names = [...CATEGORIES.map((c) => c.collection), ...CROSS_COLLECTIONS];
  const byName = new Map<string, string>();
  const list: V1Collection[] = [
    { id: ALL_PRODUCTS_COLLECTION_ID, name: 'All Products', slug: 'all-products', visible: true, description: '', numberOfProducts: 0 },
  ];
  for (const name of names) {
    const id = randomGuid(random);
    byName.set(name, id);
    const main = mediaItem(imageId(random), 1200, 800, name);
    list.push({
      id,
      name,
      slug: slugify(name),
      visible: true,
      description: `${name} from the wixq demo store.`,
      numberOfProducts: 0,
      media: { mainMedia: main, items: [main] },
    });
  }
  return { list, byName };
}

/** An option before stock is known: type, name and the (value, description) of each choice. */
interface OptionSpec {
  optionType: 'color' | 'drop_down';
  name: string;
  choices: readonly { value: string; description: string }[];
}

function optionsFor(category: Category, random: Random): OptionSpec[] {
  const colorOption = (count: number): OptionSpec => {
    const start = randomInt(random, 0, COLORS.length - 1);
    return { optionType: 'color', name: 'Color', choices: Array.from({ length: count }, (_, i) => COLORS[(start + i * 3) % COLORS.length]!) };
  };
  const dropDown = (name: string, values: string[]): OptionSpec => ({ optionType: 'drop_down', name, choices: values.map((v) => ({ value: v, description: v })) });
  switch (category.options) {
    case 'apparel':
      return [dropDown('Size', random() < 0.3 ? ['XS', 'S', 'M', 'L', 'XL'] : ['S', 'M', 'L', 'XL']), colorOption(randomInt(random, 2, 3))];
    case 'color':
      return random() < 0.7 ? [colorOption(randomInt(random, 2, 4))] : [];
    case 'size':
      return random() < 0.4 ? [dropDown('Size', ['Small', 'Large'])] : [];
    case 'maybe-color':
      return random() < 0.5 ? [colorOption(randomInt(random, 2, 3))] : [];
  }
}

/**
 * Shares equal sub-objects (prices, stock, options, collection lists) between products: a big catalog
 * repeats them a lot, and fewer objects make generation fast. The site is never mutated after generation.
 */
class Pool {
  private readonly values = new Map<string, unknown>();

  get<T>(key: string, make: () => T): T {
    let v = this.values.get(key) as T | undefined;
    if (v === undefined) {
      v = make();
      this.values.set(key, v);
    }
    return v;
  }
}

const EMPTY: readonly never[] = Object.freeze([]);

/** The product's options with each choice's stock, from the stock of the variants that use it. */
function buildOptions(specs: OptionSpec[], status: string, pool: Pool): Record<string, unknown>[] {
  if (specs.length === 0) return EMPTY as never[];
  const build = () => {
    const combos = status === 'PARTIALLY_OUT_OF_STOCK' ? combinationsOf(specs) : [];
    return specs.map((spec) => ({
      optionType: spec.optionType,
      name: spec.name,
      choices: spec.choices.map((c) => ({
        value: c.value,
        description: c.description,
        inStock:
          status === 'PARTIALLY_OUT_OF_STOCK'
            ? combos.some((combo, i) => combo[spec.name] === c.description && !variantIndexOutOfStock(status, i))
            : status === 'IN_STOCK',
        visible: true,
      })),
    }));
  };
  // Options depend only on the choices and the stock state: one key per product, not one per choice.
  return pool.get(`options|${status}|${specs.map((o) => `${o.name}:${o.choices.map((c) => c.value).join('/')}`).join('|')}`, build);
}

const slugCache = new Map<string, string>();

/** slugify, remembered: a big catalog reuses the same few thousand names. */
function cachedSlug(name: string): string {
  let slug = slugCache.get(name);
  if (slug === undefined) {
    slug = slugify(name);
    if (slugCache.size < 50_000) slugCache.set(name, slug);
  }
  return slug;
}

const dayCache = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** `Date#toISOString` without a Date per call (the hot spot of generating big catalogs). */
function isoString(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let prefix = dayCache.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    dayCache.set(day, prefix);
  }
  const rest = ms - day * 86_400_000;
  const millis = rest % 1000;
  const seconds = Math.floor(rest / 1000);
  return [prefix, pad2(Math.floor(seconds / 3600)), ':', pad2(Math.floor(seconds / 60) % 60), ':', pad2(seconds % 60), '.', millis < 10 ? '00' : millis < 100 ? '0' : '', millis, 'Z'].join('');
}

const BASE_TIME = Date.UTC(2023, 0, 1, 9, 0, 0);
const HOUR = 3_600_000;
/** Creation dates spread over two years whatever the catalog size, in index order. */
const CATALOG_SPAN_MS = 730 * 24 * HOUR;

/** Generates product number `index` of the store of `seed`; independent of the catalog size. */
function generateProduct(
  seed: number,
  index: number,
  currency: string,
  siteUrl: string,
  collections: GeneratedCollections,
  slugs: Map<string, number>,
  spacingMs: number,
  pool: Pool,
  placements: ProductPlacement[],
): V1Product {
  const random = createRandom(mixSeed(seed, index, 0x9d));
  const category = CATEGORIES[index % CATEGORIES.length]!;
  const adjective = pick(random, ADJECTIVES);
  const material = pick(random, category.materials);
  const item = pick(random, category.items);
  const name = [adjective, material, item].join(' ');
  const baseSlug = cachedSlug(name);
  const seen = slugs.get(baseSlug) ?? 0;
  slugs.set(baseSlug, seen + 1);
  const slug = seen === 0 ? baseSlug : [baseSlug, seen + 1].join('-');
  const id = randomGuid(random);

  const [lo, hi] = category.price;
  const price = random() < 0.5 ? randomInt(random, lo, hi) : randomInt(random, lo, hi - 1) + 0.99;
  let discount: { type: 'NONE' | 'PERCENT' | 'AMOUNT'; value: number } = { type: 'NONE', value: 0 };
  const discountRoll = random();
  if (discountRoll < 0.18) discount = { type: 'PERCENT', value: pick(random, [10, 15, 20, 25, 30, 40]) };
  else if (discountRoll < 0.25 && price > 20) discount = { type: 'AMOUNT', value: pick(random, [5, 10]) };
  const discountedPrice =
    discount.type === 'PERCENT' ? round2(price * (1 - discount.value / 100)) : discount.type === 'AMOUNT' ? round2(price - discount.value) : price;
  const priceData = pool.get(`price|${currency}|${price}|${discountedPrice}`, () => ({
    currency,
    price,
    discountedPrice,
    formatted: { price: formatMoney(price, currency), discountedPrice: formatMoney(discountedPrice, currency) },
  }));
  const discountObject = pool.get(`discount|${discount.type}|${discount.value}`, () => discount);

  const optionSpecs = optionsFor(category, random);
  const stockRoll = random();
  const inventoryStatus =
    stockRoll < 0.72 ? 'IN_STOCK' : stockRoll < 0.86 || optionSpecs.length === 0 ? 'OUT_OF_STOCK' : 'PARTIALLY_OUT_OF_STOCK';
  const trackInventory = random() < 0.4;
  const quantity = trackInventory ? (inventoryStatus === 'OUT_OF_STOCK' ? 0 : randomInt(random, 1, 250)) : undefined;
  const stock = pool.get(`stock|${trackInventory}|${quantity}|${inventoryStatus}`, () => ({
    trackInventory,
    ...(quantity !== undefined && { quantity }),
    inStock: inventoryStatus !== 'OUT_OF_STOCK',
    inventoryStatus,
  }));
  const productOptions = buildOptions(optionSpecs, inventoryStatus, pool);

  const createdMs = BASE_TIME + Math.floor(index * spacingMs) + randomInt(random, 0, Math.max(0, Math.floor(spacingMs) - 1));
  const updatedMs = createdMs + randomInt(random, 0, 90 * 24) * HOUR;
  const ribbonRoll = random();
  let ribbon: string | undefined;
  if (discount.type !== 'NONE' && ribbonRoll < 0.6) ribbon = 'Sale';
  else if (ribbonRoll < 0.1) ribbon = 'New';
  else if (ribbonRoll < 0.15) ribbon = 'Best Seller';
  else if (ribbonRoll < 0.18) ribbon = 'Limited Edition';
  const brand = random() < 0.6 ? pick(random, BRANDS) : undefined;

  const groups: string[] = [];
  if (SUMMER_WORDS.has(adjective) || SUMMER_WORDS.has(material)) groups.push('Summer Collection');
  if (discount.type !== 'NONE') groups.push('Sale');
  if (ribbon === 'New') groups.push('New Arrivals');
  if (ribbon === 'Best Seller' || random() < 0.08) groups.push('Best Sellers');
  const groupKey = groups.join(',');
  const collectionIds = pool.get(`collections|${category.collection}|${groupKey}`, () => [
    ALL_PRODUCTS_COLLECTION_ID,
    collections.byName.get(category.collection)!,
    ...groups.map((g) => collections.byName.get(g)!),
  ]);
  placements[index] = { department: category.key, item, groups: pool.get(`groups|${groupKey}`, () => groups) };

  const mediaCount = randomInt(random, 1, 3);
  const mediaItems: Record<string, unknown>[] = [];
  for (let i = 0; i < mediaCount; i++) {
    mediaItems.push(mediaItem(imageId(random), 1000, i === 0 ? 1000 : 1250, i === 0 ? name : [name, ' (', i + 1, ')'].join('')));
  }

  const product: V1Product = {
    id,
    name,
    slug,
    visible: index % 41 !== 7,
    productType: 'physical',
    description: ['<p>A ', adjective.toLowerCase(), ' ', item.toLowerCase(), ' in ', material.toLowerCase(), '. ', pick(random, BENEFITS), '</p>'].join(''),
    sku: `${category.skuPrefix}-${String(index + 1).padStart(5, '0')}`,
    weight: round2(0.1 + random() * 3),
    stock,
    price: priceData,
    priceData,
    convertedPriceData: priceData,
    priceRange: { minValue: discountedPrice, maxValue: discountedPrice },
    discount: discountObject,
    ribbons: ribbon ? pool.get(`ribbons|${ribbon}`, () => [{ text: ribbon }]) : EMPTY,
    media: { mainMedia: mediaItems[0], items: mediaItems },
    customTextFields: EMPTY,
    manageVariants: inventoryStatus === 'PARTIALLY_OUT_OF_STOCK',
    productOptions,
    productPageUrl: { base: siteUrl, path: ['/product-page/', slug].join('') },
    numericId: String(1_700_000_000_000_000 + index * 1000 + randomInt(random, 0, 999)),
    inventoryItemId: randomGuid(random),
    collectionIds,
    additionalInfoSections: EMPTY,
    lastUpdated: isoString(updatedMs),
    createdDate: isoString(createdMs),
  };
  if (ribbon) product.ribbon = ribbon;
  if (brand) product.brand = brand;
  return product;
}

/** Variant `index` of the cartesian product of option choices is out of stock when the product is partially out of stock. */
function variantIndexOutOfStock(status: string, index: number): boolean {
  if (status === 'OUT_OF_STOCK') return true;
  return status === 'PARTIALLY_OUT_OF_STOCK' && index % 3 === 1;
}

function variantOutOfStock(product: V1Product, index: number): boolean {
  // A product the wire sent without `stock` (optional in the typings) is served as in stock, untracked.
  return variantIndexOutOfStock(String((product.stock as { inventoryStatus?: unknown } | undefined)?.inventoryStatus ?? 'IN_STOCK'), index);
}

interface OptionShape {
  name: string;
  choices?: readonly { description: string }[];
}

/** The options a variant chooses from: those with choices (`choices` is optional in the typings; an option without any names no variant). */
function choosableOptions(product: V1Product): OptionShape[] {
  return ((product.productOptions ?? []) as OptionShape[]).filter((o) => Array.isArray(o.choices) && o.choices.length > 0);
}

/** The names of the options a variant is chosen by. */
export function optionNames(product: V1Product): string[] {
  return choosableOptions(product).map((o) => o.name);
}

function combinationsOf(options: readonly OptionShape[]): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const option of options) {
    const next: Record<string, string>[] = [];
    for (const combo of combos) for (const choice of option.choices ?? []) next.push({ ...combo, [option.name]: choice.description });
    combos = next;
  }
  return combos;
}

/** The option choice combinations of a product, in Wix's variant order. */
export function choiceCombinations(product: V1Product): Record<string, string>[] {
  return combinationsOf(choosableOptions(product));
}

/** The product's variants in the V1 `queryProductVariants` shape (docs/wix-api.md 2.3), built on demand. */
export function productVariants(product: V1Product): Record<string, unknown>[] {
  const combos = choiceCombinations(product);
  const random = createRandom(hashString(product.id));
  const priceData = product.priceData;
  const trackQuantity = Boolean((product.stock as { trackInventory?: boolean } | undefined)?.trackInventory);
  return combos.map((choices, i) => {
    const inStock = !variantOutOfStock(product, i);
    return {
      id: combos.length === 1 && Object.keys(choices).length === 0 ? DEFAULT_VARIANT_ID : randomGuid(random),
      choices,
      variant: {
        priceData,
        convertedPriceData: priceData,
        weight: product.weight,
        sku: `${String(product.sku)}-${i + 1}`,
        visible: true,
      },
      stock: { trackQuantity, quantity: trackQuantity ? (inStock ? 10 + (i % 7) : 0) : null, inStock },
    };
  });
}

/** Options of the catalog generator. */
export interface CatalogOptions {
  seed: number;
  products: number;
  currency: string;
  siteUrl: string;
}

/** Where a generated product sits in the store: its department, its kind of item, and its cross-cutting groups (Sale, ...). */
export interface ProductPlacement {
  department: string;
  item: string;
  groups: readonly string[];
}

/** The departments of the demo store with the kinds of item each sells (the V3 category tree is built over them). */
export const DEPARTMENTS: readonly { key: string; name: string; items: readonly string[] }[] = CATEGORIES.map((c) => ({ key: c.key, name: c.collection, items: c.items }));

/** Generates `products` products and the collections they belong to; deterministic in `seed`. */
export function generateCatalog(options: CatalogOptions): { products: V1Product[]; collections: V1Collection[]; placements: ProductPlacement[] } {
  const collections = generateCollectionShells(options.seed);
  const slugs = new Map<string, number>();
  const products: V1Product[] = new Array(options.products);
  const placements: ProductPlacement[] = new Array(options.products);
  const spacingMs = CATALOG_SPAN_MS / Math.max(1, options.products);
  const pool = new Pool();
  for (let i = 0; i < options.products; i++) {
    products[i] = generateProduct(options.seed, i, options.currency, options.siteUrl, collections, slugs, spacingMs, pool, placements);
  }
  countCollectionProducts(collections.list, products);
  return { products, collections: collections.list, placements };
}

/** Sets `numberOfProducts` of each collection from the products' `collectionIds`. */
export function countCollectionProducts(collections: V1Collection[], products: V1Product[]): void {
  const counts = new Map<string, number>();
  for (const p of products) for (const c of p.collectionIds) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const c of collections) c.numberOfProducts = counts.get(c.id) ?? 0;
}
