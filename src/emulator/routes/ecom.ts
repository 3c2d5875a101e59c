import { randomUUID } from 'node:crypto';
import { applicationError, bodyObject, HttpError, invalidField, permissionDenied, type EmulatorRequest, type Reply } from '../http.js';
import type { Router } from '../router.js';
import type { EmulatorState } from '../state.js';
import type { TokenClaims } from '../tokens.js';
import { DEFAULT_VARIANT_ID, productVariants } from '../site/catalog.js';
import { productVariantsOf, type V3Product } from '../site/v3.js';
import { money, STORES_APP_ID, type CartOwner, type StoredCart, type StoredLine } from '../site/carts.js';
import type { V1Product } from '../site/types.js';

/**
 * eCommerce Current Cart V1 (`@wix/auto_sdk_ecom_current-cart`, the `currentCart` module of `@wix/ecom`; docs/wix-api.md
 * 15): a current cart per visitor or member, answered in the REST shapes of the module's `meta.d.mts`.
 */

const BASE = '/ecom/v1/carts/current';

/** `LineItem.quantity`: "@min 1 @max 100000" (Cart and LineItemQuantityUpdate typings). */
export const MAX_LINE_QUANTITY = 100_000;
/** `AddToCurrentCartRequest.lineItems` "@maxSize 100"; `Cart.lineItems` "@maxSize 300". */
const MAX_ADD_LINES = 100;
const MAX_CART_LINES = 300;

// ---- Refusals ------------------------------------------------------------------------------------------------------

/** 404 for an identity without a current cart (`GetCurrentCartApplicationErrors`: code OWNED_CART_NOT_FOUND). */
export function ownedCartNotFound(): HttpError {
  return applicationError(404, 'OWNED_CART_NOT_FOUND', 'Owned cart not found', { message: 'Owned cart not found' });
}

/**
 * A line the catalog cannot give (unknown or hidden product, another app's catalog, a variant or choice it does not
 * have, a missing mandatory text), or one it cannot give at that quantity. In `cartLineRefusals: 'error'` it is the
 * request's 400; in `'silent'` the line is left out (or kept as unavailable) and the request answers 200
 * (docs/wix-api.md 15).
 */
class LineRefusal extends HttpError {
  constructor(
    readonly kind: 'catalog' | 'inventory',
    code: string,
    description: string,
    data: Record<string, unknown>,
  ) {
    super(400, { message: description, details: { applicationError: { code, description, data } } });
  }
}

/** `ITEM_NOT_FOUND_IN_CATALOG` with `data.invalidItems` (`ItemNotFoundInCatalogErrorData` of @wix/auto_sdk_ecom_current-cart-v-2). */
function notInCatalog(reason: string, reference: Record<string, unknown>): LineRefusal {
  return new LineRefusal('catalog', 'ITEM_NOT_FOUND_IN_CATALOG', `Item not found in catalog: ${reason}`, { invalidItems: [{ catalogReference: reference }] });
}

/** `INSUFFICIENT_INVENTORY` (the same typings), worded as real sites answer it: "... exceeds available inventory". */
function insufficientInventory(productName: string, quantity: number, available: number): LineRefusal {
  return new LineRefusal('inventory', 'INSUFFICIENT_INVENTORY', `Requested quantity ${quantity} of ${productName} exceeds available inventory (${available})`, { quantityAvailable: available });
}

// ---- Reading bodies ------------------------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The objects of a list a product holds (a snapshot serves what the site sent: anything else is skipped, never a 500). */
function objectsOf<T>(list: unknown): T[] {
  return (Array.isArray(list) ? list.filter(isObject) : []) as T[];
}

/** Refuses a field the request type does not declare (the typings' request interfaces). */
function onlyKnown(o: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) throw invalidField(where ? `${where}.${key}` : key, 'is not a field of this request', 'FIELD_NOT_ALLOWED');
  }
}

/** `LineItem` fields of the typings (what a caller may send back); the writable ones are read, the rest ignored as read-only. */
const LINE_ITEM_FIELDS = [
  'id', 'quantity', 'catalogReference', 'productName', 'url', 'price', 'fullPrice', 'priceBeforeDiscounts', 'lineItemPrice',
  'descriptionLines', 'image', 'availability', 'physicalProperties', 'itemType', 'subscriptionOptionInfo', 'paymentOption',
  'serviceProperties', 'rootCatalogItemId', 'priceDescription', 'depositAmount', 'selectedMembership', 'deliveryProfileId',
  'taxGroupId', 'customLineItem', 'consentRequiredPaymentPolicy', 'priceUndetermined', 'fixedQuantity', 'catalogOverrideFields',
  'savePaymentMethod', 'taxableAddress', 'extendedFields', 'policies', 'membersOnly', 'modifierGroups', 'modifiersTotalPrice',
] as const;

/** A quantity as the typings bound it: a whole number from 1 to 100,000. */
function readQuantity(value: unknown, field: string): number {
  if (value === undefined || value === null) throw invalidField(field, 'is required', 'REQUIRED_FIELD');
  if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isInteger(value)) throw invalidField(field, 'must be a whole number', 'FORMAT');
  if (value < 1) throw invalidField(field, 'must be at least 1', 'MIN');
  if (value > MAX_LINE_QUANTITY) throw invalidField(field, `must be at most ${MAX_LINE_QUANTITY}`, 'MAX');
  return value;
}

