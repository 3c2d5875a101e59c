import { createClient, OAuthStrategy } from '@wix/api-client';
import { products } from '@wix/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorControl, redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/** What the SDK throws for the emulator's error answers: the shapes of wix-wire.md 5.2. */

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

/** The thrown value, and checks common to every API error: a plain object whose message is JSON. */
async function thrown(run: () => Promise<unknown>): Promise<any> {
  const error: any = await run().then(
    () => expect.unreachable('should throw'),
    (e: unknown) => e,
  );
  expect(error instanceof Error).toBe(false);
  expect(Object.keys(error).sort()).toEqual(['details', 'message', 'requestId', 'response', 'status']);
  expect(() => JSON.parse(error.message)).not.toThrow();
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

  it('404: the entity code, with "<message>: <description>" in the message', async () => {
    const e = await thrown(() => client.products.getProduct('missing-id'));
    expect(e.status).toBe(404);
    expect(e.details.applicationError).toEqual({ code: 'PRODUCT_NOT_FOUND', description: 'Product with id missing-id not found', data: {} });
    expect(JSON.parse(e.message).message).toContain('Product with id missing-id not found');
  });

  it('429: RESOURCE_EXHAUSTED from a fault with Retry-After', async () => {
    await emulatorControl(emu.url, 'faults', { path: '/stores-reader/', status: 429, retryAfter: '2' });
    const e = await thrown(() => client.products.getProduct(firstProductId()));
    expect(e.status).toBe(429);
    expect(e.details.applicationError.code).toBe('RESOURCE_EXHAUSTED');
  });

  it('500: no applicationError on the wire, so the SDK puts the HTTP status and the request id in its own', async () => {
    emu.reset();
    await emulatorControl(emu.url, 'faults', { path: '/stores-reader/', status: 500 });
    const e = await thrown(() => client.products.getProduct(firstProductId()));
    expect(e.status).toBe(500);
    const recorded = emu.requests('/stores-reader/')[0]!;
    expect(e.details.applicationError).toMatchObject({ code: 500, data: { requestId: recorded.requestId } });
  });

  it('a 503 from the fail rate has the same shape', async () => {
    await emulatorControl(emu.url, 'config', { failRate: 1 });
    try {
      const e = await thrown(() => client.products.getProduct(firstProductId()));
      expect(e.status).toBe(503);
      expect(e.details.applicationError.code).toBe(503);
    } finally {
      await emulatorControl(emu.url, 'config', { failRate: 0 });
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
