import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOKINGS_APP_ID, DEMO_CLIENT_ID, DEMO_MEMBERS, generateSite } from '../../src/emulator/index.js';
import { emulatorControl, startTestEmulator, type EmulatorOptions, type RunningEmulator } from '../helpers/emulator.js';

/** The emulator over raw HTTP: OAuth, login, controls, faults, errors. The SDK's view is in test/sdk. */

type Json = Record<string, any>;

async function call(base: string, method: string, path: string, options: { body?: unknown; token?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (options.token) headers.authorization = options.token;
  const res = await fetch(`${base}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: Json | undefined;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = undefined;
  }
  return { status: res.status, json: json as Json, text, headers: res.headers };
}

async function visitorTokens(base: string, clientId = DEMO_CLIENT_ID): Promise<Json> {
  const r = await call(base, 'POST', '/oauth2/token', { body: { clientId, grantType: 'anonymous' } });
  expect(r.status).toBe(200);
  return r.json;
}

const productsPath = '/stores-reader/v1/products/query-platformized';
const dotR = (payload: unknown) => `?.r=${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;

describe('OAuth token endpoint', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it('answers an anonymous grant with the documented token response', async () => {
    const tokens = await visitorTokens(emu.url);
    expect(tokens).toEqual({ access_token: expect.stringMatching(/^OauthNG\.JWS\./), refresh_token: expect.stringMatching(/^OauthNG\.JWS\./), expires_in: 14400, token_type: 'Bearer' });
  });

  it('accepts a form-encoded body with RFC parameter names', async () => {
    const r = await call(emu.url, 'POST', '/oauth2/token', { form: { grant_type: 'anonymous', client_id: DEMO_CLIENT_ID } });
    expect(r.status).toBe(200);
    expect(r.json.token_type).toBe('Bearer');
  });

  it.each([
    [{ clientId: 'no-such-client', grantType: 'anonymous' }, 'invalid_client'],
    [{ clientId: DEMO_CLIENT_ID }, 'invalid_request'],
    [{ grantType: 'anonymous' }, 'invalid_request'],
    [{ grantType: 'refresh_token', refreshToken: 'garbage' }, 'invalid_grant'],
    [{ grantType: 'refresh_token' }, 'invalid_request'],
    [{ clientId: DEMO_CLIENT_ID, grantType: 'authorization_code', code: 'nope', codeVerifier: 'x'.repeat(43) }, 'invalid_grant'],
    [{ clientId: DEMO_CLIENT_ID, grantType: 'client_credentials' }, 'unsupported_grant_type'],
  ])('rejects %j with 400 %s (RFC 6749 body)', async (body, error) => {
    const r = await call(emu.url, 'POST', '/oauth2/token', { body });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error, error_description: expect.any(String) });
    expect(r.headers.get('x-wix-request-id')).toBeTruthy();
  });

  it('refreshes with or without clientId, returns the same refresh token, and keeps the visitor id', async () => {
    const first = await visitorTokens(emu.url);
    const withoutClient = await call(emu.url, 'POST', '/oauth2/token', { body: { refreshToken: first.refresh_token, grantType: 'refresh_token' } });
    const withClient = await call(emu.url, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, refreshToken: first.refresh_token, grantType: 'refresh_token' } });
    for (const r of [withoutClient, withClient]) {
      expect(r.status).toBe(200);
      expect(r.json.refresh_token).toBe(first.refresh_token);
      expect(r.json.access_token).not.toBe(first.access_token);
    }
    // The refresh token is still valid after use.
    expect((await call(emu.url, 'POST', '/oauth2/token', { body: { refreshToken: first.refresh_token, grantType: 'refresh_token' } })).status).toBe(200);
    emu.reset();
    await call(emu.url, 'GET', '/stores/v3/provision/version', { token: first.access_token });
    await call(emu.url, 'GET', '/stores/v3/provision/version', { token: withClient.json.access_token });
    const ids = emu.requests('/stores/v3').map((r) => r.identity?.visitorId);
    expect(ids[0]).toBeTruthy();
    expect(ids[1]).toBe(ids[0]);
  });

  it('rejects a refresh for another client', async () => {
    const first = await visitorTokens(emu.url);
    const r = await call(emu.url, 'POST', '/oauth2/token', { body: { clientId: 'other', refreshToken: first.refresh_token, grantType: 'refresh_token' } });
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_client');
  });
});