function readArray(body: Record<string, unknown>, key: string, min: number, max: number): unknown[] {
  const v = body[key];
  if (v === undefined && min === 0) return [];
  if (!Array.isArray(v)) throw invalidField(key, v === undefined ? 'is required' : 'must be an array', v === undefined ? 'REQUIRED_FIELD' : 'FORMAT');
  if (v.length < min) throw invalidField(key, `must have at least ${min} item${min === 1 ? '' : 's'}`, 'MIN_SIZE');
  if (v.length > max) throw invalidField(key, `must have at most ${max} items`, 'MAX_SIZE');
  return v;
}

// ---- Identity ------------------------------------------------------------------------------------------------------

function ownerOf(claims: TokenClaims): CartOwner {
  return { visitorId: claims.visitorId, ...(claims.memberId && { memberId: claims.memberId }) };
}

// ---- The catalog side of a line ------------------------------------------------------------------------------------

/** What the catalog says about one requested line. */
interface ResolvedLine {
  catalogReference: Record<string, unknown>;
  productName: string;
  url?: { relativePath: string; url: string };
  unitPrice: number;
  fullPrice: number;
  descriptionLines: Record<string, unknown>[];
  image?: Record<string, unknown>;
  inStock: boolean;
  /** Units available when the catalog tracks them. */
  quantityAvailable?: number;
  sku?: string;
  weight?: number;
  itemType: 'PHYSICAL' | 'DIGITAL';
  mergeKey: string;
}

/** `options` of a Stores catalogReference: variantId, choices (`options`), custom texts, and V3's preOrderRequested. */
interface LineOptions {
  variantId?: string;
  choices?: Record<string, string>;
  customTextFields?: Record<string, string>;
}

function readOptions(raw: unknown, index: number): LineOptions {
  const where = `lineItems[${index}].catalogReference.options`;
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw invalidField(where, 'must be an object', 'FORMAT');
  const out: LineOptions = {};
  if (raw.variantId !== undefined) {
    if (typeof raw.variantId !== 'string' || raw.variantId === '') throw invalidField(`${where}.variantId`, 'must be a variant ID (text)', 'FORMAT');
    out.variantId = raw.variantId;
  }
  for (const key of ['options', 'customTextFields'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) throw invalidField(`${where}.${key}`, 'must be an object of text values', 'FORMAT');
    if (key === 'options') out.choices = v as Record<string, string>;
    else out.customTextFields = v as Record<string, string>;
  }
  if (raw.preOrderRequested !== undefined && typeof raw.preOrderRequested !== 'boolean') throw invalidField(`${where}.preOrderRequested`, 'must be true or false', 'FORMAT');
  return out;
}

function plainLine(name: string, value: string): Record<string, unknown> {
  return { name: { original: name, translated: name }, plainText: { original: value, translated: value } };
}

function colorLine(name: string, value: string, code: string | undefined): Record<string, unknown> {
  return { name: { original: name, translated: name }, colorInfo: { original: value, translated: value, ...(code && { code }) } };
}

