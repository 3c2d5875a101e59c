import { createClient, OAuthStrategy } from '@wix/sdk';
import { products } from '@wix/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWixClient } from '../../src/wix/client.js';
import { emulatorControl, redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/**
 * wixq's client (src/wix/client.ts) over @wix/sdk against the emulator: the two choices that keep the wire and the
 * output as under @wix/api-client (docs/wix-api.md 0.3). The plain SDK is driven beside it, to show what they undo.
 */

let emu: RunningEmulator;
let restore: () => void;
let hosts: string[] = [];
let redirected: typeof fetch;

beforeAll(async () => {
  emu = await startTestEmulator({ catalog: 'v1' });
  restore = redirectFetch(emu.url);
  redirected = globalThis.fetch;
  // Records the host each request was meant for, before the redirect to the emulator.
  globalThis.fetch = (input, init) => {
    hosts.push(new URL(input instanceof Request ? input.url : String(input)).host);
    return redirected(input, init);
  };
});

afterAll(async () => {
  // The workers are shared (isolate: false): put back the redirect, then what was there before it.
  globalThis.fetch = redirected;
  restore();
  await emu.close();
});

const visible = () => emu.site.products.filter((p) => p.visible);

describe('createWixClient', () => {
  it('keeps Wix timestamps as the strings Wix sent, where the plain SDK makes Dates', async () => {
    const id = visible()[0]!.id;
    const wire = visible()[0]!.createdDate;
    const plain = createClient({ modules: { products }, auth: OAuthStrategy({ clientId: emu.clientId }) });
    const fromSdk = (await plain.products.queryProducts().eq('_id', id).find()).items[0]!;
    expect(fromSdk._createdDate).toBeInstanceOf(Date);

    const wixq = await createWixClient(['products'], { clientId: emu.clientId });
    const page = await wixq.products.queryProducts().eq('_id', id).find();
    expect(page.items[0]._createdDate).toBe(wire);
    expect(typeof page.items[0].lastUpdated).toBe('string');
    const got = await wixq.products.getProduct(id);
    expect(got.product._createdDate).toBe(wire);
    // The module's own renames and transforms still run: _id, not id.
    expect(page.items[0]._id).toBe(id);
    expect(page.items[0].id).toBeUndefined();
  });

  it('sends module calls to www.wixapis.com (useCDN: false), where the plain SDK under OAuthStrategy uses edge.wixapis.com', async () => {
    const plain = createClient({ modules: { products }, auth: OAuthStrategy({ clientId: emu.clientId }) });
    hosts = [];
    await plain.products.queryProducts().limit(1).find();
    expect(hosts).toEqual(['www.wixapis.com', 'edge.wixapis.com']);

    const wixq = await createWixClient(['products'], { clientId: emu.clientId });
    hosts = [];
    await wixq.products.queryProducts().limit(1).find();
    expect(hosts).toEqual(['www.wixapis.com', 'www.wixapis.com']);
  });

  it('given a session, sends its access token and nothing more: no token request, even for a token the SDK would think expired', async () => {
    const grant = (await (
      await fetch(new URL('/oauth2/token', emu.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: emu.clientId, grantType: 'anonymous' }) })
    ).json()) as { access_token: string; refresh_token: string };
    // expiresAt in the past: OAuthStrategy would renew before the call; the session layer decides that in wixq.
    const tokens = { accessToken: { value: grant.access_token as string, expiresAt: 0 }, refreshToken: { value: grant.refresh_token as string, role: 'visitor' } };
    const wixq = await createWixClient(['products'], { clientId: emu.clientId, tokens });
    await emulatorControl(emu.url, 'POST', 'reset');
    const page = await wixq.products.queryProducts().limit(2).find();
    expect(page.items).toHaveLength(2);
    const { requests } = await emulatorControl(emu.url, 'GET', 'requests');
    expect(requests.map((r: { path: string }) => r.path)).toEqual(['/stores-reader/v1/products/query-platformized']);
    expect(requests[0].headers.authorization).toBe(grant.access_token);
    expect(wixq.auth.getTokens()).toEqual(tokens);

    // With `oauth`, the same tokens go through the SDK's OAuthStrategy, which renews the "expired" one first.
    const withOAuth = await createWixClient(['products'], { clientId: emu.clientId, tokens, oauth: true });
    await emulatorControl(emu.url, 'POST', 'reset');
    await withOAuth.products.queryProducts().limit(1).find();
    const after = (await emulatorControl(emu.url, 'GET', 'requests')).requests.map((r: { path: string }) => r.path);
    expect(after).toEqual(['/oauth2/token', '/stores-reader/v1/products/query-platformized']);
  });
});
