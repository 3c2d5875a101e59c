import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, TemporaryError, WixqError } from '../../src/errors.js';
import { createOAuthClient, RefreshRejectedError, type OAuthClient } from '../../src/wix/oauth.js';
import { createTransport } from '../../src/wix/transport.js';

interface TokenCall {
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r)))));
});

/** A fake token endpoint that records what it receives and answers with reply(body). */
async function tokenEndpoint(
  reply: (body: Record<string, any>, res: ServerResponse) => void,
): Promise<{ url: string; calls: TokenCall[] }> {
  const calls: TokenCall[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.setEncoding('utf8').on('data', (d: string) => (text += d));
    req.on('end', () => {
      const body = JSON.parse(text || '{}');
      calls.push({ path: req.url!, contentType: req.headers['content-type'], body });
      reply(body, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

function send(res: ServerResponse, status: number, body: unknown, requestId = 'req-tok'): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-wix-request-id': requestId });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function clientFor(url: string, retries = 0): OAuthClient {
  return createOAuthClient(createTransport({ apiUrl: url, retries, timeoutMs: 2000, env: {}, sleep: async () => {} }).fetch);
}

const CLIENT_ID = '12345678-aaaa-bbbb-cccc-1234567890ab';
const OK = { access_token: 'AT', refresh_token: 'RT', expires_in: 14400, token_type: 'Bearer' };

describe('createOAuthClient', () => {
  it('sends the docs/wix-api.md 1.1 bodies to /oauth2/token and maps the answer', async () => {
    const endpoint = await tokenEndpoint((_body, res) => send(res, 200, OK));
    const oauth = clientFor(endpoint.url);
    expect(await oauth.anonymous(CLIENT_ID)).toEqual({ accessToken: 'AT', refreshToken: 'RT', expiresIn: 14400 });
    await oauth.refresh('RT-1', CLIENT_ID);
    await oauth.authorizationCode({ clientId: CLIENT_ID, code: 'C', codeVerifier: 'V', redirectUri: 'http://127.0.0.1:5/cb' });
    expect(endpoint.calls).toEqual([
      { path: '/oauth2/token', contentType: 'application/json', body: { clientId: CLIENT_ID, grantType: 'anonymous' } },
      { path: '/oauth2/token', contentType: 'application/json', body: { clientId: CLIENT_ID, refreshToken: 'RT-1', grantType: 'refresh_token' } },
      {
        path: '/oauth2/token',
        contentType: 'application/json',
        body: { clientId: CLIENT_ID, grantType: 'authorization_code', redirectUri: 'http://127.0.0.1:5/cb', code: 'C', codeVerifier: 'V' },
      },
    ]);
  });

  it('accepts expires_in as a string and a refresh answer without a refresh token', async () => {
    const endpoint = await tokenEndpoint((_b, res) => send(res, 200, { access_token: 'AT2', expires_in: '60' }));
    expect(await clientFor(endpoint.url).refresh('RT', CLIENT_ID)).toEqual({ accessToken: 'AT2', refreshToken: '', expiresIn: 60 });
  });

  it('reports an unknown client ID as an AuthError naming the ID, with the request ID and what to do', async () => {
    const endpoint = await tokenEndpoint((_b, res) => send(res, 400, { error: 'invalid_client', error_description: 'unknown client id' }, 'req-bad-client'));
    const error = await clientFor(endpoint.url).anonymous(CLIENT_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).not.toBeInstanceOf(RefreshRejectedError);
    expect((error as AuthError).message).toBe('Wix rejected client ID 12345678…: unknown client id.');
    expect((error as AuthError).hint).toBe('Check the ID in your Headless settings: wixq config set client-id <ID>');
    expect((error as AuthError).requestId).toBe('req-bad-client');
    expect((error as AuthError).exitCode).toBe(4);
  });

  it('treats any 4xx on the anonymous grant as a rejected client ID, even with a body that is not JSON', async () => {
    const endpoint = await tokenEndpoint((_b, res) => send(res, 403, '<html>denied</html>'));
    const error = await clientFor(endpoint.url).anonymous('short-id').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toBe('Wix rejected client ID short-id: HTTP 403.');
  });

  it('throws RefreshRejectedError for a rejected refresh token, AuthError when the client is the problem', async () => {
    let answer: unknown = { error: 'invalid_grant', error_description: 'refresh token is invalid or revoked' };
    const endpoint = await tokenEndpoint((_b, res) => send(res, 400, answer, 'req-rt'));
    const oauth = clientFor(endpoint.url);
    const rejected = await oauth.refresh('RT', CLIENT_ID).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(RefreshRejectedError);
    expect((rejected as RefreshRejectedError).message).toBe('Wix rejected the stored refresh token: refresh token is invalid or revoked.');
    expect((rejected as RefreshRejectedError).requestId).toBe('req-rt');

    answer = { error: 'invalid_client', error_description: 'unknown client id' };
    const badClient = await oauth.refresh('RT', CLIENT_ID).catch((e: unknown) => e);
    expect(badClient).toBeInstanceOf(AuthError);
    expect(badClient).not.toBeInstanceOf(RefreshRejectedError);
  });

  it('reads the description from Wix error envelopes too', async () => {
    const endpoint = await tokenEndpoint((_b, res) => send(res, 401, { message: 'UNAUTHENTICATED', details: { applicationError: { code: 'UNAUTHENTICATED', description: 'Token is invalid or expired' } } }));
    const error = await clientFor(endpoint.url).refresh('RT', CLIENT_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshRejectedError);
    expect((error as Error).message).toBe('Wix rejected the stored refresh token: Token is invalid or expired.');
  });

  it('reports a 5xx that outlasts the retries as a TemporaryError with the request ID', async () => {
    const endpoint = await tokenEndpoint((_b, res) => send(res, 503, { message: '' }, 'req-503'));
    const error = await clientFor(endpoint.url, 2).anonymous(CLIENT_ID).catch((e: unknown) => e);
    expect(endpoint.calls).toHaveLength(3);
    expect(error).toBeInstanceOf(TemporaryError);
    expect((error as TemporaryError).message).toBe("Wix's token endpoint failed with HTTP 503");
    expect((error as TemporaryError).requestId).toBe('req-503');
  });

  it('reports a network failure as a TemporaryError, through the transport or a bare fetch', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((r) => server.close(r));
    const viaTransport = await clientFor(url).anonymous(CLIENT_ID).catch((e: unknown) => e);
    expect(viaTransport).toBeInstanceOf(TemporaryError);
    expect((viaTransport as Error).message).toContain('ECONNREFUSED');
    const bare = createOAuthClient(((input: string, init: RequestInit) => fetch(input.replace('https://www.wixapis.com', url), init)) as typeof fetch);
    const error = await bare.anonymous(CLIENT_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemporaryError);
    expect((error as Error).message).toBe('could not reach Wix to get a session token: ECONNREFUSED');
  });

  it('rejects a 200 that is not a token response', async () => {
    const endpoint = await tokenEndpoint((_b, res) => send(res, 200, { hello: 'world' }));
    const error = await clientFor(endpoint.url).anonymous(CLIENT_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixqError);
    expect((error as WixqError).exitCode).toBe(1);
    expect((error as WixqError).message).toMatch(/not a token response/);
  });

  it('reports a rejected authorization code as an AuthError', async () => {
    const endpoint = await tokenEndpoint((_b, res) => send(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' }));
    const error = await clientFor(endpoint.url)
      .authorizationCode({ clientId: CLIENT_ID, code: 'C', codeVerifier: 'V', redirectUri: 'http://127.0.0.1:5/cb' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toBe('Wix rejected the login: PKCE verification failed.');
  });
});
