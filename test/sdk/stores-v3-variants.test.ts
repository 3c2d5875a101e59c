import { createClient, OAuthStrategy } from '@wix/sdk';
import { productsV3, readOnlyVariantsV3 } from '@wix/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/**
 * Catalog V3 variants as Wix serves them, through the official SDK: Query and Search Products carry no variant data
 * ("This method does not return variant data. To retrieve variant data, call Get Product"), Get Product does, and
 * Read-Only Variants' queryVariants (what @wix/headless-stores uses to fill them in) serves them in bulk.
 */

let emu: RunningEmulator;
let v1: RunningEmulator;
let restore: () => void;
let client: ReturnType<typeof makeClient>;

function makeClient(clientId: string) {
  return createClient({ modules: { productsV3, readOnlyVariantsV3 }, auth: OAuthStrategy({ clientId }) });
}

beforeAll(async () => {
  emu = await startTestEmulator({ catalog: 'v3' });
  v1 = await startTestEmulator();
  restore = redirectFetch(emu.url);
  client = makeClient(emu.clientId);
});

afterAll(async () => {
  restore();
  await emu.close();
  await v1.close();
});

const visibleIds = () => emu.site.products.filter((p) => p.visible).map((p) => p.id);
/** A visible product with more than one variant (options), and one without options. */
const withOptions = () => emu.site.products.find((p) => p.visible && ((p.productOptions as unknown[]) ?? []).length > 0)!;

/** Every page of a variants query, as @wix/headless-stores reads them (find, then next while hasNext). */
async function allVariants(query: any): Promise<{ items: any[]; pages: number }> {
  let page = await query.find();
  const items = [...page.items];
  let pages = 1;
  while (page.hasNext()) {
    page = await page.next();
    items.push(...page.items);
    pages++;
  }
  return { items, pages };
}

describe('no variants in product lists', () => {
  it('Query Products returns no variantsInfo, with every field a visitor may ask for; the summary stays', async () => {
    const fields = ['CURRENCY', 'URL', 'VARIANT_OPTION_CHOICE_NAMES', 'MEDIA_ITEMS_INFO', 'DISCOUNT_INFO', 'MIN_PRICE_VARIANT'];
    const page = await (client.productsV3.queryProducts as any)({ fields }).limit(20).find();
    expect(page.items.length).toBe(20);
    for (const p of page.items) {
      expect(p.variantsInfo).toBeUndefined();
      expect(p.variantSummary.variantCount).toBeGreaterThan(0);
    }
  });

  it('Search Products returns no variantsInfo either, yet still finds a product by a variant SKU', async () => {
    const product = withOptions();
    const result = await client.productsV3.searchProducts({ search: { expression: `${String(product.sku)}-2` }, cursorPaging: { limit: 100 } } as any, { fields: ['CURRENCY'] } as any);
    expect(result.products!.map((p) => p._id)).toContain(product.id);
    for (const p of result.products!) expect(p.variantsInfo).toBeUndefined();
  });

  it('Get Product by id and by slug keep them; option and choice names only with VARIANT_OPTION_CHOICE_NAMES', async () => {
    const product = withOptions();
    const plain = await client.productsV3.getProduct(product.id, { fields: ['CURRENCY'] });
    expect(plain.variantsInfo!.variants!.length).toBeGreaterThan(1);
    expect(plain.variantsInfo!.variants!.every((v) => v.choices!.every((c) => c.optionChoiceIds && c.optionChoiceNames === undefined))).toBe(true);
    const named = await client.productsV3.getProductBySlug(product.slug as string, { fields: ['CURRENCY', 'VARIANT_OPTION_CHOICE_NAMES'] });
    const variants = named.product!.variantsInfo!.variants!;
    expect(variants.length).toBe(plain.variantsInfo!.variants!.length);
    expect(variants[0]!.choices![0]!.optionChoiceNames!.optionName).toBe((product.productOptions as { name: string }[])[0]!.name);
  });
});

