import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AuthError, ExitCode, TemporaryError, UsageError } from '../../src/errors.js';
import { isRedirectTarget, memberIdFromToken, readCallback, type OAuthData, type SdkAuth } from '../../src/session/login/authorization.js';
import { browserCommand, splitCommand } from '../../src/session/login/browser.js';
import { browserLogin } from '../../src/session/login/browser-flow.js';
import { loginFailure, passwordLogin } from '../../src/session/login/password-flow.js';
import { codeChallengeFor, createPkce } from '../../src/session/login/pkce.js';
import { followRedirects } from '../../src/session/login/walker.js';
import { parseRedirectUri } from '../../src/session/redirect-uri.js';
import type { OAuthClient } from '../../src/wix/oauth.js';
import { freePort } from '../helpers/net.js';

const sha256url = (text: string): string => createHash('sha256').update(text, 'ascii').digest('base64url');

describe('PKCE', () => {
  it('matches the S256 example of RFC 7636 appendix B', () => {
    expect(codeChallengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a 43-character verifier, challenge = base64url(sha256(verifier)), and an independent state', () => {
    for (let i = 0; i < 20; i++) {
      const pkce = createPkce();
      expect(pkce.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(pkce.codeChallenge).toBe(sha256url(pkce.codeVerifier));
      expect(pkce.codeChallenge).not.toContain('=');
      expect(pkce.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(pkce.state).not.toBe(pkce.codeVerifier);
      expect(pkce.state).not.toBe(pkce.codeChallenge);
    }
    expect(createPkce().codeVerifier).not.toBe(createPkce().codeVerifier);
  });

  it('takes its randomness from the injected source', () => {
    let n = 0;
    const pkce = createPkce((size) => Buffer.alloc(size, ++n));
    expect(pkce.codeVerifier).toBe(Buffer.alloc(32, 1).toString('base64url'));
    expect(pkce.state).toBe(Buffer.alloc(32, 2).toString('base64url'));
  });
});

describe('redirect URI and callback checks', () => {
  it('accepts loopback http URIs only', () => {
    expect(parseRedirectUri('http://localhost:53682/callback').port).toBe('53682');
    expect(parseRedirectUri('http://127.0.0.1:9/cb').hostname).toBe('127.0.0.1');
    expect(parseRedirectUri('http://[::1]:9/cb').hostname).toBe('[::1]');
    for (const bad of ['https://localhost:1/cb', 'http://example.com/cb', 'not a url', 'http://localhost:1/cb?x=1']) {
      expect(() => parseRedirectUri(bad)).toThrow(UsageError);
    }
  });

  it('recognises the redirect URI by origin and path, whatever the query', () => {
    const target = new URL('http://localhost:53682/callback');
    expect(isRedirectTarget(new URL('http://localhost:53682/callback?code=c&state=s'), target)).toBe(true);
    expect(isRedirectTarget(new URL('http://localhost:53682/other?code=c'), target)).toBe(false);
    expect(isRedirectTarget(new URL('http://127.0.0.1:53682/callback'), target)).toBe(false);
  });

  it('returns the code only when the state matches', () => {
    expect(readCallback(new URL('http://l/cb?code=abc&state=s1'), 's1')).toBe('abc');
    for (const url of ['http://l/cb?code=abc&state=s2', 'http://l/cb?code=abc']) {
      const error = catchError(() => readCallback(new URL(url), 's1'));
      expect(error).toBeInstanceOf(AuthError);
      expect(error.message).toMatch(/state does not match/);
      expect((error as AuthError).exitCode).toBe(ExitCode.AUTH);
    }
    expect(() => readCallback(new URL('http://l/cb?state=s1'), 's1')).toThrow(/no authorization code/);
  });

  it('reports an error response with its description (even before checking the state)', () => {
    const error = catchError(() => readCallback(new URL('http://l/cb?error=login_required&error_description=No+session&state=x'), 's1'));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe('Wix did not complete the login: No session (login_required)');
  });
});

describe('followRedirects', () => {
  const target = new URL('http://localhost:53682/callback');

  it('follows Location headers (relative ones too) with redirect: manual, sends cookies back, and never visits the target', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const answers: Record<string, Response> = {
      'https://site.example/oauth2/authorize?x=1': new Response(null, { status: 302, headers: { location: '/step2', 'set-cookie': 'sid=abc; Path=/; HttpOnly' } }),
      'https://site.example/step2': new Response(null, { status: 303, headers: { location: 'https://other.example/hop' } }),
      'https://other.example/hop': new Response('', { status: 302, headers: { location: 'http://localhost:53682/callback?code=C&state=S' } }),
    };
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      const answer = answers[url];
      if (!answer) throw new Error(`unexpected fetch of ${url}`);
      return answer;
    }) as typeof fetch;
    const landing = await followRedirects(fakeFetch, 'https://site.example/oauth2/authorize?x=1', (u) => isRedirectTarget(u, target));
    expect(landing.href).toBe('http://localhost:53682/callback?code=C&state=S');
    expect(calls.map((c) => c.url)).toEqual(['https://site.example/oauth2/authorize?x=1', 'https://site.example/step2', 'https://other.example/hop']);
    expect(calls.every((c) => c.init.redirect === 'manual')).toBe(true);
    expect((calls[1]!.init.headers as Record<string, string>).cookie).toBe('sid=abc');
    // Cookies go only to the host that set them.
    expect((calls[2]!.init.headers as Record<string, string>).cookie).toBeUndefined();
  });

  it('fails with exit 4 when a page answers instead of a redirect, unless pages are accepted (logout)', async () => {
    const page = (async () => new Response('<html>captcha</html>', { status: 200, headers: { 'x-wix-request-id': 'rq-1' } })) as unknown as typeof fetch;
    const error = (await followRedirects(page, 'https://site.example/a', (u) => isRedirectTarget(u, target)).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(/HTTP 200 instead of redirecting/);
    expect(error.requestId).toBe('rq-1');
    const ended = await followRedirects(page, 'https://site.example/a', () => false, { acceptPage: true });
    expect(ended.href).toBe('https://site.example/a');
  });

  it('gives up after maxHops redirects', async () => {
    let n = 0;
    const loop = (async () => new Response(null, { status: 302, headers: { location: `/hop${++n}` } })) as unknown as typeof fetch;
    await expect(followRedirects(loop, 'https://site.example/', () => false, { maxHops: 3 })).rejects.toThrow(/more than 3 times/);
    expect(n).toBe(4);
  });
});

describe('memberIdFromToken', () => {
  const jws = (payload: unknown): string => `OauthNG.JWS.${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

  it('reads data.instance.siteMemberId (Wix) and memberId (the emulator)', () => {
    const data = JSON.stringify({ instance: { instanceId: 'i', uid: 'u-1', siteMemberId: 'm-1' } });
    expect(memberIdFromToken(jws({ data, iat: 1, exp: 2 }))).toBe('m-1');
    expect(memberIdFromToken(jws({ kind: 'access', role: 'member', memberId: 'm-2' }))).toBe('m-2');
  });

  it('is undefined for visitors and for anything unreadable', () => {
    expect(memberIdFromToken(jws({ data: JSON.stringify({ instance: { uid: 'u-1' } }) }))).toBeUndefined();
    expect(memberIdFromToken('opaque-token')).toBeUndefined();
    expect(memberIdFromToken('OauthNG.JWS.a.%%%.c')).toBeUndefined();
  });
});

describe('loginFailure', () => {
  const sdkError = (code: string | number) => JSON.stringify({ message: 'x', details: { applicationError: { code, description: 'd' } } });
  const cases: Array<[string, Parameters<typeof loginFailure>[0], RegExp, number]> = [
    ['wrong password', { loginState: 'FAILURE', errorCode: 'invalidPassword', error: sdkError('-19976') }, /wrong password for a@b\.c/, 4],
    ['unknown email', { loginState: 'FAILURE', errorCode: 'invalidEmail', error: sdkError('-19999') }, /no member of this site has the email a@b\.c/, 4],
    ['email verification', { loginState: 'EMAIL_VERIFICATION_REQUIRED', data: { stateToken: 't' } }, /has not verified the email address/, 4],
    ['owner approval', { loginState: 'OWNER_APPROVAL_REQUIRED' }, /waiting for the site owner's approval/, 4],
    ['captcha missing', { loginState: 'FAILURE', errorCode: 'missingCaptchaToken', error: sdkError('-19971') }, /requires a captcha/, 4],
    ['password reset', { loginState: 'FAILURE', errorCode: 'resetPassword', error: sdkError('-19973') }, /password reset/, 4],
    ['Wix down', { loginState: 'FAILURE', errorCode: 'invalidEmail', error: sdkError(503) }, /failed with HTTP 503/, 5],
    ['an unknown code', { loginState: 'FAILURE', errorCode: 'invalidEmail', error: sdkError('SOMETHING_ELSE') }, /did not log a@b\.c in \(FAILURE, code SOMETHING_ELSE\)/, 4],
  ];
  it.each(cases)('%s', (_name, result, message, exitCode) => {
    const error = loginFailure(result, 'a@b.c');
    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(exitCode);
    if (exitCode === 5) expect(error).toBeInstanceOf(TemporaryError);
  });
});

describe('browser command', () => {
  it('prefers WIXQ_BROWSER, then BROWSER, then the platform opener', () => {
    expect(browserCommand({ WIXQ_BROWSER: 'node "/a b/c.mjs"', BROWSER: 'firefox' }, 'linux')).toEqual(['node', '/a b/c.mjs']);
    expect(browserCommand({ BROWSER: 'firefox --new-window' }, 'linux')).toEqual(['firefox', '--new-window']);
    expect(browserCommand({}, 'linux')).toEqual(['xdg-open']);
    expect(browserCommand({}, 'darwin')).toEqual(['open']);
    expect(browserCommand({}, 'win32')[0]).toBe('rundll32');
    expect(splitCommand(`a 'b c' "d e" f`)).toEqual(['a', 'b c', 'd e', 'f']);
  });
});

/** A fake OAuthStrategy and token client that record what the flows ask of them. */
function fakes(opts: { landing?: (data: OAuthData) => string } = {}) {
  const seen: { authUrl?: { data: OAuthData; opts: Record<string, unknown> }; exchange?: Parameters<OAuthClient['authorizationCode']>[0] } = {};
  const auth: SdkAuth = {
    login: async ({ email, password }) =>
      email === 'a@b.c' && password === 'pw' ? { loginState: 'SUCCESS', data: { sessionToken: 'ST' } } : { loginState: 'FAILURE', errorCode: 'invalidPassword' },
    getAuthUrl: async (data, o) => {
      seen.authUrl = { data, opts: o };
      return { authUrl: `https://site.example/authorize?state=${data.state}` };
    },
    logout: async () => ({ logoutUrl: 'https://site.example/logout' }),
  };
  const oauth: OAuthClient = {
    anonymous: async () => ({ accessToken: 'v', refreshToken: 'vr', expiresIn: 100 }),
    refresh: async () => ({ accessToken: 'v', refreshToken: 'vr', expiresIn: 100 }),
    authorizationCode: async (p) => {
      seen.exchange = p;
      return { accessToken: 'member-at', refreshToken: 'member-rt', expiresIn: 14_400 };
    },
  };
  const fetchFn = (async (url: string) => {
    const data = seen.authUrl!.data;
    if (url.startsWith('https://site.example/authorize')) {
      return new Response(null, { status: 302, headers: { location: opts.landing ? opts.landing(data) : `${data.redirectUri}?code=CODE&state=${data.state}` } });
    }
    throw new Error(`unexpected fetch ${url}`);
  }) as typeof fetch;
  return { auth, oauth, fetchFn, seen };
}

