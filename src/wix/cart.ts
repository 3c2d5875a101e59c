import { UsageError } from '../errors.js';

/**
 * The visitor's cart (eCommerce Cart V1, `currentCart`), the pure parts: what a Stores product offers, the line item
 * `cart add` sends for it, the lines a `remove` or `update` names, and the cells a cart is shown with. Nothing here
 * sends a request: the commands (src/commands/cart/run.ts) do, and only once these checks passed.
 */

/** Wix Stores' app ID in a line's `catalogReference` ("For items from Wix catalogs ... Wix Stores", CatalogReference typings). */
export const STORES_APP_ID = '215238eb-22a5-4c36-9e7b-e7c08025e04e';

/** A line's quantity: `@min 1`, `@max 100000` (LineItem.quantity, LineItemQuantityUpdate.quantity typings). */
export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 100_000;

type Json = Record<string, any>;

/** One choice of an option or modifier: the name shown (V1 `description`, V3 `name`) and the other words that name it. */
export interface OfferedChoice {
  name: string;
  /** V1 `value` (a colour's hex code), V3 `key`: accepted for the choice too. */
  aliases: string[];
  /** What a V3 modifier choice is sent as (its `key`). */
  key?: string;
  inStock?: boolean;
}

/** An option that picks the variant (Size, Color). */
export interface OfferedOption {
  name: string;
  aliases: string[];
  choices: OfferedChoice[];
}

/** A V3 choice modifier (TEXT_CHOICES, SWATCH_CHOICES): chosen with --option too, sent in `options.options` by its key. */
export interface OfferedModifier extends OfferedOption {
  key: string;
  mandatory: boolean;
}

/** A free text the buyer types: V1 `customTextFields` (keyed by title), V3 FREE_TEXT modifiers (keyed by `freeTextSettings.key`). */
export interface OfferedText {
  name: string;
  /** What `options.customTextFields` is keyed by. */
  key: string;
  mandatory: boolean;
  maxLength?: number;
  minLength?: number;
}

/** A variant and the choice (by option name) of each option it stands for. */
export interface OfferedVariant {
  id: string;
  choices: Record<string, string>;
  inStock?: boolean;
}

/** What a product offers a buyer, on either catalog. */
export interface ProductOffer {
  catalog: 'v1' | 'v3';
  productId: string;
  name: string;
  options: OfferedOption[];
  modifiers: OfferedModifier[];
  texts: OfferedText[];
  /** V1: the line names the variant (`options.variantId`) rather than the choices. */
  manageVariants: boolean;
  /** V3 always (Get Product's `variantsInfo`); V1 only when the product object carried them. */
  variants?: OfferedVariant[];
}

/** What `cart add` was asked for. */
export interface AddRequest {
  options: Array<[string, string]>;
  texts: Array<[string, string]>;
  variantId?: string;
  quantity: number;
}

/** `NAME=VALUE` (repeatable flags): the name before the first `=`, trimmed; the value as given. */
export function parsePairs(values: readonly string[] | undefined, flag: string): Array<[string, string]> {
  return (values ?? []).map((entry) => {
    const at = entry.indexOf('=');
    const name = at < 0 ? '' : entry.slice(0, at).trim();
    if (at < 0 || name === '') throw new UsageError(`${flag} takes NAME=VALUE, got "${entry}"`, { hint: `For example: ${flag} ${flag === '--text' ? 'Engraving="Happy birthday"' : 'Size=M'}` });
    return [name, entry.slice(at + 1)];
  });
}