describe('readOnlyVariantsV3.queryVariants', () => {
  it('sends what @wix/headless-stores sends and answers every variant of the products asked for, once, across pages', async () => {
    const ids = visibleIds().slice(0, 30);
    emu.reset();
    const { items, pages } = await allVariants((client.readOnlyVariantsV3.queryVariants as any)({ fields: ['CURRENCY'] }).in('productData.productId', ids).limit(7));
    expect(pages).toBeGreaterThan(1);
    const recorded = emu.requests('/stores/v3/products/query-variants');
    expect(recorded.length).toBe(pages);
    expect(recorded[0]!.method).toBe('POST');
    expect(recorded[0]!.body).toEqual({ query: { filter: { 'productData.productId': { $in: ids } }, cursorPaging: { limit: 7 } }, fields: ['CURRENCY'] });
    expect((recorded[1]!.body as any).query).toEqual({ cursorPaging: { limit: 7, cursor: expect.any(String) } });
    // Exactly the variants Get Product lists, product by product, in its order.
    const expected: string[] = [];
    for (const id of ids) {
      const p = await client.productsV3.getProduct(id);
      for (const v of p.variantsInfo!.variants!) expected.push(`${id}/${v._id}`);
    }
    expect(items.map((v) => `${v.productData.productId}/${v.variantId}`)).toEqual(expected);
  });

  it('gives each variant the shape of a read-only variant: variantId, optionChoices with names, productData', async () => {
    const product = withOptions();
    const { items } = await allVariants((client.readOnlyVariantsV3.queryVariants as any)({ fields: ['CURRENCY'] }).eq('productData.productId', product.id));
    const got = await client.productsV3.getProduct(product.id, { fields: ['CURRENCY', 'VARIANT_OPTION_CHOICE_NAMES'] });
    const variants = got.variantsInfo!.variants!;
    expect(items.length).toBe(variants.length);
    items.forEach((item, i) => {
      const v = variants[i]!;
      expect(item.variantId).toBe(v._id);
      expect(item._id).toBe(v._id);
      expect(item.optionChoices).toEqual(v.choices);
      expect(item.choices).toBeUndefined();
      expect(item.price).toEqual(v.price);
      expect(item.inventoryStatus).toEqual(v.inventoryStatus);
      expect(item.sku).toBe(v.sku);
      expect(item.productData).toMatchObject({ productId: product.id, name: product.name, slug: product.slug, visible: true, currency: 'USD' });
    });
  });

  it('formats amounts and names the currency only with CURRENCY', async () => {
    const id = visibleIds()[0]!;
    const { items } = await allVariants(client.readOnlyVariantsV3.queryVariants().eq('productData.productId', id));
    expect(items[0].price.actualPrice.amount).toMatch(/^\d+(\.\d+)?$/);
    expect(items[0].price.actualPrice.formattedAmount).toBeUndefined();
    expect(items[0].productData.currency).toBeUndefined();
  });

  it('serves no variants of hidden products, and sorts on the declared fields', async () => {
    const hidden = emu.site.products.find((p) => !p.visible)!;
    expect((await client.readOnlyVariantsV3.queryVariants().eq('productData.productId', hidden.id).find()).items).toEqual([]);
    const ids = visibleIds().slice(0, 5);
    const { items } = await allVariants(client.readOnlyVariantsV3.queryVariants().in('productData.productId', ids).descending('productData.productId').limit(100));
    const order = items.map((v) => v.productData!.productId!);
    expect(order).toEqual([...order].sort().reverse());
  });

  it('refuses what Wix refuses: an undeclared filter, a page over 1,000, an unknown fields value, MERCHANT_DATA, a V1 site', async () => {
    const badField: any = await (client.readOnlyVariantsV3.queryVariants() as any).eq('sku', 'x').find().catch((e: unknown) => e);
    expect(badField.status).toBe(400);
    expect(badField.details).toEqual({ validationError: { fieldViolations: [{ field: 'value', description: "Field 'sku' is not declared as filterable" }] }, requestId: badField.requestId });
    const tooMany: any = await client.readOnlyVariantsV3.queryVariants().limit(1001).find().catch((e: unknown) => e);
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(tooMany.details)).toMatch(/must not be greater than 1000/);
    // 1,000 is allowed: the whole demo catalogue's variants (fewer than that, more than the default page) in one page.
    const thousand = await client.readOnlyVariantsV3.queryVariants().limit(1000).find();
    expect(thousand.items.length).toBeGreaterThan(100);
    expect(thousand.hasNext()).toBe(false);
    const unknown: any = await (client.readOnlyVariantsV3.queryVariants as any)({ fields: ['URL'] }).find().catch((e: unknown) => e);
    expect(unknown.status).toBe(400);
    const merchant: any = await client.readOnlyVariantsV3.queryVariants({ fields: ['MERCHANT_DATA'] }).find().catch((e: unknown) => e);
    expect(merchant.status).toBe(403);
    restore();
    restore = redirectFetch(v1.url);
    try {
      const onV1: any = await makeClient(v1.clientId).readOnlyVariantsV3.queryVariants().find().catch((e: unknown) => e);
      expect(onV1.status).toBe(428);
      expect(onV1.details.applicationError.code).toBe('CATALOG_V1_SITE_CALLING_CATALOG_V3_API');
    } finally {
      restore();
      restore = redirectFetch(emu.url);
    }
  });
});

describe('requested fields per endpoint (the SDK enum of each)', () => {
  it('query and search take DISCOUNT_INFO and MIN_PRICE_VARIANT; get takes DISCOUNT_INFO', async () => {
    const id = visibleIds()[0]!;
    await expect((client.productsV3.queryProducts as any)({ fields: ['DISCOUNT_INFO', 'MIN_PRICE_VARIANT', 'MIN_VARIANT_PRICE_INFO'] }).find()).resolves.toBeTruthy();
    await expect(client.productsV3.searchProducts({}, { fields: ['DISCOUNT_INFO', 'MIN_PRICE_VARIANT'] })).resolves.toBeTruthy();
    await expect(client.productsV3.getProduct(id, { fields: ['DISCOUNT_INFO'] })).resolves.toBeTruthy();
  });

  it('refuses a value no enum of the endpoint has', async () => {
    const error: any = await (client.productsV3.queryProducts as any)({ fields: ['VARIANTS'] }).find().catch((e: unknown) => e);
    expect(error.status).toBe(400);
    const onGet: any = await client.productsV3.getProduct(visibleIds()[0]!, { fields: ['BOGUS' as any] }).catch((e: unknown) => e);
    expect(onGet.status).toBe(400);
  });
});