function mergeKeyOf(productId: string, variantKey: string, texts: Record<string, string> | undefined): string {
  const sortedTexts = Object.entries(texts ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([productId, variantKey, sortedTexts]);
}

interface CustomTextSpec {
  /** The key a line names it by: V1's `title`, V3's `freeTextSettings.key`. */
  title: string;
  /** What its description line shows (V3: the modifier's title). */
  label?: string;
  mandatory: boolean;
  maxLength?: number;
}

/** Checks the custom texts of a line against the product's fields: mandatory ones present, none unknown, none too long. */
function checkCustomTexts(specs: CustomTextSpec[], given: Record<string, string> | undefined, reference: Record<string, unknown>): Record<string, unknown>[] {
  const texts = given ?? {};
  for (const name of Object.keys(texts)) {
    if (!specs.some((s) => s.title === name)) throw notInCatalog(`The product has no custom text field "${name}"`, reference);
  }
  const lines: Record<string, unknown>[] = [];
  for (const spec of specs) {
    const value = texts[spec.title];
    if (value === undefined || value.trim() === '') {
      if (spec.mandatory) throw notInCatalog(`The custom text field "${spec.title}" is mandatory`, reference);
      continue;
    }
    if (spec.maxLength !== undefined && value.length > spec.maxLength) {
      throw notInCatalog(`The custom text field "${spec.title}" takes at most ${spec.maxLength} characters`, reference);
    }
    lines.push(plainLine(spec.label ?? spec.title, value));
  }
  return lines;
}

function productNotFound(reference: Record<string, unknown>): LineRefusal {
  return notInCatalog('no visible product with this ID', reference);
}

/** A V1 media item (`media.mainMedia`) as a cart line's REST image. */
function v1Image(product: V1Product): Record<string, unknown> | undefined {
  const main = (product.media as { mainMedia?: { id?: unknown; image?: { url?: unknown; width?: unknown; height?: unknown; altText?: unknown } } } | undefined)?.mainMedia;
  const image = main?.image;
  if (!main || !image || typeof image.url !== 'string') return undefined;
  return {
    ...(typeof main.id === 'string' && { id: main.id }),
    url: image.url,
    ...(typeof image.height === 'number' && { height: image.height }),
    ...(typeof image.width === 'number' && { width: image.width }),
    ...(typeof image.altText === 'string' && { altText: image.altText }),
  };
}

function pageUrl(path: string | undefined, base: string | undefined, siteUrl: string, slug: string): { relativePath: string; url: string } {
  const relativePath = path ?? `/product-page/${slug}`;
  return { relativePath, url: `${base ?? siteUrl}${relativePath}` };
}

interface V1Choice {
  value?: string;
  description?: string;
  inStock?: boolean;
  visible?: boolean;
}
interface V1Option {
  name?: string;
  optionType?: string;
  choices?: V1Choice[];
}

/** A line on a Catalog V1 site: the variant by ID (managed variants) or by its choices (not managed), never both. */
function resolveV1(state: EmulatorState, reference: Record<string, unknown>, options: LineOptions): ResolvedLine {
  const productId = String(reference.catalogItemId);
  const product = state.products.byId.get(productId);
  if (!product || product.visible === false) throw productNotFound(reference);
  const productOptions = ((product.productOptions ?? []) as V1Option[]).filter((o) => typeof o.name === 'string' && Array.isArray(o.choices) && o.choices.length > 0);
  const variants = productVariants(product);
  const managed = product.manageVariants === true;
  if (options.variantId !== undefined && options.choices !== undefined) {
    throw notInCatalog('Pass either options.variantId or options.options, not both', reference);
  }
  let variant: Record<string, unknown> | undefined;
  const descriptionLines: Record<string, unknown>[] = [];
  if (productOptions.length === 0) {
    // No options: the one default variant. A variantId may name it.
    if (options.choices && Object.keys(options.choices).length > 0) throw notInCatalog('The product has no options to choose', reference);
    if (options.variantId !== undefined && options.variantId !== DEFAULT_VARIANT_ID && options.variantId !== String(variants[0]?.id)) throw notInCatalog(`Variant ${options.variantId} not found`, reference);
    variant = variants[0];
  } else if (managed) {
    if (options.choices !== undefined) throw notInCatalog('The product manages its variants: pass options.variantId, not options.options', reference);
    if (options.variantId === undefined) throw notInCatalog('The product manages its variants: options.variantId is required', reference);
    variant = variants.find((v) => String(v.id) === options.variantId);
    if (!variant) throw notInCatalog(`Variant ${options.variantId} not found`, reference);
  } else {
    if (options.variantId !== undefined) throw notInCatalog('The product does not manage its variants: pass options.options (the choices), not options.variantId', reference);
    const choices = options.choices ?? {};
    for (const name of Object.keys(choices)) {
      if (!productOptions.some((o) => o.name === name)) throw notInCatalog(`The product has no option "${name}"`, reference);
    }
    for (const option of productOptions) {
      const chosen = choices[option.name!];
      if (chosen === undefined) throw notInCatalog(`A choice for the option "${option.name}" is required`, reference);
      if (!option.choices!.some((c) => (c.description ?? c.value) === chosen)) throw notInCatalog(`The option "${option.name}" has no choice "${chosen}"`, reference);
    }
    variant = variants.find((v) => productOptions.every((o) => (v.choices as Record<string, string>)[o.name!] === choices[o.name!]));
    if (!variant) throw notInCatalog('No variant has these choices', reference);
  }
  const variantChoices = (variant?.choices ?? {}) as Record<string, string>;
  for (const option of productOptions) {
    const value = variantChoices[option.name!];
    if (value === undefined) continue;
    const choice = option.choices!.find((c) => (c.description ?? c.value) === value);
    if (option.optionType === 'color') descriptionLines.push(colorLine(option.name!, value, choice?.value));
    else descriptionLines.push(plainLine(option.name!, value));
  }
  const textSpecs = objectsOf<{ title?: unknown; mandatory?: unknown; maxLength?: unknown }>(product.customTextFields)
    .filter((f) => typeof f.title === 'string')
    .map((f) => ({ title: f.title as string, mandatory: f.mandatory === true, ...(typeof f.maxLength === 'number' && { maxLength: f.maxLength }) }));
  descriptionLines.push(...checkCustomTexts(textSpecs, options.customTextFields, reference));
  const priceData = ((variant?.variant as { priceData?: unknown } | undefined)?.priceData ?? product.priceData ?? product.price ?? {}) as { price?: unknown; discountedPrice?: unknown };
  const fullPrice = typeof priceData.price === 'number' ? priceData.price : 0;
  const unitPrice = typeof priceData.discountedPrice === 'number' ? priceData.discountedPrice : fullPrice;
  const stock = (variant?.stock ?? {}) as { inStock?: unknown; trackQuantity?: unknown; quantity?: unknown };
  const pageLink = product.productPageUrl as { base?: string; path?: string } | undefined;
  const image = v1Image(product);
  const sku = (variant?.variant as { sku?: unknown } | undefined)?.sku ?? product.sku;
  return {
    catalogReference: reference,
    productName: product.name,
    url: pageUrl(pageLink?.path, pageLink?.base, state.site.siteUrl, product.slug),
    unitPrice,
    fullPrice,
    descriptionLines,
    ...(image && { image }),
    inStock: stock.inStock !== false,
    ...(stock.trackQuantity === true && typeof stock.quantity === 'number' && { quantityAvailable: stock.quantity }),
    ...(typeof sku === 'string' && { sku }),
    ...(typeof product.weight === 'number' && { weight: product.weight }),
    itemType: product.productType === 'digital' ? 'DIGITAL' : 'PHYSICAL',
    mergeKey: mergeKeyOf(product.id, JSON.stringify(variantChoices), options.customTextFields),
  };
}

interface V3Choice {
  optionChoiceIds?: { optionId?: string; choiceId?: string };
  optionChoiceNames?: { optionName?: string; choiceName?: string; renderType?: string };
}

/** The name of an option and a choice of a V3 product, from the variant's names or the product's options. */
function v3ChoiceNames(product: V3Product, choice: V3Choice): { option: string; choice: string; color?: string } | undefined {
  const options = objectsOf<{ id?: string; name?: string; optionRenderType?: string; choicesSettings?: { choices?: unknown } }>(product.options);
  const option = options.find((o) => o.id === choice.optionChoiceIds?.optionId);
  const known = objectsOf<{ choiceId?: string; name?: string; colorCode?: string }>(option?.choicesSettings?.choices).find((c) => c.choiceId === choice.optionChoiceIds?.choiceId);
  const optionName = choice.optionChoiceNames?.optionName ?? option?.name;
  const choiceName = choice.optionChoiceNames?.choiceName ?? known?.name;
  if (typeof optionName !== 'string' || typeof choiceName !== 'string') return undefined;
  const isColor = (choice.optionChoiceNames?.renderType ?? option?.optionRenderType) === 'SWATCH_CHOICES';
  return { option: optionName, choice: choiceName, ...(isColor && known?.colorCode && { color: known.colorCode }) };
}

function decimal(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) ? n : undefined;
}