/** `--quantity N`: a whole number from 1 to 100,000 (Wix's bounds); absent is 1 where a default makes sense. */
export function parseQuantity(text: string | undefined, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError('--quantity is required', { hint: 'For example: --quantity 2' });
    return fallback;
  }
  const trimmed = text.trim();
  const n = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(n) || n < MIN_QUANTITY || n > MAX_QUANTITY) {
    throw new UsageError(`--quantity must be a whole number from ${MIN_QUANTITY} to ${MAX_QUANTITY.toLocaleString('en-US')} (Wix's limits for a line), got "${text}"`, {
      hint: n === 0 && /^0+$/.test(trimmed) ? 'To take a line out of the cart: wixq cart remove <line ID or product>' : undefined,
    });
  }
  return n;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const idOf = (item: Json | undefined): string | undefined => str(item?._id) ?? str(item?.id);

/** What a Catalog V1 product offers (`productOptions`, `customTextFields`, `manageVariants`, `variants` when sent). */
export function offerOfV1(product: Json): ProductOffer {
  const options: OfferedOption[] = ((product.productOptions ?? []) as Json[])
    .filter((o) => str(o?.name) && Array.isArray(o.choices) && o.choices.length > 0)
    .map((o) => ({
      name: o.name,
      aliases: [],
      // A variant's `choices` name each option's choice by its description (the colour's name, not its hex code).
      choices: (o.choices as Json[])
        .filter((c) => c?.visible !== false && (str(c?.description) ?? str(c?.value)))
        .map((c) => ({ name: str(c.description) ?? c.value, aliases: str(c.value) && str(c.description) ? [c.value] : [], ...(typeof c.inStock === 'boolean' && { inStock: c.inStock }) })),
    }));
  const texts: OfferedText[] = ((product.customTextFields ?? []) as Json[])
    .filter((t) => str(t?.title))
    .map((t) => ({ name: t.title, key: t.title, mandatory: t.mandatory === true, ...(typeof t.maxLength === 'number' && t.maxLength > 0 && { maxLength: t.maxLength }) }));
  const variants = Array.isArray(product.variants) && product.variants.length > 0
    ? (product.variants as Json[]).filter((v) => idOf(v)).map((v) => v1Variant(v))
    : undefined;
  return { catalog: 'v1', productId: idOf(product) ?? '', name: str(product.name) ?? idOf(product) ?? '', options, modifiers: [], texts, manageVariants: product.manageVariants === true, ...(variants && { variants }) };
}

/** A V1 variant (`products.queryProductVariants`, or `variants` of a product): its id and `{option: choice}`. */
export function v1Variant(v: Json): OfferedVariant {
  const choices = Object.fromEntries(Object.entries((v.choices ?? {}) as Record<string, unknown>).filter(([, c]) => typeof c === 'string')) as Record<string, string>;
  const inStock = v.stock?.inStock;
  return { id: idOf(v)!, choices, ...(typeof inStock === 'boolean' && { inStock }) };
}

