import type { CommandContext } from '../../context.js';
import { ExitCode, NotFoundError, UsageError, WixqError } from '../../errors.js';
import { writeOutput } from '../../output/io.js';
import { createListWriter, type ColumnSpec } from '../../output/render.js';
import {
  cartLines,
  describeLines,
  lineId,
  lineItemFor,
  lineName,
  lineOptions,
  linesMatching,
  lineTotalText,
  moneyText,
  needsV1VariantId,
  offerOfV1,
  offerOfV3,
  parsePairs,
  parseQuantity,
  pickVariant,
  selectChoices,
  v1Variant,
  type AddRequest,
  type OfferedVariant,
  type ProductOffer,
} from '../../wix/cart.js';
import type { WixClient } from '../../wix/client.js';
import { looksLikeId, productsV1, type ResourceDef } from '../../wix/resources.js';
import { withResource } from '../list/run.js';
import { openOrPrint } from '../list/open-page.js';

type Json = Record<string, any>;

const CART = ['currentCart'] as const;

/** The cart as `--json` prints it when the visitor has none yet (Wix answers 404 OWNED_CART_NOT_FOUND): an empty one. */
const NO_CART: Json = { lineItems: [] };

/** `add`'s flags, checked before any request. */
export function parseAddFlags(flags: { option?: string[]; variant?: string; text?: string[]; quantity?: string }): AddRequest {
  const variantId = flags.variant?.trim();
  if (flags.variant !== undefined && !variantId) throw new UsageError('--variant takes a variant ID');
  return {
    options: parsePairs(flags.option, '--option'),
    texts: parsePairs(flags.text, '--text'),
    ...(variantId && { variantId }),
    quantity: parseQuantity(flags.quantity, 1),
  };
}

/**
 * Wix's answer for a visitor or member without a cart (getCurrentCart typings: GetCurrentCartApplicationErrors). Only
 * that code: another 404 (a wrong API URL, a path Wix moved) is an error, never an empty cart.
 */
function isNoCart(error: unknown): boolean {
  return error instanceof WixqError && error.status === 404 && error.code === 'OWNED_CART_NOT_FOUND';
}

/** The commands that change the cart write the session: where it cannot be saved, no later run could see the cart. */
function beforeChange(ctx: CommandContext): void {
  ctx.requireStoredSession();
  ctx.requireWritableConfig('tokens.json');
  if (ctx.settings().demo) ctx.warn("Note: --demo's emulator lives for this one command, and its carts with it: a later --demo run starts with an empty cart.");
}

/** `cart get`: one estimate-totals request, which answers the cart and its subtotal; no cart yet is an empty cart. */
export async function runCartGet(ctx: CommandContext): Promise<void> {
  // The cart is the stored session's: a tokens.json that cannot be read is exit 1, not a new visitor's empty cart.
  ctx.requireStoredSession();
  ctx.clientId();
  let estimate: Json | undefined;
  try {
    // "Not passing any properties only estimates the cart items price totals" (estimateCurrentCartTotals typings).
    estimate = await ctx.api().call(CART, 'read the cart', (c) => c.currentCart.estimateCurrentCartTotals());
  } catch (error) {
    if (!isNoCart(error)) throw error;
  }
  const cart = (estimate?.cart as Json | undefined) ?? (estimate ? undefined : NO_CART);
  if (!cart) throw new WixqError('Wix answered the cart totals without the cart', ExitCode.ERROR, { hint: 'Run again with --verbose to see the answer.' });
  await writeCart(ctx, cart, estimate?.priceSummary?.subtotal);
}

/** `cart add <product>`: the product (one lookup; V1 managed variants one more), checked, then one add request. */
export async function runCartAdd(product: string, request: AddRequest, flags: Record<string, unknown>, ctx: CommandContext): Promise<void> {
  ctx.clientId();
  beforeChange(ctx);
  const line = await withResource('products', typeof flags.catalog === 'string' ? flags.catalog : undefined, ctx, (resource) => lineFor(resource, product, request, ctx));
  const offerName = line.name;
  const answer: Json = await ctx.api().call(CART, `add "${offerName}" to the cart`, (c) => c.currentCart.addToCurrentCart({ lineItems: [line.item] }));
  const cart = answer?.cart as Json | undefined;
  const added = cart ? cartLines(cart).find((l) => sameReference(l.catalogReference, line.item.catalogReference)) : undefined;
  // Wix may answer 200 and add nothing, or add the line unavailable (docs/wix-api.md 15.3): only the answer tells.
  if (!cart || !added) {
    throw new WixqError(`Wix answered the add of "${offerName}" with 200 but without its line in the cart: nothing was added`, ExitCode.ERROR, {
      hint: 'Wix adds nothing for a line its catalog cannot give (a variant or choice it does not have, a product not for sale). See what it offers: wixq products get ' + product,
    });
  }
  await writeCart(ctx, cart);
  const status = added.availability?.status;
  if (typeof status === 'string' && status !== 'AVAILABLE') {
    throw new WixqError(`"${offerName}" is in the cart but ${status} (Wix's availability of the line): it cannot be bought as it is`, ExitCode.ERROR, {
      hint: `Take it out with: wixq cart remove ${lineId(added)}`,
    });
  }
  // Wix may keep fewer than asked ("the quantity returned in the response is the total amount of remaining stock").
  if (typeof added.quantity === 'number' && added.quantity < request.quantity) {
    throw new WixqError(`Wix kept ${added.quantity} of "${offerName}" in the cart, fewer than the ${request.quantity} added (the stock left?)`, ExitCode.ERROR, {
      hint: 'See the line: wixq cart',
    });
  }
  ctx.warn(`Added ${request.quantity} × ${offerName}${lineOptions(added) ? ` (${lineOptions(added)})` : ''}: the line has ${added.quantity}. ${summary(cart)}`);
}