describe('passwordLogin', () => {
  it('logs in, asks for a prompt=none query-mode URL with the session token, and exchanges the code with the verifier', async () => {
    const { auth, oauth, fetchFn, seen } = fakes();
    const result = await passwordLogin({ auth, oauth, fetch: fetchFn, clientId: 'cid', redirectUri: 'http://localhost:53682/callback', email: 'a@b.c', password: 'pw' });
    expect(result.tokens.accessToken).toBe('member-at');
    expect(seen.authUrl!.opts).toEqual({ prompt: 'none', responseMode: 'query', sessionToken: 'ST' });
    expect(seen.authUrl!.data.codeChallenge).toBe(sha256url(seen.authUrl!.data.codeVerifier));
    expect(seen.exchange).toEqual({ clientId: 'cid', code: 'CODE', codeVerifier: seen.authUrl!.data.codeVerifier, redirectUri: 'http://localhost:53682/callback' });
  });

  it('refuses a redirect whose state is not ours and exchanges nothing', async () => {
    const { auth, oauth, fetchFn, seen } = fakes({ landing: (d) => `${d.redirectUri}?code=CODE&state=forged` });
    await expect(passwordLogin({ auth, oauth, fetch: fetchFn, clientId: 'cid', redirectUri: 'http://localhost:53682/callback', email: 'a@b.c', password: 'pw' })).rejects.toThrow(/state does not match/);
    expect(seen.exchange).toBeUndefined();
  });

  it('stops at a failed login before any redirect session', async () => {
    const { auth, oauth, fetchFn, seen } = fakes();
    await expect(passwordLogin({ auth, oauth, fetch: fetchFn, clientId: 'cid', redirectUri: 'http://localhost:53682/callback', email: 'a@b.c', password: 'nope' })).rejects.toThrow(/wrong password/);
    expect(seen.authUrl).toBeUndefined();
  });
});

