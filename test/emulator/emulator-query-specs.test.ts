import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID } from '../../src/emulator/index.js';
import { startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/**
 * Every emulated list route refuses, over real HTTP and with Wix's body, a filter on an undeclared field, an
 * undeclared operator and a sort on a field its spec does not declare sortable; declared queries still answer.
 */

type Json = Record<string, any>;

async function call(base: string, method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const headers: Record<string, string> = { authorization: token };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json };
}

async function visitorToken(base: string): Promise<string> {
  const r = await call(base, 'POST', '/oauth2/token', '', { clientId: DEMO_CLIENT_ID, grantType: 'anonymous' });
  return r.json.access_token as string;
}

/** Wix's body for a spec refusal: `{message: "value <text>", details.validationError.fieldViolations[{field:"value"}]}`. */
const refusal = (text: string) => ({ message: `value ${text}`, details: { validationError: { fieldViolations: [{ field: 'value', description: text }] } } });

interface Route {
  label: string;
  site: 'v1' | 'v3';
  method: 'GET' | 'POST';
  path: string;
  /** The request wrapper key: `query`, or `search` on V3 search. */
  wrapper: 'query' | 'search';
  badField: [filter: Json, text: string];
  badOperator: [filter: Json, text: string];
  badSort: [sort: Json[], text: string];
  allowed: { filter?: Json; sort?: Json[] };
}

const routes: Route[] = [
  {
    label: 'V1 products (POST)',
    site: 'v1',
    method: 'POST',
    path: '/stores-reader/v1/products/query-platformized',
    wrapper: 'query',
    badField: [{ 'price.price': { $gt: 10 } }, "Field 'price.price' is not declared as filterable"],
    badOperator: [{ name: { $contains: 'linen' } }, "Operator '$contains' is not declared for field 'name'"],
    badSort: [[{ fieldName: 'createdDate', order: 'DESC' }], "Field '_createdDate' is not declared as sortable"],
    allowed: { filter: { price: { $gt: 50 } }, sort: [{ fieldName: 'price', order: 'DESC' }] },
  },
  {
    label: 'V1 products (GET .r)',
    site: 'v1',
    method: 'GET',
    path: '/stores-reader/v1/products/query-platformized',
    wrapper: 'query',
    badField: [{ $and: [{ name: { $startsWith: 'a' } }, { ribbon: 'Sale' }] }, "Field 'ribbon' is not declared as filterable"],
    badOperator: [{ sku: { $endsWith: '1' } }, "Operator '$endsWith' is not declared for field 'sku'"],
    badSort: [[{ fieldName: 'description', order: 'ASC' }], "Field 'description' is not declared as sortable"],
    allowed: { filter: { 'priceData.price': { $lte: 30 } }, sort: [{ fieldName: 'name', order: 'ASC' }] },
  },
  {
    label: 'V1 collections (stores-reader)',
    site: 'v1',
    method: 'POST',
    path: '/stores-reader/v1/collections/query',
    wrapper: 'query',
    badField: [{ slug: 'sale' }, "Field 'slug' is not declared as filterable"],
    badOperator: [{ name: { $contains: 'a' } }, "Operator '$contains' is not declared for field 'name'"],
    badSort: [[{ fieldName: 'numberOfProducts', order: 'DESC' }], "Field 'numberOfProducts' is not declared as sortable"],
    allowed: { filter: { name: { $startsWith: 's' } }, sort: [{ fieldName: 'name', order: 'ASC' }] },
  },
  {
    label: 'V1 collections (SDK path, GET .r)',
    site: 'v1',
    method: 'GET',
    path: '/v2/collections/query',
    wrapper: 'query',
    badField: [{ visible: true }, "Field 'visible' is not declared as filterable"],
    badOperator: [{ id: { $hasSome: ['x'] } }, "Operator '$hasSome' is not declared for field '_id'"],
    badSort: [[{ fieldName: 'slug' }], "Field 'slug' is not declared as sortable"],
    allowed: { filter: { id: { $exists: true } }, sort: [{ fieldName: 'id', order: 'DESC' }] },
  },
  {
    label: 'V3 products query',
    site: 'v3',
    method: 'POST',
    path: '/stores/v3/products/query',
    wrapper: 'query',
    badField: [{ name: { $startsWith: 'a' } }, "Field 'name' is not declared as filterable"],
    badOperator: [{ id: { $hasSome: ['x'] } }, "Operator '$hasSome' is not declared for field '_id'"],
    badSort: [[{ fieldName: 'createdDate', order: 'ASC' }], "Field '_createdDate' is not declared as sortable"],
    allowed: { filter: { visible: true, 'options.id': { $hasSome: ['none'] } } },
  },
  {
    label: 'V3 products search',
    site: 'v3',
    method: 'POST',
    path: '/stores/v3/products/search',
    wrapper: 'search',
    badField: [{ directCategoryIds: { $hasSome: ['c1'] } }, "Field 'directCategoryIds' is not declared as filterable"],
    badOperator: [{ name: { $contains: 'a' } }, "Operator '$contains' is not declared for field 'name'"],
    badSort: [[{ fieldName: 'inventory.availabilityStatus', order: 'ASC' }], "Field 'inventory.availabilityStatus' is not declared as sortable"],
    allowed: { filter: { 'actualPriceRange.minValue.amount': { $gte: '20' } }, sort: [{ fieldName: 'actualPriceRange.minValue.amount', order: 'ASC' }] },
  },
  {
    label: 'V3 read-only variants query',
    site: 'v3',
    method: 'POST',
    path: '/stores/v3/products/query-variants',
    wrapper: 'query',
    badField: [{ sku: 'x' }, "Field 'sku' is not declared as filterable"],
    badOperator: [{ variantId: { $hasSome: ['x'] } }, "Operator '$hasSome' is not declared for field 'variantId'"],
    badSort: [[{ fieldName: 'price.actualPrice.amount', order: 'ASC' }], "Field 'price.actualPrice.amount' is not declared as sortable"],
    allowed: { filter: { 'productData.productId': { $in: ['none'] } }, sort: [{ fieldName: 'variantId', order: 'ASC' }] },
  },
  {
    label: 'Bookings services',
    site: 'v1',
    method: 'POST',
    path: '/_api/bookings/v2/services/query',
    wrapper: 'query',
    badField: [{ 'payment.fixed.price.value': '50' }, "Field 'payment.fixed.price.value' is not declared as filterable"],
    badOperator: [{ staffMemberIds: 'st1' }, "Operator '$eq' is not declared for field 'staffMemberIds'"],
    badSort: [[{ fieldName: 'defaultCapacity' }], "Field 'defaultCapacity' is not declared as sortable"],
    allowed: { filter: { hidden: false }, sort: [{ fieldName: 'name', order: 'ASC' }] },
  },
];

