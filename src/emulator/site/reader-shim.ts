import type { V1Collection, V1Product } from './types.js';

/**
 * The stale template catalogue of the Catalog V1 reader shim (docs/wix-api.md 2.0): what `/stores-reader/v1/…`
 * answers on a Catalog V3 site when the emulator's `v1ReaderShim` switch is on. Two public projects that probed live
 * V3 sites saw the reader answer 200 from "12 stale template demos that do NOT exist in V3"; these twelve products and
 * their collections have ids, names and slugs that no generated or loaded V3 catalogue uses, so a test can tell them
 * apart from the site's products.
 */

/** Ids of the template collections (fixed: tests and docs name them). */
export const READER_SHIM_COLLECTION_IDS = {
  bestSellers: '5417e000-0000-4000-8000-00000000c001',
  newArrivals: '5417e000-0000-4000-8000-00000000c002',
} as const;

/** Every template product's id starts with this (`5417e000-0000-4000-8000-0000000000NN`). */
export const READER_SHIM_PRODUCT_ID_PREFIX = '5417e000-0000-4000-8000-0000000000';

const CREATED = Date.UTC(2019, 4, 14, 9, 0, 0);
const DAY = 86_400_000;

/** The twelve template products and their collections, in the V1 wire shape; the same on every call. */
export function readerShimCatalog(currency: string, siteUrl: string): { products: V1Product[]; collections: V1Collection[] } {
  const collections: V1Collection[] = [
    { id: READER_SHIM_COLLECTION_IDS.bestSellers, name: 'Template Best Sellers', slug: 'template-best-sellers', visible: true, description: '', numberOfProducts: 0 },
    { id: READER_SHIM_COLLECTION_IDS.newArrivals, name: 'Template New Arrivals', slug: 'template-new-arrivals', visible: true, description: '', numberOfProducts: 0 },
  ];
  const products: V1Product[] = [];
  for (let n = 1; n <= 12; n++) {
    const two = String(n).padStart(2, '0');
    const name = `Template Demo Product ${two}`;
    const slug = `template-demo-product-${two}`;
    const price = 10 + n * 5;
    const formatted = new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(price);
    const priceData = { currency, price, discountedPrice: price, formatted: { price: formatted, discountedPrice: formatted } };
    const image = {
      id: `5417e0_template${two}~mv2.jpg`,
      mediaType: 'image',
      title: name,
      image: { url: `https://static.wixstatic.com/media/5417e0_template${two}~mv2.jpg`, width: 1000, height: 1000 },
      thumbnail: { url: `https://static.wixstatic.com/media/5417e0_template${two}~mv2.jpg/v1/fill/w_50,h_50/file.jpg`, width: 50, height: 50 },
    };
    const collectionIds = [n % 2 === 1 ? READER_SHIM_COLLECTION_IDS.bestSellers : READER_SHIM_COLLECTION_IDS.newArrivals];
    const date = new Date(CREATED + n * DAY).toISOString();
    products.push({
      id: `${READER_SHIM_PRODUCT_ID_PREFIX}${two}`,
      name,
      slug,
      visible: true,
      productType: 'physical',
      description: "<p>I'm a product detail. This is a great place to add more information about your product.</p>",
      sku: `TPL-${two}`,
      weight: 0,
      stock: { trackInventory: false, inStock: true, inventoryStatus: 'IN_STOCK' },
      price: priceData,
      priceData,
      convertedPriceData: priceData,
      priceRange: { minValue: price, maxValue: price },
      discount: { type: 'NONE', value: 0 },
      ribbons: [],
      media: { mainMedia: image, items: [image] },
      customTextFields: [],
      manageVariants: false,
      productOptions: [],
      productPageUrl: { base: siteUrl, path: `/product-page/${slug}` },
      numericId: String(1_557_824_400_000_000 + n),
      inventoryItemId: `5417e000-0000-4000-8000-0000000001${two}`,
      collectionIds,
      additionalInfoSections: [],
      lastUpdated: date,
      createdDate: date,
    });
  }
  for (const c of collections) c.numberOfProducts = products.filter((p) => p.collectionIds.includes(c.id)).length;
  return { products, collections };
}
