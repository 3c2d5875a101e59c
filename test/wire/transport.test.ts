import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { TemporaryError, UsageError, WixqError } from '../../src/errors.js';
import { backoff, createTransport, isRetryableRequest, MAX_REDIRECTS, parseRetryAfter, redactBody, rewriteUrl, type TransportOptions } from '../../src/wix/transport.js';
import { closedPort } from '../helpers/net.js';
import { startProxy as startSharedProxy } from '../helpers/proxy.js';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, n: number, body: string) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => (s.closeAllConnections(), s.close(r)))));
});

/** A loopback HTTP server that records every request and answers with handler(req, res, n). */
async function startServer(handler: Handler): Promise<{ url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, res, requests.length, body);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}


function options(apiUrl: string, extra: Partial<TransportOptions> = {}): TransportOptions & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { apiUrl, retries: 3, timeoutMs: 5_000, env: {}, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, sleeps, ...extra };
}

describe('pure parts', () => {
  it('rewrites only the Wix API hosts, keeping path and query', () => {
    expect(rewriteUrl('https://www.wixapis.com/a/b?x=1&y=2', 'http://127.0.0.1:9/base')).toBe('http://127.0.0.1:9/base/a/b?x=1&y=2');
    expect(rewriteUrl('https://edge.wixapis.com/a', 'http://127.0.0.1:9')).toBe('http://127.0.0.1:9/a');
    expect(rewriteUrl('https://example.com/a', 'http://127.0.0.1:9')).toBe('https://example.com/a');
    expect(rewriteUrl('https://www.wixapis.com/a', undefined)).toBe('https://www.wixapis.com/a');
  });

  it('classifies reads and writes', () => {
    const u = (p: string) => `https://www.wixapis.com${p}`;
    expect(isRetryableRequest('GET', u('/stores/v1/products/p1'))).toBe(true);
    expect(isRetryableRequest('POST', u('/oauth2/token'))).toBe(true);
    for (const p of ['/stores/v1/products/query', '/stores/v1/collections/query-platformized', '/stores/v3/products/search', '/x/count', '/_api/service-availability/v2/time-slots', '/_api/service-availability/v2/time-slots/event', '/availability-calendar/v1/availability/query']) {
      expect(isRetryableRequest('POST', u(p)), p).toBe(true);
    }
    expect(isRetryableRequest('POST', u('/_api/iam/authentication/v2/login'))).toBe(false);
    expect(isRetryableRequest('GET', u('/_api/iam/authentication/v2/whatever'))).toBe(false);
    expect(isRetryableRequest('POST', u('/_api/redirects-api/v1/redirect-session'))).toBe(false);
    expect(isRetryableRequest('PATCH', u('/stores/v1/products/query'))).toBe(false);
  });

  it('parses Retry-After as seconds or an HTTP date, capped at 60 s', () => {
    const now = Date.UTC(2025, 0, 1, 0, 0, 0);
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter('120', now)).toBe(60_000);
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(parseRetryAfter(new Date(now - 7000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped at 5 s', () => {
    expect([1, 2, 3, 4].map((a) => backoff(a, () => 0.999999))).toEqual([199, 399, 799, 1599]);
    expect(backoff(10, () => 0.999999)).toBe(4999);
    expect(backoff(3, () => 0)).toBe(0);
  });

  it('redacts token-like fields in JSON, form and broken bodies', () => {
    const out = redactBody(JSON.stringify({ clientId: 'c', refreshToken: 'RT', nested: { accessToken: { value: 'AT' }, password: 'PW' }, list: [{ sessionToken: 'ST' }], details: { code: 'NOT_FOUND' } }));
    expect(JSON.parse(out)).toEqual({ clientId: 'c', refreshToken: '[redacted]', nested: { accessToken: '[redacted]', password: '[redacted]' }, list: [{ sessionToken: '[redacted]' }], details: { code: 'NOT_FOUND' } });
    expect(redactBody('grant_type=authorization_code&code=C0DE&code_verifier=V&client_id=x')).toBe('grant_type=authorization_code&code=[redacted]&code_verifier=[redacted]&client_id=x');
    expect(redactBody('{"access_token":"AT12345","refresh_tok')).not.toContain('AT12345');
  });
});

describe('createTransport against local servers', () => {
  it('sends string, URL and Request inputs for the Wix hosts to the API URL', async () => {
    const server = await startServer((req, res) => json(res, 200, { ok: true }));
    const transport = createTransport(options(`${server.url}/base`));
    await transport.fetch('https://www.wixapis.com/stores/v1/products/p1?id=p1');
    await transport.fetch(new URL('https://edge.wixapis.com/stores/v1/collections?.r=abc'));
    await transport.fetch(new Request('https://www.wixapis.com/stores/v1/products/query', { method: 'POST', body: '{"query":{}}', headers: { 'content-type': 'application/json' } }));
    await transport.fetch(`${server.url}/direct`);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /base/stores/v1/products/p1?id=p1',
      'GET /base/stores/v1/collections?.r=abc',
      'POST /base/stores/v1/products/query',
      'GET /direct',
    ]);
    expect(server.requests[2]!.body).toBe('{"query":{}}');
    expect(server.requests[2]!.headers['content-type']).toBe('application/json');
  });

  it('records the x-wix-request-id of every response', async () => {
    const server = await startServer((req, res, n) => json(res, n === 2 ? 404 : 200, {}, { 'x-wix-request-id': `req-${n}` }));
    const transport = createTransport(options(server.url));
    expect(transport.lastRequestId()).toBeUndefined();
    await transport.fetch('https://www.wixapis.com/a');
    expect(transport.lastRequestId()).toBe('req-1');
    const res = await transport.fetch('https://www.wixapis.com/b');
    expect(res.status).toBe(404);
    expect(transport.lastRequestId()).toBe('req-2');
  });

  it('retries a 503 and returns the 200 that follows', async () => {
    const server = await startServer((req, res, n) => (n === 1 ? json(res, 503, { message: '' }) : json(res, 200, { product: { id: 'p1' } })));
    const opts = options(server.url);
    const transport = createTransport(opts);
    const res = await transport.fetch('https://www.wixapis.com/stores/v1/products/p1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ product: { id: 'p1' } });
    expect(server.requests).toHaveLength(2);
    expect(transport.requestCount()).toBe(2);
    expect(opts.sleeps).toEqual([100]); // random 0.5 × 200 ms
  });

  it('honours Retry-After in seconds on a 429', async () => {
    const server = await startServer((req, res, n) => (n === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, {})));
    const opts = options(server.url);
    await createTransport(opts).fetch('https://www.wixapis.com/stores/v1/products/query', { method: 'POST', body: '{}' });
    expect(server.requests).toHaveLength(2);
    expect(opts.sleeps).toHaveLength(1);
    expect(opts.sleeps[0]).toBeGreaterThanOrEqual(1000);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    const server = await startServer((req, res, n) => (n === 1 ? json(res, 429, {}, { 'retry-after': new Date(now + 3000).toUTCString() }) : json(res, 200, {})));
    const opts = options(server.url, { now: () => now });
    await createTransport(opts).fetch('https://www.wixapis.com/a');
    expect(opts.sleeps).toEqual([3000]);
  });

  it('retries the token endpoint, but never a login POST or another write', async () => {
    const server = await startServer((req, res, n) => json(res, 503, {}, { 'x-wix-request-id': `r${n}` }));
    const transport = createTransport(options(server.url, { retries: 2 }));
    const login = await transport.fetch('https://www.wixapis.com/_api/iam/authentication/v2/login', { method: 'POST', body: '{"password":"pw"}' });
    expect(login.status).toBe(503);
    expect(server.requests).toHaveLength(1);
    const write = await transport.fetch('https://www.wixapis.com/_api/redirects-api/v1/redirect-session', { method: 'POST', body: '{}' });
    expect(write.status).toBe(503);
    expect(server.requests).toHaveLength(2);
    const token = await transport.fetch('https://www.wixapis.com/oauth2/token', { method: 'POST', body: '{}' });
    expect(token.status).toBe(503);
    expect(server.requests).toHaveLength(5);
  });

  it('returns the last response when retries are exhausted', async () => {
    const server = await startServer((req, res, n) => json(res, 502, { n }));
    const opts = options(server.url, { retries: 3 });
    const res = await createTransport(opts).fetch('https://www.wixapis.com/a');
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ n: 4 });
    expect(opts.sleeps).toEqual([100, 200, 400]);
  });

  it('retries a dropped socket', async () => {
    const server = await startServer((req, res, n) => (n === 1 ? req.socket.destroy() : json(res, 200, { ok: n })));
    const transport = createTransport(options(server.url));
    const res = await transport.fetch('https://www.wixapis.com/a');
    expect(await res.json()).toEqual({ ok: 2 });
    expect(transport.lastFailure()).toBeUndefined();
  });

  it('throws a TemporaryError with host, cause and request ID after the last network failure, and remembers it', async () => {
    const server = await startServer((req, res, n) => (n === 1 ? json(res, 503, {}, { 'x-wix-request-id': 'req-503' }) : req.socket.destroy()));
    const transport = createTransport(options(server.url, { retries: 2 }));
    const error = await transport.fetch('https://www.wixapis.com/stores/v1/products/p1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemporaryError);
    const host = new URL(server.url).host;
    expect((error as TemporaryError).message).toBe(`request to ${host}/stores/v1/products/p1 failed: ECONNRESET (connection reset) (3 tries)`);
    expect((error as TemporaryError).requestId).toBe('req-503');
    expect(transport.lastFailure()).toBe(error);
    expect(server.requests).toHaveLength(3);
  });

  it('names ECONNREFUSED; a write that never reached the server is sent again, a login is not', async () => {
    const port = await closedPort();
    const transport = createTransport(options(`http://127.0.0.1:${port}`, { retries: 2 }));
    const error = await transport.fetch('https://www.wixapis.com/_api/redirects-api/v1/redirect-session', { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect((error as TemporaryError).message).toBe(`request to 127.0.0.1:${port}/_api/redirects-api/v1/redirect-session failed: ECONNREFUSED (connection refused) (3 tries)`);
    expect((error as TemporaryError).hint).toContain(`http://127.0.0.1:${port}`);
    expect(transport.requestCount()).toBe(3);
    await transport.fetch('https://www.wixapis.com/_api/iam/authentication/v2/login', { method: 'POST', body: '{}' }).catch(() => {});
    expect(transport.requestCount()).toBe(4);
  });

  it('times out a slow request, retries it, then throws a TemporaryError', async () => {
    const server = await startServer(() => {
      /* never answers */
    });
    const opts = options(server.url, { retries: 1, timeoutMs: 100 });
    const transport = createTransport(opts);
    const error = await transport.fetch('https://www.wixapis.com/stores/v1/products/p1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemporaryError);
    expect((error as TemporaryError).message).toBe(`request to ${new URL(server.url).host}/stores/v1/products/p1 timed out after 100 ms (2 tries)`);
    expect(server.requests).toHaveLength(2);
    expect(transport.lastFailure()).toBe(error);
  });

  it('times out a body that stalls after the headers (the body is read within the timeout, then retried)', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items":[');
    });
    const transport = createTransport(options(server.url, { timeoutMs: 150, retries: 1 }));
    await expect(transport.fetch('https://www.wixapis.com/a')).rejects.toBeInstanceOf(TemporaryError);
    expect(transport.lastFailure()?.message).toBe(`request to ${new URL(server.url).host}/a timed out after 150 ms (2 tries)`);
    expect(server.requests).toHaveLength(2);
  });

  it('stops at once when the caller aborts', async () => {
    const controller = new AbortController();
    // The caller gives up once the server has the request (and never answers it).
    const server = await startServer(() => controller.abort());
    const transport = createTransport(options(server.url));
    await expect(transport.fetch('https://www.wixapis.com/a', { signal: controller.signal })).rejects.toThrow(/abort/i);
    expect(server.requests).toHaveLength(1);
    expect(transport.lastFailure()).toBeUndefined();
  });

  it('install() puts the transport behind the global fetch the SDK calls, and restore puts it back', async () => {
    const server = await startServer((req, res) => json(res, 200, { via: req.url }));
    const original = globalThis.fetch;
    const transport = createTransport(options(server.url));
    const restore = transport.install();
    try {
      const res = await fetch('https://www.wixapis.com/oauth2/token', { method: 'POST', body: '{}' });
      expect(await res.json()).toEqual({ via: '/oauth2/token' });
    } finally {
      restore();
    }
    expect(globalThis.fetch).toBe(original);
    expect(transport.requestCount()).toBe(1);
  });
});

