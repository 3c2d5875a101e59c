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

/**
 * What each `fields` value of a product endpoint adds: paths of the stored product that are sent only when it is
 * requested (a dotted path is nested; `[]` steps into each element of an array). Every value the endpoints accept
 * (src/specs/requested-fields.ts) has an entry, empty when the emulator's products carry nothing for it. From the
 * `V3Product` typings of @wix/auto_sdk_stores_products-v-3 ("Returned only when you pass … to the fields array").
 */
export const V3_FIELD_EFFECTS: Readonly<Record<string, readonly string[]>> = {
  URL: ['url'],
  CURRENCY: ['currency'],
  DESCRIPTION: ['description'],
  PLAIN_DESCRIPTION: ['plainDescription'],
  DIRECT_CATEGORIES_INFO: ['directCategoriesInfo'],
  ALL_CATEGORIES_INFO: ['allCategoriesInfo'],
  BREADCRUMBS_INFO: ['breadcrumbsInfo'],
  MEDIA_ITEMS_INFO: ['media.itemsInfo'],
  WEIGHT_MEASUREMENT_UNIT_INFO: [],
  // Option and choice names in each variant's choices: "Returned only when you pass VARIANT_OPTION_CHOICE_NAMES".
  VARIANT_OPTION_CHOICE_NAMES: ['variantsInfo.variants[].choices[].optionChoiceNames'],
  INFO_SECTION: ['infoSections'],
  INFO_SECTION_PLAIN_DESCRIPTION: [],
  INFO_SECTION_DESCRIPTION: [],
  SUBSCRIPTION_PRICES_INFO: ['variantsInfo.variants[].subscriptionPricesInfo'],
  THUMBNAIL: [],
  MERCHANT_DATA: [],
  PRODUCT_CHOICES_MEDIA_REFERENCES: [],
  PRODUCT_CHOICES_DISPLAY_IMAGE: [],
  // "Returns the variant with the lowest actual price among visible variants. Populated in variant_summary.min_price_variant."
  MIN_PRICE_VARIANT: ['variantSummary.minPriceVariant'],
  // Product-level discountInfo, and each variant's price after automatic discounts (Get; lists only on minPriceVariant).
  DISCOUNT_INFO: ['discountInfo', 'variantsInfo.variants[].price.priceAfterDiscount', 'variantSummary.minPriceVariant.price.priceAfterDiscount'],
  // Values of the runtime enum (and Wix's recipe) that the typings do not describe: the fields they name.
  MIN_VARIANT_PRICE_INFO: ['minVariantPriceInfo'],
  DIRECT_CATEGORY_IDS: ['directCategoryIdsInfo'],
};

/**
 * What each `fields` value of Query Variants adds (typings of @wix/auto_sdk_stores_read-only-variants-v-3):
 * formatted amounts and `productData.currency` come with CURRENCY ("Returned only when you pass CURRENCY to the fields
 * array in Read-Only Variants API requests"), revenue details with MERCHANT_DATA (refused to visitors), subscription
 * prices with SUBSCRIPTION_PRICES_INFO, the product's weight unit with WEIGHT_MEASUREMENT_UNIT_INFO.
 */
export const VARIANT_FIELD_EFFECTS: Readonly<Record<string, readonly string[]>> = {
  CURRENCY: ['price.actualPrice.formattedAmount', 'price.compareAtPrice.formattedAmount', 'productData.currency'],
  MERCHANT_DATA: ['revenueDetails'],
  SUBSCRIPTION_PRICES_INFO: ['subscriptionPricesInfo'],
  WEIGHT_MEASUREMENT_UNIT_INFO: ['productData.physicalProperties.weightMeasurementUnitInfo'],
  // In the runtime enum only; the read-only variant typings name no field for it.
  DISCOUNT_INFO: [],
};

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

