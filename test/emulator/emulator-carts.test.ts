import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID, DEMO_MEMBERS, parseSiteData, SiteDataError } from '../../src/emulator/index.js';
import { productVariants } from '../../src/emulator/site/catalog.js';
import { productVariantsOf, toV3Product } from '../../src/emulator/site/v3.js';
import type { V1Product } from '../../src/emulator/site/types.js';
import { emulatorControl, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';
import { probeRoutes } from './probe.js';

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
  const inStock = (p: V1Product) => (p.stock as { inStock?: boolean }).inStock !== false;
  const byChoices = visible.find((p) => choosable(p) && !p.manageVariants && inStock(p))!;
  const managed = visible.find((p) => choosable(p) && p.manageVariants && (productVariants(p)[0]!.stock as { inStock: boolean }).inStock)!;
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
    // A checkout made from this cart before is updated, not made again.
    await add(emu, token, line(plain.id));
    expect((await call(emu.url, 'POST', `${CART}/create-checkout`, { token, body: { channelType: 'WEB' } })).json.checkoutId).toBe(checkoutId);
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
    // The same member logged in from another visitor session has the same cart.
    const again = await memberToken(emu.url);
    expect((await call(emu.url, 'GET', CART, { token: again })).json.cart.id).toBe(memberCart.json.cart.id);
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

/** A hand-written V1 site with the products each refusal needs (docs/reference.md 7.3). */
const CLIENT = 'cart-test-client';
const tee = [
  { name: 'Size', choices: [{ description: 'S' }, { description: 'M' }] },
  { name: 'Color', optionType: 'color', choices: [{ value: '#ff0000', description: 'Red' }, { value: '#0000ff', description: 'Blue' }] },
];
const V1_SITE = {
  clientIds: [CLIENT],
  currency: 'USD',
  ecom: { taxRate: 0.1, shippingPrice: 5 },
  products: [
    { id: 'p-plain', name: 'Plain Mug', price: 10 },
    { id: 'p-sale', name: 'Sale Mug', priceData: { price: 20, discountedPrice: 15 } },
    { id: 'p-text', name: 'Engraved Pen', price: 20, customTextFields: [{ title: 'Engraving', maxLength: 10, mandatory: true }, { title: 'Note', maxLength: 20, mandatory: false }] },
    { id: 'p-tee', name: 'Tee', price: 15, productOptions: tee },
    { id: 'p-managed', name: 'Managed Tee', price: 25, manageVariants: true, productOptions: tee },
    { id: 'p-out', name: 'Gone Mug', price: 5, stock: { trackInventory: false, inStock: false, inventoryStatus: 'OUT_OF_STOCK' } },
    { id: 'p-tracked', name: 'Counted Mug', price: 7, stock: { trackInventory: true, quantity: 10, inStock: true, inventoryStatus: 'IN_STOCK' } },
    { id: 'p-hidden', name: 'Hidden Mug', price: 9, visible: false },
    { id: 'p-digital', name: 'Guide', price: 3, productType: 'digital', media: { items: [] } },
  ],
};

function refusedLine(r: { status: number; json: Json }, code: string) {
  expect(r.status).toBe(400);
  expect(r.json.details.applicationError.code).toBe(code);
  expect(r.json.message).toEqual(expect.any(String));
}

describe('what the current cart refuses (Catalog V1 data file)', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startTestEmulator({ data: parseSiteData(V1_SITE, 'cart site') });
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    emu.reset();
    await emulatorControl(emu.url, 'POST', 'config', { cartLineRefusals: 'error', acceptsPayments: true });
    const r = await call(emu.url, 'POST', '/oauth2/token', { body: { clientId: CLIENT, grantType: 'anonymous' } });
    token = r.json.access_token;
  });
  const managedVariant = () => productVariants(emu.site.products.find((p) => p.id === 'p-managed')!).find((v) => (v.choices as Json).Size === 'M' && (v.choices as Json).Color === 'Blue')!;

  it.each([
    ['an unknown product', line('no-such-product')],
    ['a hidden product', line('p-hidden')],
    ['another app\'s catalog', { catalogReference: { appId: '13d21c63-b5ec-5912-8397-c3a5ddb27a97', catalogItemId: 'p-plain' }, quantity: 1 }],
    ['a variant ID on a product that does not manage variants', line('p-tee', 1, { variantId: '00000000-0000-0000-0000-000000000000' })],
    ['choices on a product that manages variants', line('p-managed', 1, { options: { Size: 'S', Color: 'Red' } })],
    ['a managed product without a variant ID', line('p-managed', 1)],
    ['an unknown variant ID', line('p-managed', 1, { variantId: '11111111-1111-4111-8111-111111111111' })],
    ['both a variant ID and choices', line('p-managed', 1, { variantId: 'x', options: { Size: 'S' } })],
    ['a product with options and no choice', line('p-tee', 1)],
    ['a missing choice', line('p-tee', 1, { options: { Size: 'S' } })],
    ['an unknown option', line('p-tee', 1, { options: { Size: 'S', Color: 'Red', Fit: 'Slim' } })],
    ['an unknown choice', line('p-tee', 1, { options: { Size: 'XL', Color: 'Red' } })],
    ['choices on a product without options', line('p-plain', 1, { options: { Size: 'S' } })],
    ['a missing mandatory custom text', line('p-text', 1)],
    ['a custom text longer than the field takes', line('p-text', 1, { customTextFields: { Engraving: 'far too long a text' } })],
    ['an unknown custom text field', line('p-text', 1, { customTextFields: { Engraving: 'Hi', Colour: 'red' } })],
  ])('refuses %s with 400 ITEM_NOT_FOUND_IN_CATALOG, and adds nothing', async (_what, item) => {
    const r = await add(emu, token, line('p-plain'), item);
    refusedLine(r, 'ITEM_NOT_FOUND_IN_CATALOG');
    expect(r.json.details.applicationError.data).toEqual({ invalidItems: [{ catalogReference: item.catalogReference }] });
    // The good line of the same request was not added either: no cart was made.
    expect((await call(emu.url, 'GET', CART, { token })).status).toBe(404);
  });

  it('adds what the catalog gives: choices, a managed variant, custom texts, with their description lines', async () => {
    const v = managedVariant();
    const r = await add(emu, token, line('p-tee', 1, { options: { Size: 'M', Color: 'Blue' } }), line('p-managed', 2, { variantId: v.id }), line('p-text', 1, { customTextFields: { Engraving: 'Ada' } }));
    expect(r.status).toBe(200);
    const [teeLine, managedLine, pen] = r.json.cart.lineItems as Json[];
    expect(teeLine!.descriptionLines).toEqual([
      { name: { original: 'Size', translated: 'Size' }, plainText: { original: 'M', translated: 'M' } },
      { name: { original: 'Color', translated: 'Color' }, colorInfo: { original: 'Blue', translated: 'Blue', code: '#0000ff' } },
    ]);
    expect(managedLine!.quantity).toBe(2);
    expect(pen!.descriptionLines).toEqual([{ name: { original: 'Engraving', translated: 'Engraving' }, plainText: { original: 'Ada', translated: 'Ada' } }]);
    // Another engraving is another line; the same one adds to its line.
    const again = await add(emu, token, line('p-text', 1, { customTextFields: { Engraving: 'Ada' } }), line('p-text', 1, { customTextFields: { Engraving: 'Grace' } }));
    expect(again.json.cart.lineItems.map((l: Json) => l.quantity)).toEqual([1, 2, 2, 1]);
  });

  it.each([
    ['0', 0, 'MIN'],
    ['a negative number', -1, 'MIN'],
    ['a fraction', 1.5, 'FORMAT'],
    ['text', '2', 'FORMAT'],
    ['above 100000', 100_001, 'MAX'],
    ['missing', undefined, 'REQUIRED_FIELD'],
  ])('refuses a quantity that is %s with a validation error', async (_what, quantity, rule) => {
    const r = await add(emu, token, { catalogReference: { appId: STORES, catalogItemId: 'p-plain' }, ...(quantity !== undefined && { quantity }) });
    expect(r.status).toBe(400);
    expect(r.json.details.validationError.fieldViolations[0]).toMatchObject({ field: 'lineItems[0].quantity', violatedRule: rule });
    expect((await call(emu.url, 'GET', CART, { token })).status).toBe(404);
  });

  it('refuses a quantity that would take a line above 100000', async () => {
    await add(emu, token, line('p-plain', 60_000));
    const r = await add(emu, token, line('p-plain', 50_000));
    expect(r.json.details.validationError.fieldViolations[0]).toMatchObject({ field: 'lineItems[0].quantity', violatedRule: 'MAX' });
    expect((await call(emu.url, 'GET', CART, { token })).json.cart.lineItems[0].quantity).toBe(60_000);
  });

  it('refuses what is out of stock, or more than the tracked stock, with 400 INSUFFICIENT_INVENTORY', async () => {
    const gone = await add(emu, token, line('p-out'));
    refusedLine(gone, 'INSUFFICIENT_INVENTORY');
    expect(gone.json.message).toContain('exceeds available inventory');
    const available = (productVariants(emu.site.products.find((p) => p.id === 'p-tracked')!)[0]!.stock as { quantity: number }).quantity;
    refusedLine(await add(emu, token, line('p-tracked', available + 1)), 'INSUFFICIENT_INVENTORY');
    const ok = await add(emu, token, line('p-tracked', available));
    expect(ok.json.cart.lineItems[0].availability).toEqual({ status: 'AVAILABLE', quantityAvailable: available });
    const lineId = ok.json.cart.lineItems[0].id;
    const more = await call(emu.url, 'POST', `${CART}/update-line-items-quantity`, { token, body: { lineItems: [{ id: lineId, quantity: available + 1 }] } });
    refusedLine(more, 'INSUFFICIENT_INVENTORY');
  });

  it('refuses unknown line IDs on update and remove with 400 LINE_ITEM_NOT_FOUND_IN_CART', async () => {
    await add(emu, token, line('p-plain'));
    const id = '11111111-1111-4111-8111-111111111111';
    refusedLine(await call(emu.url, 'POST', `${CART}/update-line-items-quantity`, { token, body: { lineItems: [{ id, quantity: 2 }] } }), 'LINE_ITEM_NOT_FOUND_IN_CART');
    refusedLine(await call(emu.url, 'POST', `${CART}/remove-line-items`, { token, body: { lineItemIds: [id] } }), 'LINE_ITEM_NOT_FOUND_IN_CART');
    expect((await call(emu.url, 'GET', CART, { token })).json.cart.lineItems).toHaveLength(1);
  });

  it('in silent mode answers 200 and leaves out what the catalog cannot give, as Wix\'s storefront guidance reports', async () => {
    await emulatorControl(emu.url, 'POST', 'config', { cartLineRefusals: 'silent' });
    const r = await add(emu, token, line('p-managed', 1), line('no-such-product'));
    expect(r.status).toBe(200);
    // "HTTP 200 but adds nothing — the silent empty cart".
    expect(r.json.cart.lineItems).toEqual([]);
    const out = await add(emu, token, line('p-out'), line('p-plain'));
    expect(out.json.cart.lineItems.map((l: Json) => [l.catalogReference.catalogItemId, l.availability.status])).toEqual([
      ['p-out', 'NOT_AVAILABLE'],
      ['p-plain', 'AVAILABLE'],
    ]);
    const tracked = await add(emu, token, line('p-tracked', 1));
    const trackedLine = tracked.json.cart.lineItems.find((l: Json) => l.catalogReference.catalogItemId === 'p-tracked');
    const capped = await call(emu.url, 'POST', `${CART}/update-line-items-quantity`, { token, body: { lineItems: [{ id: trackedLine.id, quantity: 999 }, { id: '11111111-1111-4111-8111-111111111111', quantity: 2 }] } });
    expect(capped.status).toBe(200);
    expect(capped.json.cart.lineItems.find((l: Json) => l.id === trackedLine.id).quantity).toBe(trackedLine.availability.quantityAvailable);
    const removed = await call(emu.url, 'POST', `${CART}/remove-line-items`, { token, body: { lineItemIds: ['11111111-1111-4111-8111-111111111111'] } });
    expect(removed.json.cart.lineItems).toHaveLength(3);
  });

  it('refuses fields the request types do not declare, custom lines and catalog overrides', async () => {
    const unknownTop = await call(emu.url, 'POST', `${CART}/add-to-cart`, { token, body: { lineItems: [line('p-plain')], coupon: 'X' } });
    expect(unknownTop.status).toBe(400);
    expect(unknownTop.json.details.validationError.fieldViolations[0]).toMatchObject({ field: 'coupon', violatedRule: 'FIELD_NOT_ALLOWED' });
    const unknownLine = await add(emu, token, { ...line('p-plain'), qty: 2 });
    expect(unknownLine.json.details.validationError.fieldViolations[0].field).toBe('lineItems[0].qty');
    const unknownReference = await add(emu, token, { catalogReference: { appId: STORES, catalogItemId: 'p-plain', variant: 'x' }, quantity: 1 });
    expect(unknownReference.json.details.validationError.fieldViolations[0].field).toBe('lineItems[0].catalogReference.variant');
    expect((await add(emu, token, { ...line('p-plain'), catalogOverrideFields: { productName: { original: 'Free' } } })).status).toBe(403);
    const custom = await call(emu.url, 'POST', `${CART}/add-to-cart`, { token, body: { customLineItems: [{ quantity: 1, productName: { original: 'Gift' } }] } });
    expect(custom.status).toBe(403);
    expect(custom.json.details.applicationError.code).toBe('PERMISSION_DENIED');
    for (const body of [{ lineItems: [] }, {}, { lineItems: Array.from({ length: 101 }, () => line('p-plain')) }, { lineItems: 'p-plain' }]) {
      const r = await call(emu.url, 'POST', `${CART}/add-to-cart`, { token, body });
      expect(r.status).toBe(400);
      expect(r.json.details.validationError.fieldViolations[0].field).toBe('lineItems');
    }
    const noReference = await add(emu, token, { quantity: 1 });
    expect(noReference.json.details.validationError.fieldViolations[0]).toMatchObject({ field: 'lineItems[0].catalogReference', violatedRule: 'REQUIRED_FIELD' });
    const noApp = await add(emu, token, { catalogReference: { catalogItemId: 'p-plain' }, quantity: 1 });
    expect(noApp.json.details.validationError.fieldViolations[0].field).toBe('lineItems[0].catalogReference.appId');
    expect((await call(emu.url, 'GET', CART, { token })).status).toBe(404);
  });

  it('estimates totals with the data file\'s tax rate and shipping price', async () => {
    await add(emu, token, line('p-sale', 3), line('p-plain', 1));
    const totals = await call(emu.url, 'POST', `${CART}/estimate-totals`, { token, body: {} });
    expect(totals.json.priceSummary).toMatchObject({ subtotal: { amount: '55' }, shipping: { amount: '5' }, tax: { amount: '5.5' }, total: { amount: '65.5', formattedAmount: '$65.50' } });
    const noTax = await call(emu.url, 'POST', `${CART}/estimate-totals`, { token, body: { calculateTax: false, calculateShipping: false } });
    expect(noTax.json.priceSummary).toMatchObject({ subtotal: { amount: '55' }, shipping: { amount: '0' }, tax: { amount: '0' }, total: { amount: '55' } });
    expect((await call(emu.url, 'POST', `${CART}/estimate-totals`, { token, body: { coupon: 'X' } })).status).toBe(400);
    expect((await call(emu.url, 'POST', `${CART}/estimate-totals`, { token, body: { calculateTax: 'no' } })).status).toBe(400);
    const sale = totals.json.cart.lineItems[0];
    expect(sale).toMatchObject({ price: { amount: '15' }, fullPrice: { amount: '20' }, lineItemPrice: { amount: '45' } });
  });

  it('charges no shipping for a cart of digital lines, and serves a line of a product without media', async () => {
    const r = await add(emu, token, line('p-digital', 2));
    expect(r.status).toBe(200);
    expect(r.json.cart.lineItems[0].image).toBeUndefined();
    expect(r.json.cart.lineItems[0].itemType).toEqual({ preset: 'DIGITAL' });
    const totals = await call(emu.url, 'POST', `${CART}/estimate-totals`, { token, body: {} });
    expect(totals.json.priceSummary).toMatchObject({ subtotal: { amount: '6' }, shipping: { amount: '0' }, tax: { amount: '0.6' }, total: { amount: '6.6' } });
  });

  it('refuses a checkout from an empty cart, without a channel type, or on a site that accepts no payments', async () => {
    const added = await add(emu, token, line('p-plain'));
    const noChannel = await call(emu.url, 'POST', `${CART}/create-checkout`, { token, body: {} });
    expect(noChannel.json.details.validationError.fieldViolations[0]).toMatchObject({ field: 'channelType', violatedRule: 'REQUIRED_FIELD' });
    const badChannel = await call(emu.url, 'POST', `${CART}/create-checkout`, { token, body: { channelType: 'SHOP' } });
    expect(badChannel.json.details.validationError.fieldViolations[0]).toMatchObject({ field: 'channelType', violatedRule: 'INVALID_ENUM_VALUE' });
    await emulatorControl(emu.url, 'POST', 'config', { acceptsPayments: false });
    const payments = await call(emu.url, 'POST', `${CART}/create-checkout`, { token, body: { channelType: 'WEB' } });
    expect(payments.status).toBe(428);
    expect(payments.json).toEqual({ message: 'Site must accept payments to create checkout', details: { applicationError: { code: 'SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT', description: 'Site must accept payments to create checkout', data: {} } } });
    await emulatorControl(emu.url, 'POST', 'config', { acceptsPayments: true });
    await call(emu.url, 'POST', `${CART}/remove-line-items`, { token, body: { lineItemIds: [added.json.cart.lineItems[0].id] } });
    // Removing every line keeps the cart, empty (as @wix/headless-ecom's clearCart expects).
    expect((await call(emu.url, 'GET', CART, { token })).json.cart.lineItems).toEqual([]);
    const empty = await call(emu.url, 'POST', `${CART}/create-checkout`, { token, body: { channelType: 'WEB' } });
    refusedLine(empty, 'CANT_CREATE_CHECKOUT_WITHOUT_ITEMS');
  });

  it('refuses a redirect session for an unknown checkout, and checks its callbacks', async () => {
    const unknown = await call(emu.url, 'POST', REDIRECT, { token, body: { ecomCheckout: { checkoutId: '11111111-1111-4111-8111-111111111111' } } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.details.applicationError.code).toBe('CHECKOUT_NOT_FOUND');
    const missing = await call(emu.url, 'POST', REDIRECT, { token, body: { ecomCheckout: {} } });
    expect(missing.json.details.validationError.fieldViolations[0].field).toBe('ecomCheckout.checkoutId');
    await add(emu, token, line('p-plain'));
    const { checkoutId } = (await call(emu.url, 'POST', `${CART}/create-checkout`, { token, body: { channelType: 'WEB' } })).json;
    const badUrl = await call(emu.url, 'POST', REDIRECT, { token, body: { ecomCheckout: { checkoutId }, callbacks: { postFlowUrl: 'not a url' } } });
    expect(badUrl.status).toBe(400);
    const badKey = await call(emu.url, 'POST', REDIRECT, { token, body: { ecomCheckout: { checkoutId }, callbacks: { homeUrl: 'https://shop.example.com/' } } });
    expect(badKey.json.details.validationError.fieldViolations[0].field).toBe('callbacks.homeUrl');
    // As @wix/headless-ecom sends it: preferences and a cart page URL.
    const ok = await call(emu.url, 'POST', REDIRECT, { token, body: { ecomCheckout: { checkoutId }, preferences: { useGenericWixPages: false }, callbacks: { postFlowUrl: 'https://shop.example.com/p', cartPageUrl: 'https://shop.example.com/cart' } } });
    expect(ok.status).toBe(200);
    expect(ok.json.redirectSession.urlDetails.searchParams).toEqual({ checkoutId, postFlowUrl: 'https://shop.example.com/p', cartPageUrl: 'https://shop.example.com/cart' });
    // The checkout ID names a checkout, whoever asks for its page.
    const other = (await call(emu.url, 'POST', '/oauth2/token', { body: { clientId: CLIENT, grantType: 'anonymous' } })).json.access_token;
    expect((await call(emu.url, 'POST', REDIRECT, { token: other, body: { ecomCheckout: { checkoutId } } })).status).toBe(200);
  });

  it('lets one cart route fail by the path faults, the others answering', async () => {
    await add(emu, token, line('p-plain'));
    await emulatorControl(emu.url, 'POST', 'faults', { path: `${CART}/add-to-cart`, method: 'POST', status: 503, count: 2 });
    expect((await add(emu, token, line('p-plain'))).status).toBe(503);
    expect((await call(emu.url, 'GET', CART, { token })).status).toBe(200);
    expect((await add(emu, token, line('p-plain'))).status).toBe(503);
    const third = await add(emu, token, line('p-plain'));
    expect(third.status).toBe(200);
    expect(third.json.cart.lineItems[0].quantity).toBe(2);
    await emulatorControl(emu.url, 'POST', 'faults', { path: `${CART}/create-checkout`, status: 500, count: 1 });
    expect((await call(emu.url, 'POST', `${CART}/create-checkout`, { token, body: { channelType: 'WEB' } })).status).toBe(500);
  });

  it('shows and checks its switches in the config control', async () => {
    expect((await emulatorControl(emu.url, 'GET', 'config')).config).toMatchObject({ cartLineRefusals: 'error', acceptsPayments: true });
    for (const body of [{ cartLineRefusals: 'loud' }, { acceptsPayments: 'no' }]) {
      const r = await call(emu.url, 'POST', '/__emulator/config', { body });
      expect(r.status).toBe(400);
    }
  });
});

