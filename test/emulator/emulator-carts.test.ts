import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID, DEMO_MEMBERS } from '../../src/emulator/index.js';
import { productVariants } from '../../src/emulator/site/catalog.js';
import { productVariantsOf, toV3Product } from '../../src/emulator/site/v3.js';
import type { V1Product } from '../../src/emulator/site/types.js';
import { emulatorControl, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/** The emulator's current carts and checkout redirects over raw HTTP (docs/wix-api.md 15). The SDK's view is in test/sdk/ecom.test.ts. */

type Json = Record<string, any>;

const STORES = '215238eb-22a5-4c36-9e7b-e7c08025e04e';
const CART = '/ecom/v1/carts/current';
const REDIRECT = '/_api/redirects-api/v1/redirect-session';

async function call(base: string, method: string, path: string, options: { body?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = options.token;
  const res = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), redirect: 'manual' });
  const text = await res.text();
  let json: Json | undefined;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = undefined;
  }
  return { status: res.status, json: json as Json, text };
}

async function visitor(base: string): Promise<{ access: string; refresh: string }> {
  const r = await call(base, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, grantType: 'anonymous' } });
  expect(r.status).toBe(200);
  return { access: r.json.access_token, refresh: r.json.refresh_token };
}

async function refreshed(base: string, refreshToken: string): Promise<string> {
  const r = await call(base, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, grantType: 'refresh_token', refreshToken } });
  expect(r.status).toBe(200);
  return r.json.access_token;
}

/** A member's access token by the PKCE login of docs/wix-api.md 1.3, as a storefront completes it. */
async function memberToken(base: string, member = DEMO_MEMBERS[0]!): Promise<string> {
  const v = await visitor(base);
  const login = await call(base, 'POST', '/_api/iam/authentication/v2/login', { token: v.access, body: { loginId: { email: member.email }, password: member.password } });
  expect(login.json.state).toBe('SUCCESS');
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = 'http://127.0.0.1:53682/callback';
  const authRequest = { clientId: DEMO_CLIENT_ID, redirectUri, responseType: 'code', responseMode: 'query', scope: 'offline_access', state: 's', codeChallenge: challenge, codeChallengeMethod: 'S256', sessionToken: login.json.sessionToken };
  const redirect = await call(base, 'POST', REDIRECT, { token: v.access, body: { auth: { authRequest, prompt: 'none' } } });
  const location = new URL((await fetch(redirect.json.redirectSession.fullUrl, { redirect: 'manual' })).headers.get('location')!);
  const grant = await call(base, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, grantType: 'authorization_code', redirectUri, code: location.searchParams.get('code'), codeVerifier: verifier } });
  expect(grant.status).toBe(200);
  return grant.json.access_token;
}

const line = (catalogItemId: string, quantity = 1, options?: Json) => ({ catalogReference: { appId: STORES, catalogItemId, ...(options && { options }) }, quantity });
const add = (emu: RunningEmulator, token: string, ...lineItems: Json[]) => call(emu.url, 'POST', `${CART}/add-to-cart`, { token, body: { lineItems } });

/** Products of the demo site by what their lines need. */
function v1Products(emu: RunningEmulator) {
  const visible = emu.site.products.filter((p) => p.visible);
  const choosable = (p: V1Product) => ((p.productOptions ?? []) as { choices?: unknown[] }[]).some((o) => (o.choices ?? []).length > 0);
  const plain = visible.find((p) => !choosable(p) && (p.stock as { inStock?: boolean }).inStock !== false)!;
  const byChoices = visible.find((p) => choosable(p) && !p.manageVariants)!;
  const managed = visible.find((p) => choosable(p) && p.manageVariants)!;
  const hidden = emu.site.products.find((p) => !p.visible)!;
  return { plain, byChoices, managed, hidden };
}

function choicesOf(product: V1Product): Record<string, string> {
  return productVariants(product)[0]!.choices as Record<string, string>;
}

