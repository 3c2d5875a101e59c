import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baseEnv, WIXQ_BIN } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';
import { closedPort } from '../helpers/net.js';


// One test per exit code of docs/reference.md section 6 (6 is wixq check's, tested with it).
describe('exit codes', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
    expect((await p.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
  });
  afterAll(async () => p.close());
  beforeEach(async () => {
    await p.control('faults', undefined, 'DELETE');
    await p.control('reset');
  });

  it('0: an empty list is success: [] in JSON, a notice for a table', async () => {
    const json = await p.run(['products', 'list', '--json', '--filter', 'name=No such product anywhere']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
    const table = await p.run(['products', 'list', '-o', 'table', '--filter', 'name=No such product anywhere']);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe('');
    expect(table.stderr).toContain('No products found.');
  });

  it('1: an API error retrying will not fix (409)', async () => {
    await p.control('faults', { path: '/stores-reader/v1/products/query-platformized', status: 409, count: 1 });
    const r = await p.run(['products', 'list', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/409/);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });

  it('2: a bad filter points at the character, before any request', async () => {
    const r = await p.run(['products', 'list', '--filter', 'price.price ~~ 10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/column \d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await p.requests()).toHaveLength(0);
  });

  it('2: bad flags and bad JSON', async () => {
    expect((await p.run(['products', 'list', '--limit', 'lots'])).code).toBe(2);
    expect((await p.run(['products', 'list', '--query', '{"filter":'])).code).toBe(2);
    expect((await p.run(['products', 'list', '-o', 'yaml'])).code).toBe(2);
    expect((await p.run(['products', 'frobnicate'])).code).toBe(2);
    expect(await p.requests()).toHaveLength(0);
  });

  it('2: a validation error (400) from the API, and the same query refused before sending', async () => {
    const raw = await p.run(['api', 'POST', '/stores-reader/v1/products/query-platformized', '--data', '{"query":{"filter":{"name":{"$regex":"x"}}}}']);
    expect(raw.code).toBe(2);
    expect(raw.stderr).toMatch(/Wix answered 400/);
    const checked = await p.run(['products', 'list', '--json', '--query', '{"filter":{"name":{"$regex":"x"}}}']);
    expect(checked.code).toBe(2);
    expect(checked.stderr).toMatch(/cannot use \$regex on "name"/);
  });

  it('3: not found', async () => {
    const r = await p.run(['collections', 'get', 'no-such-collection']);
    expect(r.code).toBe(3);
  });

  it('4: a client ID Wix rejects is named in the error', async () => {
    const fresh = await startProject();
    try {
      const r = await fresh.run(['products', 'list'], { env: { WIXQ_CLIENT_ID: 'bogus-client-id' } });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('bogus-client-id');
      expect(r.stderr).not.toContain('System error occurred');
    } finally {
      await fresh.close();
    }
  });

  it('4: permission denied (403)', async () => {
    await p.control('faults', { path: '/stores-reader/v1/products/query-platformized', status: 403, count: 1 });
    const r = await p.run(['products', 'list', '--json']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/permission denied/i);
  });

  it('5: the API cannot be reached', async () => {
    const port = await closedPort();
    const r = await p.run(['products', 'list', '--json', '--retries', '1'], { env: { WIXQ_API_URL: `http://127.0.0.1:${port}` } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/127\.0\.0\.1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('5: a 503 that does not go away, with the request ID', async () => {
    await p.control('faults', { path: '/stores-reader/v1/products/query-platformized', status: 503, count: 10 });
    const r = await p.run(['products', 'list', '--json', '--retries', '1']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/request ID \S+/);
    expect((await p.requests('/stores-reader')).length).toBe(2);
  });

  it('130: interrupted with Ctrl-C', async () => {
    await p.control('faults', { path: '/stores-reader/v1/products/query-platformized', delayMs: 10_000, count: 1 });
    const child = spawn(process.execPath, [WIXQ_BIN, 'products', 'list', '--json'], {
      env: { ...baseEnv(), WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId, WIXQ_CONFIG_DIR: p.configDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Interrupt once the request is in flight (the emulator has recorded it).
    for (let i = 0; i < 200 && (await p.requests('/stores-reader')).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/Interrupted/);
  });
});

describe('help', () => {
  it('every command has --help with an example', async () => {
    const { runWixq } = await import('../helpers/cli.js');
    const commands = [
      [], ['init'], ['config'], ['config', 'list'], ['config', 'get'], ['config', 'set'], ['config', 'unset'], ['config', 'path'],
      ['products', 'list'], ['products', 'get'], ['collections', 'list'], ['collections', 'get'], ['services', 'list'],
      ['services', 'get'], ['slots'], ['emulator'], ['products'], ['collections'], ['services'],
    ];
    for (const c of commands) {
      const r = await runWixq([...c, '--help']);
      expect(r.code, c.join(' ')).toBe(0);
      expect(r.stdout, c.join(' ')).toContain('Examples:');
      expect(r.stdout, c.join(' ')).toContain('$ wixq');
    }
  });
});
