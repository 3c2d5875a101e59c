import { createClient, OAuthStrategy } from '@wix/sdk';
import * as currentCart from '@wix/auto_sdk_ecom_current-cart';
import * as redirects from '@wix/auto_sdk_redirects_redirects';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productVariants } from '../../src/emulator/site/catalog.js';
import { productVariantsOf, toV3Product } from '../../src/emulator/site/v3.js';
import type { V1Product } from '../../src/emulator/site/types.js';
import { DEMO_MEMBERS } from '../../src/emulator/index.js';
import { emulatorControl, redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/**
 * The official Current Cart (`@wix/auto_sdk_ecom_current-cart`, `currentCart` of `@wix/ecom`) and Redirects
 * (`@wix/auto_sdk_redirects_redirects`) modules against the emulator, as a Headless storefront calls them
 * (docs/wix-api.md 15).
 */

const STORES = '215238eb-22a5-4c36-9e7b-e7c08025e04e';
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

function makeClient(clientId: string) {
  return createClient({ modules: { currentCart, redirects }, auth: OAuthStrategy({ clientId }) });
}
type Client = ReturnType<typeof makeClient>;

/** What a call throws (the SDK's error, carrying Wix's details). */
async function thrown(run: () => Promise<unknown>): Promise<any> {
  return run().then(
    () => expect.unreachable('should throw'),
    (e: unknown) => e,
  );
}

function choosable(p: V1Product): boolean {
  return ((p.productOptions ?? []) as { choices?: unknown[] }[]).some((o) => (o.choices ?? []).length > 0);
}

/** The member login of docs/wix-api.md 1.3 through the SDK (as test/sdk/auth.test.ts does it). */
async function loginAsMember(emu: RunningEmulator, client: Client) {
  const member = DEMO_MEMBERS[0]!;
  const login: any = await client.auth.login({ email: member.email, password: member.password });
  const oauthData = client.auth.generateOAuthData(REDIRECT_URI);
  const { authUrl } = await client.auth.getAuthUrl(oauthData, { prompt: 'none', responseMode: 'query', sessionToken: login.data.sessionToken } as any);
  const location = (await fetch(authUrl, { redirect: 'manual' })).headers.get('location')!;
  const { code, state } = client.auth.parseFromUrl(location, 'query');
  client.auth.setTokens(await client.auth.getMemberTokens(code!, state!, oauthData));
  expect(emu.url).toBeTruthy();
}

describe('currentCart and redirects on a Catalog V1 site', () => {
  let emu: RunningEmulator;
  let restore: () => void;
  beforeAll(async () => {
    emu = await startTestEmulator();
    restore = redirectFetch(emu.url);
  });
  afterAll(async () => {
    restore();
    await emu.close();
  });

  it('getCurrentCart without a cart throws the 404 OWNED_CART_NOT_FOUND that storefronts read as "no cart yet"', async () => {
    const client = makeClient(emu.clientId);
    const error = await thrown(() => client.currentCart.getCurrentCart());
    // The test @wix/headless-ecom makes (dist/services/current-cart-service.js, loadCurrentCartServiceConfig).
    expect(error.details.applicationError.code).toBe('OWNED_CART_NOT_FOUND');
    expect(error.status).toBe(404);
  });

  it('adds by choices and by variant, estimates, updates, removes, checks out and deletes', async () => {
    const client = makeClient(emu.clientId);
    const visible = emu.site.products.filter((p) => p.visible);
    const byChoices = visible.find((p) => choosable(p) && !p.manageVariants)!;
    const managed = visible.find((p) => choosable(p) && p.manageVariants)!;
    const choices = productVariants(byChoices)[0]!.choices as Record<string, string>;
    const variantId = String(productVariants(managed)[0]!.id);
    const added = await client.currentCart.addToCurrentCart({
      lineItems: [
        { catalogReference: { appId: STORES, catalogItemId: byChoices.id, options: { options: choices } }, quantity: 2 },
        { catalogReference: { appId: STORES, catalogItemId: managed.id, options: { variantId } }, quantity: 1 },
      ],
    });
    const cart = added.cart!;
    expect(cart._id).toEqual(expect.any(String));
    expect(cart._createdDate).toBeInstanceOf(Date);
    expect(cart.buyerInfo?.visitorId).toEqual(expect.any(String));
    expect(cart.lineItems!.map((l) => [l.catalogReference!.catalogItemId, l.quantity])).toEqual([[byChoices.id, 2], [managed.id, 1]]);
    // The SDK turns the REST image and page URL into its strings.
    expect(cart.lineItems![0]!.image).toMatch(/^wix:image:\/\/v1\//);
    expect(cart.lineItems![0]!.url).toMatch(/^https:\/\/.*\/product-page\//);
    expect((await client.currentCart.getCurrentCart())._id).toBe(cart._id);

    const [first, second] = cart.lineItems!;
    const unit = (l: typeof first) => Number(l!.price!.amount);
    const totals = await client.currentCart.estimateCurrentCartTotals();
    expect(Number(totals.priceSummary!.subtotal!.amount)).toBeCloseTo(unit(first) * 2 + unit(second), 2);
    expect(totals.cart!.lineItems).toHaveLength(2);

    const updated = await client.currentCart.updateCurrentCartLineItemQuantity([{ _id: first!._id!, quantity: 7 }]);
    expect(updated.cart!.lineItems!.map((l) => l.quantity)).toEqual([7, 1]);
    const removed = await client.currentCart.removeLineItemsFromCurrentCart([second!._id!]);
    expect(removed.cart!.lineItems!.map((l) => l._id)).toEqual([first!._id]);

    const { checkoutId } = await client.currentCart.createCheckoutFromCurrentCart({ channelType: currentCart.ChannelType.WEB });
    expect(checkoutId).toEqual(expect.any(String));
    const { redirectSession } = await client.redirects.createRedirectSession({ ecomCheckout: { checkoutId }, callbacks: { postFlowUrl: 'https://shop.example.com/' } });
    expect(redirectSession!.fullUrl!.startsWith(`${emu.site.siteUrl}/checkout?`)).toBe(true);
    expect(new URL(redirectSession!.fullUrl!).searchParams.get('checkoutId')).toBe(checkoutId);

    await client.currentCart.deleteCurrentCart();
    expect((await thrown(() => client.currentCart.getCurrentCart())).details.applicationError.code).toBe('OWNED_CART_NOT_FOUND');
  });

  it("keeps a member's cart apart from the visitor's", async () => {
    const client = makeClient(emu.clientId);
    const product = emu.site.products.find((p) => p.visible && !choosable(p))!;
    await client.currentCart.addToCurrentCart({ lineItems: [{ catalogReference: { appId: STORES, catalogItemId: product.id }, quantity: 1 }] });
    await loginAsMember(emu, client);
    expect((await thrown(() => client.currentCart.getCurrentCart())).details.applicationError.code).toBe('OWNED_CART_NOT_FOUND');
    const { cart } = await client.currentCart.addToCurrentCart({ lineItems: [{ catalogReference: { appId: STORES, catalogItemId: product.id }, quantity: 3 }] });
    expect(cart!.buyerInfo).toEqual({ memberId: DEMO_MEMBERS[0]!.id });
  });

  it('surfaces a refused line as the SDK error with Wix details', async () => {
    const client = makeClient(emu.clientId);
    const product = emu.site.products.find((p) => p.visible && choosable(p) && !p.manageVariants)!;
    const error = await thrown(() => client.currentCart.addToCurrentCart({ lineItems: [{ catalogReference: { appId: STORES, catalogItemId: product.id }, quantity: 1 }] }));
    expect(error.status).toBe(400);
    expect(error.details.applicationError.code).toEqual(expect.any(String));
  });
});

describe('the refusals and the switches as the SDK surfaces them', () => {
  let emu: RunningEmulator;
  let restore: () => void;
  beforeAll(async () => {
    emu = await startTestEmulator();
    restore = redirectFetch(emu.url);
  });
  afterAll(async () => {
    restore();
    await emu.close();
  });

  it('a checkout on a site that accepts no payments: 428 with Wix\'s code and message', async () => {
    const client = makeClient(emu.clientId);
    const product = emu.site.products.find((p) => p.visible && !choosable(p) && (p.stock as { inStock?: boolean }).inStock !== false)!;
    await client.currentCart.addToCurrentCart({ lineItems: [{ catalogReference: { appId: STORES, catalogItemId: product.id }, quantity: 1 }] });
    await emulatorControl(emu.url, 'POST', 'config', { acceptsPayments: false });
    try {
      const error = await thrown(() => client.currentCart.createCheckoutFromCurrentCart({ channelType: currentCart.ChannelType.WEB }));
      expect(error.status).toBe(428);
      expect(error.details.applicationError.code).toBe('SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT');
      // What storefront code matches on (error.message includes the body's message).
      expect(error.message).toContain('Site must accept payments');
    } finally {
      await emulatorControl(emu.url, 'POST', 'config', { acceptsPayments: true });
    }
  });

  it('silent mode: addToCurrentCart resolves, and the cart does not hold the line', async () => {
    const client = makeClient(emu.clientId);
    const managed = emu.site.products.find((p) => p.visible && choosable(p) && p.manageVariants)!;
    await emulatorControl(emu.url, 'POST', 'config', { cartLineRefusals: 'silent' });
    try {
      const { cart } = await client.currentCart.addToCurrentCart({ lineItems: [{ catalogReference: { appId: STORES, catalogItemId: managed.id }, quantity: 1 }] });
      expect(cart!.lineItems ?? []).toEqual([]);
      expect((await client.currentCart.getCurrentCart()).lineItems ?? []).toEqual([]);
    } finally {
      await emulatorControl(emu.url, 'POST', 'config', { cartLineRefusals: 'error' });
    }
  });
});

describe('currentCart on a Catalog V3 site', () => {
  let emu: RunningEmulator;
  let restore: () => void;
  beforeAll(async () => {
    emu = await startTestEmulator({ catalog: 'v3' });
    restore = redirectFetch(emu.url);
  });
  afterAll(async () => {
    restore();
    await emu.close();
  });

  it('adds a variant with options.variantId, as @wix/headless-stores sends it', async () => {
    const client = makeClient(emu.clientId);
    const product = emu.site.products.filter((p) => p.visible).map((p) => toV3Product(p, emu.site)).find((p) => productVariantsOf(p).length > 1)!;
    const variant = productVariantsOf(product)[0]!;
    // dist/services/selected-variant-service.js: {variantId, preOrderRequested}.
    const { cart } = await client.currentCart.addToCurrentCart({
      lineItems: [{ catalogReference: { appId: STORES, catalogItemId: product.id, options: { variantId: variant.id, preOrderRequested: false } }, quantity: 1 }],
    });
    expect(cart!.lineItems![0]!.price!.amount).toBe((variant.price as { actualPrice: { amount: string } }).actualPrice.amount);
    const totals = await client.currentCart.estimateCurrentCartTotals();
    expect(totals.priceSummary!.subtotal!.amount).toBe(cart!.lineItems![0]!.price!.amount);
    const error = await thrown(() => client.currentCart.addToCurrentCart({ lineItems: [{ catalogReference: { appId: STORES, catalogItemId: product.id }, quantity: 1 }] }));
    expect(error.status).toBe(400);
  });
});
