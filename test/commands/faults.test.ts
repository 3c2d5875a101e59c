import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TemporaryError } from '../../src/errors.js';
import { createTransport } from '../../src/wix/transport.js';
import { startProject, type TestProject } from '../helpers/project.js';
import { startProxy } from '../helpers/proxy.js';

const PRODUCTS_PATH = '/stores-reader/v1/products/query-platformized';

/** Exactly one error line, maybe a hint line, and nothing that looks like a stack trace. */
function expectOneClearError(stderr: string): void {
  expect(stderr).toMatch(/^Error: /);
  expect(stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/unexpected failure/);
  // The SDK rewrites the message of errors thrown under it; wixq's own words must survive.
  expect(stderr).not.toMatch(/System error occurred/);
}

// The transport under injected faults, seen from wixq's commands in-process. Waits (back-off, Retry-After) happen on
// the project's fake clock: what was waited is asserted from p.clock.sleeps, and no test waits for real.
describe('faults', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject({ products: 2000 });
    const first = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(async () => p.close());
  beforeEach(async () => {
    await p.control('POST', 'config', { failRate: 0 });
    p.reset();
  });

  it('with 30% of requests answering 503, --all over 2,000 products returns each product exactly once', async () => {
    const clean = await p.run(['products', 'list', '--all', '-o', 'ndjson', '--fields', '_id,name']);
    expect(clean.code, clean.stderr).toBe(0);
    const expected = clean.stdout.trimEnd().split('\n');
    expect(expected.length).toBeGreaterThan(1_000);
    expect(new Set(expected).size).toBe(expected.length);

    await p.control('POST', 'config', { failRate: 0.3 });
    p.reset();
    // 0.3^9 per page: exhausting the retries is out of reach, so a failure here is a real bug.
    const faulty = await p.run(['products', 'list', '--all', '-o', 'ndjson', '--fields', '_id,name', '--retries', '8']);
    expect(faulty.code, faulty.stderr).toBe(0);
    expect(faulty.stderr).toBe('');
    const got = faulty.stdout.trimEnd().split('\n');
    expect(got).toEqual(expected);
    const statuses = p.requests(PRODUCTS_PATH).map((r) => r.status);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 200).length).toBe(Math.ceil(expected.length / 100));
  });

  it('a 429 with Retry-After: 1 is retried after waiting a second, and succeeds', async () => {
    await p.control('POST', 'faults', { path: PRODUCTS_PATH, status: 429, retryAfter: '1', count: 1 });
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(p.requests(PRODUCTS_PATH).map((x) => x.status)).toEqual([429, 200]);
    expect(p.clock.sleeps).toEqual([1_000]);
  });

  it('a Retry-After given as an HTTP date is waited for, counted from now', async () => {
    // HTTP dates have whole seconds: the wait is what is left until that second, on wixq's clock.
    const now = p.clock.now();
    const retryAt = new Date(Math.ceil((now + 2_500) / 1000) * 1000);
    await p.control('POST', 'faults', { path: PRODUCTS_PATH, status: 503, retryAfter: retryAt.toUTCString(), count: 1 });
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(p.requests(PRODUCTS_PATH).map((x) => x.status)).toEqual([503, 200]);
    expect(p.clock.sleeps).toEqual([retryAt.getTime() - now]);
  });

  it('dropped connections are retried', async () => {
    await p.control('POST', 'faults', { path: PRODUCTS_PATH, drop: true, count: 2 });
    const r = await p.run(['products', 'list', '--json', '--limit', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(3);
    expect(p.requests(PRODUCTS_PATH).map((x) => x.status)).toEqual([0, 0, 200]);

    await p.control('POST', 'faults', { path: PRODUCTS_PATH, drop: true, count: 100 });
    const gone = await p.run(['products', 'list', '--json', '--limit', '3', '--retries', '1']);
    expect(gone.code).toBe(5);
    expectOneClearError(gone.stderr);
    expect(gone.stderr).toMatch(/query-platformized failed: .*\(2 tries\)/);
  });

  it('a 500 that never ends: exit 5 with the last request ID, after exactly --retries retries', async () => {
    await p.control('POST', 'faults', { path: PRODUCTS_PATH, status: 500, count: 100 });
    const r = await p.run(['products', 'list', '--json', '--retries', '2']);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expectOneClearError(r.stderr);
    const sent = p.requests(PRODUCTS_PATH);
    expect(sent).toHaveLength(3);
    expect(r.stderr).toContain(sent[2].requestId);
  });

  it('--retries defaults to 3 and --timeout to 30 s', async () => {
    const settings = JSON.parse((await p.run(['config', 'list', '--json'])).stdout) as Array<{ key: string; value: unknown; source: string }>;
    expect(settings.find((s) => s.key === 'retries')).toEqual({ key: 'retries', value: 3, source: 'default' });
    expect(settings.find((s) => s.key === 'timeout')).toEqual({ key: 'timeout', value: 30, source: 'default' });
    await p.control('POST', 'faults', { path: PRODUCTS_PATH, status: 502, count: 100 });
    const r = await p.run(['products', 'list', '--json']);
    expect(r.code).toBe(5);
    expect(p.requests(PRODUCTS_PATH)).toHaveLength(4);
    expect(p.clock.sleeps).toHaveLength(3);
  });

  it('a request slower than --timeout: exit 5 naming the timeout, each try cut at the timeout', async () => {
    await p.control('POST', 'faults', { path: PRODUCTS_PATH, delayMs: 60_000, count: 2 });
    const r = await p.run(['products', 'list', '--json', '--timeout', '0.2', '--retries', '1']);
    expect(r.code).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toMatch(/timed out after 200 ms \(2 tries\)/);
    // Both tries reached the emulator and were abandoned before it answered (status 0: never answered).
    expect(p.requests(PRODUCTS_PATH).map((x) => x.status)).toEqual([0, 0]);
    expect(p.clock.sleeps).toHaveLength(1);
  });

  it('a 401 gets one renewal and one retry, then exit 4', async () => {
    await p.control('POST', 'faults', { path: PRODUCTS_PATH, status: 401, count: 100 });
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code).toBe(4);
    expectOneClearError(r.stderr);
    const all = p.requests();
    expect(all.map((x) => `${x.status} ${x.path}`)).toEqual([`401 ${PRODUCTS_PATH}`, '200 /oauth2/token', `401 ${PRODUCTS_PATH}`]);
    expect(all[1].grantType).toBe('refresh_token');
  });

  // No wixq command writes yet, so the transport is driven directly, against the same emulator over HTTP.
  describe('requests that change something', () => {
    const transport = () => createTransport({ apiUrl: p.emulator.url, retries: 3, timeoutMs: 5_000, env: {}, sleep: async () => {} });
    const write = (t: ReturnType<typeof transport>) =>
      t.fetch('https://www.wixapis.com/stores/v1/products', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"product":{"name":"x"}}' });

    it('a write answered 503 is not sent again', async () => {
      await p.control('POST', 'faults', { path: '/stores/v1/products', status: 503, count: 5 });
      const response = await write(transport());
      expect(response.status).toBe(503);
      expect(p.requests('/stores/v1/products')).toHaveLength(1);
    });

    it('a write whose connection dropped after it was sent is not sent again', async () => {
      await p.control('POST', 'faults', { path: '/stores/v1/products', drop: true, count: 5 });
      const failure = await write(transport()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TemporaryError);
      expect((failure as TemporaryError).hint).toMatch(/may have reached Wix, so it was not sent again/);
      expect(p.requests('/stores/v1/products')).toHaveLength(1);
    });

    it('through wixq api: a write answered 503 or cut off is sent once, and the message says to check', async () => {
      const args = ['api', 'POST', '/stores/v1/products', '--data', '{"product":{"name":"x"}}', '--retries', '3'];
      await p.control('POST', 'faults', { path: '/stores/v1/products', status: 503, count: 5 });
      const refused = await p.run(args);
      expect(refused.code).toBe(5);
      expectOneClearError(refused.stderr);
      expect(p.requests('/stores/v1/products')).toHaveLength(1);

      p.reset();
      await p.control('POST', 'faults', { path: '/stores/v1/products', drop: true, count: 5 });
      const dropped = await p.run(args);
      expect(dropped.code).toBe(5);
      expectOneClearError(dropped.stderr);
      expect(dropped.stderr).toMatch(/not sent again: check the result/);
      expect(p.requests('/stores/v1/products')).toHaveLength(1);
    });

    it('a query POST is a read and is retried', async () => {
      await p.control('POST', 'faults', { path: '/stores/v1/products/query', status: 503, count: 2 });
      const response = await transport().fetch('https://www.wixapis.com/stores/v1/products/query', { method: 'POST', body: '{"query":{}}' });
      expect(response.status).not.toBe(503);
      expect(p.requests('/stores/v1/products/query').map((x) => x.status).slice(0, 2)).toEqual([503, 503]);
      expect(p.requests('/stores/v1/products/query')).toHaveLength(3);
    });
  });

  describe('through a proxy', () => {
    let proxy: Awaited<ReturnType<typeof startProxy>>;
    beforeAll(async () => {
      proxy = await startProxy();
    });
    afterAll(async () => proxy.close());

    it('HTTP_PROXY and HTTPS_PROXY send every request through the proxy', async () => {
      proxy.seen.length = 0;
      const r = await p.run(['products', 'list', '--json', '--limit', '2'], { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toHaveLength(2);
      const host = new URL(p.emulator.url).host;
      // undici tunnels (CONNECT) or sends absolute-form requests; either way the proxy saw wixq's traffic to the API.
      expect(proxy.seen.length).toBeGreaterThan(0);
      for (const line of proxy.seen) expect(line === `CONNECT ${host}` || line.includes(`http://${host}/`), line).toBe(true);
      expect(p.requests(PRODUCTS_PATH).length).toBe(1);
    });

    it('NO_PROXY=127.0.0.1 goes direct', async () => {
      proxy.seen.length = 0;
      const r = await p.run(['products', 'list', '--json', '--limit', '2'], { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
      expect(r.code, r.stderr).toBe(0);
      expect(proxy.seen).toEqual([]);
      expect(p.requests(PRODUCTS_PATH).length).toBe(1);
    });

    it('a proxy that is down is a temporary error naming the proxy', async () => {
      const down = await startProxy();
      await down.close();
      const r = await p.run(['products', 'list', '--json', '--limit', '2', '--retries', '1'], { env: { HTTP_PROXY: down.url, HTTPS_PROXY: down.url } });
      expect(r.code).toBe(5);
      expectOneClearError(r.stderr);
      expect(r.stderr).toMatch(/proxy/i);
    });
  });
});
