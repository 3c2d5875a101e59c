import { createClient, OAuthStrategy } from '@wix/sdk';
import { catalogVersioning } from '@wix/stores';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/index.js';
import { emulatorControl, redirectFetch, startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';

/** The SDK's OAuthStrategy against the emulator: visitor tokens, refresh, member login (PKCE), logout. */

let emu: RunningEmulator;
let restore: () => void;

function makeClient() {
  return createClient({ modules: { catalogVersioning }, auth: OAuthStrategy({ clientId: emu.clientId }) });
}

const member = DEMO_MEMBERS[0]!;
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

/** Moves the clock of the SDK and the emulator (both read Date.now) past the access token lifetime. */
function jumpPastTokenLifetime(): void {
  const target = Date.now() + 14_401_000;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(target);
}

/** The PKCE login of docs/wix-api.md 1.3: login → redirect session (prompt none) → follow the 302 → code grant. */
async function loginAsMember(client: ReturnType<typeof makeClient>, email = member.email, password = member.password) {
  const login: any = await client.auth.login({ email, password });
  expect(login.loginState).toBe('SUCCESS');
  const oauthData = client.auth.generateOAuthData(REDIRECT_URI);
  // @wix/sdk (like @wix/api-client 1.14.1) accepts sessionToken at run time although its typings omit it.
  const { authUrl } = await client.auth.getAuthUrl(oauthData, { prompt: 'none', responseMode: 'query', sessionToken: login.data.sessionToken } as any);
  expect(authUrl.startsWith(`${emu.url}/oauth2/authorize?`)).toBe(true);
  const answer = await fetch(authUrl, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  const location = answer.headers.get('location')!;
  expect(location.startsWith(`${REDIRECT_URI}?`)).toBe(true);
  const { code, state } = client.auth.parseFromUrl(location, 'query');
  const tokens = await client.auth.getMemberTokens(code!, state!, oauthData);
  client.auth.setTokens(tokens);
  return tokens;
}

beforeAll(async () => {
  emu = await startTestEmulator();
  restore = redirectFetch(emu.url);
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  restore();
  await emu.close();
});

describe('visitor tokens', () => {
  it('mints visitor tokens on the first call and reuses them', async () => {
    emu.reset();
    const client = makeClient();
    await client.catalogVersioning.getCatalogVersion();
    await client.catalogVersioning.getCatalogVersion();
    const grants = emu.requests('/oauth2/token').map((r) => r.grantType);
    expect(grants).toEqual(['anonymous']);
    expect(client.auth.getTokens().refreshToken.role).toBe('visitor');
    expect(client.auth.getTokens().accessToken.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(14_000);
  });

  it('uses the refresh grant once the token expired on both sides, keeping the visitor id', async () => {
    const client = makeClient();
    emu.reset();
    await client.catalogVersioning.getCatalogVersion();
    const visitorId = emu.requests('/stores')[0]!.identity!.visitorId;
    const refreshToken = client.auth.getTokens().refreshToken.value;
    emu.reset();
    await emulatorControl(emu.url, 'POST', 'expire-tokens', {});
    // The SDK judges expiry by its own clock only, and does not refresh on a 401 (docs/wix-api.md 1.2).
    const rejected = await client.catalogVersioning.getCatalogVersion().catch((e: any) => e);
    expect(rejected.status).toBe(401);
    jumpPastTokenLifetime();
    expect(await client.catalogVersioning.getCatalogVersion()).toEqual({ catalogVersion: 'V1_CATALOG' });
    const log = emu.requests();
    expect(log.map((r) => [r.path, r.grantType ?? null, r.status])).toEqual([
      ['/stores/v3/provision/version', null, 401],
      ['/oauth2/token', 'refresh_token', 200],
      ['/stores/v3/provision/version', null, 200],
    ]);
    // @wix/sdk sends the clientId on refresh (@wix/api-client 1.14.1 did not; docs/wix-api.md 0.3).
    expect(log[1]!.body).toEqual({ clientId: emu.clientId, refreshToken, grantType: 'refresh_token' });
    expect(client.auth.getTokens().refreshToken.value).toBe(refreshToken);
    expect(log[2]!.identity!.visitorId).toBe(visitorId);
    // The rejected call still names whose (expired) token it carried.
    expect(log[0]!.identity?.visitorId).toBe(visitorId);
  });
});

describe('member login', () => {
  it('completes the PKCE round trip and calls APIs as the member', async () => {
    const client = makeClient();
    emu.reset();
    const tokens = await loginAsMember(client);
    expect(tokens.refreshToken.role).toBe('member');
    expect(client.auth.loggedIn()).toBe(true);
    await client.catalogVersioning.getCatalogVersion();
    const grants = emu.requests('/oauth2/token');
    expect(grants.map((r) => r.grantType)).toEqual(['anonymous', 'authorization_code']);
    expect(grants[1]!.body).toMatchObject({ grantType: 'authorization_code', redirectUri: REDIRECT_URI, codeVerifier: expect.any(String) });
    const login = emu.requests('/_api/iam/authentication/v2/login')[0]!;
    expect(login.identity?.role).toBe('visitor');
    const api = emu.requests('/stores/v3/provision/version').at(-1)!;
    expect(api.identity).toMatchObject({ role: 'member', memberId: member.id });
  });

  it('refreshes an expired member token as the member', async () => {
    const client = makeClient();
    await loginAsMember(client);
    emu.reset();
    jumpPastTokenLifetime();
    await client.catalogVersioning.getCatalogVersion();
    expect(emu.requests('/oauth2/token').map((r) => r.grantType)).toEqual(['refresh_token']);
    expect(emu.requests('/stores')[0]!.identity).toMatchObject({ role: 'member', memberId: member.id });
  });

  it('silently falls back to a visitor when the member refresh token is revoked (SDK behaviour)', async () => {
    const client = makeClient();
    await loginAsMember(client);
    await emulatorControl(emu.url, 'POST', 'revoke-refresh-tokens', {});
    emu.reset();
    jumpPastTokenLifetime();
    await client.catalogVersioning.getCatalogVersion();
    expect(emu.requests('/oauth2/token').map((r) => [r.grantType, r.status])).toEqual([
      ['refresh_token', 400],
      ['anonymous', 200],
    ]);
    expect(client.auth.loggedIn()).toBe(false);
    expect(emu.requests('/stores')[0]!.identity?.role).toBe('visitor');
  });

  it.each([
    ['a wrong password', member.email, 'wrong', 'invalidPassword', '-19976', 401],
    ['an unknown email', 'nobody@example.com', 'x', 'invalidEmail', '-19999', 404],
    ['a missing captcha', 'captcha@example.com', 'demo-password', 'missingCaptchaToken', '-19971', 400],
  ])('reports %s as FAILURE with errorCode %s', async (_name, email, password, errorCode, wixCode, status) => {
    emu.reset();
    const result: any = await makeClient().auth.login({ email, password });
    expect(result.loginState).toBe('FAILURE');
    expect(result.errorCode).toBe(errorCode);
    expect(JSON.parse(result.error).details.applicationError.code).toBe(wixCode);
    expect(emu.requests('/_api/iam/authentication/v2/login').map((r) => r.status)).toEqual([status]);
  });

  it('reports the pending states', async () => {
    const verify: any = await makeClient().auth.login({ email: 'unverified@example.com', password: 'demo-password' });
    expect(verify.loginState).toBe('EMAIL_VERIFICATION_REQUIRED');
    expect(verify.data?.stateToken).toBeTruthy();
    const approval = await makeClient().auth.login({ email: 'pending@example.com', password: 'demo-password' });
    expect(approval.loginState).toBe('OWNER_APPROVAL_REQUIRED');
  });

  it('logs out through a redirect session that lands on the post-flow URL', async () => {
    const client = makeClient();
    await loginAsMember(client);
    const { logoutUrl } = await client.auth.logout('http://127.0.0.1:53682/bye');
    expect(client.auth.loggedIn()).toBe(false);
    const answer = await fetch(logoutUrl, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('http://127.0.0.1:53682/bye');
  });

  describe('when the authorize step answers with a page instead of a 302', () => {
    /** Finds where a page sends the browser: a meta refresh or a window.location assignment (what a headless client must follow). */
    const pageTarget = (html: string): string | undefined => {
      const meta = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(html)?.[1];
      if (meta) return meta.replace(/&amp;/g, '&');
      const script = /window\.location\.href = ("[^"]+");/.exec(html)?.[1];
      return script ? (JSON.parse(script) as string) : undefined;
    };

    it.each(['meta-refresh', 'script'])('completes the member login through a %s page', async (mode) => {
      await emulatorControl(emu.url, 'POST', 'config', { authorizeRedirect: mode });
      try {
        const client = makeClient();
        const login: any = await client.auth.login({ email: member.email, password: member.password });
        const oauthData = client.auth.generateOAuthData(REDIRECT_URI);
        const { authUrl } = await client.auth.getAuthUrl(oauthData, { prompt: 'none', responseMode: 'query', sessionToken: login.data.sessionToken } as any);
        const answer = await fetch(authUrl, { redirect: 'manual' });
        expect(answer.status).toBe(200);
        const location = pageTarget(await answer.text())!;
        expect(location.startsWith(`${REDIRECT_URI}?`)).toBe(true);
        const { code, state } = client.auth.parseFromUrl(location, 'query');
        client.auth.setTokens(await client.auth.getMemberTokens(code!, state!, oauthData));
        expect(client.auth.loggedIn()).toBe(true);
        emu.reset();
        await client.catalogVersioning.getCatalogVersion();
        expect(emu.requests('/stores')[0]!.identity).toMatchObject({ role: 'member', memberId: member.id });
      } finally {
        await emulatorControl(emu.url, 'POST', 'config', { authorizeRedirect: '302' });
      }
    });

    it('gives no redirect to follow in mode none', async () => {
      await emulatorControl(emu.url, 'POST', 'config', { authorizeRedirect: 'none' });
      try {
        const client = makeClient();
        const login: any = await client.auth.login({ email: member.email, password: member.password });
        const { authUrl } = await client.auth.getAuthUrl(client.auth.generateOAuthData(REDIRECT_URI), { prompt: 'none', responseMode: 'query', sessionToken: login.data.sessionToken } as any);
        const answer = await fetch(authUrl, { redirect: 'manual' });
        expect(answer.status).toBe(200);
        expect(pageTarget(await answer.text())).toBeUndefined();
      } finally {
        await emulatorControl(emu.url, 'POST', 'config', { authorizeRedirect: '302' });
      }
    });
  });

  it('rejects a redirect URI the client does not allow', async () => {
    const client = makeClient();
    const error = await client.auth.getAuthUrl(client.auth.generateOAuthData('https://evil.example.com/cb')).catch((e: any) => e);
    expect(error.status).toBe(400);
    expect(error.details.applicationError.code).toBe('INVALID_REDIRECT_URI');
  });
});