interface V3Modifier {
  name?: string;
  key?: string;
  modifierRenderType?: string;
  mandatory?: unknown;
  freeTextSettings?: { key?: unknown; title?: unknown; maxCharCount?: unknown };
  choicesSettings?: { choices?: unknown };
}

/**
 * V3's `options.options`: the chosen choice of each choice modifier, by the modifier's key ("TEXT_CHOICES: pass
 * modifierChoices: { [modifier.key]: choiceKey }", wix/skills `wix-vibe-headless/references/storefront/app/rest/wix-store-cart.js`);
 * a mandatory one must be chosen, and no key may name a modifier the product does not have.
 */
function checkModifierChoices(modifiers: V3Modifier[], given: Record<string, string> | undefined, reference: Record<string, unknown>): Record<string, unknown>[] {
  const choiceModifiers = modifiers.filter((m) => m.modifierRenderType !== 'FREE_TEXT' && typeof (m.key ?? m.name) === 'string');
  const chosen = given ?? {};
  for (const key of Object.keys(chosen)) {
    if (!choiceModifiers.some((m) => (m.key ?? m.name) === key)) throw notInCatalog(`the product has no modifier "${key}" (V3 options.options holds modifier choices; options are chosen by options.variantId)`, reference);
  }
  const lines: Record<string, unknown>[] = [];
  for (const modifier of choiceModifiers) {
    const key = (modifier.key ?? modifier.name)!;
    const value = chosen[key];
    if (value === undefined) {
      if (modifier.mandatory === true) throw notInCatalog(`the modifier "${modifier.name ?? key}" is mandatory`, reference);
      continue;
    }
    const choice = objectsOf<{ key?: string; name?: string; colorCode?: string }>(modifier.choicesSettings?.choices).find((c) => c.key === value || c.name === value);
    if (!choice) throw notInCatalog(`the modifier "${modifier.name ?? key}" has no choice "${value}"`, reference);
    const name = modifier.name ?? key;
    lines.push(modifier.modifierRenderType === 'SWATCH_CHOICES' ? colorLine(name, choice.name ?? value, choice.colorCode) : plainLine(name, choice.name ?? value));
  }
  return lines;
}

/** A line on a Catalog V3 site: the variant by `options.variantId`, required when the product has more than one. */
function resolveV3(state: EmulatorState, reference: Record<string, unknown>, options: LineOptions): ResolvedLine {
  const productId = String(reference.catalogItemId);
  const product = state.productsV3.byId.get(productId);
  if (!product || product.visible === false) throw productNotFound(reference);
  const variants = productVariantsOf(product);
  const summaryCount = (product.variantSummary as { variantCount?: unknown } | undefined)?.variantCount;
  const variantCount = variants.length > 0 ? variants.length : typeof summaryCount === 'number' ? summaryCount : 1;
  let variant: Record<string, unknown> | undefined;
  if (options.variantId !== undefined) {
    variant = variants.find((v) => v.id === options.variantId);
    // A snapshot's product may come without its variants (lists carry none): a variant ID is taken as given then.
    if (!variant && variants.length > 0) throw notInCatalog(`Variant ${options.variantId} not found`, reference);
  } else if (variantCount > 1) {
    throw notInCatalog('The product has several variants: options.variantId is required', reference);
  } else {
    variant = variants[0];
  }
  if (variant && variant.visible === false) throw notInCatalog(`Variant ${String(variant.id)} not found`, reference);
  const descriptionLines: Record<string, unknown>[] = [];
  for (const choice of objectsOf<V3Choice>(variant?.choices)) {
    const names = v3ChoiceNames(product, choice);
    if (!names) continue;
    descriptionLines.push(names.color !== undefined ? colorLine(names.option, names.choice, names.color) : plainLine(names.option, names.choice));
  }
  const modifiers = objectsOf<V3Modifier>(product.modifiers);
  descriptionLines.push(...checkModifierChoices(modifiers, options.choices, reference));
  const textSpecs = modifiers
    .filter((m) => m.modifierRenderType === 'FREE_TEXT' && m.freeTextSettings && typeof (m.freeTextSettings.key ?? m.freeTextSettings.title) === 'string')
    .map((m) => ({
      title: String(m.freeTextSettings!.key ?? m.freeTextSettings!.title),
      label: String(m.freeTextSettings!.title ?? m.name ?? m.freeTextSettings!.key),
      mandatory: m.mandatory === true,
      ...(typeof m.freeTextSettings!.maxCharCount === 'number' && m.freeTextSettings!.maxCharCount > 0 && { maxLength: m.freeTextSettings!.maxCharCount }),
    }));
  descriptionLines.push(...checkCustomTexts(textSpecs, options.customTextFields, reference));
  const price = (variant?.price ?? {}) as { actualPrice?: { amount?: unknown }; compareAtPrice?: { amount?: unknown } };
  const range = product.actualPriceRange as { minValue?: { amount?: unknown } } | undefined;
  const unitPrice = decimal(price.actualPrice?.amount) ?? decimal(range?.minValue?.amount) ?? 0;
  const fullPrice = decimal(price.compareAtPrice?.amount) ?? unitPrice;
  const inventory = variant?.inventoryStatus as { inStock?: unknown } | undefined;
  const availability = (product.inventory as { availabilityStatus?: unknown } | undefined)?.availabilityStatus;
  const inStock = inventory?.inStock !== undefined ? inventory.inStock !== false : availability !== 'OUT_OF_STOCK';
  const main = (product.media as { main?: { image?: Record<string, unknown> } } | undefined)?.main;
  const image = main?.image && typeof main.image.url === 'string' ? Object.fromEntries(Object.entries(main.image).filter(([k, v]) => v !== null && v !== undefined && ['id', 'url', 'height', 'width', 'altText'].includes(k))) : undefined;
  const url = product.url as { relativePath?: string; url?: string } | undefined;
  const physical = variant?.physicalProperties as { weight?: unknown } | undefined;
  return {
    catalogReference: reference,
    productName: product.name,
    url: url?.relativePath && url.url ? { relativePath: url.relativePath, url: url.url } : pageUrl(undefined, undefined, state.site.siteUrl, product.slug),
    unitPrice,
    fullPrice,
    descriptionLines,
    ...(image && { image }),
    inStock,
    ...(typeof variant?.sku === 'string' && { sku: variant.sku }),
    ...(typeof physical?.weight === 'number' && { weight: physical.weight }),
    itemType: product.productType === 'DIGITAL' ? 'DIGITAL' : 'PHYSICAL',
    mergeKey: mergeKeyOf(product.id, JSON.stringify([variant?.id ?? options.variantId ?? '', Object.entries(options.choices ?? {}).sort()]), options.customTextFields),
  };
}