describe('tokens are stateless and signed', () => {
  it('a restarted emulator of the same site accepts tokens of the earlier one; another site does not', async () => {
    const a = await startTestEmulator({ seed: 7 });
    const tokens = await visitorTokens(a.url);
    await a.close();
    const b = await startTestEmulator({ seed: 7 });
    const c = await startTestEmulator({ seed: 8 });
    try {
      expect((await call(b.url, 'GET', '/stores/v3/provision/version', { token: tokens.access_token })).status).toBe(200);
      expect((await call(b.url, 'POST', '/oauth2/token', { body: { refreshToken: tokens.refresh_token, grantType: 'refresh_token' } })).status).toBe(200);
      const other = await call(c.url, 'GET', '/stores/v3/provision/version', { token: tokens.access_token });
      expect(other.status).toBe(401);
      expect(other.json.details.applicationError.code).toBe('UNAUTHENTICATED');
      // Cut-offs of the new instance cover tokens of the old one too.
      await emulatorControl(b.url, 'POST', 'expire-tokens', {});
      expect((await call(b.url, 'GET', '/stores/v3/provision/version', { token: tokens.access_token })).status).toBe(401);
    } finally {
      await b.close();
      await c.close();
    }
  });

  it('expires access tokens after the TTL on the emulator clock', async () => {
    let now = Date.UTC(2026, 0, 1);
    const emu = await startTestEmulator({ tokenTtl: 60, now: () => now });
    try {
      const tokens = await visitorTokens(emu.url);
      expect(tokens.expires_in).toBe(60);
      now += 59_000;
      expect((await call(emu.url, 'GET', '/stores/v3/provision/version', { token: tokens.access_token })).status).toBe(200);
      now += 1_000;
      const expired = await call(emu.url, 'GET', '/stores/v3/provision/version', { token: tokens.access_token });
      expect(expired.status).toBe(401);
      expect(expired.json.details.applicationError.description).toMatch(/expired/);
      const refreshed = await call(emu.url, 'POST', '/oauth2/token', { body: { refreshToken: tokens.refresh_token, grantType: 'refresh_token' } });
      expect((await call(emu.url, 'GET', '/stores/v3/provision/version', { token: refreshed.json.access_token })).status).toBe(200);
      await emulatorControl(emu.url, 'POST', 'config', { tokenTtl: 5 });
      expect((await visitorTokens(emu.url)).expires_in).toBe(5);
    } finally {
      await emu.close();
    }
  });
});

describe('authentication of API calls and revocation controls', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(() => emu.close());

  it('accepts the bare token and "Bearer <token>"', async () => {
    const { access_token } = await visitorTokens(emu.url);
    expect((await call(emu.url, 'GET', '/stores/v3/provision/version', { token: access_token })).status).toBe(200);
    expect((await call(emu.url, 'GET', '/stores/v3/provision/version', { token: `Bearer ${access_token}` })).status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined, /Missing Authorization/],
    ['a malformed token', 'not-a-token', /malformed/],
    ['a forged signature', 'OauthNG.JWS.eyJhbGciOiJIUzI1NiJ9.eyJ9.c2ln', /signature/],
  ])('answers 401 UNAUTHENTICATED for %s', async (_name, token, description) => {
    const r = await call(emu.url, 'GET', '/stores/v3/provision/version', { token });
    expect(r.status).toBe(401);
    expect(r.json.details.applicationError).toEqual({ code: 'UNAUTHENTICATED', description: expect.stringMatching(description), data: {} });
  });

  it('answers 401 for a refresh token used as an access token', async () => {
    const { refresh_token } = await visitorTokens(emu.url);
    const r = await call(emu.url, 'GET', '/stores/v3/provision/version', { token: refresh_token });
    expect(r.status).toBe(401);
    expect(r.json.details.applicationError.description).toMatch(/not an access token/);
  });

  it('expire-tokens expires every access token issued so far; refresh tokens keep working', async () => {
    const before = await visitorTokens(emu.url);
    await emulatorControl(emu.url, 'POST', 'expire-tokens', {});
    expect((await call(emu.url, 'GET', '/stores/v3/provision/version', { token: before.access_token })).status).toBe(401);
    const refreshed = await call(emu.url, 'POST', '/oauth2/token', { body: { refreshToken: before.refresh_token, grantType: 'refresh_token' } });
    expect(refreshed.status).toBe(200);
    expect((await call(emu.url, 'GET', '/stores/v3/provision/version', { token: refreshed.json.access_token })).status).toBe(200);
  });

  it('revoke-refresh-tokens rejects earlier refresh tokens with invalid_grant; later ones work', async () => {
    const before = await visitorTokens(emu.url);
    await emulatorControl(emu.url, 'POST', 'revoke-refresh-tokens', {});
    const r = await call(emu.url, 'POST', '/oauth2/token', { body: { refreshToken: before.refresh_token, grantType: 'refresh_token' } });
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_grant');
    expect((await call(emu.url, 'GET', '/stores/v3/provision/version', { token: before.access_token })).status).toBe(200);
    const after = await visitorTokens(emu.url);
    expect((await call(emu.url, 'POST', '/oauth2/token', { body: { refreshToken: after.refresh_token, grantType: 'refresh_token' } })).status).toBe(200);
  });

  it('reset {tokens:true} revokes access and refresh tokens', async () => {
    const before = await visitorTokens(emu.url);
    await emulatorControl(emu.url, 'POST', 'reset', { tokens: true });
    expect((await call(emu.url, 'GET', '/stores/v3/provision/version', { token: before.access_token })).status).toBe(401);
    expect((await call(emu.url, 'POST', '/oauth2/token', { body: { refreshToken: before.refresh_token, grantType: 'refresh_token' } })).status).toBe(400);
  });
});

