import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID, generateSite, parseSiteData, SiteDataError } from '../../src/emulator/index.js';
import { V3_GET_FIELDS } from '../../src/wix/snapshot.js';
import { runInProcess } from '../helpers/in-process.js';
import { emulatorControl, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';
import { probeRoutes } from './probe.js';
import { optionalPaths, without, type Path } from './typings.js';

/**
 * The emulator serves whatever Wix can return (issue 19, item 6): every optional field of every entity may be absent
 * (which ones: the SDK typings), wrong types are refused at load naming the field, no route answers 500 to data it
 * accepted, deep bodies are refused with a 400, the 413 is sent, prototype keys are field names.
 */

type Json = Record<string, any>;

async function visitor(base: string): Promise<string> {
  const res = await fetch(`${base}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: DEMO_CLIENT_ID, grantType: 'anonymous' }) });
  return ((await res.json()) as Json).access_token;
}

async function call(base: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: token, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json };
}

/** Wire entities as the demo site serves them: what a snapshot of it holds. */
interface Samples {
  v1Product: Json;
  collection: Json;
  v3Product: Json;
  category: Json;
  appointment: Json;
  classService: Json;
}

let samples: Samples;
const staff = generateSite().staff;

beforeAll(async () => {
  const v1 = await startTestEmulator();
  let token = await visitor(v1.url);
  const products: Json[] = (await call(v1.url, token, 'POST', '/stores-reader/v1/products/query-platformized', { query: { paging: { limit: 100 } } })).json.products;
  const v1Product = products.find((p) => p.productOptions?.length > 1 && p.stock?.trackInventory)!;
  const collection = (await call(v1.url, token, 'POST', '/stores-reader/v1/collections/query', { query: { paging: { limit: 100 } } })).json.collections[1];
  const services: Json[] = (await call(v1.url, token, 'POST', '/bookings/v2/services/query', { query: { paging: { limit: 100 } } })).json.services;
  await v1.close();
  const v3 = await startTestEmulator({ catalog: 'v3' });
  token = await visitor(v3.url);
  const list: Json[] = (await call(v3.url, token, 'POST', '/stores/v3/products/query', { query: { cursorPaging: { limit: 100 } } })).json.products;
  const withOptions = list.find((p) => p.variantSummary?.variantCount > 1 && p.media?.main)!;
  const v3Product = (await call(v3.url, token, 'GET', `/stores/v3/products/${withOptions.id}?${V3_GET_FIELDS.map((f) => `fields=${f}`).join('&')}`)).json.product;
  const category = (await call(v3.url, token, 'POST', '/categories/v1/categories/query', { query: { cursorPaging: { limit: 100 } }, treeReference: { appNamespace: '@wix/stores' }, fields: ['BREADCRUMBS_INFO', 'DESCRIPTION'] })).json.categories.find((c: Json) => c.description);
  await v3.close();
  samples = {
    v1Product,
    collection,
    v3Product,
    category,
    appointment: services.find((s) => s.type === 'APPOINTMENT' && s.locations?.length > 0)!,
    classService: services.find((s) => s.type === 'CLASS')!,
  };
}, 60_000);

/** One entity kind: its typings, a sample, the snapshot that serves it, and the ids the routes are called with. */
interface Kind {
  name: string;
  pkg: string;
  iface: string;
  sample: () => Json;
  snapshot: (entity: Json) => Json;
  ids: (entity: Json) => Parameters<typeof probeRoutes>[1];
}

const KINDS: Kind[] = [
  {
    name: 'V1 product',
    pkg: 'auto_sdk_stores_products',
    iface: 'Product',
    sample: () => samples.v1Product,
    snapshot: (e) => ({ catalogVersion: 'V1_CATALOG', products: [e], collections: [samples.collection] }),
    ids: (e) => ({ product: { id: samples.v1Product.id, slug: String(e.slug ?? samples.v1Product.slug) }, collection: { id: samples.collection.id, slug: samples.collection.slug } }),
  },
  {
    name: 'V1 collection',
    pkg: 'auto_sdk_stores_collections',
    iface: 'Collection',
    sample: () => samples.collection,
    snapshot: (e) => ({ catalogVersion: 'V1_CATALOG', products: [samples.v1Product], collections: [e] }),
    ids: (e) => ({ product: { id: samples.v1Product.id, slug: samples.v1Product.slug }, collection: { id: samples.collection.id, slug: String(e.slug ?? samples.collection.slug) } }),
  },
  {
    name: 'V3 product',
    pkg: 'auto_sdk_stores_products-v-3',
    iface: 'V3Product',
    sample: () => samples.v3Product,
    snapshot: (e) => ({ catalogVersion: 'V3_CATALOG', productsV3: [e], categories: [samples.category] }),
    ids: (e) => ({ product: { id: samples.v3Product.id, slug: String(e.slug ?? samples.v3Product.slug) }, category: { id: samples.category.id, slug: samples.category.slug } }),
  },
  {
    name: 'category',
    pkg: 'auto_sdk_categories_categories',
    iface: 'Category',
    sample: () => samples.category,
    snapshot: (e) => ({ catalogVersion: 'V3_CATALOG', productsV3: [samples.v3Product], categories: [e] }),
    ids: (e) => ({ product: { id: samples.v3Product.id, slug: samples.v3Product.slug }, category: { id: samples.category.id, slug: String(e.slug ?? samples.category.slug) } }),
  },
  {
    name: 'appointment service',
    pkg: 'auto_sdk_bookings_services',
    iface: 'Service',
    sample: () => samples.appointment,
    snapshot: (e) => ({ services: [e], staff }),
    ids: () => ({ service: { id: samples.appointment.id } }),
  },
  {
    name: 'class service',
    pkg: 'auto_sdk_bookings_services',
    iface: 'Service',
    sample: () => samples.classService,
    snapshot: (e) => ({ services: [e], staff }),
    ids: () => ({ service: { id: samples.classService.id } }),
  },
];

/**
 * Loads the snapshot and calls every route: a file the loader refuses must name a field of the entity; a file it
 * accepts must never be answered with a 5xx. Answers the failures, one line each.
 */
async function serveProblems(kind: Kind, entity: Json, label: string): Promise<string[]> {
  let site;
  try {
    site = parseSiteData({ wixqSnapshot: 1, clientIds: [DEMO_CLIENT_ID], ...kind.snapshot(entity) }, 'snapshot');
  } catch (error) {
    if (!(error instanceof SiteDataError)) return [`${label}: load threw ${String(error)}`];
    return /^snapshot: [a-zA-Z0-9]+\[0\]\.[\w.[\]]+: /.test(error.message) ? [] : [`${label}: refused without naming the field: ${error.message}`];
  }
  const emu = await startTestEmulator({ data: site });
  try {
    const probes = await probeRoutes(emu, kind.ids(entity));
    return probes.filter((p) => p.status >= 500).map((p) => `${label}: ${p.route} answered ${p.status} ${p.body}`);
  } finally {
    await emu.close();
  }
}

describe('every optional field of every entity may be absent (the SDK typings say which)', () => {
  for (const kind of KINDS) {
    it(`${kind.name}: each optional field removed, one at a time, then random subsets: no route answers 5xx`, async () => {
      const sample = kind.sample();
      const paths = optionalPaths(kind.pkg, kind.iface, sample);
      // The typings must reach into the sample: its top-level fields and nested ones.
      expect(paths.length).toBeGreaterThan(5);
      expect(paths.some((p) => p.length > 1)).toBe(true);
      const problems: string[] = [];
      for (const path of paths) problems.push(...(await serveProblems(kind, without(sample, path) as Json, `without ${path.join('.')}`)));
      expect(problems).toEqual([]);
      const topLevel = paths.filter((p) => p.length === 1);
      await fc.assert(
        fc.asyncProperty(fc.subarray(topLevel, { minLength: 2 }), async (subset: Path[]) => {
          const entity = subset.reduce<unknown>((e, p) => without(e, p), sample) as Json;
          const found = await serveProblems(kind, entity, `without ${subset.map((p) => p.join('.')).join(', ')}`);
          expect(found).toEqual([]);
        }),
        { numRuns: 12 },
      );
    }, 120_000);
  }

  it('names the cases of the issue: a V1 product without stock, a V1 option without choices, a V3 product without media', async () => {
    const v1 = KINDS[0]!;
    const v3 = KINDS[2]!;
    expect(await serveProblems(v1, without(samples.v1Product, ['stock']) as Json, 'no stock')).toEqual([]);
    expect(await serveProblems(v1, without(samples.v1Product, ['productOptions', 0, 'choices']) as Json, 'no choices')).toEqual([]);
    expect(await serveProblems(v3, without(samples.v3Product, ['media']) as Json, 'no media')).toEqual([]);
  }, 60_000);
});

describe('wrong types in a data file are refused at load, the field named', () => {
  const load = (extra: Json) => () => parseSiteData({ wixqSnapshot: 1, clientIds: [DEMO_CLIENT_ID], ...extra }, 'snapshot');
  it('a snapshot: stock, productOptions, choices, locations', () => {
    const p = samples.v1Product;
    expect(load({ products: [{ ...p, stock: 'many' }] })).toThrow('snapshot: products[0].stock: expected an object');
    expect(load({ products: [{ ...p, productOptions: { a: 1 } }] })).toThrow('snapshot: products[0].productOptions: expected an array');
    const options = structuredClone(p.productOptions);
    options[1].choices = 7;
    expect(load({ products: [{ ...p, productOptions: options }] })).toThrow('snapshot: products[0].productOptions[1].choices: expected an array');
    expect(load({ services: [{ ...samples.appointment, locations: 'downtown' }], staff })).toThrow('snapshot: services[0].locations: expected an array');
    expect(load({ services: [{ ...samples.appointment, locations: [null] }], staff })).toThrow('snapshot: services[0].locations[0]: expected an object');
  });

  it('wixq emulator --data: exit 2, one line naming the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wixq-robust-'));
    const file = join(dir, 'site.json');
    writeFileSync(file, JSON.stringify({ wixqSnapshot: 1, clientIds: [DEMO_CLIENT_ID], services: [{ ...samples.appointment, locations: 'downtown' }], staff }));
    const outcome = await runInProcess(['emulator', '--data', file, '--port', '0'], { env: { WIXQ_CONFIG_DIR: dir, PATH: process.env.PATH } });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error: .*services\[0\]\.locations: expected an array$/)]);
    expect(outcome.stdout).toBe('');
  });
});

describe('requests the emulator bounds', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startTestEmulator();
    token = await visitor(emu.url);
  });
  afterAll(() => emu.close());

  /** A filter nested `levels` deep, as JSON text (JSON.stringify itself overflows the stack on such a value). */
  const deepFilter = (levels: number): string => `${'{"$and":['.repeat(levels)}{"name":"x"}${']}'.repeat(levels)}`;
  const post = async (path: string, body: string) => {
    const res = await fetch(`${emu.url}${path}`, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json' }, body });
    return { status: res.status, json: (await res.json()) as Json };
  };

  it('a filter nested 5,000 levels deep: 400 before any walk, and /__emulator/requests still answers', async () => {
    for (const path of ['/stores-reader/v1/products/query-platformized', '/bookings/v2/services/query', '/wix-data/v2/items/query']) {
      const r = await post(path, `{"dataCollectionId":"team","query":{"filter":${deepFilter(5_000)}}}`);
      expect(r.status, path).toBe(400);
      expect(r.json.message).toContain('deeper than 64 levels');
    }
    const recorded = await emulatorControl(emu.url, 'GET', 'requests');
    expect(recorded.requests.at(-1)).toMatchObject({ path: '/wix-data/v2/items/query', status: 400, body: '(not recorded: nested deeper than 64 levels)' });
    // Within the bound, the same filter is served.
    expect((await post('/bookings/v2/services/query', `{"query":{"filter":${deepFilter(20)}}}`)).status).toBe(200);
  });

  it('a cursor nested deeper than a request may be is not one the emulator issued', async () => {
    const cursor = Buffer.from(`{"v":1,"o":0,"f":${deepFilter(5_000)}}`).toString('base64url');
    const r = await call(emu.url, token, 'POST', '/wix-data/v2/items/query', { dataCollectionId: 'team', query: { cursorPaging: { cursor } } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toContain('is not a cursor this API issued');
  });

  it('a body over 10 MB is answered 413, not a reset connection', async () => {
    const body = Buffer.alloc(11 * 1024 * 1024, 0x20);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${emu.url}/stores-reader/v1/products/query-platformized`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(413);
    // The emulator keeps serving.
    expect((await call(emu.url, token, 'POST', '/bookings/v2/services/query', {})).status).toBe(200);
  });
});

