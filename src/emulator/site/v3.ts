import { hashString, createRandom, randomGuid } from './random.js';
import { formatMoney, productVariants } from './catalog.js';
import type { ProductCategoryInfo } from './categories.js';
import type { SiteData, V1Product } from './types.js';

/**
 * The Catalog V3 shape of a V1 product (wire shape, before the SDK's renames):
 * follows the `V3Product` typings of @wix/auto_sdk_stores_products-v-3 (stores-catalog-v3-product-products-v-3.universal).
 * The stored object holds every field (so filters can use them); `projectV3Product` drops the ones V3 returns
 * only on request (`fields`: URL, CURRENCY, DESCRIPTION, ...).
 */
export type V3Product = Record<string, unknown> & { id: string; name: string; slug: string; visible: boolean };

/** Which `fields` values add which extra properties. */
const REQUESTED_FIELDS: Record<string, readonly string[]> = {
  URL: ['url'],
  CURRENCY: ['currency'],
  DESCRIPTION: ['description'],
  PLAIN_DESCRIPTION: ['plainDescription'],
  DIRECT_CATEGORIES_INFO: ['directCategoriesInfo'],
  ALL_CATEGORIES_INFO: ['allCategoriesInfo'],
  BREADCRUMBS_INFO: ['breadcrumbsInfo'],
  MEDIA_ITEMS_INFO: ['media.itemsInfo'],
  WEIGHT_MEASUREMENT_UNIT_INFO: [],
  VARIANT_OPTION_CHOICE_NAMES: [],
  INFO_SECTION: ['infoSections'],
  INFO_SECTION_PLAIN_DESCRIPTION: [],
  SUBSCRIPTION_PRICES_INFO: [],
  MIN_VARIANT_PRICE_INFO: [],
  THUMBNAIL: [],
  MERCHANT_DATA: [],
  // Declared by the SDK (RequestedFields); the emulator's products carry nothing for them.
  INFO_SECTION_DESCRIPTION: [],
  PRODUCT_CHOICES_MEDIA_REFERENCES: [],
  PRODUCT_CHOICES_DISPLAY_IMAGE: [],
  MIN_PRICE_VARIANT: [],
};

/** The `fields` values V3 accepts. */
export const V3_FIELD_NAMES = Object.keys(REQUESTED_FIELDS);

const amounts = new Map<string, Record<string, unknown>>();

/** A V3 money amount; shared between products (a converted catalog repeats prices a lot; never mutated). */
function amount(value: number, currency: string): Record<string, unknown> {
  const key = `${currency}${value}`;
  let a = amounts.get(key);
  if (!a) {
    a = { amount: String(value), formattedAmount: formatMoney(value, currency) };
    if (amounts.size < 100_000) amounts.set(key, a);
  }
  return a;
}

function v3Media(item: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!item) return undefined;
  const image = item.image as { url: string; width: number; height: number; altText?: string } | undefined;
  const id = String(item.id ?? '');
  return {
    id,
    // REST image object; the SDK turns it into a wix:image:// string (sdk-runtime transformations/image).
    image: { id, url: image?.url, width: image?.width, height: image?.height, altText: image?.altText ?? null, filename: `${slugOf(image?.altText ?? 'image')}.jpg` },
    altText: image?.altText ?? null,
    mediaType: 'IMAGE',
  };
}

const slugs = new Map<string, string>();

function slugOf(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    slug = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'image';
    if (slugs.size < 100_000) slugs.set(text, slug);
  }
  return slug;
}

function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, '').trim();
}

const guids = new Map<string, string>();

/** A deterministic GUID derived from a string (option, choice, ribbon and brand ids), remembered. */
function derivedGuid(text: string): string {
  let guid = guids.get(text);
  if (guid === undefined) {
    guid = randomGuid(createRandom(hashString(text)));
    if (guids.size < 100_000) guids.set(text, guid);
  }
  return guid;
}

interface V1Option {
  optionType: string;
  name: string;
  choices: { value: string; description: string; inStock: boolean; visible: boolean }[];
}

const NO_CATEGORIES: ProductCategoryInfo = { direct: [], all: [], mainCategoryId: null, breadcrumbs: [] };