/** What a Catalog V3 product offers: `options`, `modifiers` and the variants of Get Product (`variantsInfo`, with choice names). */
export function offerOfV3(product: Json): ProductOffer {
  const optionNames = new Map<string, string>();
  const choiceNames = new Map<string, string>();
  const options: OfferedOption[] = ((product.options ?? []) as Json[])
    .filter((o) => str(o?.name))
    .map((o) => {
      const id = idOf(o);
      if (id) optionNames.set(id, o.name);
      const choices = ((o.choicesSettings?.choices ?? []) as Json[])
        .filter((c) => c?.visible !== false && str(c?.name))
        .map((c) => {
          if (str(c.choiceId)) choiceNames.set(`${id}\u0000${c.choiceId}`, c.name);
          return { name: c.name as string, aliases: str(c.key) && c.key !== c.name ? [c.key] : [], ...(typeof c.inStock === 'boolean' && { inStock: c.inStock }) };
        });
      return { name: o.name as string, aliases: str(o.key) && o.key !== o.name ? [o.key] : [], choices };
    })
    .filter((o) => o.choices.length > 0);
  const modifiers: OfferedModifier[] = [];
  const texts: OfferedText[] = [];
  for (const m of (product.modifiers ?? []) as Json[]) {
    const name = str(m?.name) ?? str(m?.freeTextSettings?.title) ?? str(m?.key);
    if (!name) continue;
    if (m.modifierRenderType === 'FREE_TEXT' || m.freeTextSettings) {
      const settings = (m.freeTextSettings ?? {}) as Json;
      texts.push({
        name,
        // "For FREE_TEXT, use the freeTextSettings.key in customTextFields" (Catalog V3 eCommerce integration).
        key: str(settings.key) ?? str(m.key) ?? name,
        mandatory: m.mandatory === true,
        ...(typeof settings.maxCharCount === 'number' && settings.maxCharCount > 0 && { maxLength: settings.maxCharCount }),
        ...(typeof settings.minCharCount === 'number' && settings.minCharCount > 0 && { minLength: settings.minCharCount }),
      });
      continue;
    }
    const choices = ((m.choicesSettings?.choices ?? []) as Json[])
      .filter((c) => c?.visible !== false && (str(c?.name) ?? str(c?.key)))
      .map((c) => ({ name: (str(c.name) ?? c.key) as string, aliases: str(c.key) && c.key !== c.name ? [c.key] : [], key: (str(c.key) ?? c.name) as string }));
    if (choices.length > 0) modifiers.push({ name, aliases: str(m.key) && m.key !== name ? [m.key] : [], key: str(m.key) ?? name, mandatory: m.mandatory === true, choices });
  }
  const variants: OfferedVariant[] = ((product.variantsInfo?.variants ?? []) as Json[])
    .filter((v) => idOf(v) && v.visible !== false)
    .map((v) => {
      const choices: Record<string, string> = {};
      for (const c of (v.choices ?? []) as Json[]) {
        // Names come with VARIANT_OPTION_CHOICE_NAMES; the ids always do.
        const ids = c.optionChoiceIds ?? {};
        const option = str(c.optionChoiceNames?.optionName) ?? optionNames.get(ids.optionId);
        const choice = str(c.optionChoiceNames?.choiceName) ?? choiceNames.get(`${ids.optionId}\u0000${ids.choiceId}`);
        if (option && choice) choices[option] = choice;
      }
      const inStock = v.inventoryStatus?.inStock;
      return { id: idOf(v)!, choices, ...(typeof inStock === 'boolean' && { inStock }) };
    });
  return { catalog: 'v3', productId: idOf(product) ?? '', name: str(product.name) ?? idOf(product) ?? '', options, modifiers, texts, manageVariants: false, variants };
}

/** One line of what a product offers, for the error that lists it. */
export function describeOffer(offer: ProductOffer): string {
  const parts: string[] = [];
  for (const o of [...offer.options, ...offer.modifiers]) {
    const optional = 'mandatory' in o && !(o as OfferedModifier).mandatory;
    parts.push(`--option ${quoteName(o.name)}=${o.choices.map((c) => c.name + (c.inStock === false ? ' (out of stock)' : '')).join('|')}${optional ? ' (optional)' : ''}`);
  }
  for (const t of offer.texts) parts.push(`--text ${quoteName(t.name)}=<text>${t.mandatory ? ' (mandatory' : ' (optional'}${t.maxLength ? `, up to ${t.maxLength} characters` : ''})`);
  return parts.length > 0 ? `"${offer.name}" offers: ${parts.join('  ')}` : `"${offer.name}" has no options or texts to choose`;
}

function quoteName(name: string): string {
  return /^[\w.-]+$/.test(name) ? name : `"${name}"`;
}

/** The entries of a list whose name (or an alias) is `word`: exact first, then ignoring case. */
function named<T extends { name: string; aliases: string[] }>(list: readonly T[], word: string): T[] {
  const exact = list.filter((x) => x.name === word || x.aliases.includes(word));
  if (exact.length > 0) return exact;
  const lower = word.toLowerCase();
  return list.filter((x) => x.name.toLowerCase() === lower || x.aliases.some((a) => a.toLowerCase() === lower));
}