/** Reads and checks one requested line against the catalog. */
function resolveLine(state: EmulatorState, raw: unknown, index: number): { resolved: ResolvedLine; quantity: number } {
  const where = `lineItems[${index}]`;
  if (!isObject(raw)) throw invalidField(where, 'must be an object', 'FORMAT');
  onlyKnown(raw, LINE_ITEM_FIELDS, where);
  // "To override catalog fields, your app must have the permission scope named Manage eCommerce - Admin Permissions" (LineItem typings).
  if (raw.catalogOverrideFields !== undefined) throw permissionDenied('catalogOverrideFields requires the Manage eCommerce - Admin Permissions scope; visitor and member tokens do not have it');
  const quantity = readQuantity(raw.quantity, `${where}.quantity`);
  const reference = raw.catalogReference;
  if (reference === undefined) throw invalidField(`${where}.catalogReference`, 'is required', 'REQUIRED_FIELD');
  if (!isObject(reference)) throw invalidField(`${where}.catalogReference`, 'must be an object', 'FORMAT');
  onlyKnown(reference, ['catalogItemId', 'appId', 'options'], `${where}.catalogReference`);
  const { catalogItemId, appId } = reference;
  if (typeof catalogItemId !== 'string' || catalogItemId === '') throw invalidField(`${where}.catalogReference.catalogItemId`, catalogItemId === undefined ? 'is required' : 'must be a non-empty string', catalogItemId === undefined ? 'REQUIRED_FIELD' : 'FORMAT');
  if (catalogItemId.length > 36) throw invalidField(`${where}.catalogReference.catalogItemId`, 'must be at most 36 characters', 'MAX_LENGTH');
  if (typeof appId !== 'string' || appId === '') throw invalidField(`${where}.catalogReference.appId`, appId === undefined ? 'is required' : 'must be a non-empty string', appId === undefined ? 'REQUIRED_FIELD' : 'FORMAT');
  if (appId !== STORES_APP_ID) throw notInCatalog(`No catalog of app ${appId} on this site (the emulator serves the Wix Stores catalog, ${STORES_APP_ID})`, reference);
  const options = readOptions(reference.options, index);
  const catalog = state.site.catalogVersion;
  if (catalog === 'STORES_NOT_INSTALLED') throw productNotFound(reference);
  const resolved = catalog === 'V3_CATALOG' ? resolveV3(state, reference, options) : resolveV1(state, reference, options);
  return { resolved, quantity };
}

// ---- The wire shape ------------------------------------------------------------------------------------------------

function storedLine(resolved: ResolvedLine, quantity: number): StoredLine {
  const line: Record<string, unknown> = {
    id: randomUUID(),
    catalogReference: resolved.catalogReference,
    productName: { original: resolved.productName, translated: resolved.productName },
    ...(resolved.url && { url: resolved.url }),
    descriptionLines: resolved.descriptionLines,
    ...(resolved.image && { image: resolved.image }),
    physicalProperties: { ...(resolved.weight !== undefined && { weight: resolved.weight }), ...(resolved.sku !== undefined && { sku: resolved.sku }), shippable: resolved.itemType === 'PHYSICAL' },
    itemType: { preset: resolved.itemType },
    paymentOption: 'FULL_PAYMENT_ONLINE',
    rootCatalogItemId: String(resolved.catalogReference.catalogItemId),
    customLineItem: false,
    priceUndetermined: false,
    fixedQuantity: false,
    savePaymentMethod: false,
    membersOnly: false,
    _fullPrice: resolved.fullPrice,
    _inStock: resolved.inStock,
    ...(resolved.quantityAvailable !== undefined && { _quantityAvailable: resolved.quantityAvailable }),
  };
  return { line, quantity, unitPrice: resolved.unitPrice, mergeKey: resolved.mergeKey, shippable: resolved.itemType === 'PHYSICAL' };
}

