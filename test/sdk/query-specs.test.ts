import { createClient, OAuthStrategy } from '@wix/sdk';
import { services } from '@wix/bookings';
import { collections, products, productsV3 } from '@wix/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Product } from '../../src/emulator/site/types.js';
import { toV3Product } from '../../src/emulator/site/v3.js';
import { redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/**
 * The official SDK's query builders against the strict emulator: a query its spec refuses surfaces as the SDK
 * surfaces Wix's 400 validation error; declared queries return the right items.
 */

let v1: RunningEmulator;
let v3: RunningEmulator;
let restore: (() => void) | undefined;

function clientFor(emu: RunningEmulator) {
  restore?.();
  restore = redirectFetch(emu.url);
  return createClient({ modules: { products, collections, productsV3, services }, auth: OAuthStrategy({ clientId: emu.clientId }) });
}

/** What the SDK (@wix/sdk) throws for Wix's refusal: an SDKError with status, details (and the request ID) and a JSON message. */
function expectRefusal(error: any, text: string): void {
  expect(error).toBeInstanceOf(Error);
  expect(error.status).toBe(400);
  expect(error.details).toEqual({ validationError: { fieldViolations: [{ field: 'value', description: text }] }, requestId: error.requestId });
  expect(JSON.parse(error.message).message).toBe(`INVALID_ARGUMENT: "value" ${text}`);
}

beforeAll(async () => {
  v1 = await startTestEmulator();
  v3 = await startTestEmulator({ catalog: 'v3' });
});

afterAll(async () => {
  restore?.();
  await v1.close();
  await v3.close();
});

describe('Catalog V3 through the SDK', () => {
  let client: ReturnType<typeof clientFor>;
  beforeAll(() => {
    client = clientFor(v3);
  });

  it('refuses a sort on a V3 product query, naming the SDK field though the wire says createdDate', async () => {
    v3.reset();
    const error = await (client.productsV3.queryProducts() as any).ascending('_createdDate').find().catch((e: unknown) => e);
    expectRefusal(error, "Field '_createdDate' is not declared as sortable");
    expect((v3.requests('/stores/v3/products/query')[0]!.body as any).query.sort).toEqual([{ fieldName: 'createdDate', order: 'ASC' }]);
  });

  it('refuses a name filter on query (it belongs to search)', async () => {
    const error = await (client.productsV3.queryProducts() as any).startsWith('name', 'a').find().catch((e: unknown) => e);
    expectRefusal(error, "Field 'name' is not declared as filterable");
  });

  it('searches by name prefix and sorts by price', async () => {
    const expected = v3.site.products
      .filter((p) => p.visible)
      .map((p) => toV3Product(p, v3.site))
      .filter((p) => p.name.toLowerCase().startsWith('c'))
      .map((p) => Number((p.actualPriceRange as { minValue: { amount: string } }).minValue.amount))
      .sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(0);
    const found = await client.productsV3.searchProducts({
      filter: { name: { $startsWith: 'c' } },
      sort: [{ fieldName: 'actualPriceRange.minValue.amount', order: 'ASC' }],
      cursorPaging: { limit: 100 },
    } as any);
    expect(found.products?.map((p: any) => Number(p.actualPriceRange.minValue.amount))).toEqual(expected);
  });

  it('refuses a stock sort on search', async () => {
    const error = await client.productsV3
      .searchProducts({ sort: [{ fieldName: 'inventory.availabilityStatus', order: 'ASC' }], cursorPaging: { limit: 10 } } as any)
      .catch((e: unknown) => e);
    expectRefusal(error, "Field 'inventory.availabilityStatus' is not declared as sortable");
  });
});

describe('Catalog V1 and Bookings through the SDK', () => {
  let client: ReturnType<typeof clientFor>;
  beforeAll(() => {
    client = clientFor(v1);
  });

  it.each<[string, () => Promise<unknown>, string]>([
    ['price.price', () => (client.products.queryProducts() as any).gt('price.price', 5).find(), "Field 'price.price' is not declared as filterable"],
    ['contains on name', () => (client.products.queryProducts() as any).contains('name', 'linen').find(), "Operator '$contains' is not declared for field 'name'"],
    ['endsWith on name', () => (client.products.queryProducts() as any).endsWith('name', 'shirt').find(), "Operator '$endsWith' is not declared for field 'name'"],
    ['a stock filter (V1 has none)', () => (client.products.queryProducts() as any).eq('stock.inventoryStatus', 'IN_STOCK').find(), "Field 'stock.inventoryStatus' is not declared as filterable"],
    ['a sort on _createdDate', () => (client.products.queryProducts() as any).descending('_createdDate').find(), "Field '_createdDate' is not declared as sortable"],
    ['a collection slug filter', () => (client.collections.queryCollections() as any).eq('slug', 'sale').find(), "Field 'slug' is not declared as filterable"],
    ['contains on a service name', () => (client.services.queryServices() as any).contains('name', 'yoga').find(), "Operator '$contains' is not declared for field 'name'"],
  ])('refuses %s with 400', async (_label, run, text) => {
    expectRefusal(await run().catch((e: unknown) => e), text);
  });

  it('filters and sorts V1 products by the numeric price', async () => {
    const price = (p: V1Product) => (p.priceData as { price: number }).price;
    const expected = v1.site.products.filter((p) => p.visible && price(p) >= 80).map(price).sort((a, b) => b - a);
    const page = await (client.products.queryProducts() as any).ge('price', 80).descending('price').limit(100).find();
    expect(page.totalCount).toBe(expected.length);
    expect(page.items.map((p: any) => p.priceData.price)).toEqual(expected.slice(0, 100));
  });

  it('lists services that are not hidden, by name', async () => {
    const expected = v1.site.services.filter((s) => s.hidden === false).map((s) => s.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const page = await (client.services.queryServices() as any).eq('hidden', false).ascending('name').limit(100).find();
    expect(page.items.map((s: any) => s.name)).toEqual(expected);
  });
});
