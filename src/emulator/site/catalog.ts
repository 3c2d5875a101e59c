import { createRandom, hashString, mixSeed, pick, randomGuid, randomHex, randomInt, type Random } from './random.js';
import { ALL_PRODUCTS_COLLECTION_ID, type V1Collection, type V1Product } from './types.js';

/** Generates the demo store: products in the Catalog V1 wire shape (wix-wire.md 2.1) and their collections. */

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
  const url = `https://static.wixstatic.com/media/${id}`;
  return {
    id,
    mediaType: 'image',
    title,
    image: { url, width, height, format: 'jpg', altText: title },
    thumbnail: { url: `${url}/v1/fit/w_50,h_50,q_90/file.jpg`, width: 50, height: 50 },
  };
}

function imageId(random: Random): string {
  return `${randomHex(random, 6)}_${randomHex(random, 32)}~mv2.jpg`;
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

function optionsFor(category: Category, random: Random): Record<string, unknown>[] {
  const colors = (count: number) => {
    const start = randomInt(random, 0, COLORS.length - 1);
    return Array.from({ length: count }, (_, i) => COLORS[(start + i * 3) % COLORS.length]!);
  };
  const colorOption = (count: number) => ({
    optionType: 'color',
    name: 'Color',
    choices: colors(count).map((c) => ({ value: c.value, description: c.description, inStock: true, visible: true })),
  });
  const dropDown = (name: string, values: string[]) => ({
    optionType: 'drop_down',
    name,
    choices: values.map((v) => ({ value: v, description: v, inStock: true, visible: true })),
  });
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
): V1Product {
  const random = createRandom(mixSeed(seed, index, 0x9d));
  const category = CATEGORIES[index % CATEGORIES.length]!;
  const adjective = pick(random, ADJECTIVES);
  const material = pick(random, category.materials);
  const item = pick(random, category.items);
  const name = `${adjective} ${material} ${item}`;
  const baseSlug = slugify(name);
  const seen = slugs.get(baseSlug) ?? 0;
  slugs.set(baseSlug, seen + 1);
  const slug = seen === 0 ? baseSlug : `${baseSlug}-${seen + 1}`;
  const id = randomGuid(random);

  const [lo, hi] = category.price;
  const price = random() < 0.5 ? randomInt(random, lo, hi) : randomInt(random, lo, hi - 1) + 0.99;
  let discount: { type: 'NONE' | 'PERCENT' | 'AMOUNT'; value: number } = { type: 'NONE', value: 0 };
  const discountRoll = random();
  if (discountRoll < 0.18) discount = { type: 'PERCENT', value: pick(random, [10, 15, 20, 25, 30, 40]) };
  else if (discountRoll < 0.25 && price > 20) discount = { type: 'AMOUNT', value: pick(random, [5, 10]) };
  const discountedPrice =
    discount.type === 'PERCENT' ? round2(price * (1 - discount.value / 100)) : discount.type === 'AMOUNT' ? round2(price - discount.value) : price;
  const priceData = {
    currency,
    price,
    discountedPrice,
    formatted: { price: formatMoney(price, currency), discountedPrice: formatMoney(discountedPrice, currency) },
  };

  const productOptions = optionsFor(category, random);
  const stockRoll = random();
  const inventoryStatus =
    stockRoll < 0.72 ? 'IN_STOCK' : stockRoll < 0.86 || productOptions.length === 0 ? 'OUT_OF_STOCK' : 'PARTIALLY_OUT_OF_STOCK';
  const trackInventory = random() < 0.4;
  const stock: Record<string, unknown> = {
    trackInventory,
    inStock: inventoryStatus !== 'OUT_OF_STOCK',
    inventoryStatus,
  };
  if (trackInventory) stock.quantity = inventoryStatus === 'OUT_OF_STOCK' ? 0 : randomInt(random, 1, 250);

  const createdMs = BASE_TIME + Math.floor(index * spacingMs) + randomInt(random, 0, Math.max(0, Math.floor(spacingMs) - 1));
  const updatedMs = createdMs + randomInt(random, 0, 90 * 24) * HOUR;
  const ribbonRoll = random();
  let ribbon: string | undefined;
  if (discount.type !== 'NONE' && ribbonRoll < 0.6) ribbon = 'Sale';
  else if (ribbonRoll < 0.1) ribbon = 'New';
  else if (ribbonRoll < 0.15) ribbon = 'Best Seller';
  else if (ribbonRoll < 0.18) ribbon = 'Limited Edition';
  const brand = random() < 0.6 ? pick(random, BRANDS) : undefined;

  const collectionIds = [ALL_PRODUCTS_COLLECTION_ID, collections.byName.get(category.collection)!];
  if (SUMMER_WORDS.has(adjective) || SUMMER_WORDS.has(material)) collectionIds.push(collections.byName.get('Summer Collection')!);
  if (discount.type !== 'NONE') collectionIds.push(collections.byName.get('Sale')!);
  if (ribbon === 'New') collectionIds.push(collections.byName.get('New Arrivals')!);
  if (ribbon === 'Best Seller' || random() < 0.08) collectionIds.push(collections.byName.get('Best Sellers')!);

  const mediaCount = randomInt(random, 1, 3);
  const mediaItems: Record<string, unknown>[] = [];
  for (let i = 0; i < mediaCount; i++) {
    mediaItems.push(mediaItem(imageId(random), 1000, i === 0 ? 1000 : 1250, i === 0 ? name : `${name} (${i + 1})`));
  }

  const product: V1Product = {
    id,
    name,
    slug,
    visible: index % 41 !== 7,
    productType: 'physical',
    description: `<p>A ${adjective.toLowerCase()} ${item.toLowerCase()} in ${material.toLowerCase()}. ${pick(random, BENEFITS)}</p>`,
    sku: `${category.skuPrefix}-${String(index + 1).padStart(5, '0')}`,
    weight: round2(0.1 + random() * 3),
    stock,
    price: priceData,
    priceData,
    convertedPriceData: priceData,
    priceRange: { minValue: discountedPrice, maxValue: discountedPrice },
    discount,
    ribbons: ribbon ? [{ text: ribbon }] : [],
    media: { mainMedia: mediaItems[0], items: mediaItems },
    customTextFields: [],
    manageVariants: inventoryStatus === 'PARTIALLY_OUT_OF_STOCK',
    productOptions,
    productPageUrl: { base: siteUrl, path: `/product-page/${slug}` },
    numericId: String(1_700_000_000_000_000 + index * 1000 + randomInt(random, 0, 999)),
    inventoryItemId: randomGuid(random),
    collectionIds,
    additionalInfoSections: [],
    lastUpdated: new Date(updatedMs).toISOString(),
    createdDate: new Date(createdMs).toISOString(),
  };
  if (ribbon) product.ribbon = ribbon;
  if (brand) product.brand = brand;
  markChoiceStock(product);
  return product;
}

/** Variant `index` of the cartesian product of option choices is out of stock when the product is partially out of stock. */
function variantOutOfStock(product: V1Product, index: number): boolean {
  const status = (product.stock as { inventoryStatus: string }).inventoryStatus;
  if (status === 'OUT_OF_STOCK') return true;
  return status === 'PARTIALLY_OUT_OF_STOCK' && index % 3 === 1;
}

interface OptionShape {
  name: string;
  choices: { description: string; value: string; inStock: boolean }[];
}

/** The option choice combinations of a product, in Wix's variant order. */
export function choiceCombinations(product: V1Product): Record<string, string>[] {
  const options = (product.productOptions ?? []) as OptionShape[];
  let combos: Record<string, string>[] = [{}];
  for (const option of options) {
    const next: Record<string, string>[] = [];
    for (const combo of combos) for (const choice of option.choices) next.push({ ...combo, [option.name]: choice.description });
    combos = next;
  }
  return combos;
}

function markChoiceStock(product: V1Product): void {
  const options = (product.productOptions ?? []) as OptionShape[];
  if (options.length === 0) return;
  const status = (product.stock as { inventoryStatus: string }).inventoryStatus;
  if (status !== 'PARTIALLY_OUT_OF_STOCK') {
    // Every variant shares the product's state: no need to walk the combinations.
    for (const option of options) for (const choice of option.choices) choice.inStock = status === 'IN_STOCK';
    return;
  }
  const combos = choiceCombinations(product);
  for (const option of options) {
    for (const choice of option.choices) {
      choice.inStock = combos.some((c, i) => c[option.name] === choice.description && !variantOutOfStock(product, i));
    }
  }
}

/** The product's variants in the V1 `queryProductVariants` shape (wix-wire.md 2.3), built on demand. */
export function productVariants(product: V1Product): Record<string, unknown>[] {
  const combos = choiceCombinations(product);
  const random = createRandom(hashString(product.id));
  const priceData = product.priceData;
  const trackQuantity = Boolean((product.stock as { trackInventory?: boolean }).trackInventory);
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

/** Generates `products` products and the collections they belong to; deterministic in `seed`. */
export function generateCatalog(options: CatalogOptions): { products: V1Product[]; collections: V1Collection[] } {
  const collections = generateCollectionShells(options.seed);
  const slugs = new Map<string, number>();
  const products: V1Product[] = new Array(options.products);
  const spacingMs = CATALOG_SPAN_MS / Math.max(1, options.products);
  for (let i = 0; i < options.products; i++) {
    products[i] = generateProduct(options.seed, i, options.currency, options.siteUrl, collections, slugs, spacingMs);
  }
  countCollectionProducts(collections.list, products);
  return { products, collections: collections.list };
}

/** Sets `numberOfProducts` of each collection from the products' `collectionIds`. */
export function countCollectionProducts(collections: V1Collection[], products: V1Product[]): void {
  const counts = new Map<string, number>();
  for (const p of products) for (const c of p.collectionIds) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const c of collections) c.numberOfProducts = counts.get(c.id) ?? 0;
}