/** Availability of a line at its quantity: in stock, partly (tracked stock below the quantity), or not. */
function availabilityOf(stored: StoredLine): Record<string, unknown> {
  const inStock = stored.line._inStock !== false;
  const available = stored.line._quantityAvailable as number | undefined;
  if (!inStock || available === 0) return { status: 'NOT_AVAILABLE', ...(available !== undefined && { quantityAvailable: available }) };
  if (available !== undefined && available < stored.quantity) return { status: 'PARTIALLY_AVAILABLE', quantityAvailable: available };
  return { status: 'AVAILABLE', ...(available !== undefined && { quantityAvailable: available }) };
}

function wireLine(stored: StoredLine, currency: string): Record<string, unknown> {
  const { _fullPrice, _inStock, _quantityAvailable, ...line } = stored.line;
  void _inStock;
  void _quantityAvailable;
  const price = money(stored.unitPrice, currency);
  return {
    id: line.id,
    quantity: stored.quantity,
    ...line,
    price,
    fullPrice: money(_fullPrice as number, currency),
    priceBeforeDiscounts: price,
    lineItemPrice: money(stored.unitPrice * stored.quantity, currency),
    availability: availabilityOf(stored),
  };
}

function wireCart(state: EmulatorState, cart: StoredCart): Record<string, unknown> {
  const currency = state.site.currency;
  return {
    id: cart.id,
    lineItems: cart.lines.map((l) => wireLine(l, currency)),
    buyerInfo: cart.owner.memberId ? { memberId: cart.owner.memberId } : { visitorId: cart.owner.visitorId },
    currency,
    conversionCurrency: currency,
    buyerLanguage: 'en',
    siteLanguage: 'en',
    taxIncludedInPrices: false,
    weightUnit: 'KG',
    ...(cart.checkoutId && { checkoutId: cart.checkoutId }),
    appliedDiscounts: [],
    createdDate: new Date(cart.createdMs).toISOString(),
    updatedDate: new Date(cart.updatedMs).toISOString(),
    purchaseFlowId: cart.purchaseFlowId,
    paymentCurrency: currency,
    revision: String(cart.revision),
  };
}

function touch(state: EmulatorState, cart: StoredCart): void {
  cart.updatedMs = state.now();
  cart.revision += 1;
}

// ---- Handlers ------------------------------------------------------------------------------------------------------

function currentCart(state: EmulatorState, req: EmulatorRequest): { owner: CartOwner; cart: StoredCart } {
  const owner = ownerOf(state.authenticate(req));
  const cart = state.carts.get(owner);
  if (!cart) throw ownedCartNotFound();
  return { owner, cart };
}

function getCurrentCart(state: EmulatorState, req: EmulatorRequest): Reply {
  const { cart } = currentCart(state, req);
  return { json: { cart: wireCart(state, cart) } };
}

function silent(state: EmulatorState): boolean {
  return state.settings.cartLineRefusals === 'silent';
}

/** Units of a line the catalog can give, when it tracks them or the line is out of stock; undefined: no limit. */
function unitsAvailable(stored: Pick<StoredLine, 'line'>): number | undefined {
  if (stored.line._inStock === false) return 0;
  return stored.line._quantityAvailable as number | undefined;
}

function addToCart(state: EmulatorState, req: EmulatorRequest): Reply {
  const owner = ownerOf(state.authenticate(req));
  const body = bodyObject(req);
  onlyKnown(body, ['lineItems', 'customLineItems', 'businessLocationId'], '');
  const customLines = readArray(body, 'customLineItems', 0, MAX_ADD_LINES);
  // "To access and manage custom line items, your app must have the permission scope named Manage eCommerce - Admin Permissions" (AddToCurrentCartRequest typings).
  if (customLines.length > 0) throw permissionDenied('customLineItems requires the Manage eCommerce - Admin Permissions scope; visitor and member tokens do not have it');
  if (body.businessLocationId !== undefined && body.businessLocationId !== null && typeof body.businessLocationId !== 'string') throw invalidField('businessLocationId', 'must be a GUID', 'FORMAT');
  const raws = readArray(body, 'lineItems', 1, MAX_ADD_LINES);
  // Every line is checked before any is added: a refused request leaves the cart as it was.
  const lines: { resolved: ResolvedLine; quantity: number }[] = [];
  raws.forEach((raw, i) => {
    try {
      lines.push(resolveLine(state, raw, i));
    } catch (error) {
      // Silent mode: a line the catalog cannot give is left out, and the request still answers 200.
      if (error instanceof LineRefusal && silent(state)) return;
      throw error;
    }
  });
  const existing = state.carts.get(owner);
  const merged = new Map<string, number>((existing?.lines ?? []).map((l) => [l.mergeKey, l.quantity]));
  let newLines = existing?.lines.length ?? 0;
  lines.forEach(({ resolved, quantity }, i) => {
    const before = merged.get(resolved.mergeKey);
    if (before === undefined) newLines += 1;
    const total = (before ?? 0) + quantity;
    if (total > MAX_LINE_QUANTITY) throw invalidField(`lineItems[${i}].quantity`, `the line's quantity would be ${total}; at most ${MAX_LINE_QUANTITY}`, 'MAX');
    const available = resolved.inStock ? resolved.quantityAvailable : 0;
    if (!silent(state) && available !== undefined && total > available) throw insufficientInventory(resolved.productName, total, available);
    merged.set(resolved.mergeKey, total);
  });
  if (newLines > MAX_CART_LINES) throw invalidField('lineItems', `a cart holds at most ${MAX_CART_LINES} line items`, 'MAX_SIZE');
  const cart = state.carts.getOrCreate(owner, state.now());
  for (const { resolved, quantity } of lines) {
    // The same product with the same options again adds to its line (docs/wix-api.md 15).
    const line = cart.lines.find((l) => l.mergeKey === resolved.mergeKey);
    if (line) line.quantity += quantity;
    else cart.lines.push(storedLine(resolved, quantity));
  }
  touch(state, cart);
  return { json: { cart: wireCart(state, cart) } };
}

