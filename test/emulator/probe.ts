import { DEMO_CLIENT_ID } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../helpers/emulator.js';

/**
 * Every route that serves a site's entities, called the way a client calls it, for the "no 500 to data it accepted"
 * tests (test/emulator/emulator-robust.test.ts). Answers each route's status; a 5xx is the bug these tests look for.
 */

export interface Probe {
  route: string;
  status: number;
  body: string;
}

type Json = Record<string, any>;

async function call(base: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: token, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function visitorToken(base: string, clientId: string): Promise<string> {
  const res = await fetch(`${base}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId, grantType: 'anonymous' }) });
  return ((await res.json()) as Json).access_token as string;
}

const STORES_APP_ID = '215238eb-22a5-4c36-9e7b-e7c08025e04e';
const CART = '/ecom/v1/carts/current';

/**
 * The current cart routes with a line of the product (docs/wix-api.md 15): by variant ID and by choices, as Wix's catalogs
 * take them, in both of the emulator's refusal modes, then every route that reads the cart, its checkout and redirect.
 */
async function probeCart(base: string, token: string, productId: string, hit: (route: string, method: string, path: string, body?: unknown) => Promise<void>): Promise<void> {
  const get = async (path: string, body?: unknown) => {
    const r = await call(base, body === undefined ? 'GET' : 'POST', path, token, body);
    try {
      return JSON.parse(r.text) as Json;
    } catch {
      return {};
    }
  };
  const v3 = (await get(`/stores/v3/products/${productId}`)).product as Json | undefined;
  const v1 = (await get(`/stores-reader/v1/products/${productId}/variants/query`, {})).variants as Json[] | undefined;
  const variantId = (v3?.variantsInfo?.variants?.[0]?.id ?? v1?.[0]?.id) as string | undefined;
  const choices = v1?.[0]?.choices as Json | undefined;
  const line = (options?: Json) => ({ lineItems: [{ catalogReference: { appId: STORES_APP_ID, catalogItemId: productId, ...(options && { options }) }, quantity: 1 }] });
  for (const mode of ['error', 'silent']) {
    await fetch(`${base}/__emulator/config`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cartLineRefusals: mode }) });
    await hit(`cart add (${mode})`, 'POST', `${CART}/add-to-cart`, line());
    if (variantId) await hit(`cart add by variant (${mode})`, 'POST', `${CART}/add-to-cart`, line({ variantId }));
    if (choices) await hit(`cart add by choices (${mode})`, 'POST', `${CART}/add-to-cart`, line({ options: choices }));
  }
  const cart = (await get(CART)).cart as Json | undefined;
  const lineId = cart?.lineItems?.[0]?.id as string | undefined;
  await hit('cart get', 'GET', CART);
  await hit('cart estimate', 'POST', `${CART}/estimate-totals`, {});
  if (lineId) await hit('cart update', 'POST', `${CART}/update-line-items-quantity`, { lineItems: [{ id: lineId, quantity: 2 }] });
  const checkout = await call(base, 'POST', `${CART}/create-checkout`, token, { channelType: 'WEB' });
  await hit('cart checkout', 'POST', `${CART}/create-checkout`, { channelType: 'WEB' });
  let checkoutId: string | undefined;
  try {
    checkoutId = (JSON.parse(checkout.text) as Json).checkoutId;
  } catch {
    checkoutId = undefined;
  }
  if (checkoutId) await hit('checkout redirect', 'POST', '/_api/redirects-api/v1/redirect-session', { ecomCheckout: { checkoutId }, callbacks: { postFlowUrl: 'https://shop.example.com/' } });
  if (lineId) await hit('cart remove', 'POST', `${CART}/remove-line-items`, { lineItemIds: [lineId] });
  await hit('cart delete', 'DELETE', CART);
}

const V3_LIST_FIELDS = ['URL', 'CURRENCY', 'DESCRIPTION', 'PLAIN_DESCRIPTION', 'INFO_SECTION', 'MEDIA_ITEMS_INFO', 'VARIANT_OPTION_CHOICE_NAMES', 'BREADCRUMBS_INFO', 'DIRECT_CATEGORIES_INFO', 'ALL_CATEGORIES_INFO', 'SUBSCRIPTION_PRICES_INFO', 'THUMBNAIL', 'WEIGHT_MEASUREMENT_UNIT_INFO'];

/** Calls every entity route of the site with the given ids and slugs; `clientId` defaults to the demo's. */
export async function probeRoutes(
  emu: RunningEmulator,
  ids: { product?: { id: string; slug: string }; collection?: { id: string; slug: string }; category?: { id: string; slug: string }; service?: { id: string }; cms?: { collection: string; item: string } },
  clientId = DEMO_CLIENT_ID,
): Promise<Probe[]> {
  const base = emu.url;
  const token = await visitorToken(base, clientId);
  const out: Probe[] = [];
  const hit = async (route: string, method: string, path: string, body?: unknown) => {
    const r = await call(base, method, path, token, body);
    out.push({ route, status: r.status, body: r.text.slice(0, 300) });
  };
  const p = ids.product;
  const v1 = '/stores-reader/v1';
  await hit('v1 query', 'POST', `${v1}/products/query-platformized`, { query: { paging: { limit: 100 }, sort: [{ fieldName: 'price', order: 'ASC' }] } });
  await hit('v1 query by name', 'POST', `${v1}/products/query-platformized`, { query: { filter: { name: { $startsWith: 'a' } }, sort: [{ fieldName: 'name', order: 'DESC' }] } });
  await hit('v1 variants', 'POST', `${v1}/variants/query`, { query: { paging: { limit: 100 } } });
  await hit('v1 collections', 'POST', `${v1}/collections/query`, { query: { paging: { limit: 100 } } });
  if (p) {
    await hit('v1 get', 'GET', `${v1}/products/${p.id}`);
    await hit('v1 product variants', 'POST', `${v1}/products/${p.id}/variants/query`, {});
    await hit('v1 options availability', 'POST', `${v1}/products/${p.id}/productOptionsAvailability`, { options: {} });
    await hit('v3 get', 'GET', `/stores/v3/products/${p.id}?${V3_LIST_FIELDS.map((f) => `fields=${f}`).join('&')}`);
    await hit('v3 slug', 'GET', `/stores/v3/products/slug/${encodeURIComponent(p.slug)}`);
  }
  await hit('v3 query', 'POST', '/stores/v3/products/query', { query: { cursorPaging: { limit: 100 } }, fields: V3_LIST_FIELDS });
  await hit('v3 query sorted', 'POST', '/stores/v3/products/query', { query: { sort: [{ fieldName: 'name', order: 'DESC' }], filter: { visible: true } } });
  await hit('v3 search', 'POST', '/stores/v3/products/search', { search: { search: { expression: 'a' }, cursorPaging: { limit: 100 } }, fields: V3_LIST_FIELDS });
  await hit('v3 count', 'POST', '/stores/v3/products/count', {});
  await hit('v3 query-variants', 'POST', '/stores/v3/products/query-variants', { query: { cursorPaging: { limit: 100 } } });
  const c = ids.collection;
  if (c) {
    await hit('v1 collection', 'GET', `${v1}/collections/${c.id}`);
    await hit('v1 collection slug', 'GET', `${v1}/collections/slug/${encodeURIComponent(c.slug)}`);
  }
  await hit('categories query', 'POST', '/categories/v1/categories/query', { query: { cursorPaging: { limit: 100 } }, treeReference: { appNamespace: '@wix/stores' }, fields: ['BREADCRUMBS_INFO', 'DESCRIPTION'] });
  await hit('categories search', 'POST', '/categories/v1/categories/search', { search: { search: { expression: 'a' } }, treeReference: { appNamespace: '@wix/stores' } });
  await hit('categories count', 'POST', '/categories/v1/categories/count', { treeReference: { appNamespace: '@wix/stores' } });
  const cat = ids.category;
  if (cat) {
    await hit('category', 'GET', `/categories/v1/categories/${cat.id}?treeReference.appNamespace=@wix/stores&fields=BREADCRUMBS_INFO`);
    await hit('category slug', 'GET', `/categories/v1/categories/slug/${encodeURIComponent(cat.slug)}?treeReference.appNamespace=@wix/stores`);
  }
  await hit('services query', 'POST', '/bookings/v2/services/query', { query: { paging: { limit: 100 }, sort: [{ fieldName: 'name' }] } });
  const s = ids.service;
  if (s) {
    await hit('service', 'GET', `/bookings/v2/services/${s.id}`);
    await hit('time slots', 'POST', '/service-availability/v2/time-slots', { serviceId: s.id, fromLocalDate: '2024-06-03T00:00:00', toLocalDate: '2024-06-10T00:00:00' });
    await hit('event slots', 'POST', '/service-availability/v2/time-slots/event', { serviceIds: [s.id], fromLocalDate: '2024-06-03T00:00:00', toLocalDate: '2024-06-10T00:00:00' });
    await hit('availability', 'POST', '/availability-calendar/v1/availability/query', { query: { filter: { serviceId: [s.id], startDate: '2024-06-03T00:00:00Z', endDate: '2024-06-10T00:00:00Z' } } });
  }
  if (p) await probeCart(base, token, p.id, hit);
  const cms = ids.cms;
  if (cms) {
    const d = '/wix-data/v2';
    await hit('cms query', 'POST', `${d}/items/query`, { dataCollectionId: cms.collection, query: { paging: { limit: 100 } } });
    await hit('cms count', 'POST', `${d}/items/count`, { dataCollectionId: cms.collection });
    await hit('cms search', 'POST', `${d}/items/search`, { dataCollectionId: cms.collection, search: { search: { expression: 'a' } } });
    await hit('cms get', 'GET', `${d}/items/${cms.item}?dataCollectionId=${cms.collection}`);
    await hit('cms collections', 'GET', `${d}/collections`);
  }
  return out;
}