describe('trace', () => {
  it('writes one line per request and response, with tokens and passwords redacted', async () => {
    const server = await startServer((req, res, n) => {
      if (n === 1) return json(res, 503, { message: 'busy' }, { 'x-wix-request-id': 'req-a' });
      if (req.url === '/oauth2/token') return json(res, 200, { access_token: 'SECRET-AT-RESPONSE', refresh_token: 'SECRET-RT-RESPONSE', expires_in: 14400 }, { 'x-wix-request-id': 'req-b' });
      return json(res, 401, { message: 'bad', accessToken: 'SECRET-ECHO' }, { 'x-wix-request-id': 'req-c' });
    });
    let trace = '';
    const stream = new PassThrough();
    stream.setEncoding('utf8').on('data', (d: string) => (trace += d));
    const transport = createTransport(options(server.url, { trace: stream }));
    await transport.fetch('https://www.wixapis.com/oauth2/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientId: 'cid', grantType: 'authorization_code', code: 'SECRET-CODE', codeVerifier: 'SECRET-VERIFIER', refreshToken: 'SECRET-RT' }),
    });
    await transport.fetch('https://www.wixapis.com/_api/iam/authentication/v2/login', {
      method: 'POST',
      headers: { Authorization: 'SECRET-AUTH-HEADER' },
      body: JSON.stringify({ loginId: { email: 'a@b.c' }, password: 'SECRET-PASSWORD' }),
    });
    expect(trace).not.toMatch(/SECRET/);
    const lines = trace.trimEnd().split('\n');
    expect(lines[0]).toBe(`→ POST ${server.url}/oauth2/token`);
    expect(lines).toContain('  content-type: application/json');
    expect(lines).toContain('  authorization: [redacted]');
    expect(lines).toContain('  body: {"clientId":"cid","grantType":"authorization_code","code":"[redacted]","codeVerifier":"[redacted]","refreshToken":"[redacted]"}');
    expect(lines.some((l) => /^← 503 in \d+ ms \(request ID req-a\)$/.test(l))).toBe(true);
    expect(lines).toContain('  retrying in 100 ms');
    expect(lines).toContain(`→ POST ${server.url}/oauth2/token (try 2 of 4)`);
    expect(lines.some((l) => /^← 200 in \d+ ms \(request ID req-b\)$/.test(l))).toBe(true);
    expect(lines).toContain('  body: {"loginId":{"email":"a@b.c"},"password":"[redacted]"}');
    expect(lines).toContain('  body: {"message":"bad","accessToken":"[redacted]"}');
  });
});