describe('the ecom settings of a data file', () => {
  it.each([
    [{ taxRate: 8 }, 'ecom.taxRate'],
    [{ shippingPrice: -1 }, 'ecom.shippingPrice'],
    [{ lineRefusals: 'loud' }, 'ecom.lineRefusals'],
    [{ acceptsPayments: 'yes' }, 'ecom.acceptsPayments'],
    [{ coupons: [] }, 'ecom.coupons'],
    ['none', 'ecom'],
  ])('refuses %j naming %s', (ecom, field) => {
    expect(() => parseSiteData({ ...V1_SITE, ecom }, 'cart site')).toThrow(SiteDataError);
    expect(() => parseSiteData({ ...V1_SITE, ecom }, 'cart site')).toThrow(`cart site: ${field}`);
  });

  it('starts in silent mode and without payments when the file says so, and the options override it', async () => {
    const data = parseSiteData({ ...V1_SITE, ecom: { lineRefusals: 'silent', acceptsPayments: false } }, 'cart site');
    const emu = await startTestEmulator({ data });
    const overridden = await startTestEmulator({ data, cartLineRefusals: 'error', acceptsPayments: true });
    try {
      expect((await emulatorControl(emu.url, 'GET', 'config')).config).toMatchObject({ cartLineRefusals: 'silent', acceptsPayments: false });
      expect((await emulatorControl(overridden.url, 'GET', 'config')).config).toMatchObject({ cartLineRefusals: 'error', acceptsPayments: true });
      await expect(startTestEmulator({ cartLineRefusals: 'loud' as never })).rejects.toThrow(RangeError);
    } finally {
      await emu.close();
      await overridden.close();
    }
  });
});