/** What the buyer chose, checked against the offer: option choices by option name, modifier choices, texts by key. */
export interface Selection {
  /** Option name -> choice name, as the product names them. */
  choices: Record<string, string>;
  /** Modifier key -> choice key (V3 `options.options`). */
  modifiers: Record<string, string>;
  /** Text key -> the text (`options.customTextFields`). */
  texts: Record<string, string>;
}

/**
 * Checks `--option` and `--text` against what the product offers and returns the selection. An unknown option or
 * choice, an option given twice, a product with options and no choice for one of them (unless `--variant` names the
 * variant), a missing mandatory text or modifier, or a text over its length is exit 2, naming what the product offers.
 */
export function selectChoices(offer: ProductOffer, request: Pick<AddRequest, 'options' | 'texts' | 'variantId'>): Selection {
  const offers = describeOffer(offer);
  const refuse = (message: string): never => {
    throw new UsageError(message, { hint: offers });
  };
  const selection: Selection = { choices: {}, modifiers: {}, texts: {} };
  const seen = new Set<string>();
  for (const [name, value] of request.options) {
    const option = named(offer.options, name);
    const modifier = option.length === 0 ? named(offer.modifiers, name) : [];
    const target = option[0] ?? modifier[0];
    if (!target || option.length + modifier.length > 1) {
      refuse(`"${offer.name}" has ${target ? 'more than one option' : 'no option'} named "${name}"${offer.options.length + offer.modifiers.length === 0 ? ' (it has no options)' : ''}`);
    }
    if (seen.has(target!.name)) refuse(`--option ${target!.name} is given twice`);
    seen.add(target!.name);
    const choice = named(target!.choices, value.trim());
    if (choice.length !== 1) refuse(`"${offer.name}" has ${choice.length > 1 ? 'more than one choice' : 'no choice'} "${value}" for ${target!.name} (its choices: ${target!.choices.map((c) => c.name).join(', ')})`);
    if (option.length > 0) selection.choices[target!.name] = choice[0]!.name;
    else selection.modifiers[(target as OfferedModifier).key] = choice[0]!.key ?? choice[0]!.name;
  }
  if (request.variantId !== undefined && Object.keys(selection.choices).length > 0) {
    refuse('--variant names the variant: give it alone, or choose with --option instead');
  }
  if (request.variantId === undefined) {
    const missing = offer.options.filter((o) => selection.choices[o.name] === undefined).map((o) => o.name);
    if (missing.length > 0) refuse(`"${offer.name}" needs a choice for ${missing.join(', ')}: add --option NAME=VALUE for each (or --variant ID)`);
  }
  const missingModifiers = offer.modifiers.filter((m) => m.mandatory && selection.modifiers[m.key] === undefined).map((m) => m.name);
  if (missingModifiers.length > 0) refuse(`"${offer.name}" needs a choice for ${missingModifiers.join(', ')}: add --option NAME=VALUE`);
  const typed = new Set<string>();
  for (const [name, text] of request.texts) {
    const found = named(offer.texts.map((t) => ({ ...t, aliases: t.key !== t.name ? [t.key] : [] })), name);
    if (found.length !== 1) refuse(`"${offer.name}" has ${found.length > 1 ? 'more than one text field' : 'no text field'} named "${name}"${offer.texts.length === 0 ? ' (it takes no text)' : ''}`);
    const field = found[0]!;
    if (typed.has(field.key)) refuse(`--text ${field.name} is given twice`);
    typed.add(field.key);
    if (text.trim() === '') refuse(`--text ${field.name} is empty`);
    if (field.maxLength !== undefined && [...text].length > field.maxLength) refuse(`--text ${field.name} is ${[...text].length} characters; "${offer.name}" takes up to ${field.maxLength}`);
    if (field.minLength !== undefined && [...text].length < field.minLength) refuse(`--text ${field.name} is ${[...text].length} characters; "${offer.name}" needs at least ${field.minLength}`);
    selection.texts[field.key] = text;
  }
  const missingTexts = offer.texts.filter((t) => t.mandatory && selection.texts[t.key] === undefined).map((t) => t.name);
  if (missingTexts.length > 0) refuse(`"${offer.name}" needs a text for ${missingTexts.map((t) => `"${t}"`).join(', ')}: add --text NAME=VALUE`);
  return selection;
}

