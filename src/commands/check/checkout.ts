import { performance } from 'node:perf_hooks';
import type { CommandContext } from '../../context.js';
import { ExitCode, WixqError } from '../../errors.js';
import type { CatalogVersion } from '../../wix/catalog.js';
import { cartLines, lineItemFor, offerOfV1, offerOfV3, pickVariant, selectChoices, type ProductOffer } from '../../wix/cart.js';
import { createWixClient, type WixClient } from '../../wix/client.js';
import { toWixqError } from '../../wix/errors.js';
import type { ModuleName } from '../../wix/modules.js';
import { productsV1, productsV3, type Item, type ResourceDef } from '../../wix/resources.js';
import { clockOf } from '../../output/io.js';
import type { CheckResult } from './report.js';

/** The rows `check --checkout` adds, in order. */
export const CHECKOUT_STEPS = ['checkout:visitor', 'checkout:product', 'checkout:add', 'checkout:create', 'checkout:url', 'checkout:cleanup'] as const;

/** Products read, at most, to find one a fresh visitor can buy as it is. */
const PAGE_SIZE = 100;
const MAX_PAGES = 5;

type Json = Record<string, any>;

/**
 * `check --checkout`: the purchase flow a storefront runs, with a throwaway visitor of its own (a fresh anonymous
 * token that is never written to tokens.json: the profile's session and cart are never touched). It adds the first
 * visible, in-stock product that needs no choice or text, creates a checkout from that cart and its redirect session,
 * asserts a URL came back, and deletes the cart. A visitor cannot delete a checkout: each run leaves one, abandoned.
 * Every step is a row; a failed step is a failure of the check (exit 6), with a hint, and the steps after it do not run
 * (the cart, once made, is still deleted).
 */
export async function checkoutChecks(ctx: CommandContext, catalog: CatalogVersion | undefined): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const api = ctx.api();
  const transport = ctx.transport();
  let failedStep: string | undefined;
  /** The steps after a failed one: not run (the cleanup too when no cart was made). */
  const skipRest = (): CheckResult[] => {
    for (const name of CHECKOUT_STEPS) {
      if (results.some((r) => r.name === name)) continue;
      results.push({ name, status: 'skip', ms: 0, details: name === 'checkout:cleanup' ? 'not run: no cart was made' : `not run: ${failedStep} failed` });
    }
    return results;
  };
  /** Runs one step: its row passes with `details`, or fails with the error, its message and a hint. */
  const step = async <T>(name: string, action: string, hint: string, work: () => Promise<{ value: T; details: string }>): Promise<T | undefined> => {
    const started = performance.now();
    try {
      const { value, details } = await work();
      results.push({ name, status: 'pass', ms: elapsed(started), details });
      return value;
    } catch (error) {
      const mapped = toWixqError(error, { action, lastRequestId: transport.lastRequestId(), lastFailure: transport.lastFailure(), role: 'visitor' });
      failedStep = name;
      results.push({
        name,
        status: 'fail',
        ms: elapsed(started),
        details: mapped.message,
        // Not the request's own exit code: what failed is the checkout, so the check says so (exit 6), with the reason.
        error: { message: mapped.message, exitCode: ExitCode.CHECK_FAILED, ...(mapped.requestId && { requestId: mapped.requestId }), hint: mapped.hint ? `${hint} ${mapped.hint}` : hint },
      });
      return undefined;
    }
  };

  const resource: ResourceDef | undefined = catalog === 'v1' ? productsV1 : catalog === 'v3' ? productsV3 : undefined;
  const client = await step('checkout:visitor', 'get a new visitor token', 'Wix gave no token to a new visitor: check the client ID (wixq auth status).', async () => {
    // A visitor of the check's own: the same token request a first visit makes, kept in memory only.
    const fresh = await api.oauth.anonymous(api.clientId);
    const nowSeconds = Math.floor(clockOf(ctx.io).now() / 1000);
    const modules: ModuleName[] = ['currentCart', 'redirects', ...(resource?.modules ?? [])];
    const made = await createWixClient(modules, {
      clientId: api.clientId,
      tokens: { accessToken: { value: fresh.accessToken, expiresAt: nowSeconds + fresh.expiresIn }, refreshToken: { value: fresh.refreshToken, role: 'visitor' } },
    });
    return { value: made, details: 'a new visitor of its own (its token is never saved: the profile\u2019s session and cart are untouched)' };
  });
  if (!client) return skipRest();

  // The SDK calls the global fetch: the run's transport (API URL, retries, trace), as for the profile's own calls.
  const restore = transport.install();
  try {
    const line = await step('checkout:product', 'find a product to buy', 'The checkout check needs a visible, in-stock product that needs no choice or text (a product without options).', async () => {
      if (!resource) throw new WixqError(catalog === 'none' ? 'Wix Stores is not installed: there is no product to buy' : 'the catalog version is unknown (pass --catalog v1 or v3)');
      return buyableProduct(client, resource);
    });
    if (!line) return skipRest();
    /** Whether the add was answered: then there is a cart to delete, whatever it holds. */
    let cartMade = false;
    const added = await step('checkout:add', "add a product to a new visitor's cart", 'A new visitor could not add a product to the cart: the storefront\u2019s "add to cart" fails the same way.', async () => {
      const answer: Json = await client.currentCart.addToCurrentCart({ lineItems: [line.item] });
      cartMade = true;
      const cart = answer?.cart as Json | undefined;
      // Wix may answer 200 without the line, or with it unavailable (docs/wix-api.md 15.3): the answer must show it.
      const added = cartLines(cart).find((l) => l.catalogReference?.catalogItemId === line.item.catalogReference.catalogItemId);
      if (!cart || !added) throw new WixqError(`Wix answered the add of "${line.name}" with 200 but without its line in the cart: nothing was added`);
      const status = added.availability?.status;
      if (typeof status === 'string' && status !== 'AVAILABLE') throw new WixqError(`"${line.name}" is in the cart but ${status} (Wix's availability of the line)`);
      return { value: true, details: `1 × ${line.name} in a new cart${typeof cart._id === 'string' ? ` (${cart._id})` : ''}` };
    });
    if (added) {
      const checkoutId = await step('checkout:create', 'create a checkout from the cart', 'Creating a checkout from a visitor\u2019s cart failed: the storefront\u2019s checkout button fails the same way.', async () => {
        const created: Json = await client.currentCart.createCheckoutFromCurrentCart({ channelType: 'WEB' });
        const id = created?.checkoutId;
        if (typeof id !== 'string' || id === '') throw new WixqError('Wix answered the checkout without its ID');
        return { value: id, details: `checkout ${id} (it stays on the site as an abandoned checkout: a visitor cannot delete one)` };
      });
      if (checkoutId) {
        await step('checkout:url', 'create the checkout redirect session', 'Wix made the checkout but no page to pay on: check the Headless project\u2019s settings (allowed domains, the checkout app).', async () => {
          const session: Json = await client.redirects.createRedirectSession({ ecomCheckout: { checkoutId } });
          const url = session?.redirectSession?.fullUrl;
          if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+/.test(url)) throw new WixqError('Wix created the redirect session without a checkout URL');
          return { value: url, details: url };
        });
      }
    }
    if (!cartMade) return skipRest();
    for (const name of CHECKOUT_STEPS.slice(0, -1)) if (!results.some((r) => r.name === name)) results.push({ name, status: 'skip', ms: 0, details: `not run: ${failedStep} failed` });
    // The throwaway cart is deleted whatever happened after the add; a cart left behind is only a warning.
    const started = performance.now();
    try {
      await client.currentCart.deleteCurrentCart();
      results.push({ name: 'checkout:cleanup', status: 'pass', ms: elapsed(started), details: 'the new visitor\u2019s cart is deleted' });
    } catch (error) {
      const mapped = toWixqError(error, { action: 'delete the check\u2019s cart', lastRequestId: transport.lastRequestId(), role: 'visitor' });
      results.push({ name: 'checkout:cleanup', status: 'warn', ms: elapsed(started), details: `the new visitor's cart was left behind: ${mapped.message}` });
    }
    return results;
  } finally {
    restore();
  }
}

