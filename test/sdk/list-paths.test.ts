import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIX_LISTS, type ListTarget, type WixList } from '../../src/specs/lists.js';
import { createWixClient } from '../../src/wix/client.js';
import { dataItemsSource, listDataCollections, getDataCollection } from '../../src/wix/data.js';
import { RESOURCES, type ResourceDef } from '../../src/wix/resources.js';
import { redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/**
 * Each row of the list table (src/specs/lists.ts) names the path its SDK method really sends: every row's module is
 * driven here against the emulator (V1 and V3 demo sites), and the recorded request's method and path are compared
 * with the row's. A row whose path drifts from the SDK (the reader path for collections, where the SDK sends
 * /v2/collections/query) fails here.
 */

const sites: Record<'v1' | 'v3', { emu: RunningEmulator; restore: () => void }> = {} as never;

beforeAll(async () => {
  for (const catalog of ['v1', 'v3'] as const) {
    const emu = await startTestEmulator({ catalog, products: 30 });
    sites[catalog] = { emu, restore: () => {} };
  }
});

afterAll(async () => {
  for (const site of Object.values(sites)) await site.emu.close();
});

/** Runs `work` with the SDK's fetch sent to this site's emulator, and returns the API requests it made. */
async function recorded(catalog: 'v1' | 'v3', work: () => Promise<unknown>): Promise<string[]> {
  const { emu } = sites[catalog];
  const restore = redirectFetch(emu.url);
  try {
    emu.reset();
    await work();
    return emu.requests().filter((r) => r.path !== '/oauth2/token').map((r) => `${r.method} ${r.path}`);
  } finally {
    restore();
  }
}

const sent = (target: ListTarget): string => `${target.sdkMethod ?? 'POST'} ${target.sdkPath ?? target.path}`;
const filled = (path: string, values: Record<string, string>): string => path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(values[key]!));
const siteOf = (row: WixList): 'v1' | 'v3' => (row.catalog === 'v3' ? 'v3' : 'v1');

describe('the list table names the paths the SDK sends', () => {
  for (const resource of Object.values(RESOURCES) as ResourceDef[]) {
    const row: WixList = WIX_LISTS[resource.id];
    const catalog = siteOf(row);

    it(`${row.id}: its facts are the row's`, () => {
      expect({ noun: resource.noun, paging: resource.paging, maxOffset: resource.maxOffset, keysetField: resource.keysetField, targets: resource.rules.targets }).toEqual({
        noun: row.noun,
        paging: row.paging,
        maxOffset: row.maxOffset,
        keysetField: row.keysetField,
        targets: row.targets,
      });
    });

    for (const target of row.targets) {
      it(`${row.id} ${target.endpoint}: ${sent(target)}`, async () => {
        const client = await createWixClient(resource.modules, { clientId: sites[catalog].emu.clientId });
        const request = { filter: {}, sort: [], limit: 2, offset: 0, endpoint: target.endpoint };
        expect(await recorded(catalog, () => resource.list(client, request))).toEqual([sent(target)]);
      });
    }

    if (row.get) {
      it(`${row.id} get: by id${row.get.bySlug ? ' and by slug' : ''}`, async () => {
        const client = await createWixClient(resource.modules, { clientId: sites[catalog].emu.clientId });
        const restore = redirectFetch(sites[catalog].emu.url);
        let item: Record<string, any>;
        try {
          item = (await resource.list(client, { filter: {}, sort: [], limit: 5, offset: 0 })).items.find((i) => typeof i.slug === 'string' || row.get!.bySlug === undefined)!;
        } finally {
          restore();
        }
        const id = String(item._id);
        expect(await recorded(catalog, () => resource.get(client, id))).toEqual([`GET ${filled(row.get!.byId, { id })}`]);
        if (row.get!.bySlug) {
          const slug = String(item.slug);
          expect(await recorded(catalog, () => resource.get(client, slug))).toEqual([`GET ${filled(row.get!.bySlug, { slug })}`]);
        }
      });
    }
  }

  it('dataItems: query and search', async () => {
    const row = WIX_LISTS.dataItems;
    const client = await createWixClient(['dataItems'], { clientId: sites.v1.emu.clientId });
    const page = { filter: {}, sort: [], limit: 2, offset: 0 };
    expect(await recorded('v1', () => dataItemsSource({ collectionId: 'team' }).list(client, page))).toEqual([sent(row.targets[0])]);
    expect(await recorded('v1', () => dataItemsSource({ collectionId: 'team', search: 'a' }).list(client, page))).toEqual([sent(row.targets[1])]);
  });

  it('dataCollections: list and get', async () => {
    const row = WIX_LISTS.dataCollections;
    const client = await createWixClient(['dataCollections'], { clientId: sites.v1.emu.clientId });
    const paths = await recorded('v1', () => listDataCollections(client, { limit: 2, offset: 0 }).catch(() => undefined));
    // Visitors are refused the list (docs/wix-api.md 12.6); the request still went out as the row says.
    expect(paths).toEqual([sent(row.targets[0])]);
    expect(await recorded('v1', () => getDataCollection(client, 'team'))).toEqual([`GET ${filled(row.get.byId, { id: 'team' })}`]);
  });
});
