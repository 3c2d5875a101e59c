import { createClient, OAuthStrategy } from '@wix/sdk';
import { products, productsV3 } from '@wix/stores';
import { generateSite } from '../../src/emulator/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorControl, redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/** What the SDK throws for the emulator's error answers: the shapes of docs/wix-api.md 5.2. */

let emu: RunningEmulator;
let restore: () => void;
let client: ReturnType<typeof makeClient>;

function makeClient(clientId: string, accessToken?: string) {
  const tokens = accessToken ? { accessToken: { value: accessToken, expiresAt: Math.floor(Date.now() / 1000) + 3600 }, refreshToken: { value: '', role: 'none' as never } } : undefined;
  return createClient({ modules: { products }, auth: OAuthStrategy({ clientId, ...(tokens && { tokens }) }) });
}

beforeAll(async () => {
  emu = await startTestEmulator();
  restore = redirectFetch(emu.url);
  client = makeClient(emu.clientId);
});

afterAll(async () => {
  restore();
  await emu.close();
});

/** The thrown value, and checks common to every API error: an `SDKError` whose message is JSON and which names the request ID. */
async function thrown(run: () => Promise<unknown>): Promise<any> {
  const error: any = await run().then(
    () => expect.unreachable('should throw'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  expect(error.constructor.name).toBe('SDKError');
  expect(Object.keys(error).sort()).toEqual(['details', 'message', 'requestId', 'response', 'status']);
  expect(() => JSON.parse(error.message)).not.toThrow();
  // @wix/sdk keeps the answer's x-wix-request-id (@wix/api-client lost it), beside the details too.
  expect(error.requestId).toEqual(expect.any(String));
  expect(error.details.requestId).toBe(error.requestId);
  return error;
}

const firstProductId = () => emu.site.products.find((p) => p.visible)!.id;

describe('SDK errors for emulator answers', () => {
  it('400: a validationError with field violations', async () => {
    const e = await thrown(() => client.products.queryProducts().limit(101).find());
    expect(e.status).toBe(400);
    expect(e.details.validationError.fieldViolations[0]).toMatchObject({ description: 'must not be greater than 100', violatedRule: 'MAX', data: { threshold: 100 } });
    expect(JSON.parse(e.message).message).toMatch(/^INVALID_ARGUMENT: /);
  });

  it('401: an applicationError UNAUTHENTICATED for a token the site never issued', async () => {
    const stranger = makeClient(emu.clientId, 'OauthNG.JWS.not-a-real-token');
    const e = await thrown(() => stranger.products.getProduct(firstProductId()));
    expect(e.status).toBe(401);
    expect(e.details.applicationError).toMatchObject({ code: 'UNAUTHENTICATED', description: expect.any(String) });
  });

  it('403: PERMISSION_DENIED for admin-only data', async () => {
    const e = await thrown(() => client.products.getProduct(firstProductId(), { includeMerchantSpecificData: true }));
    expect(e.status).toBe(403);
    expect(e.details.applicationError.code).toBe('PERMISSION_DENIED');
  });

  it('404: Wix sends only the code NOT_FOUND, so the SDK puts description "UNKNOWN" into its own message', async () => {
    const e = await thrown(() => client.products.getProduct('missing-id'));
    expect(e.status).toBe(404);
    expect(e.details.applicationError).toEqual({ code: 'NOT_FOUND', description: 'UNKNOWN', data: {} });
    expect(JSON.parse(e.message).message).toBe('Entity not found: UNKNOWN');
  });

  it('429: RESOURCE_EXHAUSTED from a fault with Retry-After', async () => {
    await emulatorControl(emu.url, 'POST', 'faults', { path: '/stores-reader/', status: 429, retryAfter: '2' });
    const e = await thrown(() => client.products.getProduct(firstProductId()));
    expect(e.status).toBe(429);
    expect(e.details.applicationError.code).toBe('RESOURCE_EXHAUSTED');
  });

  it('500: no applicationError on the wire, so the SDK puts the HTTP status and the request id in its own', async () => {
    emu.reset();
    await emulatorControl(emu.url, 'POST', 'faults', { path: '/stores-reader/', status: 500 });
    const e = await thrown(() => client.products.getProduct(firstProductId()));
    expect(e.status).toBe(500);
    const recorded = emu.requests('/stores-reader/')[0]!;
    expect(e.details.applicationError).toMatchObject({ code: 500, data: { requestId: recorded.requestId } });
  });

  it('a 503 from the fail rate has the same shape', async () => {
    await emulatorControl(emu.url, 'POST', 'config', { failRate: 1 });
    try {
      const e = await thrown(() => client.products.getProduct(firstProductId()));
      expect(e.status).toBe(503);
      expect(e.details.applicationError.code).toBe(503);
    } finally {
      await emulatorControl(emu.url, 'POST', 'config', { failRate: 0 });
    }
  });

  it('an unknown client ID fails at the token endpoint: a real Error, "System error occurred"', async () => {
    const unknown = makeClient('00000000-0000-4000-8000-00000000dead');
    const e: any = await unknown.products.getProduct(firstProductId()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toMatch(/System error occurred/);
    const tokenRequest = emu.requests('/oauth2/token').at(-1)!;
    expect(tokenRequest.status).toBe(400);
  });
});

describe('SDK errors for Stores preconditions (428) on each kind of site', () => {
  const sites: [string, Parameters<typeof startTestEmulator>[0]][] = [
    ['V1', { catalog: 'v1' }],
    ['V3', { catalog: 'v3' }],
    ['no Stores', { data: { ...generateSite(), catalogVersion: 'STORES_NOT_INSTALLED' } }],
  ];
  const sdk = new Map<string, { emu: RunningEmulator; client: ReturnType<typeof storesClient> }>();
  function storesClient(clientId: string) {
    return createClient({ modules: { products, productsV3 }, auth: OAuthStrategy({ clientId }) });
  }
  beforeAll(async () => {
    restore();
    for (const [name, options] of sites) {
      const emu = await startTestEmulator(options);
      sdk.set(name, { emu, client: storesClient(emu.clientId) });
    }
  });
  afterAll(async () => {
    for (const { emu } of sdk.values()) await emu.close();
    restore = redirectFetch(emu.url);
  });

  /** Calls one site's emulator with the SDK's fetch pointed at it. */
  async function on(site: string, run: (c: ReturnType<typeof storesClient>) => Promise<unknown>): Promise<any> {
    const { emu: target, client: c } = sdk.get(site)!;
    const undo = redirectFetch(target.url);
    try {
      return await thrown(() => run(c));
    } finally {
      undo();
    }
  }

  it.each<[string, string, (c: ReturnType<typeof storesClient>) => Promise<unknown>, string, RegExp]>([
    ['V1', 'productsV3.queryProducts', (c) => c.productsV3.queryProducts().find(), 'CATALOG_V1_SITE_CALLING_CATALOG_V3_API', /^Endpoint belongs to the wrong catalog version\. This site is using CATALOG_V1\. Read more/],
    ['V3', 'products.queryProducts', (c) => c.products.queryProducts().find(), 'CATALOG_V3_CALLING_CATALOG_V1_API', /^Endpoint belongs to CATALOG_V1, but your site is using CATALOG_V3\./],
    ['no Stores', 'productsV3.queryProducts', (c) => c.productsV3.queryProducts().find(), 'REQUIRED_APP_NOT_INSTALLED', /^Wix Stores app is not installed for site/],
    ['no Stores', 'products.getProduct', (c) => c.products.getProduct('p1'), 'REQUIRED_APP_NOT_INSTALLED', /^Wix Stores app is not installed for site/],
  ])('%s site, %s: 428 %s', async (site, _call, run, code, message) => {
    const e = await on(site, run);
    expect(e.status).toBe(428);
    expect(e.details.applicationError).toEqual({ code, description: 'UNKNOWN', data: {} });
    expect(JSON.parse(e.message).message).toMatch(message);
  });
});
