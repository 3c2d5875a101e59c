import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWixq, type RunningProcess } from '../helpers/cli.js';

/** `wixq emulator` as a process: its banner, serving, and stopping on SIGTERM and SIGINT. Its flag errors: test/commands/emulator.test.ts. */

interface Running {
  wixq: RunningProcess;
  url: string;
}

/** Starts `wixq emulator ...args` and resolves once it printed the line with its URL. */
async function startEmulatorProcess(args: string[]): Promise<Running> {
  const wixq = startWixq(['emulator', ...args]);
  const [first] = await wixq.waitFor(/^.*\n/, 'stdout');
  const match = /^Wix API emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(first);
  if (!match) {
    wixq.kill('SIGKILL');
    throw new Error(`unexpected first line: ${first}`);
  }
  return { wixq, url: match[1]! };
}

describe('wixq emulator', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startEmulatorProcess(['--port', '0']);
  });
  afterAll(() => running.wixq.kill('SIGKILL'));

  it('prints its URL, then the demo client ID and member login', async () => {
    // The rest of the banner may arrive in a later chunk.
    await running.wixq.waitFor(/^Member login: .*\n/m, 'stdout');
    const lines = running.wixq.stdout().split('\n');
    expect(lines[1]).toMatch(/^Client ID: [0-9a-f-]{36}$/);
    expect(lines[2]).toBe('Member login: ada@example.com / demo-password');
  });

  it('serves a token request and a product query, then stops on SIGTERM with exit 0', async () => {
    const clientId = /Client ID: (\S+)/.exec(running.wixq.stdout())![1]!;
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
    running.wixq.kill('SIGTERM');
    expect(await running.wixq.done).toMatchObject({ code: 0, signal: null, stderr: '' });
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
    running.wixq.kill('SIGINT');
    const ended = await running.wixq.done;
    expect(ended.code).toBe(0);
    expect(ended.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
});