/** The variant of these choices, or of `variantId`; exit 2 naming the variants when none matches. */
export function pickVariant(offer: ProductOffer, variants: readonly OfferedVariant[], selection: Selection, variantId?: string): OfferedVariant {
  const list = (): string => variants.slice(0, 20).map((v) => `${v.id}${Object.keys(v.choices).length ? ` (${choiceText(v.choices)})` : ''}`).join(', ') + (variants.length > 20 ? `, … (${variants.length} in all)` : '');
  if (variantId !== undefined) {
    const found = variants.find((v) => v.id === variantId);
    if (!found) throw new UsageError(`"${offer.name}" has no variant ${variantId}`, { hint: variants.length ? `Its variants: ${list()}` : describeOffer(offer) });
    return found;
  }
  const wanted = Object.entries(selection.choices);
  const found = variants.filter((v) => wanted.every(([option, choice]) => v.choices[option] === choice) && Object.keys(v.choices).length === wanted.length);
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new UsageError(`"${offer.name}" has no variant ${wanted.length ? choiceText(selection.choices) : 'without options'}`, { hint: variants.length ? `Its variants: ${list()}` : describeOffer(offer) });
  }
  throw new UsageError(`"${offer.name}" has ${found.length} variants of ${choiceText(selection.choices) || 'these choices'}: name one with --variant ID`, { hint: `Its variants: ${list()}` });
}

function choiceText(choices: Record<string, string>): string {
  return Object.entries(choices).map(([o, c]) => `${o}: ${c}`).join(', ');
}

/** How the line names the variant on V1: by id when variants are managed (`manageVariants`), else by its choices. */
export function needsV1VariantId(offer: ProductOffer): boolean {
  return offer.catalog === 'v1' && offer.manageVariants;
}

/**
 * The line item `addToCurrentCart` gets (SDK shape): the product, its options per catalog, the quantity. V3: always
 * the variant (`options.variantId`), modifier choices in `options.options`, texts in `options.customTextFields`. V1:
 * `options.variantId` when the product manages variants, else the choices in `options.options`, never both; texts
 * in `options.customTextFields` keyed by their title (the Catalog V1 and V3 eCommerce integration pages).
 */
export function lineItemFor(offer: ProductOffer, selection: Selection, quantity: number, variant?: OfferedVariant): Json {
  const options: Json = {};
  if (offer.catalog === 'v3') {
    if (!variant) throw new Error('a Catalog V3 line needs its variant');
    options.variantId = variant.id;
    if (Object.keys(selection.modifiers).length > 0) options.options = { ...selection.modifiers };
  } else if (offer.manageVariants && variant) {
    options.variantId = variant.id;
  } else {
    const choices = variant ? variant.choices : selection.choices;
    if (Object.keys(choices).length > 0) options.options = { ...choices };
  }
  if (Object.keys(selection.texts).length > 0) options.customTextFields = { ...selection.texts };
  return {
    catalogReference: { appId: STORES_APP_ID, catalogItemId: offer.productId, ...(Object.keys(options).length > 0 && { options }) },
    quantity,
  };
}

// ------------------------------------------------------------------------------------------------------------------
// Lines of a cart

/** A line's product name as the buyer reads it. */
export function lineName(line: Json): string {
  return str(line.productName?.translated) ?? str(line.productName?.original) ?? str(line.catalogReference?.catalogItemId) ?? '';
}