/** A copy of `value` without the property at `path` (segments; `[]` maps an array), sharing what it does not change. */
function withoutPath(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (head!.endsWith('[]')) {
    const key = head!.slice(0, -2);
    if (typeof value !== 'object' || value === null || !Array.isArray((value as Record<string, unknown>)[key])) return value;
    const list = (value as Record<string, unknown>)[key] as unknown[];
    return { ...(value as Record<string, unknown>), [key]: rest.length === 0 ? list : list.map((item) => withoutPath(item, rest)) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !(head! in value)) return value;
  const out = { ...(value as Record<string, unknown>) };
  if (rest.length === 0) delete out[head!];
  else out[head!] = withoutPath(out[head!], rest);
  return out;
}

const PRODUCT_OPTIONAL = Object.entries(V3_FIELD_EFFECTS).flatMap(([field, paths]) => paths.map((path) => ({ field, path: path.split('.') })));

/**
 * The product as sent for these `fields`: what V3 returns only on request is dropped unless requested, and Query and
 * Search Products (`list`) carry no variant data at all ("This method does not return variant data. To retrieve
 * variant data, call Get Product"; Search: "does not return variants-info"; V3 products typings), only the summary.
 */
export function projectV3Product(product: V3Product, fields: readonly string[], endpoint: 'list' | 'get'): Record<string, unknown> {
  const wanted = new Set(fields);
  let out: unknown = product;
  if (endpoint === 'list') out = withoutPath(out, ['variantsInfo']);
  for (const { field, path } of PRODUCT_OPTIONAL) if (!wanted.has(field)) out = withoutPath(out, path);
  return out as Record<string, unknown>;
}

/** A variant of a stored product (the `variantsInfo.variants` shape of Get Product). */
type ProductVariant = Record<string, unknown> & { id: string };

/** The variants of a product as Get Product lists them. */
export function productVariantsOf(product: V3Product): ProductVariant[] {
  const info = product.variantsInfo as { variants?: unknown } | undefined;
  return Array.isArray(info?.variants) ? (info.variants as ProductVariant[]) : [];
}

/** The `productData` a read-only variant carries: the product's own fields (`ProductFields` typings). */
function productData(product: V3Product, fields: ReadonlySet<string>): Record<string, unknown> {
  const physical = product.physicalProperties as { weightMeasurementUnitInfo?: unknown } | undefined;
  const data: Record<string, unknown> = {
    productId: product.id,
    name: product.name,
    productType: product.productType,
    slug: product.slug,
    visible: product.visible,
    visibleInPos: product.visibleInPos,
    mainCategoryId: product.mainCategoryId,
    ...(fields.has('CURRENCY') && product.currency !== undefined && { currency: product.currency }),
    revision: product.revision,
    ...(product.handle !== undefined && { handle: product.handle }),
    ...(physical && { physicalProperties: fields.has('WEIGHT_MEASUREMENT_UNIT_INFO') ? physical : withoutPath(physical, ['weightMeasurementUnitInfo']) }),
  };
  for (const key of Object.keys(data)) if (data[key] === undefined) delete data[key];
  return data;
}

/**
 * One variant of a product as Query Variants sends it (`ReadOnlyVariant` typings of
 * @wix/auto_sdk_stores_read-only-variants-v-3): the product variant with `choices` as `optionChoices` (names always:
 * the read-only typings do not gate them), no price after discount, then `productData` and `variantId` (the variant's
 * `id`, which the read-only `id` repeats: "Variant ID", Read Only Variant Object reference).
 */
export function toReadOnlyVariant(product: V3Product, variant: ProductVariant, fields: readonly string[]): Record<string, unknown> {
  const wanted = new Set(fields);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(variant)) {
    if (key === 'choices') out.optionChoices = value;
    else if (key === 'price') out.price = withoutPath(value, ['priceAfterDiscount']);
    else if (key === 'revenueDetails' || (key === 'subscriptionPricesInfo' && !wanted.has('SUBSCRIPTION_PRICES_INFO'))) continue;
    else out[key] = value;
  }
  if (!wanted.has('CURRENCY') && out.price !== undefined) {
    out.price = withoutPath(withoutPath(out.price, ['actualPrice', 'formattedAmount']), ['compareAtPrice', 'formattedAmount']);
  }
  out.productData = productData(product, wanted);
  out.variantId = variant.id;
  return out;
}