describe('prototype keys are field names', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    const site = parseSiteData({
      clientIds: [DEMO_CLIENT_ID],
      dataCollections: [
        {
          id: 'odd',
          permissions: { read: 'ANYONE', insert: 'ADMIN', update: 'ADMIN', remove: 'ADMIN' },
          fields: [{ key: 'title', type: 'TEXT' }],
          items: [{ _id: 'a', title: 'A', constructor: 'yes' }, { _id: 'b', title: 'B' }],
        },
      ],
    });
    emu = await startTestEmulator({ data: site });
    token = await visitor(emu.url);
  });
  afterAll(() => emu.close());

  const ids = async (filter: unknown) => {
    // Sent as raw JSON text, so that `__proto__` arrives as a key (an object literal would set the prototype).
    const res = await fetch(`${emu.url}/wix-data/v2/items/query`, { method: 'POST', headers: { authorization: token, 'content-type': 'application/json' }, body: `{"dataCollectionId":"odd","query":{"filter":${filter}}}` });
    expect(res.status).toBe(200);
    return ((await res.json()) as Json).dataItems.map((i: Json) => i.id);
  };

  it('__proto__, constructor, toString and hasOwnProperty filter like any field', async () => {
    expect(await ids('{"__proto__":"x"}')).toEqual([]);
    expect(await ids('{"__proto__":{"$exists":true}}')).toEqual([]);
    expect(await ids('{"toString":{"$exists":true}}')).toEqual([]);
    expect(await ids('{"hasOwnProperty":{"$exists":false}}')).toEqual(['a', 'b']);
    expect(await ids('{"constructor":{"$exists":true}}')).toEqual(['a']);
    expect(await ids('{"constructor":"yes"}')).toEqual(['a']);
  });
});