describe('carts over a snapshot: products with fields left out', () => {
  it('serves lines of V1 products without price, stock or media, and V3 products without variants', async () => {
    const v1 = await startTestEmulator({
      data: parseSiteData(
        {
          wixqSnapshot: 1,
          clientIds: [CLIENT],
          catalogVersion: 'V1_CATALOG',
          products: [
            { id: 'bare', name: 'Bare', slug: 'bare', visible: true, numericId: '1', collectionIds: [] },
            // Lists with entries that are not objects are served as given, and skipped by the cart.
            { id: 'odd', name: 'Odd', slug: 'odd', visible: true, numericId: '2', collectionIds: [], priceData: 'n/a', customTextFields: [null, 'x', { title: 'Name', mandatory: true }], media: { mainMedia: null } },
          ],
        },
        'snapshot',
      ),
    });
    const v3 = await startTestEmulator({
      data: parseSiteData(
        {
          wixqSnapshot: 1,
          clientIds: [CLIENT],
          catalogVersion: 'V3_CATALOG',
          productsV3: [
            { id: 'bare3', name: 'Bare', slug: 'bare3', visible: true },
            { id: 'odd3', name: 'Odd', slug: 'odd3', visible: true, options: [null, 5], modifiers: ['x', null, { modifierRenderType: 'TEXT_CHOICES', key: 'k', choicesSettings: { choices: [null] } }], media: { main: 'none' }, url: 'x', variantsInfo: { variants: [{ id: 'v', choices: [{ optionChoiceIds: 'x' }], price: { actualPrice: 'free' } }] } },
            { id: 'many3', name: 'Many', slug: 'many3', visible: true, variantSummary: { variantCount: 3 }, actualPriceRange: { minValue: { amount: '4.5' } } },
            {
              id: 'engraved3',
              name: 'Engraved',
              slug: 'engraved3',
              visible: true,
              variantsInfo: { variants: [{ id: 'v1', price: { actualPrice: { amount: '12' } } }] },
              modifiers: [
                { name: 'Engraving', modifierRenderType: 'FREE_TEXT', mandatory: true, freeTextSettings: { key: 'engraving', title: 'Engraving', maxCharCount: 8 } },
                { name: 'Wrap', key: 'wrap', modifierRenderType: 'TEXT_CHOICES', mandatory: false, choicesSettings: { choices: [{ key: 'gift', name: 'Gift wrap' }] } },
              ],
            },
          ],
        },
        'snapshot',
      ),
    });
    try {
      const tokenOf = async (emu: RunningEmulator) => (await call(emu.url, 'POST', '/oauth2/token', { body: { clientId: CLIENT, grantType: 'anonymous' } })).json.access_token as string;
      const t1 = await tokenOf(v1);
      const bare = await add(v1, t1, line('bare', 2));
      expect(bare.status).toBe(200);
      expect(bare.json.cart.lineItems[0]).toMatchObject({ price: { amount: '0' }, availability: { status: 'AVAILABLE' } });
      expect((await call(v1.url, 'POST', `${CART}/estimate-totals`, { token: t1, body: {} })).status).toBe(200);
      refusedLine(await add(v1, t1, line('odd')), 'ITEM_NOT_FOUND_IN_CATALOG');
      const odd = await add(v1, t1, line('odd', 1, { customTextFields: { Name: 'Ada' } }));
      expect(odd.status).toBe(200);
      expect(odd.json.cart.lineItems[1]).toMatchObject({ price: { amount: '0' }, descriptionLines: [{ plainText: { original: 'Ada' } }] });

      const t3 = await tokenOf(v3);
      expect((await add(v3, t3, line('bare3'))).status).toBe(200);
      const odd3 = await add(v3, t3, line('odd3'));
      expect(odd3.status).toBe(200);
      expect(odd3.json.cart.lineItems[1]).toMatchObject({ price: { amount: '0' }, descriptionLines: [], url: { relativePath: '/product-page/odd3' } });
      refusedLine(await add(v3, t3, line('odd3', 1, { options: { k: 'any' } })), 'ITEM_NOT_FOUND_IN_CATALOG');
      // Several variants by the summary, none listed: a variant ID is required, and taken as given.
      refusedLine(await add(v3, t3, line('many3')), 'ITEM_NOT_FOUND_IN_CATALOG');
      const many = await add(v3, t3, line('many3', 1, { variantId: 'some-variant' }));
      expect(many.status).toBe(200);
      expect(many.json.cart.lineItems[2].price.amount).toBe('4.5');
      refusedLine(await add(v3, t3, line('engraved3')), 'ITEM_NOT_FOUND_IN_CATALOG');
      refusedLine(await add(v3, t3, line('engraved3', 1, { customTextFields: { engraving: 'too long a text' } })), 'ITEM_NOT_FOUND_IN_CATALOG');
      refusedLine(await add(v3, t3, line('engraved3', 1, { customTextFields: { engraving: 'Ada' }, options: { wrap: 'paper' } })), 'ITEM_NOT_FOUND_IN_CATALOG');
      const engraved = await add(v3, t3, line('engraved3', 1, { customTextFields: { engraving: 'Ada' }, options: { wrap: 'gift' } }));
      expect(engraved.status).toBe(200);
      expect(engraved.json.cart.lineItems[3].descriptionLines.map((d: Json) => [d.name.original, d.plainText.original])).toEqual([
        ['Wrap', 'Gift wrap'],
        ['Engraving', 'Ada'],
      ]);
    } finally {
      await v1.close();
      await v3.close();
    }
  });
});

