import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../helpers/net.js';
import { startProject, type TestProject } from '../helpers/project.js';

/** One test per exit code wixq documents (6 is wixq check's, tested with it; 130, Ctrl-C, needs a process: test/e2e/signals.test.ts). */
const V1_QUERY = '/stores-reader/v1/products/query-platformized';

describe('exit codes', () => {
  let p: TestProject;
  const run = (args: string[], env?: Record<string, string>) => p.run(args, { env });
  beforeAll(async () => {
    p = await startProject();
    expect((await run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
  });
  afterAll(async () => p.close());
  beforeEach(() => p.reset());

  it('0: an empty list is success: [] in JSON, a notice for a table', async () => {
    const json = await run(['products', 'list', '--json', '--filter', 'name=No such product anywhere']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
    const table = await run(['products', 'list', '-o', 'table', '--filter', 'name=No such product anywhere']);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe('');
    expect(table.stderr).toContain('No products found.');
  });

  it('1: an API error retrying will not fix (409), sent once', async () => {
    await p.control('POST', 'faults', { path: V1_QUERY, status: 409, count: 1 });
    const r = await run(['products', 'list', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/409/);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(p.requests(V1_QUERY)).toHaveLength(1);
  });

  it('2: a bad filter points at the character, before any request', async () => {
    const r = await run(['products', 'list', '--filter', 'price.price ~~ 10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/column \d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(p.requests()).toHaveLength(0);
  });

  it('2: bad flags and bad JSON, before any request', async () => {
    for (const args of [['products', 'list', '--limit', 'lots'], ['products', 'list', '--query', '{"filter":'], ['products', 'list', '-o', 'yaml'], ['products', 'frobnicate']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
    }
    expect(p.requests()).toHaveLength(0);
  });

  it('2: a validation error (400) from the API, and the same query refused before sending', async () => {
    const raw = await run(['api', 'POST', V1_QUERY, '--data', '{"query":{"filter":{"name":{"$regex":"x"}}}}']);
    expect(raw.code).toBe(2);
    expect(raw.stderr).toMatch(/Wix answered 400/);
    expect(p.requests(V1_QUERY).map((x) => x.status)).toEqual([400]);
    p.reset();
    const checked = await run(['products', 'list', '--json', '--query', '{"filter":{"name":{"$regex":"x"}}}']);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toMatch(/cannot use \$regex on "name"/);
    expect(p.requests()).toHaveLength(0);
  });

  it('3: not found', async () => {
    const r = await run(['collections', 'get', 'no-such-collection']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });

  it('4: a client ID Wix rejects is named in the error', async () => {
    const r = await run(['products', 'list'], { WIXQ_CLIENT_ID: 'bogus-client-id' });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('bogus-client-id');
    expect(r.stderr).not.toContain('System error occurred');
  });

  it('4: permission denied (403)', async () => {
    await p.control('POST', 'faults', { path: V1_QUERY, status: 403, count: 1 });
    const r = await run(['products', 'list', '--json']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/permission denied/i);
  });

  it('5: the API cannot be reached', async () => {
    const port = await closedPort();
    const r = await run(['products', 'list', '--json', '--retries', '1'], { WIXQ_API_URL: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/127\.0\.0\.1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('5: a 503 that does not go away, with the request ID, after one retry', async () => {
    await p.control('POST', 'faults', { path: V1_QUERY, status: 503, count: 10 });
    const r = await run(['products', 'list', '--json', '--retries', '1']);
    expect(r.code).toBe(5);
    const sent = p.requests('/stores-reader');
    expect(sent.map((x) => x.status)).toEqual([503, 503]);
    expect(r.stderr).toContain(`request ID ${sent[1]!.requestId}`);
  });
});