describe('browserLogin (real loopback server)', () => {
  it('opens the URL, receives the callback, answers the browser after the exchange', async () => {
    const port = await freePort();
    const { auth, oauth, seen } = fakes();
    let page: Promise<string> | undefined;
    const lines: string[] = [];
    const result = await browserLogin({
      auth,
      oauth,
      clientId: 'cid',
      redirectUri: `http://localhost:${port}/callback`,
      timeoutMs: 600_000,
      notify: (l) => lines.push(l),
      // The "browser": Wix would redirect it to the callback with the code and the state.
      openBrowser: async (url) => {
        const state = new URL(url).searchParams.get('state');
        expect((await fetch(`http://localhost:${port}/favicon.ico`)).status).toBe(404);
        page = fetch(`http://127.0.0.1:${port}/callback?code=CODE&state=${state}`).then(async (r) => `${r.status} ${await r.text()}`);
      },
    });
    expect(result.tokens.refreshToken).toBe('member-rt');
    expect(seen.authUrl!.opts).toEqual({ prompt: 'login', responseMode: 'query' });
    expect(seen.exchange!.code).toBe('CODE');
    expect(await page).toMatch(/^200 [\s\S]*You are logged in to wixq/);
    expect(lines.join('\n')).toContain('https://site.example/authorize?state=');
    // The port is free again.
    await freePort(port);
  });

  it('rejects a callback with another state (exit 4) and shows the browser an error page', async () => {
    const port = await freePort();
    const { auth, oauth, seen } = fakes();
    let status: Promise<number> | undefined;
    const error = (await browserLogin({
      auth,
      oauth,
      clientId: 'cid',
      redirectUri: `http://127.0.0.1:${port}/callback`,
      timeoutMs: 600_000,
      notify: () => {},
      openBrowser: async () => {
        status = fetch(`http://127.0.0.1:${port}/callback?code=CODE&state=forged`).then((r) => r.status);
      },
    }).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(/state does not match/);
    expect(seen.exchange).toBeUndefined();
    expect(await status).toBe(400);
  });

  it('times out with exit 4 and a port in use is a usage error', async () => {
    const port = await freePort();
    const { auth, oauth } = fakes();
    const base = { auth, oauth, clientId: 'cid', redirectUri: `http://127.0.0.1:${port}/callback`, notify: () => {} };
    await expect(browserLogin({ ...base, timeoutMs: 100 })).rejects.toThrow(/the login did not finish within/);
    const blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      await expect(browserLogin({ ...base, timeoutMs: 100 })).rejects.toBeInstanceOf(UsageError);
    } finally {
      blocker.close();
    }
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