/** Converts one V1 product of the site to the V3 shape, placed in the site's category tree. */
export function toV3Product(p: V1Product, site: Pick<SiteData, 'currency' | 'siteUrl'>, categories: ProductCategoryInfo = NO_CATEGORIES): V3Product {
  const currency = site.currency;
  const priceData = (p.priceData ?? {}) as { price?: number; discountedPrice?: number };
  const price = priceData.price ?? 0;
  const actual = priceData.discountedPrice ?? price;
  const stock = (p.stock ?? {}) as { inventoryStatus?: string; inStock?: boolean };
  const availabilityStatus = stock.inventoryStatus ?? (stock.inStock === false ? 'OUT_OF_STOCK' : 'IN_STOCK');
  const media = (p.media ?? {}) as { mainMedia?: Record<string, unknown>; items?: Record<string, unknown>[] };
  const options = ((p.productOptions ?? []) as V1Option[]).map((o) => {
    // V3 options are site-level customizations: the same option name has the same id on every product.
    const optionId = derivedGuid(`option/${o.name}`);
    const isColor = o.optionType === 'color';
    return {
      id: optionId,
      name: o.name,
      optionRenderType: isColor ? 'SWATCH_CHOICES' : 'TEXT_CHOICES',
      key: o.name.toLowerCase(),
      choicesSettings: {
        choices: o.choices.map((c) => ({
          choiceId: derivedGuid(`option/${o.name}/${c.description}`),
          choiceType: isColor ? 'ONE_COLOR' : 'CHOICE_TEXT',
          ...(isColor && { colorCode: c.value }),
          key: c.description.toLowerCase(),
          name: c.description,
          inStock: c.inStock,
          visible: c.visible,
        })),
      },
    };
  });
  const choiceIds = new Map<string, { optionId: string; choiceId: string; renderType: string }>();
  for (const o of options) {
    for (const c of o.choicesSettings.choices) choiceIds.set(`${o.name}\u0000${c.name}`, { optionId: o.id, choiceId: c.choiceId, renderType: o.optionRenderType });
  }
  const variants = productVariants(p).map((v) => {
    const choices = Object.entries(v.choices as Record<string, string>).map(([optionName, choiceName]) => {
      const ids = choiceIds.get(`${optionName}\u0000${choiceName}`)!;
      return {
        optionChoiceIds: { optionId: ids.optionId, choiceId: ids.choiceId },
        optionChoiceNames: { optionName, choiceName, renderType: ids.renderType },
      };
    });
    const variantStock = v.stock as { inStock: boolean };
    return {
      id: v.id,
      visible: true,
      sku: (v.variant as { sku?: string }).sku,
      choices,
      price: { actualPrice: amount(actual, currency), ...(actual !== price && { compareAtPrice: amount(price, currency) }) },
      inventoryStatus: { inStock: variantStock.inStock, preorderEnabled: false },
      physicalProperties: {},
    };
  });
  const ribbon = typeof p.ribbon === 'string' ? { id: derivedGuid(`ribbon/${p.ribbon}`), name: p.ribbon } : undefined;
  const brand = typeof p.brand === 'string' ? { id: derivedGuid(`brand/${p.brand}`), name: p.brand } : undefined;
  const pageUrl = p.productPageUrl as { base?: string; path?: string } | undefined;
  const description = String(p.description ?? '');
  const product: V3Product = {
    id: p.id,
    revision: '1',
    createdDate: p.createdDate,
    updatedDate: p.lastUpdated ?? p.createdDate,
    name: p.name,
    slug: p.slug,
    visible: p.visible,
    visibleInPos: true,
    media: { main: v3Media(media.mainMedia), itemsInfo: { items: (media.items ?? []).map(v3Media) } },
    options,
    modifiers: [],
    ...(brand && { brand }),
    ...(ribbon && { ribbon }),
    mainCategoryId: categories.mainCategoryId,
    inventory: { availabilityStatus, preorderStatus: 'DISABLED', preorderAvailability: 'ALL_VARIANTS' },
    productType: p.productType === 'digital' ? 'DIGITAL' : 'PHYSICAL',
    physicalProperties: {},
    actualPriceRange: { minValue: amount(actual, currency), maxValue: amount(actual, currency) },
    compareAtPriceRange: { minValue: amount(price, currency), maxValue: amount(price, currency) },
    variantsInfo: { variants },
    variantSummary: { variantCount: variants.length },
    url: { relativePath: pageUrl?.path ?? `/product-page/${p.slug}`, url: `${pageUrl?.base ?? site.siteUrl}${pageUrl?.path ?? `/product-page/${p.slug}`}` },
    currency,
    description: { nodes: [{ type: 'PARAGRAPH', id: p.id.slice(0, 8), nodes: [{ type: 'TEXT', id: '', nodes: [], textData: { text: plainText(description), decorations: [] } }], paragraphData: {} }] },
    plainDescription: description,
    directCategoriesInfo: { categories: categories.direct },
    allCategoriesInfo: { categories: categories.all },
    breadcrumbsInfo: { breadcrumbs: categories.breadcrumbs },
    infoSections: [],
  };
  return product;
}

const OPTIONAL_KEYS = [...new Set(Object.values(REQUESTED_FIELDS).flat())];

/** The product as sent for these `fields`: fields V3 returns only on request are dropped unless requested. */
export function projectV3Product(product: V3Product, fields: readonly string[]): Record<string, unknown> {
  const wanted = new Set(fields.flatMap((f) => REQUESTED_FIELDS[f] ?? []));
  const out: Record<string, unknown> = { ...product };
  for (const key of OPTIONAL_KEYS) {
    if (wanted.has(key)) continue;
    if (key === 'media.itemsInfo') {
      const { itemsInfo: _dropped, ...media } = out.media as Record<string, unknown>;
      out.media = media;
    } else {
      delete out[key];
    }
  }
  return out;
}