describe('routing, errors, recording', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startTestEmulator();
    token = (await visitorTokens(emu.url)).access_token;
  });
  afterAll(() => emu.close());

  it('answers unknown routes with a loud 404 and a request id', async () => {
    const r = await call(emu.url, 'GET', '/x');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ message: 'No such route: GET /x', details: { applicationError: { code: 'NOT_FOUND', description: expect.any(String), data: {} } } });
    expect(r.headers.get('x-wix-request-id')).toBeTruthy();
  });

  it('sends a distinct x-wix-request-id on every response, control routes included', async () => {
    const ids = new Set<string>();
    for (const [method, path] of [['GET', '/__emulator/site'], ['GET', '/__emulator/nope'], ['GET', '/stores/v3/provision/version'], ['POST', '/oauth2/token']]) {
      const r = await call(emu.url, method!, path!, { token, body: method === 'POST' ? {} : undefined });
      ids.add(r.headers.get('x-wix-request-id')!);
    }
    expect(ids.size).toBe(4);
  });

  it('serves a query as GET .r and as the POST fallback with the same answer', async () => {
    const payload = { query: { filter: { name: { $startsWith: 'linen' } }, sort: [{ fieldName: 'price', order: 'DESC' }], paging: { limit: 5, offset: 0 } } };
    const viaGet = await call(emu.url, 'GET', `${productsPath}${dotR(payload)}`, { token });
    const viaPost = await call(emu.url, 'POST', productsPath, { token, body: payload });
    expect(viaGet.status).toBe(200);
    expect(viaPost.json).toEqual(viaGet.json);
    expect(viaGet.json.metadata).toEqual({ count: viaGet.json.products.length, offset: 0, total: expect.any(Number) });
  });

  it('records requests in order with decoded .r, lower-case headers, grant type, identity and status', async () => {
    emu.reset();
    const tokens = await visitorTokens(emu.url);
    await call(emu.url, 'GET', `${productsPath}${dotR({ query: { paging: { limit: 1 } } })}`, { token: tokens.access_token, headers: { 'X-Custom': 'yes' } });
    await call(emu.url, 'GET', '/__emulator/site');
    const { requests } = await emulatorControl(emu.url, 'GET', 'requests');
    expect(requests.map((r: Json) => r.path)).toEqual(['/oauth2/token', productsPath]);
    expect(requests[0]).toMatchObject({ seq: 1, method: 'POST', grantType: 'anonymous', status: 200, identity: null });
    expect(requests[1]).toMatchObject({ seq: 2, method: 'GET', body: { query: { paging: { limit: 1 } } }, status: 200, identity: { role: 'visitor', visitorId: expect.any(String) } });
    expect(requests[1].headers['x-custom']).toBe('yes');
    expect(requests[1].query['.r']).toBeTruthy();
    expect(requests[1].requestId).toBeTruthy();
    const filtered = await emulatorControl(emu.url, 'GET', 'requests?path=/oauth2');
    expect(filtered.requests).toHaveLength(1);
  });

  it('answers 400 with field violations past the 100-item page and the 10,000 offset ceiling', async () => {
    const tooBig = await call(emu.url, 'POST', productsPath, { token, body: { query: { paging: { limit: 101 } } } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.details.validationError.fieldViolations[0]).toMatchObject({ field: 'query.paging.limit', violatedRule: 'MAX', data: { threshold: 100 } });
    const tooFar = await call(emu.url, 'POST', productsPath, { token, body: { query: { paging: { limit: 100, offset: 9950 } } } });
    expect(tooFar.status).toBe(400);
    expect(tooFar.json.details.validationError.fieldViolations[0].field).toBe('query.paging.offset');
    const unknownOp = await call(emu.url, 'POST', productsPath, { token, body: { query: { filter: { name: { $regex: 'x' } } } } });
    expect(unknownOp.status).toBe(400);
    expect(unknownOp.json.details.validationError.fieldViolations).toEqual([{ field: 'value', description: "Operator '$regex' is not declared for field 'name'" }]);
  });

  it('hides invisible products from visitors and refuses admin flags with 403', async () => {
    const hidden = emu.site.products.find((p) => !p.visible)!;
    const all = await call(emu.url, 'POST', productsPath, { token, body: { query: { filter: { id: hidden.id } } } });
    expect(all.json.metadata.total).toBe(0);
    expect((await call(emu.url, 'GET', `/stores-reader/v1/products/${hidden.id}`, { token })).status).toBe(404);
    for (const flag of ['includeHiddenProducts', 'includeMerchantSpecificData']) {
      const r = await call(emu.url, 'POST', productsPath, { token, body: { query: {}, [flag]: true } });
      expect(r.status).toBe(403);
      expect(r.json.details.applicationError.code).toBe('PERMISSION_DENIED');
    }
    const viaQuery = await call(emu.url, 'GET', `/stores-reader/v1/products/${emu.site.products[0]!.id}?includeMerchantSpecificData=true`, { token });
    expect(viaQuery.status).toBe(403);
  });

  it('answers 428 for the other catalog family', async () => {
    const r = await call(emu.url, 'POST', '/stores/v3/products/query', { token, body: { query: {} } });
    expect(r.status).toBe(428);
    expect(r.json.details.applicationError.code).toBe('CATALOG_V1_SITE_CALLING_CATALOG_V3_API');
  });
});