/** A line ID the cart does not hold: Cart V2's LINE_ITEM_NOT_FOUND_IN_CART (RemoveLineItemsFromCurrentCartApplicationErrors of @wix/auto_sdk_ecom_current-cart-v-2). */
function lineNotInCart(id: string): LineRefusal {
  return new LineRefusal('catalog', 'LINE_ITEM_NOT_FOUND_IN_CART', `Line item ${id} not found in the cart`, { lineItemIds: [id] });
}

function removeLineItems(state: EmulatorState, req: EmulatorRequest): Reply {
  const { cart } = currentCart(state, req);
  const body = bodyObject(req);
  onlyKnown(body, ['lineItemIds'], '');
  const ids = readArray(body, 'lineItemIds', 1, 100);
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || id === '') throw invalidField(`lineItemIds[${i}]`, 'must be a line item ID', 'FORMAT');
    if (!silent(state) && !cart.lines.some((l) => l.line.id === id)) throw lineNotInCart(id);
  });
  const remove = new Set(ids as string[]);
  cart.lines = cart.lines.filter((l) => !remove.has(String(l.line.id)));
  touch(state, cart);
  return { json: { cart: wireCart(state, cart) } };
}

function updateQuantities(state: EmulatorState, req: EmulatorRequest): Reply {
  const { cart } = currentCart(state, req);
  const body = bodyObject(req);
  onlyKnown(body, ['lineItems'], '');
  const updates = readArray(body, 'lineItems', 1, 100).flatMap((raw, i) => {
    const where = `lineItems[${i}]`;
    if (!isObject(raw)) throw invalidField(where, 'must be an object', 'FORMAT');
    onlyKnown(raw, ['id', 'quantity'], where);
    if (typeof raw.id !== 'string' || raw.id === '') throw invalidField(`${where}.id`, raw.id === undefined ? 'is required' : 'must be a line item ID', raw.id === undefined ? 'REQUIRED_FIELD' : 'FORMAT');
    const quantity = readQuantity(raw.quantity, `${where}.quantity`);
    const line = cart.lines.find((l) => l.line.id === raw.id);
    if (!line) {
      if (silent(state)) return [];
      throw lineNotInCart(raw.id);
    }
    const available = unitsAvailable(line);
    if (available !== undefined && quantity > available && !silent(state)) throw insufficientInventory(String((line.line.productName as { original?: string }).original), quantity, available);
    // "Wix caps the result at remaining stock — returned quantity may be lower than requested" (wix/skills storefront cart code).
    return [{ line, quantity: available !== undefined && available >= 1 ? Math.min(quantity, available) : quantity }];
  });
  for (const { line, quantity } of updates) line.quantity = quantity;
  touch(state, cart);
  return { json: { cart: wireCart(state, cart) } };
}

/** `EstimateCurrentCartTotalsRequest` of the typings. */
const ESTIMATE_FIELDS = ['selectedShippingOption', 'shippingAddress', 'billingAddress', 'selectedMemberships', 'calculateTax', 'calculateShipping', 'calculateAdditionalFees'];

function estimateTotals(state: EmulatorState, req: EmulatorRequest): Reply {
  const { cart } = currentCart(state, req);
  const body = bodyObject(req);
  onlyKnown(body, ESTIMATE_FIELDS, '');
  for (const key of ['calculateTax', 'calculateShipping', 'calculateAdditionalFees']) {
    if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'boolean') throw invalidField(key, 'must be true or false', 'FORMAT');
  }
  for (const key of ['selectedShippingOption', 'shippingAddress', 'billingAddress', 'selectedMemberships']) {
    if (body[key] !== undefined && body[key] !== null && !isObject(body[key])) throw invalidField(key, 'must be an object', 'FORMAT');
  }
  const currency = state.site.currency;
  const settings = state.site.ecom ?? {};
  // "Whether to calculate tax / shipping in the calculation request. Default: true" (the request's typings).
  const taxRate = body.calculateTax === false ? 0 : (settings.taxRate ?? 0);
  const subtotal = cart.lines.reduce((sum, l) => sum + Math.round(l.unitPrice * l.quantity * 100), 0) / 100;
  const shippable = cart.lines.some((l) => l.shippable);
  const shipping = shippable && body.calculateShipping !== false ? (settings.shippingPrice ?? 0) : 0;
  const tax = Math.round(subtotal * taxRate * 100) / 100;
  const total = Math.round((subtotal + shipping + tax) * 100) / 100;
  const zero = money(0, currency);
  const summary = { subtotal: money(subtotal, currency), shipping: money(shipping, currency), tax: money(tax, currency), discount: zero, total: money(total, currency), additionalFees: zero };
  return {
    json: {
      cart: wireCart(state, cart),
      calculatedLineItems: cart.lines.map((l) => {
        const lineTotal = money(l.unitPrice * l.quantity, currency);
        const lineTax = money(Math.round(l.unitPrice * l.quantity * taxRate * 100) / 100, currency);
        return {
          lineItemId: l.line.id,
          pricesBreakdown: { totalPriceAfterTax: money(l.unitPrice * l.quantity * (1 + taxRate), currency), totalPriceBeforeTax: lineTotal, totalDiscount: zero, price: money(l.unitPrice, currency), priceBeforeDiscounts: money(l.unitPrice, currency), lineItemPrice: lineTotal, fullPrice: money(l.line._fullPrice as number, currency), taxDetails: { taxableAmount: lineTotal, taxRate: String(taxRate), totalTax: lineTax } },
          paymentOption: 'FULL_PAYMENT_ONLINE',
        };
      }),
      priceSummary: summary,
      taxSummary: { taxableAmount: money(subtotal, currency), totalTax: money(tax, currency) },
      shippingInfo: {},
      appliedDiscounts: [],
      calculationErrors: {},
      weightUnit: 'KG',
      currency,
      payNow: summary,
      payLater: { subtotal: zero, shipping: zero, tax: zero, discount: zero, total: zero, additionalFees: zero },
      membershipOptions: { eligibleMemberships: [], invalidMemberships: [], selectedMemberships: { memberships: [] } },
      additionalFees: [],
      violations: [],
    },
  };
}

