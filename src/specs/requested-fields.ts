/**
 * The `fields` values (requested fields) each Catalog V3 read endpoint takes, from the SDK's enum of that endpoint,
 * plus the values Wix accepts beyond what the typings declare (REQUESTED_FIELDS_OVERRIDES, each with its source).
 * Pure data shared by the CLI (src/wix, `wixq snapshot`) and the emulator; `test/unit/requested-fields.test.ts`
 * fails when the installed SDK's enums change.
 */

/** The endpoints that take `fields`: query and search share one enum, get (by id or slug) has its own, variants theirs. */
export type FieldsEndpoint = 'productsV3List' | 'productsV3Get' | 'variantsV3Query';

export interface RequestedFieldsSource {
  sdkPackage: string;
  /** The enum the typings declare for the endpoint's `fields`. */
  sdkEnum: string;
  /** The request types whose `fields` it is. */
  requests: readonly string[];
  /** The enum's members as the typings (`.d.ts`) declare them, in their order. */
  values: readonly string[];
}

const PRODUCTS_V3 = '@wix/auto_sdk_stores_products-v-3';
const VARIANTS_V3 = '@wix/auto_sdk_stores_read-only-variants-v-3';

/** What the SDK typings declare: `RequestedFields` (query, search), `SingleEntityOpsRequestedFields` (get), variants' `RequestedFields`. */
export const SDK_REQUESTED_FIELDS: Readonly<Record<FieldsEndpoint, RequestedFieldsSource>> = {
  productsV3List: {
    sdkPackage: PRODUCTS_V3,
    sdkEnum: 'RequestedFields',
    requests: ['V3QueryProductsRequest', 'V3SearchProductsRequest'],
    values: [
      'URL',
      'CURRENCY',
      'INFO_SECTION',
      'MERCHANT_DATA',
      'PLAIN_DESCRIPTION',
      'INFO_SECTION_PLAIN_DESCRIPTION',
      'SUBSCRIPTION_PRICES_INFO',
      'BREADCRUMBS_INFO',
      'WEIGHT_MEASUREMENT_UNIT_INFO',
      'VARIANT_OPTION_CHOICE_NAMES',
      'MEDIA_ITEMS_INFO',
      'DESCRIPTION',
      'DIRECT_CATEGORIES_INFO',
      'ALL_CATEGORIES_INFO',
      'INFO_SECTION_DESCRIPTION',
      'THUMBNAIL',
      'PRODUCT_CHOICES_MEDIA_REFERENCES',
      'PRODUCT_CHOICES_DISPLAY_IMAGE',
      'MIN_PRICE_VARIANT',
      'DISCOUNT_INFO',
    ],
  },
  productsV3Get: {
    sdkPackage: PRODUCTS_V3,
    sdkEnum: 'SingleEntityOpsRequestedFields',
    requests: ['V3GetProductRequest', 'V3GetProductBySlugRequest'],
    values: [
      'URL',
      'CURRENCY',
      'INFO_SECTION',
      'MERCHANT_DATA',
      'PLAIN_DESCRIPTION',
      'INFO_SECTION_PLAIN_DESCRIPTION',
      'SUBSCRIPTION_PRICES_INFO',
      'BREADCRUMBS_INFO',
      'WEIGHT_MEASUREMENT_UNIT_INFO',
      'VARIANT_OPTION_CHOICE_NAMES',
      'MEDIA_ITEMS_INFO',
      'DESCRIPTION',
      'DIRECT_CATEGORIES_INFO',
      'ALL_CATEGORIES_INFO',
      'INFO_SECTION_DESCRIPTION',
      'THUMBNAIL',
      'PRODUCT_CHOICES_MEDIA_REFERENCES',
      'PRODUCT_CHOICES_DISPLAY_IMAGE',
      'DISCOUNT_INFO',
    ],
  },
  variantsV3Query: {
    sdkPackage: VARIANTS_V3,
    sdkEnum: 'RequestedFields',
    requests: ['QueryVariantsRequest'],
    values: ['CURRENCY', 'MERCHANT_DATA', 'SUBSCRIPTION_PRICES_INFO', 'WEIGHT_MEASUREMENT_UNIT_INFO'],
  },
};

/** A value Wix takes that the endpoint's typings do not declare. */
export interface RequestedFieldsOverride {
  endpoint: FieldsEndpoint;
  value: string;
  /** A public URL, or an SDK package + the runtime enum that lists the value. */
  source: string;
  why: string;
}

const RUNTIME_WHY = "the package's runtime enum (build/cjs/index.js) lists it, though the typings' enum does not: the server's enum has it";

export const REQUESTED_FIELDS_OVERRIDES: readonly RequestedFieldsOverride[] = [
  {
    endpoint: 'productsV3List',
    value: 'MIN_VARIANT_PRICE_INFO',
    source: 'https://dev.wix.com/docs/api-reference/business-solutions/stores/skills/query-products',
    why: `Wix's own Query Products recipe asks for it; ${RUNTIME_WHY}`,
  },
  { endpoint: 'productsV3List', value: 'DIRECT_CATEGORY_IDS', source: `${PRODUCTS_V3} RequestedFields`, why: RUNTIME_WHY },
  { endpoint: 'productsV3Get', value: 'MIN_VARIANT_PRICE_INFO', source: `${PRODUCTS_V3} SingleEntityOpsRequestedFields`, why: RUNTIME_WHY },
  { endpoint: 'productsV3Get', value: 'DIRECT_CATEGORY_IDS', source: `${PRODUCTS_V3} SingleEntityOpsRequestedFields`, why: RUNTIME_WHY },
  { endpoint: 'productsV3Get', value: 'MIN_PRICE_VARIANT', source: `${PRODUCTS_V3} SingleEntityOpsRequestedFields`, why: RUNTIME_WHY },
  { endpoint: 'variantsV3Query', value: 'DISCOUNT_INFO', source: `${VARIANTS_V3} RequestedFields`, why: RUNTIME_WHY },
];

function accepted(endpoint: FieldsEndpoint): readonly string[] {
  return [...SDK_REQUESTED_FIELDS[endpoint].values, ...REQUESTED_FIELDS_OVERRIDES.filter((o) => o.endpoint === endpoint).map((o) => o.value)];
}

/** The `fields` values each endpoint accepts: the typings' enum, then the overrides. */
export const REQUESTED_FIELDS: Readonly<Record<FieldsEndpoint, readonly string[]>> = {
  productsV3List: accepted('productsV3List'),
  productsV3Get: accepted('productsV3Get'),
  variantsV3Query: accepted('variantsV3Query'),
};