describe('Stores error bodies as real sites send them', () => {
  const sites: [string, EmulatorOptions][] = [
    ['V1', { catalog: 'v1' }],
    ['V3', { catalog: 'v3' }],
    ['no Stores', { data: { ...generateSite(), catalogVersion: 'STORES_NOT_INSTALLED' } }],
  ];
  const emus = new Map<string, { emu: RunningEmulator; token: string }>();
  beforeAll(async () => {
    for (const [name, options] of sites) {
      const emu = await startTestEmulator(options);
      emus.set(name, { emu, token: (await visitorTokens(emu.url)).access_token });
    }
  });
  afterAll(async () => {
    for (const { emu } of emus.values()) await emu.close();
  });
  const ask = (site: string, method: string, path: string, body?: unknown) => {
    const { emu, token } = emus.get(site)!;
    return call(emu.url, method, path, { token, body });
  };

  const wrongOnV1 = {
    message: 'Endpoint belongs to the wrong catalog version. This site is using CATALOG_V1. Read more about catalog versioning: https://dev.wix.com/docs/rest/business-solutions/stores/catalog-versioning/introduction',
    details: { applicationError: { code: 'CATALOG_V1_SITE_CALLING_CATALOG_V3_API' } },
  };
  const wrongOnV3 = { message: 'Endpoint belongs to CATALOG_V1, but your site is using CATALOG_V3.', details: { applicationError: { code: 'CATALOG_V3_CALLING_CATALOG_V1_API' } } };
  const noStores = { message: 'Wix Stores app is not installed for site', details: { applicationError: { code: 'REQUIRED_APP_NOT_INSTALLED' } } };

  it.each<[string, string, string, unknown, Json]>([
    ['V1', 'POST', '/stores/v3/products/query', { query: {} }, wrongOnV1],
    ['V1', 'POST', '/stores/v3/products/search', { search: {} }, wrongOnV1],
    ['V1', 'GET', '/stores/v3/products/slug/anything', undefined, wrongOnV1],
    ['V3', 'POST', '/stores-reader/v1/products/query-platformized', { query: {} }, wrongOnV3],
    ['V3', 'GET', '/v2/collections/slug/sale', undefined, wrongOnV3],
    ['no Stores', 'POST', '/stores/v3/products/query', { query: {} }, noStores],
    ['no Stores', 'POST', '/stores-reader/v1/products/query-platformized', { query: {} }, noStores],
    ['no Stores', 'POST', '/categories/v1/categories/query', { query: {}, treeReference: { appNamespace: '@wix/stores' } }, noStores],
  ])('%s site: %s %s is a 428 with the real body', async (site, method, path, body, expected) => {
    const r = await ask(site, method, path, body);
    expect(r.status).toBe(428);
    expect(r.json).toEqual(expected);
  });

  it('still reports the catalog version on every site', async () => {
    expect((await ask('no Stores', 'GET', '/stores/v3/provision/version')).json).toEqual({ catalogVersion: 'STORES_NOT_INSTALLED' });
  });

  const missing = '00000000-0000-4000-8000-000000000000';
  it.each<[string, string]>([
    ['V1', `/stores-reader/v1/products/${missing}`],
    ['V1', `/stores-reader/v1/variants/${missing}-${missing}`],
    ['V1', `/stores-reader/v1/collections/${missing}`],
    ['V1', '/v2/collections/slug/no-such-collection'],
    ['V3', `/stores/v3/products/${missing}`],
    ['V3', '/stores/v3/products/slug/no-such-product'],
    ['V3', `/categories/v1/categories/${missing}?treeReference.appNamespace=%40wix%2Fstores`],
    ['V3', '/categories/v1/categories/slug/no-such-category?treeReference.appNamespace=%40wix%2Fstores'],
  ])('%s site: GET %s is a 404 "Entity not found"', async (site, path) => {
    const r = await ask(site, 'GET', path);
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ message: 'Entity not found', details: { applicationError: { code: 'NOT_FOUND' } } });
  });
});

