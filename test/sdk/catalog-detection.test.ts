import { createClient, OAuthStrategy } from '@wix/sdk';
import { catalogVersioning, collections, products, productsV3 } from '@wix/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READER_SHIM_COLLECTION_IDS, READER_SHIM_PRODUCT_ID_PREFIX } from '../../src/emulator/index.js';
import { emulatorControl, redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/**
 * The official SDK against the emulator's catalog switches (docs/wix-api.md 2.0 and 11): the Catalog V1 reader shim
 * on a V3 site, and a catalog version endpoint refused to visitors and members, with the V3 probe wixq falls back on.
 */

function makeClient(clientId: string) {
  return createClient({ modules: { products, collections, catalogVersioning, productsV3 }, auth: OAuthStrategy({ clientId }) });
}

const failure = (promise: Promise<unknown>): Promise<any> =>
  promise.then(
    (value) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(value).slice(0, 200)}`);
    },
    (error) => error,
  );

describe('the Catalog V1 reader shim on a V3 site', () => {
  let emu: RunningEmulator;
  let restore: () => void;
  let client: ReturnType<typeof makeClient>;
  beforeAll(async () => {
    emu = await startTestEmulator({ catalog: 'v3' });
    restore = redirectFetch(emu.url);
    client = makeClient(emu.clientId);
  });
  afterAll(async () => {
    restore();
    await emu.close();
  });

  it('is off by default: V1 products and collections answer 428 CATALOG_V3_CALLING_CATALOG_V1_API', async () => {
    for (const call of [() => client.products.queryProducts().find(), () => client.collections.queryCollections().find()]) {
      const error = await failure(call());
      expect(error.status).toBe(428);
      expect(error.details.applicationError.code).toBe('CATALOG_V3_CALLING_CATALOG_V1_API');
    }
  });

  it('on: the reader answers 200 from twelve template products and their collections, none of them in the V3 catalogue', async () => {
    await emulatorControl(emu.url, 'POST', 'config', { v1ReaderShim: true });
    try {
      const page = await client.products.queryProducts().limit(100).find();
      expect(page.items).toHaveLength(12);
      expect(page.totalCount).toBe(12);
      const v3 = emu.site.productsV3 ?? emu.site.products;
      const v3Ids = new Set(v3.map((p) => p.id));
      const v3Names = new Set(v3.map((p) => p.name));
      for (const p of page.items) {
        expect(p._id!.startsWith(READER_SHIM_PRODUCT_ID_PREFIX)).toBe(true);
        expect(v3Ids.has(p._id!)).toBe(false);
        expect(v3Names.has(p.name!)).toBe(false);
      }
      // Filters, sorts and paging work on the shim as on any V1 catalogue.
      const cheap = await client.products.queryProducts().lt('priceData.price', 30).ascending('name').find();
      expect(cheap.items.map((p) => p.name)).toEqual(['Template Demo Product 01', 'Template Demo Product 02', 'Template Demo Product 03']);
      const one = await client.products.getProduct(page.items[4]!._id!);
      expect(one.product?.name).toBe(page.items[4]!.name);

      const groups = await client.collections.queryCollections().find();
      expect(groups.items.map((c) => c._id).sort()).toEqual(Object.values(READER_SHIM_COLLECTION_IDS).sort());
      const siteCollectionIds = new Set(emu.site.collections.map((c) => c.id));
      for (const c of groups.items) expect(siteCollectionIds.has(c._id!)).toBe(false);
      const bySlug = await client.collections.getCollectionBySlug('template-best-sellers');
      expect(bySlug.collection?._id).toBe(READER_SHIM_COLLECTION_IDS.bestSellers);
      expect((await client.collections.getCollection(READER_SHIM_COLLECTION_IDS.newArrivals))._id).toBe(READER_SHIM_COLLECTION_IDS.newArrivals);
      expect(emu.requests('/stores-reader/v1/products/query-platformized').at(-1)!.status).toBe(200);

      // The V3 API and the version endpoint still say V3; the V1 writer's query keeps its 428.
      expect((await client.catalogVersioning.getCatalogVersion()).catalogVersion).toBe('V3_CATALOG');
      expect((await client.productsV3.queryProducts().limit(1).find()).items).toHaveLength(1);
      const { access_token } = (await (
        await fetch(`${emu.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: emu.clientId, grantType: 'anonymous' }) })
      ).json()) as { access_token: string };
      const writer = await fetch(`${emu.url}/stores/v1/products/query`, {
        method: 'POST',
        headers: { authorization: access_token, 'content-type': 'application/json' },
        body: JSON.stringify({ query: {} }),
      });
      expect(writer.status).toBe(428);
      expect(((await writer.json()) as any).details.applicationError.code).toBe('CATALOG_V3_CALLING_CATALOG_V1_API');
    } finally {
      await emulatorControl(emu.url, 'POST', 'config', { v1ReaderShim: false });
    }
  });
});