const emulators: Partial<Record<'v1' | 'v3', { emu: RunningEmulator; token: string }>> = {};

beforeAll(async () => {
  for (const site of ['v1', 'v3'] as const) {
    const emu = await startTestEmulator({ catalog: site });
    emulators[site] = { emu, token: await visitorToken(emu.url) };
  }
});

afterAll(async () => {
  for (const e of Object.values(emulators)) await e.emu.close();
});

function send(route: Route, query: Json): Promise<{ status: number; json: Json }> {
  const { emu, token } = emulators[route.site]!;
  const payload = { [route.wrapper]: query };
  if (route.method === 'GET') return call(emu.url, 'GET', `${route.path}?.r=${Buffer.from(JSON.stringify(payload)).toString('base64url')}`, token);
  return call(emu.url, 'POST', route.path, token, payload);
}

describe.each(routes)('$label', (route) => {
  it('refuses a filter on an undeclared field with 400 and Wix body', async () => {
    const r = await send(route, { filter: route.badField[0] });
    expect(r.status).toBe(400);
    expect(r.json).toEqual(refusal(route.badField[1]));
  });

  it('refuses an undeclared operator', async () => {
    const r = await send(route, { filter: route.badOperator[0] });
    expect(r.status).toBe(400);
    expect(r.json).toEqual(refusal(route.badOperator[1]));
  });

  it('refuses a sort on a field not declared sortable', async () => {
    const r = await send(route, { sort: route.badSort[0] });
    expect(r.status).toBe(400);
    expect(r.json).toEqual(refusal(route.badSort[1]));
  });

  it('answers a declared filter and sort', async () => {
    const r = await send(route, route.allowed);
    expect(r.status).toBe(200);
  });
});

describe('what declared queries return', () => {
  it('V1 price compares and sorts as a number (the documented override)', async () => {
    const { emu } = emulators.v1!;
    const r = await send(routes[0]!, routes[0]!.allowed);
    const expected = emu.site.products
      .filter((p) => p.visible && (p.priceData as { price: number }).price > 50)
      .map((p) => (p.priceData as { price: number }).price)
      .sort((a, b) => b - a);
    expect(r.json.metadata.total).toBe(expected.length);
    expect(r.json.products.map((p: Json) => p.priceData.price)).toEqual(expected.slice(0, 50));
  });

  it('V3 search filters and sorts on the price amount', async () => {
    const route = routes.find((x) => x.path.endsWith('/search'))!;
    const r = await send(route, { ...route.allowed, cursorPaging: { limit: 100 } });
    const amounts = r.json.products.map((p: Json) => Number(p.actualPriceRange.minValue.amount));
    expect(amounts.length).toBeGreaterThan(0);
    expect(amounts.every((a: number) => a >= 20)).toBe(true);
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
  });

  it('a cursor page carries no filter or sort, so it is not re-checked', async () => {
    const route = routes.find((x) => x.path.endsWith('/search'))!;
    const first = await send(route, { ...route.allowed, cursorPaging: { limit: 5 } });
    const next = await send(route, { cursorPaging: { cursor: first.json.pagingMetadata.cursors.next, limit: 5 } });
    expect(next.status).toBe(200);
    expect(next.json.products).toHaveLength(5);
  });

  it('refuses a filter or sort of the wrong shape as a validation error on the request path', async () => {
    const route = routes.find((x) => x.path.endsWith('/search'))!;
    const r = await send(route, { sort: { fieldName: 'name' } });
    expect(r.status).toBe(400);
    expect(r.json.details.validationError.fieldViolations[0].field).toBe('search.sort');
  });
});