describe('current cart on a Catalog V1 site', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    emu.reset();
    token = (await visitor(emu.url)).access;
  });

  it('answers 404 OWNED_CART_NOT_FOUND to a visitor without a cart, on every route that needs one', async () => {
    const calls = [
      call(emu.url, 'GET', CART, { token }),
      call(emu.url, 'POST', `${CART}/estimate-totals`, { token, body: {} }),
      call(emu.url, 'POST', `${CART}/update-line-items-quantity`, { token, body: { lineItems: [{ id: '11111111-1111-4111-8111-111111111111', quantity: 2 }] } }),
      call(emu.url, 'POST', `${CART}/remove-line-items`, { token, body: { lineItemIds: ['11111111-1111-4111-8111-111111111111'] } }),
      call(emu.url, 'POST', `${CART}/create-checkout`, { token, body: { channelType: 'WEB' } }),
      call(emu.url, 'DELETE', CART, { token }),
    ];
    for (const r of await Promise.all(calls)) {
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ message: 'Owned cart not found', details: { applicationError: { code: 'OWNED_CART_NOT_FOUND', description: 'Owned cart not found', data: {} } } });
    }
  });

  it('adds a product without options, and serves the cart in the wire shape', async () => {
    const { plain } = v1Products(emu);
    const r = await add(emu, token, line(plain.id, 2));
    expect(r.status).toBe(200);
    const cart = r.json.cart;
    const price = (plain.priceData as { price: number; discountedPrice: number });
    expect(cart).toMatchObject({
      id: expect.any(String),
      buyerInfo: { visitorId: expect.any(String) },
      currency: 'USD',
      createdDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedDate: expect.any(String),
    });
    expect(cart.buyerInfo.memberId).toBeUndefined();
    expect(cart.lineItems).toHaveLength(1);
    expect(cart.lineItems[0]).toMatchObject({
      id: expect.any(String),
      quantity: 2,
      catalogReference: { appId: STORES, catalogItemId: plain.id },
      productName: { original: plain.name, translated: plain.name },
      price: { amount: String(price.discountedPrice), formattedAmount: expect.stringContaining('$') },
      fullPrice: { amount: String(price.price) },
      priceBeforeDiscounts: { amount: String(price.discountedPrice) },
      descriptionLines: [],
      image: { url: expect.stringMatching(/^https:\/\/static\.wixstatic\.com\//) },
      availability: { status: 'AVAILABLE' },
      itemType: { preset: 'PHYSICAL' },
      url: { relativePath: `/product-page/${plain.slug}`, url: expect.stringContaining(`/product-page/${plain.slug}`) },
    });
    const got = await call(emu.url, 'GET', CART, { token });
    expect(got.status).toBe(200);
    expect(got.json.cart).toEqual(cart);
  });

  it('adds by choices when the product does not manage variants, with the choices as description lines', async () => {
    const { byChoices } = v1Products(emu);
    const choices = choicesOf(byChoices);
    const r = await add(emu, token, line(byChoices.id, 1, { options: choices }));
    expect(r.status).toBe(200);
    const names = r.json.cart.lineItems[0].descriptionLines.map((d: Json) => [d.name.original, (d.plainText ?? d.colorInfo).original]);
    expect(Object.fromEntries(names)).toEqual(choices);
  });

  it('adds by variant ID when the product manages its variants', async () => {
    const { managed } = v1Products(emu);
    const variant = productVariants(managed)[0]!;
    const r = await add(emu, token, line(managed.id, 1, { variantId: variant.id }));
    expect(r.status).toBe(200);
    expect(r.json.cart.lineItems[0].catalogReference.options).toEqual({ variantId: variant.id });
  });

  it('adds the same product with the same options to its line, and another choice as a new line', async () => {
    const { byChoices } = v1Products(emu);
    const variants = productVariants(byChoices);
    await add(emu, token, line(byChoices.id, 1, { options: variants[0]!.choices }));
    const again = await add(emu, token, line(byChoices.id, 3, { options: variants[0]!.choices }));
    expect(again.json.cart.lineItems.map((l: Json) => l.quantity)).toEqual([4]);
    const other = await add(emu, token, line(byChoices.id, 1, { options: variants[1]!.choices }));
    expect(other.json.cart.lineItems.map((l: Json) => l.quantity)).toEqual([4, 1]);
  });

  it('updates quantities, removes lines, estimates totals and deletes the cart', async () => {
    const { plain, byChoices } = v1Products(emu);
    const added = await add(emu, token, line(plain.id, 1), line(byChoices.id, 2, { options: choicesOf(byChoices) }));
    const [first, second] = added.json.cart.lineItems as Json[];
    const updated = await call(emu.url, 'POST', `${CART}/update-line-items-quantity`, { token, body: { lineItems: [{ id: first!.id, quantity: 5 }] } });
    expect(updated.status).toBe(200);
    expect(updated.json.cart.lineItems.map((l: Json) => l.quantity)).toEqual([5, 2]);
    const totals = await call(emu.url, 'POST', `${CART}/estimate-totals`, { token, body: {} });
    expect(totals.status).toBe(200);
    const unit = (p: V1Product) => (p.priceData as { discountedPrice: number }).discountedPrice;
    const subtotal = Math.round((unit(plain) * 5 + unit(byChoices) * 2) * 100) / 100;
    expect(totals.json.cart.lineItems).toHaveLength(2);
    expect(totals.json.priceSummary).toMatchObject({ subtotal: { amount: String(subtotal) }, tax: { amount: '0' }, shipping: { amount: '0' }, total: { amount: String(subtotal) } });
    const removed = await call(emu.url, 'POST', `${CART}/remove-line-items`, { token, body: { lineItemIds: [second!.id] } });
    expect(removed.json.cart.lineItems.map((l: Json) => l.id)).toEqual([first!.id]);
    const deleted = await call(emu.url, 'DELETE', CART, { token });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({});
    expect((await call(emu.url, 'GET', CART, { token })).status).toBe(404);
  });

  it('creates a checkout and a redirect session whose URL is on the demo site', async () => {
    const { plain } = v1Products(emu);
    await add(emu, token, line(plain.id));
    const checkout = await call(emu.url, 'POST', `${CART}/create-checkout`, { token, body: { channelType: 'WEB' } });
    expect(checkout.status).toBe(200);
    expect(checkout.json).toEqual({ checkoutId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const { checkoutId } = checkout.json;
    expect((await call(emu.url, 'GET', CART, { token })).json.cart.checkoutId).toBe(checkoutId);
    const session = await call(emu.url, 'POST', REDIRECT, { token, body: { ecomCheckout: { checkoutId }, callbacks: { postFlowUrl: 'https://shop.example.com/' } } });
    expect(session.status).toBe(200);
    const url = new URL(session.json.redirectSession.fullUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${emu.site.siteUrl}/checkout`);
    expect(url.searchParams.get('checkoutId')).toBe(checkoutId);
    expect(url.searchParams.get('postFlowUrl')).toBe('https://shop.example.com/');
    expect(session.json.redirectSession).toMatchObject({ id: expect.any(String), urlDetails: { endpoint: `${emu.site.siteUrl}/checkout`, searchParams: { checkoutId } } });
  });
});

describe('a cart per identity', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it('keeps the cart of a visitor across a refreshed token, and not for another visitor or a member', async () => {
    const { plain } = v1Products(emu);
    const a = await visitor(emu.url);
    await add(emu, a.access, line(plain.id, 2));
    const renewed = await refreshed(emu.url, a.refresh);
    expect(renewed).not.toBe(a.access);
    expect((await call(emu.url, 'GET', CART, { token: renewed })).json.cart.lineItems[0].quantity).toBe(2);
    const b = await visitor(emu.url);
    expect((await call(emu.url, 'GET', CART, { token: b.access })).status).toBe(404);
    const member = await memberToken(emu.url);
    expect((await call(emu.url, 'GET', CART, { token: member })).status).toBe(404);
    const memberCart = await add(emu, member, line(plain.id, 1));
    expect(memberCart.json.cart.buyerInfo).toEqual({ memberId: DEMO_MEMBERS[0]!.id });
    expect((await call(emu.url, 'GET', CART, { token: a.access })).json.cart.lineItems[0].quantity).toBe(2);
  });

  it('forgets every cart on reset, unless asked to keep them', async () => {
    const { plain } = v1Products(emu);
    const a = await visitor(emu.url);
    await add(emu, a.access, line(plain.id));
    await emulatorControl(emu.url, 'POST', 'reset', { keepCarts: true });
    expect((await call(emu.url, 'GET', CART, { token: a.access })).status).toBe(200);
    emu.reset({ keepCarts: true });
    expect((await call(emu.url, 'GET', CART, { token: a.access })).status).toBe(200);
    await emulatorControl(emu.url, 'POST', 'reset', {});
    expect((await call(emu.url, 'GET', CART, { token: a.access })).status).toBe(404);
    await add(emu, a.access, line(plain.id));
    emu.reset();
    expect((await call(emu.url, 'GET', CART, { token: a.access })).status).toBe(404);
  });

  it('asks for a token', async () => {
    const r = await call(emu.url, 'GET', CART);
    expect(r.status).toBe(401);
    expect(r.json.details.applicationError.code).toBe('UNAUTHENTICATED');
  });
});

describe('current cart on a Catalog V3 site', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startTestEmulator({ catalog: 'v3' });
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    emu.reset();
    token = (await visitor(emu.url)).access;
  });

  const v3 = () => emu.site.products.filter((p) => p.visible).map((p) => toV3Product(p, emu.site));

  it('adds a variant by options.variantId at its actual price, with its choices as description lines', async () => {
    const product = v3().find((p) => productVariantsOf(p).length > 1)!;
    const variant = productVariantsOf(product)[1]!;
    const r = await add(emu, token, line(product.id, 2, { variantId: variant.id }));
    expect(r.status).toBe(200);
    const item = r.json.cart.lineItems[0];
    expect(item.price.amount).toBe((variant.price as { actualPrice: { amount: string } }).actualPrice.amount);
    const names = (variant.choices as Json[]).map((c) => c.optionChoiceNames.choiceName);
    expect(item.descriptionLines.map((d: Json) => (d.plainText ?? d.colorInfo).original)).toEqual(names);
    const totals = await call(emu.url, 'POST', `${CART}/estimate-totals`, { token, body: {} });
    expect(totals.json.priceSummary.subtotal.amount).toBe(String(Math.round(Number(item.price.amount) * 2 * 100) / 100));
  });

  it('adds a product with a single variant without options', async () => {
    const product = v3().find((p) => productVariantsOf(p).length === 1)!;
    const r = await add(emu, token, line(product.id));
    expect(r.status).toBe(200);
    expect(r.json.cart.lineItems[0].catalogReference).toEqual({ appId: STORES, catalogItemId: product.id });
  });
});