const CHANNEL_TYPES = ['UNSPECIFIED', 'WEB', 'POS', 'EBAY', 'AMAZON', 'OTHER_PLATFORM', 'WIX_APP_STORE', 'WIX_INVOICES', 'BACKOFFICE_MERCHANT', 'WISH', 'CLASS_PASS', 'GLOBAL_E', 'FACEBOOK', 'ETSY', 'TIKTOK', 'FAIRE_COM', 'PAYPAL_AGENTIC_CHECKOUT', 'STRIPE_AGENTIC_CHECKOUT', 'WIX_INVOICES_PLATFORM', 'UCP_AGENTIC_CHECKOUT'];

function createCheckout(state: EmulatorState, req: EmulatorRequest): Reply {
  const { owner, cart } = currentCart(state, req);
  const body = bodyObject(req);
  onlyKnown(body, ['channelType', 'shippingAddress', 'billingAddress', 'selectedShippingOption', 'email'], '');
  const channel = body.channelType;
  // "__Required.__ Sales channel type"; UNSPECIFIED: "This value is not supported" (CreateCheckoutFromCurrentCartRequest typings).
  if (channel === undefined || channel === null) throw invalidField('channelType', 'is required', 'REQUIRED_FIELD');
  if (typeof channel !== 'string' || !CHANNEL_TYPES.includes(channel)) throw invalidField('channelType', `must be one of ${CHANNEL_TYPES.join(', ')}`, 'INVALID_ENUM_VALUE');
  if (channel === 'UNSPECIFIED') throw invalidField('channelType', 'UNSPECIFIED is not supported', 'INVALID_ENUM_VALUE');
  if (body.email !== undefined && body.email !== null && (typeof body.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(body.email))) throw invalidField('email', 'must be an email address', 'FORMAT');
  // The emulator's own code and words, after Cart V1's CANT_CREATE_CART_WITHOUT_ITEMS (CreateCartApplicationErrors).
  if (cart.lines.length === 0) throw applicationError(400, 'CANT_CREATE_CHECKOUT_WITHOUT_ITEMS', 'Cannot create a checkout from a cart without line items', { message: 'Cannot create a checkout from a cart without line items' });
  // CreateCheckoutApplicationErrors of @wix/auto_sdk_ecom_cart; storefronts match the message "Site must accept payments".
  if (state.settings.acceptsPayments === false) throw applicationError(428, 'SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT', 'Site must accept payments to create checkout', { message: 'Site must accept payments to create checkout' });
  // "If a checkout was already created from the current cart, that checkout will be updated with any new information
  // from the cart" (createCheckoutFromCurrentCart reference): the same ID again.
  const checkoutId = cart.checkoutId ?? randomUUID();
  state.carts.addCheckout({ id: checkoutId, owner, cartId: cart.id, lineCount: cart.lines.length, createdMs: state.now() });
  cart.checkoutId = checkoutId;
  touch(state, cart);
  return { json: { checkoutId } };
}

function deleteCart(state: EmulatorState, req: EmulatorRequest): Reply {
  const { owner } = currentCart(state, req);
  state.carts.delete(owner);
  return { json: {} };
}

/** Registers the Current Cart routes at the paths @wix/auto_sdk_ecom_current-cart sends (www.wixapis.com: /ecom/v1/carts/...). */
export function registerEcomRoutes(router: Router, state: EmulatorState): void {
  router.add('GET', BASE, (req) => getCurrentCart(state, req));
  router.add('DELETE', BASE, (req) => deleteCart(state, req));
  router.add('POST', `${BASE}/add-to-cart`, (req) => addToCart(state, req));
  router.add('POST', `${BASE}/remove-line-items`, (req) => removeLineItems(state, req));
  router.add('POST', `${BASE}/update-line-items-quantity`, (req) => updateQuantities(state, req));
  router.add('POST', `${BASE}/estimate-totals`, (req) => estimateTotals(state, req));
  router.add('POST', `${BASE}/create-checkout`, (req) => createCheckout(state, req));
}