/** The product's line item, checked against what it offers before anything is added. */
async function lineFor(resource: ResourceDef, product: string, request: AddRequest, ctx: CommandContext): Promise<{ item: Json; name: string }> {
  const api = ctx.api();
  const found: Json = await api.call(resource.modules, `get product "${product}"`, (c) => resource.get(c, product));
  const offer: ProductOffer = resource === productsV1 ? offerOfV1(found) : offerOfV3(found);
  const selection = selectChoices(offer, request);
  let variant: OfferedVariant | undefined;
  if (offer.catalog === 'v3') {
    variant = pickVariant(offer, offer.variants ?? [], selection, request.variantId);
  } else if (request.variantId !== undefined || (needsV1VariantId(offer) && offer.options.length > 0)) {
    // V1 names a managed variant by its ID, found by its choices; --variant is looked up the same way.
    let variants = offer.variants;
    if (!variants) {
      const answer: Json = await api.call(['products'], `get the variants of "${offer.name}"`, (c: WixClient) =>
        c.products.queryProductVariants(offer.productId, request.variantId !== undefined ? { variantIds: [request.variantId] } : { choices: selection.choices }),
      );
      variants = ((answer?.variants ?? []) as Json[]).map(v1Variant);
    }
    variant = pickVariant(offer, variants, selection, request.variantId);
  }
  return { item: lineItemFor(offer, selection, request.quantity, variant), name: offer.name };
}

/** Whether a line of the cart is the one added: the same product and the same options (variant, choices, texts). */
function sameReference(a: Json | undefined, b: Json): boolean {
  if (a?.catalogItemId !== b.catalogItemId) return false;
  const x = (a?.options ?? {}) as Json;
  const y = (b.options ?? {}) as Json;
  return (x.variantId ?? undefined) === (y.variantId ?? undefined) && sameMap(x.options, y.options) && sameMap(x.customTextFields, y.customTextFields);
}

function sameMap(a: unknown, b: unknown): boolean {
  const x = Object.entries((a ?? {}) as Json).sort(([k], [l]) => k.localeCompare(l));
  const y = Object.entries((b ?? {}) as Json).sort(([k], [l]) => k.localeCompare(l));
  return x.length === y.length && x.every(([k, v], i) => y[i]![0] === k && String(y[i]![1]) === String(v));
}

/** The one line `what` names; none is exit 3, several exit 2 listing them. */
async function theLine(what: string, cart: Json, ctx: CommandContext, verb: string): Promise<Json> {
  const lines = cartLines(cart);
  if (lines.length === 0) throw new NotFoundError(`the cart is empty: no line to ${verb}`, { hint: 'Add one first: wixq cart add <product>' });
  let matched = linesMatching(lines, what);
  if (matched.length === 0 && !looksLikeId(what)) {
    // A slug the lines' page URLs do not show: the product lookup says which product it is.
    const product: Json = await withResource('products', undefined, ctx, (resource) => ctx.api().call(resource.modules, `get product "${what}"`, (c) => resource.get(c, what)));
    matched = linesMatching(lines, what, lineId(product));
  }
  if (matched.length === 0) throw new NotFoundError(`no line of the cart is "${what}"`, { hint: `The cart's lines: ${describeLines(lines)}` });
  if (matched.length > 1) throw new UsageError(`"${what}" matches ${matched.length} lines of the cart: name one by its line ID`, { hint: `The lines: ${describeLines(matched)}` });
  return matched[0]!;
}