describe('what the current cart refuses on a Catalog V3 site', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startTestEmulator({ catalog: 'v3' });
    token = (await visitor(emu.url)).access;
  });
  afterAll(() => emu.close());

  it('refuses a product with several variants and no variant ID, and an unknown variant', async () => {
    const product = emu.site.products.filter((p) => p.visible).map((p) => toV3Product(p, emu.site)).find((p) => productVariantsOf(p).length > 1)!;
    refusedLine(await add(emu, token, line(product.id)), 'ITEM_NOT_FOUND_IN_CATALOG');
    refusedLine(await add(emu, token, line(product.id, 1, { variantId: '11111111-1111-4111-8111-111111111111' })), 'ITEM_NOT_FOUND_IN_CATALOG');
    // V3 options.options names modifiers, not the product's options (wix/skills how-to-code-a-store.md).
    refusedLine(await add(emu, token, line(product.id, 1, { variantId: productVariantsOf(product)[0]!.id, options: { Size: 'S' } })), 'ITEM_NOT_FOUND_IN_CATALOG');
    expect((await call(emu.url, 'GET', CART, { token })).status).toBe(404);
  });
});

describe('the route probe of the robustness tests reaches every cart route', () => {
  it.each(['v1', 'v3'] as const)('on a %s demo site, with a product that has variants', async (catalog) => {
    const emu = await startTestEmulator({ catalog });
    try {
      const product = emu.site.products.find((p) => p.visible && p.manageVariants && (productVariants(p)[0]!.stock as { inStock: boolean }).inStock)!;
      const probes = await probeRoutes(emu, { product: { id: product.id, slug: product.slug } });
      const status = Object.fromEntries(probes.filter((p) => /^cart|^checkout/.test(p.route)).map((p) => [p.route, p.status]));
      expect(status).toMatchObject({ 'cart add (error)': 400, 'cart add by variant (error)': 200, 'cart add (silent)': 200, 'cart get': 200, 'cart estimate': 200, 'cart update': 200, 'cart checkout': 200, 'checkout redirect': 200, 'cart remove': 200, 'cart delete': 200 });
    } finally {
      await emu.close();
    }
  });
});
