import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, runWixq, WIXQ_BIN } from '../helpers/cli.js';

/** `wixq emulator` as a subprocess of the built binary (run `npm run build` first; `npm test` does). */

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `wixq emulator ...args` and resolves once it printed its first line. */
function startEmulatorProcess(args: string[]): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WIXQ_BIN, 'emulator', ...args], { env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('close', (code, signal) => done({ code, signal })));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no first line in time; stdout=${stdout} stderr=${stderr}`));
    }, 15_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const first = stdout.split('\n')[0]!;
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        const match = /^Wix API emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
        if (!match) reject(new Error(`unexpected first line: ${first}`));
        else resolve({ child, url: match[1]!, stdout: () => stdout, stderr: () => stderr, exited });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
  });
}

describe('wixq emulator', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startEmulatorProcess(['--port', '0']);
  });
  afterAll(() => {
    if (running.child.exitCode === null) running.child.kill('SIGKILL');
  });

  it('prints its URL, then the demo client ID and member login', async () => {
    // The rest of the banner may arrive in a later chunk.
    await expect.poll(() => running.stdout().split('\n').length, { timeout: 5000 }).toBeGreaterThan(3);
    const lines = running.stdout().split('\n');
    expect(lines[1]).toMatch(/^Client ID: [0-9a-f-]{36}$/);
    expect(lines[2]).toBe('Member login: ada@example.com / demo-password');
  });

  it('serves a token request and a product query, then stops on SIGTERM with exit 0', async () => {
    const clientId = /Client ID: (\S+)/.exec(running.stdout())![1]!;
    const token = await fetch(`${running.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId, grantType: 'anonymous' }) });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const query = await fetch(`${running.url}/stores-reader/v1/products/query-platformized`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: access_token },
      body: JSON.stringify({ query: { paging: { limit: 3 } } }),
    });
    expect(query.status).toBe(200);
    const body = (await query.json()) as { products: unknown[]; metadata: { total: number } };
    expect(body.products).toHaveLength(3);
    expect(body.metadata.total).toBeGreaterThan(200);
    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.stderr()).toBe('');
  });
});

describe('wixq emulator options', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wixq-emulator-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--quiet prints only the first line; --data serves the file; SIGINT also stops it', async () => {
    const file = join(dir, 'site.json');
    writeFileSync(
      file,
      JSON.stringify({
        catalogVersion: 'v3',
        clientIds: ['client-from-file'],
        members: [{ email: 'me@example.com', password: 'pw' }],
        products: [{ id: 'p1', name: 'Only Product', price: 12 }],
      }),
    );
    const running = await startEmulatorProcess(['--port', '0', '--quiet', '--data', file]);
    const token = await fetch(`${running.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId: 'client-from-file', grantType: 'anonymous' }) });
    const { access_token } = (await token.json()) as { access_token: string };
    const version = await fetch(`${running.url}/stores/v3/provision/version`, { headers: { authorization: access_token } });
    expect(await version.json()).toEqual({ catalogVersion: 'V3_CATALOG' });
    running.child.kill('SIGINT');
    expect((await running.exited).code).toBe(0);
    expect(running.stdout().trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number/],
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--fail-rate', '1.5'], /--fail-rate must be a number from 0 to 1/],
    [['--token-ttl', '0'], /--token-ttl/],
    [['--latency', '-1'], /--latency/],
    [['--rate-limit', 'x'], /--rate-limit/],
    [['--seed', '1.5'], /--seed/],
    [['--products', '-3'], /--products/],
    [['--catalog', 'v9'], /v9/],
    [['--data', 'does-not-exist.json'], /cannot read data file does-not-exist\.json/],
  ])('rejects %j with exit 2 and one line', async (args, message) => {
    const r = await runWixq(['emulator', '--port', '0', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('names the bad field of an invalid data file', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ clientIds: ['c'], products: [{ id: 'p1', name: 'A' }, { id: 'p2', name: 'B', price: 'cheap' }] }));
    const r = await runWixq(['emulator', '--port', '0', '--data', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('products[1].price: expected a number or an object');
  });
});