/** The cart before a change; none yet is exit 3 (there is no line to change). */
async function currentCart(ctx: CommandContext, verb: string): Promise<Json> {
  try {
    return await ctx.api().call(CART, 'read the cart', (c) => c.currentCart.getCurrentCart());
  } catch (error) {
    if (isNoCart(error)) throw new NotFoundError(`the cart is empty: no line to ${verb}`, { hint: 'Add one first: wixq cart add <product>' });
    throw error;
  }
}

/** `cart remove <line or product>`: the cart (one request), then the remove. */
export async function runCartRemove(what: string, ctx: CommandContext): Promise<void> {
  ctx.clientId();
  beforeChange(ctx);
  const line = await theLine(what, await currentCart(ctx, 'remove'), ctx, 'remove');
  const answer: Json = await ctx.api().call(CART, `remove "${lineName(line)}" from the cart`, (c) => c.currentCart.removeLineItemsFromCurrentCart([lineId(line)!]));
  const cart = (answer?.cart as Json | undefined) ?? NO_CART;
  if (cartLines(cart).some((l) => lineId(l) === lineId(line))) throw new WixqError(`Wix answered the remove with "${lineName(line)}" still in the cart`, ExitCode.ERROR, { hint: 'See the cart: wixq cart' });
  await writeCart(ctx, cart);
  ctx.warn(`Removed ${lineName(line)}${lineOptions(line) ? ` (${lineOptions(line)})` : ''}. ${summary(cart)}`);
}

/** `cart update <line or product> --quantity N`: the cart, then the new quantity, checked against what Wix kept. */
export async function runCartUpdate(what: string, quantity: number, ctx: CommandContext): Promise<void> {
  ctx.clientId();
  beforeChange(ctx);
  const line = await theLine(what, await currentCart(ctx, 'update'), ctx, 'update');
  const id = lineId(line)!;
  const answer: Json = await ctx.api().call(CART, `update "${lineName(line)}" in the cart`, (c) => c.currentCart.updateCurrentCartLineItemQuantity([{ _id: id, quantity }]));
  const cart = answer?.cart as Json | undefined;
  const updated = cartLines(cart as Json | undefined).find((l) => lineId(l) === id);
  if (!cart || !updated) throw new WixqError(`Wix answered the update without "${lineName(line)}" in the cart`, ExitCode.ERROR, { hint: 'See the cart: wixq cart' });
  await writeCart(ctx, cart);
  // "If the specified quantity is greater than the remaining stock, then the quantity returned ... is the remaining stock."
  if (updated.quantity !== quantity) {
    throw new WixqError(`Wix set "${lineName(line)}" to ${updated.quantity}, not ${quantity} (the stock left?)`, ExitCode.ERROR, { hint: 'See the line: wixq cart' });
  }
  const status = updated.availability?.status;
  if (typeof status === 'string' && status !== 'AVAILABLE') {
    throw new WixqError(`"${lineName(line)}" is set to ${quantity} but ${status} (Wix's availability of the line)`, ExitCode.ERROR, { hint: 'See the line: wixq cart' });
  }
  ctx.warn(`Set ${lineName(line)}${lineOptions(updated) ? ` (${lineOptions(updated)})` : ''} to ${quantity}. ${summary(cart)}`);
}

/** `cart clear`: deletes the current cart (one request); no cart is already clear. */
export async function runCartClear(ctx: CommandContext): Promise<void> {
  ctx.clientId();
  beforeChange(ctx);
  try {
    await ctx.api().call(CART, 'clear the cart', (c) => c.currentCart.deleteCurrentCart());
  } catch (error) {
    if (!isNoCart(error)) throw error;
    ctx.warn('The cart is already empty.');
    return;
  }
  ctx.warn('Cleared the cart.');
}

/**
 * `cart checkout`: a checkout from the cart (`channelType: WEB`), then its redirect session, whose `fullUrl` is the
 * hosted checkout page: printed, or opened with --web. `callbacks.postFlowUrl` only when the profile sets a redirect URI.
 */