/** The first product a new visitor can buy as it is, and its line: visible, in stock, no choice or text to give. */
async function buyableProduct(client: WixClient, resource: ResourceDef): Promise<{ value: { item: Json; name: string }; details: string }> {
  let read = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await resource.list(client, { filter: {}, sort: [], limit: PAGE_SIZE, offset: page * PAGE_SIZE, ...(cursor && { cursor }) });
    read += answer.items.length;
    for (const product of answer.items) {
      const line = await asIs(client, resource, product);
      if (line) return { value: line, details: `"${line.name}"${typeof product.slug === 'string' ? ` (${product.slug})` : ''}: the first visible, in-stock product that needs no choice or text` };
    }
    const more = resource.paging === 'cursor' ? Boolean(answer.nextCursor) : (answer.total ?? 0) > read && answer.items.length === PAGE_SIZE;
    if (!more) break;
    cursor = answer.nextCursor ?? undefined;
  }
  throw new WixqError(`none of the ${read} products read is visible, in stock and free of required choices and texts`);
}

/** The line of a listed product when it can be bought without a choice or text, else undefined. */
async function asIs(client: WixClient, resource: ResourceDef, product: Item): Promise<{ item: Json; name: string } | undefined> {
  const p = product as Json;
  if (p.visible === false) return undefined;
  const v1 = resource === productsV1;
  const inStock = v1 ? p.stock?.inStock !== false && p.stock?.inventoryStatus !== 'OUT_OF_STOCK' : p.inventory?.availabilityStatus === undefined || p.inventory.availabilityStatus === 'IN_STOCK';
  if (!inStock) return undefined;
  const offer: ProductOffer = v1 ? offerOfV1(p) : offerOfV3(p);
  if (offer.options.length > 0 || offer.modifiers.some((m) => m.mandatory) || offer.texts.some((t) => t.mandatory)) return undefined;
  const selection = selectChoices(offer, { options: [], texts: [] });
  if (v1) return { item: lineItemFor(offer, selection, 1), name: offer.name };
  // Catalog V3 lists carry no variants: Get Product names the one variant a product without options has.
  const full = offerOfV3((await resource.get(client, String(p._id ?? p.id))) as Json);
  if (full.options.length > 0 || !full.variants || full.variants.length !== 1 || full.variants[0]!.inStock === false) return undefined;
  return { item: lineItemFor(full, selection, 1, pickVariant(full, full.variants, selection)), name: full.name };
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