/** A line's chosen options and texts: its description lines ("Size: M, Color: Navy"), else what its reference says. */
export function lineOptions(line: Json): string {
  const described = ((line.descriptionLines ?? []) as Json[])
    .map((d) => {
      const name = str(d.name?.translated) ?? str(d.name?.original);
      const value = str(d.plainText?.translated) ?? str(d.plainText?.original) ?? str(d.colorInfo?.translated) ?? str(d.colorInfo?.original);
      return name && value ? `${name}: ${value}` : (value ?? '');
    })
    .filter(Boolean);
  if (described.length > 0) return described.join(', ');
  const options = (line.catalogReference?.options ?? {}) as Json;
  const parts = [
    ...Object.entries((options.options ?? {}) as Json).map(([k, v]) => `${k}: ${String(v)}`),
    ...Object.entries((options.customTextFields ?? {}) as Json).map(([k, v]) => `${k}: ${String(v)}`),
  ];
  return parts.join(', ');
}

/** A money object's text: the buyer's converted amount, else the site's, formatted as Wix sent it. */
export function moneyText(money: Json | undefined): string {
  return str(money?.formattedConvertedAmount) ?? str(money?.formattedAmount) ?? str(money?.convertedAmount) ?? str(money?.amount) ?? '';
}

/** The line's total: Wix's `lineItemPrice`; without it, the price times the quantity in the cart's currency. */
export function lineTotalText(line: Json, currency: string | undefined): string {
  const given = moneyText(line.lineItemPrice);
  if (given) return given;
  const amount = str(line.price?.convertedAmount) ?? str(line.price?.amount);
  const quantity = line.quantity;
  if (!amount || !/^\d+(\.\d+)?$/.test(amount) || typeof quantity !== 'number') return '';
  const total = multiplyDecimal(amount, quantity);
  if (!currency) return total;
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(total));
  } catch {
    return `${total} ${currency}`;
  }
}

/** `amount × n` exactly, for decimal strings (no binary floating point on money). */
export function multiplyDecimal(amount: string, n: number): string {
  const [whole, fraction = ''] = amount.split('.');
  const scaled = BigInt(`${whole}${fraction}`) * BigInt(n);
  const digits = scaled.toString().padStart(fraction.length + 1, '0');
  return fraction.length === 0 ? digits : `${digits.slice(0, -fraction.length)}.${digits.slice(-fraction.length)}`;
}

/** A line's product page slug, from its `url` (`…/product-page/<slug>`), when it has one. */
function lineSlug(line: Json): string | undefined {
  const url = typeof line.url === 'string' ? line.url : str(line.url?.url) ?? str(line.url?.relativePath);
  if (!url) return undefined;
  const path = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1) || undefined;
}

/**
 * The lines `remove` or `update` mean by `what`: the line of that ID, else the lines of the product with that ID,
 * slug (from the line's page URL) or name (ignoring case). `productId` is what a slug lookup found, when one was made.
 */
export function linesMatching(lines: readonly Json[], what: string, productId?: string): Json[] {
  const byLine = lines.filter((l) => idOf(l) === what);
  if (byLine.length > 0) return byLine;
  const lower = what.toLowerCase();
  return lines.filter((l) => {
    const item = l.catalogReference?.catalogItemId;
    return item === what || (productId !== undefined && item === productId) || lineSlug(l) === what || lineName(l).toLowerCase() === lower;
  });
}

/** The lines a product matched, one per line of the hint: `ID  name (options) × quantity`. */
export function describeLines(lines: readonly Json[]): string {
  return lines.map((l) => `${idOf(l)}  ${lineName(l)}${lineOptions(l) ? ` (${lineOptions(l)})` : ''} × ${l.quantity}`).join('; ');
}

/** The cart's lines (none for a cart without `lineItems`). */
export function cartLines(cart: Json | undefined): Json[] {
  return Array.isArray(cart?.lineItems) ? (cart!.lineItems as Json[]) : [];
}

export { idOf as lineId };