describe('a catalog version endpoint refused to visitors and members', () => {
  for (const site of [
    { label: 'Catalog V1', options: { catalog: 'v1' as const }, probe: { status: 428, code: 'CATALOG_V1_SITE_CALLING_CATALOG_V3_API' } },
    { label: 'Catalog V3', options: { catalog: 'v3' as const }, probe: { status: 200 } },
  ]) {
    for (const refusal of [403, 404] as const) {
      it(`${site.label}, ${refusal}: getCatalogVersion is refused; a V3 query with limit 1 still tells the catalog`, async () => {
        const emu = await startTestEmulator({ ...site.options, refuseVersionEndpoint: refusal });
        const restore = redirectFetch(emu.url);
        try {
          const client = makeClient(emu.clientId);
          const error = await failure(client.catalogVersioning.getCatalogVersion());
          expect(error.status).toBe(refusal);
          expect(error.details.applicationError.code).toBe(refusal === 403 ? 'PERMISSION_DENIED' : 'NOT_FOUND');
          const probe = client.productsV3.queryProducts().limit(1).find();
          if (site.probe.status === 200) {
            expect((await probe).items).toHaveLength(1);
          } else {
            const refused = await failure(probe);
            expect(refused.status).toBe(site.probe.status);
            expect(refused.details.applicationError.code).toBe(site.probe.code);
          }
        } finally {
          restore();
          await emu.close();
        }
      });
    }
  }

  it('switched at run time through POST /__emulator/config, and off again with null', async () => {
    const emu = await startTestEmulator({ catalog: 'v3' });
    const restore = redirectFetch(emu.url);
    try {
      const client = makeClient(emu.clientId);
      expect((await emulatorControl(emu.url, 'POST', 'config', { refuseVersionEndpoint: 403 })).config).toMatchObject({ refuseVersionEndpoint: 403, v1ReaderShim: false });
      expect((await failure(client.catalogVersioning.getCatalogVersion())).status).toBe(403);
      expect((await emulatorControl(emu.url, 'POST', 'config', { refuseVersionEndpoint: null })).config.refuseVersionEndpoint).toBeNull();
      expect((await client.catalogVersioning.getCatalogVersion()).catalogVersion).toBe('V3_CATALOG');
      await expect(emulatorControl(emu.url, 'POST', 'config', { refuseVersionEndpoint: 500 })).rejects.toThrow(/refuseVersionEndpoint/);
      await expect(emulatorControl(emu.url, 'POST', 'config', { v1ReaderShim: 'yes' })).rejects.toThrow(/v1ReaderShim/);
    } finally {
      restore();
      await emu.close();
    }
  });

  it('a site without Stores: the probe answers 428 REQUIRED_APP_NOT_INSTALLED', async () => {
    const emu = await startTestEmulator({
      data: { ...(await import('../../src/emulator/index.js')).generateSite({ products: 0 }), catalogVersion: 'STORES_NOT_INSTALLED', refuseVersionEndpoint: 404 },
    });
    const restore = redirectFetch(emu.url);
    try {
      const client = makeClient(emu.clientId);
      expect((await failure(client.catalogVersioning.getCatalogVersion())).status).toBe(404);
      const refused = await failure(client.productsV3.queryProducts().limit(1).find());
      expect(refused.status).toBe(428);
      expect(refused.details.applicationError.code).toBe('REQUIRED_APP_NOT_INSTALLED');
    } finally {
      restore();
      await emu.close();
    }
  });
});