describe('redirects', () => {
  const statuses = [301, 302, 303, 307, 308];
  const post = { method: 'POST', headers: { authorization: 'TOKEN-A', 'content-type': 'application/json' }, body: '{"refreshToken":"RT"}' };

  /** An error that names both hosts, exit 1, kept as the transport's last failure. */
  async function expectRefused(promise: Promise<unknown>, from: string, to: string, transport: ReturnType<typeof createTransport>): Promise<void> {
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WixqError);
    expect((error as WixqError).exitCode).toBe(1);
    expect((error as WixqError).message).toContain(new URL(from).host);
    expect((error as WixqError).message).toContain(new URL(to).host);
    expect(transport.lastFailure()).toBe(error);
  }

  it.each(statuses)('a %i to another origin is an error, and nothing reaches that origin', async (status) => {
    const other = await startServer((req, res) => json(res, 200, {}));
    const api = await startServer((req, res) => res.writeHead(status, { location: `${other.url}/collect` }).end());
    const transport = createTransport(options(api.url));
    await expectRefused(transport.fetch('https://www.wixapis.com/oauth2/token', post), api.url, other.url, transport);
    await expectRefused(transport.fetch('https://www.wixapis.com/stores/v1/products/p1', { headers: { authorization: 'TOKEN-B' } }), api.url, other.url, transport);
    expect(other.requests).toEqual([]);
    // An answer, not a failure: never retried (retries: 3).
    expect(api.requests).toHaveLength(2);
  });

  it('a redirect to another scheme or port of the same host is another origin too', async () => {
    const api = await startServer((req, res) => res.writeHead(307, { location: req.url === '/a' ? `https://${req.headers.host}/a` : 'http://localhost:1/b' }).end());
    const transport = createTransport(options(api.url));
    await expect(transport.fetch('https://www.wixapis.com/a')).rejects.toThrow(/to another host, https:\/\/127\.0\.0\.1/);
    await expect(transport.fetch('https://www.wixapis.com/b')).rejects.toThrow(/to another host, http:\/\/localhost:1/);
  });

  it('within the origin: 307 and 308 keep method, body and token; 303 (and 301/302 of a POST) become a GET without body', async () => {
    const api = await startServer((req, res) => {
      const code = Number(/^\/(\d+)$/.exec(req.url!)?.[1]);
      if (code) return res.writeHead(code, { location: `/landed-${code}` }).end();
      json(res, 200, { method: req.method, url: req.url });
    });
    const transport = createTransport(options(api.url));
    for (const status of statuses) {
      const res = await transport.fetch(`https://www.wixapis.com/${status}`, post);
      expect(await res.json()).toEqual({ method: status >= 307 ? 'POST' : 'GET', url: `/landed-${status}` });
      expect(res.redirected).toBe(true);
      expect(res.url).toBe(`${api.url}/landed-${status}`);
      const landed = api.requests.at(-1)!;
      expect(landed.headers.authorization).toBe('TOKEN-A');
      expect(landed.body).toBe(status >= 307 ? post.body : '');
      expect(landed.headers['content-type']).toBe(status >= 307 ? 'application/json' : undefined);
    }
    // A GET stays a GET.
    const res = await transport.fetch('https://www.wixapis.com/302');
    expect(await res.json()).toEqual({ method: 'GET', url: '/landed-302' });
  });

  it("a Location on Wix's API hosts goes to the API URL, like every Wix request: the same origin", async () => {
    const api = await startServer((req, res) => (req.url === '/a' ? res.writeHead(308, { location: 'https://edge.wixapis.com/b?x=1' }).end() : json(res, 200, { url: req.url })));
    const res = await createTransport(options(api.url)).fetch('https://www.wixapis.com/a');
    expect(await res.json()).toEqual({ url: '/b?x=1' });
  });

  it('a loop is named as one at once; a chain longer than the bound stops there; neither is retried', async () => {
    const api = await startServer((req, res) => res.writeHead(302, { location: req.url === '/a' ? '/b' : req.url === '/b' ? '/a' : `/n${api.requests.length}` }).end());
    const transport = createTransport(options(api.url, { retries: 3 }));
    await expect(transport.fetch('https://www.wixapis.com/a')).rejects.toThrow(`redirect loop at ${api.url}: /a → /b → /a; not followed further, and not retried`);
    expect(api.requests.map((r) => r.url)).toEqual(['/a', '/b']);
    api.requests.length = 0;
    await expect(transport.fetch('https://www.wixapis.com/start')).rejects.toThrow(`${api.url} redirected GET /start more than ${MAX_REDIRECTS} times`);
    expect(api.requests).toHaveLength(MAX_REDIRECTS + 1);
    expect(transport.requestCount()).toBe(2 + MAX_REDIRECTS + 1);
  });

  it('a caller that follows redirects itself (redirect: manual) gets the 3xx as it is', async () => {
    const other = await startServer((req, res) => json(res, 200, {}));
    const api = await startServer((req, res) => res.writeHead(302, { location: `${other.url}/x`, 'set-cookie': 'a=1' }).end());
    const res = await createTransport(options(api.url)).fetch('https://www.wixapis.com/oauth2/authorize', { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${other.url}/x`);
    expect(other.requests).toEqual([]);
  });

  it('a Location that is not a URL is an error, exit 1', async () => {
    const api = await startServer((req, res) => res.writeHead(301, { location: 'http://[nope' }).end());
    await expect(createTransport(options(api.url)).fetch('https://www.wixapis.com/a')).rejects.toThrow(`${api.url} redirected GET /a to "http://[nope", which is not a URL`);
  });

  it.each(statuses)('through a proxy, a %i to another origin is refused too (undici does not follow it)', async (status) => {
    const other = await startServer((req, res) => json(res, 200, {}));
    const api = await startServer((req, res) => res.writeHead(status, { location: `${other.url}/collect` }).end());
    const proxy = await startProxy();
    const transport = createTransport(options(api.url, { env: { HTTP_PROXY: proxy.url } }));
    await expectRefused(transport.fetch('https://www.wixapis.com/oauth2/token', post), api.url, other.url, transport);
    expect(other.requests).toEqual([]);
    expect(proxy.seen.some((line) => line.includes(new URL(other.url).host))).toBe(false);
  });

  it('through a proxy, a redirect within the origin is followed by the transport', async () => {
    const api = await startServer((req, res) => (req.url === '/a' ? res.writeHead(307, { location: '/b' }).end() : json(res, 200, { url: req.url, body: req.method })));
    const proxy = await startProxy();
    const res = await createTransport(options(api.url, { env: { HTTP_PROXY: proxy.url } })).fetch('https://www.wixapis.com/a', post);
    expect(await res.json()).toEqual({ url: '/b', body: 'POST' });
    expect(res.redirected).toBe(true);
    expect(api.requests.map((r) => r.url)).toEqual(['/a', '/b']);
  });
});

describe('what is sent and what came back', () => {
  it('a header value that cannot be sent is refused before anything is sent, naming the token when it is the token', async () => {
    const api = await startServer((req, res) => json(res, 200, {}));
    const transport = createTransport(options(api.url));
    await expect(transport.fetch('https://www.wixapis.com/a', { headers: { authorization: 'AT\nx' } })).rejects.toThrow("the session's access token cannot be sent in an HTTP header: it contains a line break");
    await expect(transport.fetch('https://www.wixapis.com/a', { headers: { 'x-name': 'caf\u00e9' } })).rejects.toThrow('the x-name header cannot be sent: its value contains a character that is not ASCII');
    expect(transport.lastFailure()?.exitCode).toBe(1);
    expect(api.requests).toEqual([]);
  });

  it("a caller's Content-Length does not make the server wait for a body that never comes", async () => {
    const api = await startServer((req, res) => json(res, 200, { ok: true }));
    const res = await createTransport(options(api.url, { timeoutMs: 2_000, retries: 0 })).fetch('https://www.wixapis.com/a', { headers: { 'content-length': '5' } });
    expect(await res.json()).toEqual({ ok: true });
  });

  it.each([
    ['an HTML page', 'text/html; charset=utf-8', '<html>portal</html>', '19 bytes (text/html; charset=utf-8)'],
    ['a cut-off body', 'application/json', '{"catalogVersio', '15 bytes (application/json)'],
    ['nothing', undefined, '', 'an empty body (no content type)'],
  ])('a 200 with %s: json() is exit 5 with its size and content type', async (_what, type, body, described) => {
    const api = await startServer((req, res) => res.writeHead(200, type ? { 'content-type': type, 'x-wix-request-id': 'rq-9' } : { 'x-wix-request-id': 'rq-9' }).end(body));
    let trace = '';
    const stream = new PassThrough();
    stream.setEncoding('utf8').on('data', (d: string) => (trace += d));
    const transport = createTransport(options(api.url, { trace: stream }));
    const res = await transport.fetch('https://www.wixapis.com/stores/v3/provision/version');
    const error = await res.json().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemporaryError);
    expect((error as TemporaryError).message).toBe(`the answer to GET ${new URL(api.url).host}/stores/v3/provision/version was HTTP 200 with ${described}, which is not JSON`);
    expect((error as TemporaryError).requestId).toBe('rq-9');
    expect(transport.lastFailure()).toBe(error);
    if (body) expect(trace).toContain(`  body (not JSON): ${body}`);
  });

  it("an error answer that is not JSON stays the SDK's business (it reads it inside a try)", async () => {
    const api = await startServer((req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>'));
    const transport = createTransport(options(api.url, { retries: 0 }));
    const res = await transport.fetch('https://www.wixapis.com/a');
    await expect(res.json()).rejects.toBeInstanceOf(SyntaxError);
    expect(transport.lastFailure()).toBeUndefined();
  });
});

/** The tests' loopback proxy (test/helpers/proxy.ts), closed after each test with the servers. */
const proxies: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});
async function startProxy(): Promise<{ url: string; seen: string[] }> {
  const proxy = await startSharedProxy();
  proxies.push(proxy);
  return proxy;
}

describe('proxy', () => {
  it('sends requests through HTTP_PROXY', async () => {
    const server = await startServer((req, res) => json(res, 200, { ok: true }, { 'x-wix-request-id': 'via-proxy' }));
    const proxy = await startProxy();
    const transport = createTransport(options(server.url, { env: { HTTP_PROXY: proxy.url } }));
    const res = await transport.fetch('https://www.wixapis.com/stores/v1/products/p1');
    expect(await res.json()).toEqual({ ok: true });
    expect(transport.lastRequestId()).toBe('via-proxy');
    expect(proxy.seen).toHaveLength(1);
    expect(proxy.seen[0]).toMatch(new RegExp(`${new URL(server.url).host}`));
    expect(server.requests.map((r) => r.url)).toEqual(['/stores/v1/products/p1']);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const server = await startServer((req, res) => json(res, 200, { ok: true }));
    const proxy = await startProxy();
    const transport = createTransport(options(server.url, { env: { http_proxy: proxy.url, NO_PROXY: 'example.com,127.0.0.1' } }));
    await transport.fetch('https://www.wixapis.com/a');
    expect(proxy.seen).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a proxy variable that is not a URL', async () => {
    const transport = createTransport(options('http://127.0.0.1:1', { env: { HTTPS_PROXY: 'not a url' } }));
    await expect(transport.fetch('https://www.wixapis.com/a')).rejects.toThrow(/HTTPS_PROXY must be a proxy URL/);
    expect(transport.lastFailure()).toBeInstanceOf(UsageError);
  });
});

describe('start-up cost', () => {
  it('loads undici only when a proxy variable is set', async () => {
    // A bundle with undici left external, run from a folder where undici cannot be found: importing it would fail.
    const work = mkdtempSync(join(tmpdir(), 'wixq-transport-'));
    try {
      const script = join(work, 'child.mjs');
      buildSync({
        stdin: {
          contents: `import { createTransport } from './wix/transport.ts';
            const t = createTransport({ apiUrl: process.argv[2], retries: 0, timeoutMs: 2000, env: process.env });
            t.fetch('https://www.wixapis.com/x').then((r) => console.log('status', r.status), (e) => console.log('error', e.code ?? e.message));`,
          resolveDir: resolve(__dirname, '../../src'),
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: script,
        external: ['undici'],
        logLevel: 'silent',
      });
      const server = await startServer((req, res) => json(res, 200, {}));
      const run = (env: NodeJS.ProcessEnv) =>
        new Promise<string>((done) => {
          const child = spawn(process.execPath, [script, server.url], { cwd: work, env: { PATH: process.env.PATH, ...env } });
          let out = '';
          child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
          child.on('close', () => done(out.trim()));
        });
      expect(await run({})).toBe('status 200');
      expect(await run({ HTTPS_PROXY: 'http://127.0.0.1:9' })).toBe('error ERR_MODULE_NOT_FOUND');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