export async function runCartCheckout(flags: { web?: boolean; browser?: boolean }, ctx: CommandContext): Promise<void> {
  if (flags.browser === false && !flags.web) throw new UsageError('--no-browser goes with --web', { hint: 'Try: wixq cart checkout --web --no-browser' });
  ctx.requireStoredSession();
  ctx.clientId();
  const s = ctx.settings();
  const api = ctx.api();
  let checkoutId: string | undefined;
  try {
    const created: Json = await api.call(CART, 'create a checkout from the cart', (c) => c.currentCart.createCheckoutFromCurrentCart({ channelType: 'WEB' }));
    checkoutId = typeof created?.checkoutId === 'string' && created.checkoutId !== '' ? created.checkoutId : undefined;
  } catch (error) {
    if (isNoCart(error) || (error instanceof WixqError && error.status !== undefined && error.status < 500 && (await cartIsEmpty(ctx)))) throw emptyCart();
    throw error;
  }
  if (!checkoutId) throw new WixqError('Wix answered the checkout without its ID', ExitCode.ERROR, { hint: 'Run again with --verbose to see the answer.' });
  // Wix sends the buyer to postFlowUrl after the checkout; without one, to its own pages (CallbackParams typings).
  const postFlowUrl = s.sources.redirectUri.from === 'default' ? undefined : s.redirectUri;
  const session: Json = await api.call(['redirects'], 'create the checkout redirect session', (c) =>
    c.redirects.createRedirectSession({ ecomCheckout: { checkoutId }, ...(postFlowUrl && { callbacks: { postFlowUrl } }) }),
  );
  const url = session?.redirectSession?.fullUrl;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    throw new WixqError(`Wix created checkout ${checkoutId} but its redirect session has no URL`, ExitCode.ERROR, { hint: 'Run again with --verbose to see the answer.' });
  }
  if (s.output === 'json' || s.output === 'ndjson') {
    const report = { checkoutId, url, redirectSession: session.redirectSession };
    await writeOutput(ctx.io.out, `${s.output === 'json' ? JSON.stringify(report, null, 2) : JSON.stringify(report)}\n`);
    return;
  }
  if (flags.web) return openOrPrint(url, flags.browser !== false, ctx);
  await writeOutput(ctx.io.out, `${url}\n`);
  ctx.warn(`Checkout ${checkoutId} created: pay at the URL above. It stays on the site as an abandoned checkout until someone does.`);
}

function emptyCart(): UsageError {
  return new UsageError('the cart is empty: there is nothing to check out', { hint: 'Add a product first: wixq cart add <product ID or slug>' });
}

/** After a refused checkout: whether the cart has no lines (then the refusal is the empty cart's). */
async function cartIsEmpty(ctx: CommandContext): Promise<boolean> {
  try {
    const cart: Json = await ctx.api().call(CART, 'read the cart', (c) => c.currentCart.getCurrentCart());
    return cartLines(cart).length === 0;
  } catch (error) {
    return isNoCart(error);
  }
}

// ------------------------------------------------------------------------------------------------------------------
// Output

/** How many lines and items. */
function summary(cart: Json): string {
  const lines = cartLines(cart);
  const items = lines.reduce((n, l) => n + (typeof l.quantity === 'number' ? l.quantity : 0), 0);
  return lines.length === 0 ? 'The cart is empty.' : `The cart has ${lines.length} line${lines.length === 1 ? '' : 's'}, ${items} item${items === 1 ? '' : 's'}.`;
}

function columns(currency: string | undefined): ColumnSpec[] {
  return [
    { header: 'Product', path: 'productName', format: (_v, line) => lineName(line), derived: true },
    { header: 'Options', path: 'descriptionLines', format: (_v, line) => lineOptions(line), derived: true },
    { header: 'Quantity', path: 'quantity', align: 'right' },
    { header: 'Price', path: 'price', format: (_v, line) => moneyText(line.price as Json | undefined), derived: true, align: 'right' },
    { header: 'Line total', path: 'lineItemPrice', format: (_v, line) => lineTotalText(line, currency), derived: true, align: 'right' },
  ];
}

/**
 * The cart: JSON as Wix sent it (the SDK's field names); a table of its lines, then the subtotal when known (estimate
 * totals); NDJSON one line item per line; CSV and TSV the table's columns.
 */
async function writeCart(ctx: CommandContext, cart: Json, subtotal?: Json): Promise<void> {
  const { format } = ctx.settings();
  if (format === 'json') {
    await writeOutput(ctx.io.out, `${JSON.stringify(cart, null, 2)}\n`);
    return;
  }
  const lines = cartLines(cart);
  if (format === 'table' && lines.length === 0) {
    ctx.warn('The cart is empty.');
    return;
  }
  const currency = typeof cart.currency === 'string' ? cart.currency : undefined;
  const writer = createListWriter(ctx.io, format, { columns: columns(currency), noun: 'lines' });
  for (const line of lines) await writer.write(line);
  await writer.close();
  if (format === 'table') {
    const text = moneyText(subtotal);
    if (text) await writeOutput(ctx.io.out, `Subtotal: ${text}\n`);
    const unavailable = lines.filter((l) => typeof l.availability?.status === 'string' && l.availability.status !== 'AVAILABLE');
    for (const l of unavailable) ctx.warn(`Note: ${lineName(l)}${lineOptions(l) ? ` (${lineOptions(l)})` : ''} is ${String(l.availability.status).toLowerCase().replace(/_/g, ' ')} (Wix's availability of the line).`);
  }
}