describe('faults and run-time settings', () => {
  let emu: RunningEmulator;
  let token: string;
  beforeAll(async () => {
    emu = await startTestEmulator();
    token = (await visitorTokens(emu.url)).access_token;
  });
  afterAll(() => emu.close());

  it('applies a fault with status, Retry-After and body to the next `count` matching requests', async () => {
    const { id } = await emulatorControl(emu.url, 'POST', 'faults', { path: '/stores/v3/provision', method: 'GET', status: 429, count: 2, retryAfter: '7', body: { message: 'slow down', details: {} } });
    expect(id).toBeTruthy();
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(emu.url, 'GET', '/stores/v3/provision/version', { token });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.headers.get('retry-after')).toBe('7');
        expect(r.json).toEqual({ message: 'slow down', details: {} });
      }
    }
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('gives a bare fault status Wix-like bodies and applies to the token endpoint too', async () => {
    await emulatorControl(emu.url, 'POST', 'faults', { path: '/oauth2/token', status: 500 });
    const r = await call(emu.url, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, grantType: 'anonymous' } });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ message: '', details: {} });
    expect((await call(emu.url, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, grantType: 'anonymous' } })).status).toBe(200);
  });

  it('drops the connection without answering', async () => {
    await emulatorControl(emu.url, 'POST', 'faults', { path: '/stores/v3/provision', drop: true });
    await expect(call(emu.url, 'GET', '/stores/v3/provision/version', { token })).rejects.toThrow();
    expect((await call(emu.url, 'GET', '/stores/v3/provision/version', { token })).status).toBe(200);
  });

  it('delays a request by delayMs', async () => {
    await emulatorControl(emu.url, 'POST', 'faults', { path: '/stores/v3/provision', delayMs: 120 });
    const started = performance.now();
    const r = await call(emu.url, 'GET', '/stores/v3/provision/version', { token });
    expect(r.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('does not match a fault for another method; DELETE faults clears them', async () => {
    await emulatorControl(emu.url, 'POST', 'faults', { path: '/stores/v3/provision', method: 'POST', status: 503 });
    expect((await call(emu.url, 'GET', '/stores/v3/provision/version', { token })).status).toBe(200);
    const cleared = await emulatorControl(emu.url, 'DELETE', 'faults');
    expect(cleared.removed).toBe(1);
  });

  it('reads a JSON body sent with a form content type (curl -d) on control routes', async () => {
    const res = await fetch(`${emu.url}/__emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '{"path":"/nowhere","status":418}' });
    expect(res.status).toBe(200);
    expect((await emulatorControl(emu.url, 'GET', 'faults')).faults.at(-1)).toMatchObject({ path: '/nowhere', status: 418 });
    await emulatorControl(emu.url, 'DELETE', 'faults');
  });

  it('validates fault and config bodies', async () => {
    expect((await call(emu.url, 'POST', '/__emulator/faults', { body: { status: 500 } })).status).toBe(400);
    expect((await call(emu.url, 'POST', '/__emulator/faults', { body: { path: '/x' } })).status).toBe(400);
    expect((await call(emu.url, 'POST', '/__emulator/config', { body: { failRate: 2 } })).status).toBe(400);
    expect((await call(emu.url, 'POST', '/__emulator/config', { body: { authorizeRedirect: 'html' } })).status).toBe(400);
  });

  it('adds latency to API responses when configured at run time', async () => {
    await emulatorControl(emu.url, 'POST', 'config', { latencyMs: 80 });
    try {
      const started = performance.now();
      await call(emu.url, 'GET', '/stores/v3/provision/version', { token });
      expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    } finally {
      await emulatorControl(emu.url, 'POST', 'config', { latencyMs: 0 });
    }
  });

  it('fails a reproducible fraction of API requests with 503, never token requests', async () => {
    const run = async () => {
      const e = await startTestEmulator({ failRate: 0.5, seed: 3 });
      try {
        const t = await visitorTokens(e.url);
        const statuses = [];
        for (let i = 0; i < 20; i++) statuses.push((await call(e.url, 'GET', '/stores/v3/provision/version', { token: t.access_token })).status);
        for (let i = 0; i < 5; i++) expect((await call(e.url, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, grantType: 'anonymous' } })).status).toBe(200);
        return statuses;
      } finally {
        await e.close();
      }
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const failures = first.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(2);
    expect(failures).toBeLessThan(18);
  });

  it('answers 429 with Retry-After past the rate limit within one second of the emulator clock', async () => {
    let now = Date.UTC(2026, 0, 1, 0, 0, 0, 100);
    const e = await startTestEmulator({ rateLimit: 3, now: () => now });
    try {
      const t = await visitorTokens(e.url);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await call(e.url, 'GET', '/stores/v3/provision/version', { token: t.access_token }));
      expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(statuses[3]!.headers.get('retry-after')).toBe('1');
      expect(statuses[3]!.json.details.applicationError.code).toBe('RESOURCE_EXHAUSTED');
      expect((await call(e.url, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, grantType: 'anonymous' } })).status).toBe(200);
      now += 1000;
      expect((await call(e.url, 'GET', '/stores/v3/provision/version', { token: t.access_token })).status).toBe(200);
    } finally {
      await e.close();
    }
  });

  it('summarises the site', async () => {
    const site = await emulatorControl(emu.url, 'GET', 'site');
    expect(site).toMatchObject({ catalogVersion: 'V1_CATALOG', clientIds: [DEMO_CLIENT_ID], counts: { products: emu.site.products.length, services: emu.site.services.length, dataCollections: 7 } });
    expect(site.dataCollections).toContainEqual({ id: 'members-news', read: 'SITE_MEMBER' });
    // Visible services are the ones Wix Bookings offers: not hidden, and not another app's.
    expect(site.counts.visibleServices).toBe(emu.site.services.filter((s) => !s.hidden && s.appId === BOOKINGS_APP_ID).length);
    expect(site.counts.visibleServices).toBeLessThan(emu.site.services.filter((s) => !s.hidden).length);
    expect(site.members.map((m: Json) => m.email)).toEqual(DEMO_MEMBERS.map((m) => m.email));
  });
});

describe('member login, redirect sessions and the authorize page', () => {
  let emu: RunningEmulator;
  let visitor: Json;
  const member = DEMO_MEMBERS[0]!;
  beforeAll(async () => {
    emu = await startTestEmulator();
    visitor = await visitorTokens(emu.url);
  });
  afterAll(() => emu.close());

  const login = (email: string, password: string, extra: Json = {}) =>
    call(emu.url, 'POST', '/_api/iam/authentication/v2/login', { token: visitor.access_token, body: { loginId: { email }, password, ...extra } });

  it('logs a member in with a session token (both paths)', async () => {
    const r = await login(member.email, member.password);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ state: 'SUCCESS', sessionToken: expect.any(String), identity: { id: member.id } });
    const alias = await call(emu.url, 'POST', '/iam/authentication/v2/login', { token: visitor.access_token, body: { loginId: { email: member.email }, password: member.password } });
    expect(alias.json.state).toBe('SUCCESS');
  });

  it.each([
    ['a wrong password', 'ada@example.com', 'nope', 401, '-19976'],
    ['an unknown email', 'nobody@example.com', 'x', 404, '-19999'],
    ['a captcha-protected member without a captcha', 'captcha@example.com', 'demo-password', 400, '-19971'],
  ])('answers %s with HTTP %i and applicationError %s', async (_name, email, password, status, code) => {
    const r = await login(email, password);
    expect(r.status).toBe(status);
    expect(r.json).toEqual({ message: expect.any(String), details: { applicationError: { code, description: expect.any(String), data: {} } } });
    expect(r.headers.get('x-wix-request-id')).toBeTruthy();
  });

  it('lets the captcha member in with a captcha token', async () => {
    const r = await login('captcha@example.com', 'demo-password', { captchaTokens: [{ Recaptcha: 'token' }] });
    expect(r.json.state).toBe('SUCCESS');
  });

  it('answers the pending states', async () => {
    const verify = await login('unverified@example.com', 'demo-password');
    expect(verify.json).toMatchObject({ state: 'REQUIRE_EMAIL_VERIFICATION', stateToken: expect.any(String) });
    const approval = await login('pending@example.com', 'demo-password');
    expect(approval.json.state).toBe('REQUIRE_OWNER_APPROVAL');
  });

  it('needs a visitor token', async () => {
    const r = await call(emu.url, 'POST', '/_api/iam/authentication/v2/login', { body: { loginId: { email: member.email }, password: member.password } });
    expect(r.status).toBe(401);
  });

  const pkce = () => {
    const verifier = randomBytes(32).toString('base64url');
    return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
  };
  const redirectUri = 'http://127.0.0.1:9999/callback';
  const authRequest = (challenge: string, extra: Json = {}) => ({
    redirectUri,
    clientId: DEMO_CLIENT_ID,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    responseMode: 'query',
    responseType: 'code',
    scope: 'offline_access',
    state: 'st4te',
    ...extra,
  });

  it('builds the redirect session URL from the Host header', async () => {
    const { challenge } = pkce();
    const port = new URL(emu.url).port;
    const body = JSON.stringify({ auth: { authRequest: authRequest(challenge), prompt: 'login' } });
    const answer = await new Promise<Json>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/_api/redirects-api/v1/redirect-session', method: 'POST', headers: { host: `emulator.test:${port}`, 'content-type': 'application/json', authorization: visitor.access_token } },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve(JSON.parse(text) as Json));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    const session = answer.redirectSession;
    expect(session.fullUrl).toMatch(new RegExp(`^http://emulator\\.test:${port}/oauth2/authorize\\?`));
    expect(session.urlDetails).toEqual({ endpoint: `http://emulator.test:${port}/oauth2/authorize`, searchParams: expect.objectContaining({ client_id: DEMO_CLIENT_ID, redirect_uri: redirectUri, state: 'st4te' }) });
    expect(session.id).toBeTruthy();
    expect(session.shortUrl).toMatch(/^http:\/\/emulator\.test:\d+\/r\//);
  });

  it.each(['unused://', 'https://evil.example.com/cb'])('refuses a redirect URI the client does not allow: %s', async (uri) => {
    const r = await call(emu.url, 'POST', '/_api/redirects-api/v1/redirect-session', { token: visitor.access_token, body: { auth: { authRequest: authRequest(pkce().challenge, { redirectUri: uri }), prompt: 'none' } } });
    expect(r.status).toBe(400);
    expect(r.json.details.applicationError.code).toBe('INVALID_REDIRECT_URI');
  });

  it('completes prompt=none with a session token: 302 with code and state, then a PKCE code grant for a member', async () => {
    const { verifier, challenge } = pkce();
    const { sessionToken } = (await login(member.email, member.password)).json;
    const session = await call(emu.url, 'POST', '/_api/redirects-api/v1/redirect-session', { token: visitor.access_token, body: { auth: { authRequest: authRequest(challenge, { sessionToken }), prompt: 'none' } } });
    expect(session.json.redirectSession.sessionToken).toBe(sessionToken);
    const authorize = await fetch(session.json.redirectSession.fullUrl, { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const location = new URL(authorize.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('st4te');
    const code = location.searchParams.get('code')!;
    const grant = (extra: Json) => call(emu.url, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, grantType: 'authorization_code', redirectUri, code, codeVerifier: verifier, ...extra } });
    const wrongVerifier = await grant({ codeVerifier: pkce().verifier });
    expect(wrongVerifier.json.error).toBe('invalid_grant');
    // The failed attempt used the code up: single use.
    expect((await grant({})).json.error).toBe('invalid_grant');
  });

  it('checks redirect URI and client of the code grant, then issues member tokens', async () => {
    const exchange = async (extra: Json) => {
      const { verifier, challenge } = pkce();
      const { sessionToken } = (await login(member.email, member.password)).json;
      const session = await call(emu.url, 'POST', '/_api/redirects-api/v1/redirect-session', { token: visitor.access_token, body: { auth: { authRequest: authRequest(challenge, { sessionToken }), prompt: 'none' } } });
      const location = new URL((await fetch(session.json.redirectSession.fullUrl, { redirect: 'manual' })).headers.get('location')!);
      return call(emu.url, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, grantType: 'authorization_code', redirectUri, code: location.searchParams.get('code'), codeVerifier: verifier, ...extra } });
    };
    expect((await exchange({ redirectUri: 'http://127.0.0.1:9999/other' })).json.error).toBe('invalid_grant');
    expect((await exchange({ clientId: 'someone-else' })).json.error).toBe('invalid_client');
    const ok = await exchange({});
    expect(ok.status).toBe(200);
    emu.reset();
    await call(emu.url, 'GET', '/stores/v3/provision/version', { token: ok.json.access_token });
    expect(emu.requests()[0]!.identity).toMatchObject({ role: 'member', memberId: member.id });
    const refreshed = await call(emu.url, 'POST', '/oauth2/token', { body: { refreshToken: ok.json.refresh_token, grantType: 'refresh_token' } });
    await call(emu.url, 'GET', '/stores/v3/provision/version', { token: refreshed.json.access_token });
    expect(emu.requests('/stores')[1]!.identity).toMatchObject({ role: 'member', memberId: member.id });
  });

  it('redirects prompt=none without a valid session with error=login_required (fragment mode)', async () => {
    const session = await call(emu.url, 'POST', '/_api/redirects-api/v1/redirect-session', { token: visitor.access_token, body: { auth: { authRequest: authRequest(pkce().challenge, { responseMode: 'fragment' }), prompt: 'none' } } });
    const res = await fetch(session.json.redirectSession.fullUrl, { redirect: 'manual' });
    const location = res.headers.get('location')!;
    expect(location.startsWith(`${redirectUri}#`)).toBe(true);
    expect(new URLSearchParams(location.split('#')[1]).get('error')).toBe('login_required');
  });

  it('serves a login form for prompt=login that answers wrong passwords with the form and right ones with a code', async () => {
    const { challenge } = pkce();
    const session = await call(emu.url, 'POST', '/_api/redirects-api/v1/redirect-session', { token: visitor.access_token, body: { auth: { authRequest: authRequest(challenge), prompt: 'login' } } });
    const page = await fetch(session.json.redirectSession.fullUrl);
    const html = await page.text();
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).toContain('<form method="post" action="/oauth2/authorize">');
    const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]));
    const submit = (password: string) => call(emu.url, 'POST', '/oauth2/authorize', { form: { ...hidden, email: member.email, password } });
    const wrong = await submit('wrong');
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain('Wrong email or password.');
    const right = await submit(member.password);
    expect(right.status).toBe(302);
    const location = new URL(right.headers.get('location')!);
    expect(location.searchParams.get('code')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('st4te');
  });

  describe('authorize step variants for prompt=none', () => {
    /** A prompt=none authorize URL for a fresh member session, and the PKCE verifier of its code. */
    const authorizeUrl = async (extra: Json = {}) => {
      const { verifier, challenge } = pkce();
      const { sessionToken } = (await login(member.email, member.password)).json;
      const session = await call(emu.url, 'POST', '/_api/redirects-api/v1/redirect-session', { token: visitor.access_token, body: { auth: { authRequest: authRequest(challenge, { sessionToken, ...extra }), prompt: 'none' } } });
      return { url: session.json.redirectSession.fullUrl as string, verifier };
    };
    const redeem = (location: string, verifier: string) =>
      call(emu.url, 'POST', '/oauth2/token', { body: { clientId: DEMO_CLIENT_ID, grantType: 'authorization_code', redirectUri, code: new URL(location).searchParams.get('code'), codeVerifier: verifier } });
    const withMode = async (mode: string, run: () => Promise<void>) => {
      await emulatorControl(emu.url, 'POST', 'config', { authorizeRedirect: mode });
      try {
        await run();
      } finally {
        await emulatorControl(emu.url, 'POST', 'config', { authorizeRedirect: '302' });
      }
    };

    it('reports the mode in the config and keeps 302 by default', async () => {
      expect((await emulatorControl(emu.url, 'GET', 'config')).config.authorizeRedirect).toBe('302');
      const { url } = await authorizeUrl();
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(302);
    });

    it('answers a 200 page whose meta refresh leads to the redirect URI with a redeemable code', async () => {
      await withMode('meta-refresh', async () => {
        const { url, verifier } = await authorizeUrl();
        const page = await fetch(url, { redirect: 'manual' });
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
        const html = await page.text();
        const content = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(html)?.[1];
        expect(content).toBeDefined();
        const location = content!.replace(/&amp;/g, '&');
        expect(location.startsWith(`${redirectUri}?`)).toBe(true);
        expect(new URL(location).searchParams.get('state')).toBe('st4te');
        expect((await redeem(location, verifier)).status).toBe(200);
      });
    });

    it('answers a 200 page whose script assigns window.location to the redirect URI', async () => {
      await withMode('script', async () => {
        const { url, verifier } = await authorizeUrl();
        const page = await fetch(url, { redirect: 'manual' });
        expect(page.status).toBe(200);
        const literal = /<script>window\.location\.href = ("[^"]+");<\/script>/.exec(await page.text())?.[1];
        expect(literal).toBeDefined();
        const location = JSON.parse(literal!) as string;
        expect(location.startsWith(`${redirectUri}?`)).toBe(true);
        expect((await redeem(location, verifier)).status).toBe(200);
      });
    });

    it('answers a page that leads nowhere in mode none', async () => {
      await withMode('none', async () => {
        const { url } = await authorizeUrl();
        const page = await fetch(url, { redirect: 'manual' });
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).not.toContain(redirectUri);
        expect(html).not.toMatch(/http-equiv="refresh"|window\.location/);
      });
    });

    it('sends login_required the same way when the session is missing', async () => {
      await withMode('meta-refresh', async () => {
        const { challenge } = pkce();
        const session = await call(emu.url, 'POST', '/_api/redirects-api/v1/redirect-session', { token: visitor.access_token, body: { auth: { authRequest: authRequest(challenge), prompt: 'none' } } });
        const html = await (await fetch(session.json.redirectSession.fullUrl, { redirect: 'manual' })).text();
        const location = /content="0;url=([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
        expect(new URL(location).searchParams.get('error')).toBe('login_required');
      });
    });

    it('takes the mode from startEmulator and from a data file, and refuses unknown modes', async () => {
      const started = await startTestEmulator({ authorizeRedirect: 'script' });
      try {
        expect((await emulatorControl(started.url, 'GET', 'config')).config.authorizeRedirect).toBe('script');
      } finally {
        await started.close();
      }
      const fromData = await startTestEmulator({ data: { ...emu.site, authorizeRedirect: 'none' } });
      try {
        expect((await emulatorControl(fromData.url, 'GET', 'config')).config.authorizeRedirect).toBe('none');
      } finally {
        await fromData.close();
      }
      await expect(startTestEmulator({ authorizeRedirect: 'html' as never })).rejects.toThrow(/authorizeRedirect must be one of 302, meta-refresh, script, none/);
    });
  });

  it('creates logout sessions that redirect to the post-flow URL', async () => {
    const r = await call(emu.url, 'POST', '/_api/redirects-api/v1/redirect-session', { token: visitor.access_token, body: { logout: { clientId: DEMO_CLIENT_ID }, callbacks: { postFlowUrl: 'http://localhost:3000/bye' } } });
    expect(r.status).toBe(200);
    const res = await fetch(r.json.redirectSession.fullUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://localhost:3000/bye');
  });
});
