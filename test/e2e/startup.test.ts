import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, tempConfigDir, WIXQ_BIN } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';

const PRELOAD = resolve(__dirname, '../helpers/module-log.mjs');

/** Runs the built wixq with a module-load log; returns the exit code and the files it loaded. */
async function loadedModules(args: string[], env: Record<string, string>): Promise<{ code: number | null; files: string[] }> {
  const { dir, cleanup } = tempConfigDir();
  const log = join(dir, 'modules.log');
  try {
    const code = await new Promise<number | null>((resolvePromise, reject) => {
      const child = spawn(process.execPath, ['--import', PRELOAD, WIXQ_BIN, ...args], {
        env: { ...baseEnv(), WIXQ_CONFIG_DIR: dir, ...env, WIXQ_TEST_MODULE_LOG: log },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      child.on('error', reject);
      child.on('close', resolvePromise);
    });
    const urls = readFileSync(log, 'utf8').trim().split('\n');
    return { code, files: urls.filter((u) => u.startsWith('file:')).map((u) => new URL(u).pathname) };
  } finally {
    cleanup();
  }
}

/** Whether a loaded bundle file carries code of a Wix SDK package (esbuild keeps the source path comments). */
function holdsSdkCode(file: string): boolean {
  return readFileSync(file, 'utf8').includes('node_modules/@wix/');
}

describe('start-up: only what a command needs is loaded', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());

  for (const args of [['--version'], ['--help'], ['products', '--help'], ['config', 'list', '--json'], ['config', 'path']]) {
    it(`wixq ${args.join(' ')} loads no SDK code`, async () => {
      const r = await loadedModules(args, {});
      expect(r.code).toBe(0);
      const dist = r.files.filter((f) => f.includes('/dist/'));
      expect(dist.length).toBeGreaterThan(0);
      expect(dist.filter(holdsSdkCode)).toEqual([]);
      expect(r.files.filter((f) => f.includes('node_modules'))).toEqual([]);
    });
  }

  it('wixq --version loads only the entry and its tiny shared chunks', async () => {
    const r = await loadedModules(['--version'], {});
    const dist = r.files.filter((f) => f.includes('/dist/'));
    const bytes = dist.reduce((n, f) => n + readFileSync(f).length, 0);
    expect(bytes).toBeLessThan(40_000);
  });

  it('products list loads the products module and not the other SDK modules', async () => {
    const env = { WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId };
    const r = await loadedModules(['products', 'list', '--json', '--catalog', 'v1'], env);
    expect(r.code).toBe(0);
    const names = r.files.filter((f) => f.includes('/dist/')).map((f) => f.split('/').pop()!);
    expect(names.some((n) => n.startsWith('stores-products-') && !n.startsWith('stores-products-v3'))).toBe(true);
    for (const other of ['stores-products-v3-', 'stores-collections-', 'bookings-services-', 'bookings-time-slots-', 'undici-', 'emulator']) {
      expect(names.filter((n) => n.startsWith(other))).toEqual([]);
    }
  });
});

describe('--all at scale', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject({ products: 12_000 });
  });
  afterAll(async () => p.close());

  it('returns every visible product exactly once and in order past the 10,000 offset ceiling', async () => {
    const expected = p.emulator.site.products
      .filter((x: any) => x.visible !== false)
      .map((x: any) => ({ id: x.id as string, numericId: String(x.numericId) }))
      .sort((a: any, b: any) => (a.numericId < b.numericId ? -1 : a.numericId > b.numericId ? 1 : 0));
    expect(expected.length).toBeGreaterThan(10_000);
    await p.control('reset');
    const r = await p.run(['products', 'list', '--all', '-o', 'ndjson', '--fields', '_id,numericId'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const got = r.stdout.trim().split('\n').map((l) => JSON.parse(l)._id as string);
    expect(got.length).toBe(expected.length);
    expect(got).toEqual(expected.map((x: any) => x.id));
    // Offset pages up to the ceiling, then keyset pages: never an offset past 10,000.
    const queries = (await p.requests('/stores-reader/v1/products/query-platformized')).map((q) => q.body?.query ?? {});
    expect(queries.every((q) => (q.paging?.offset ?? 0) + (q.paging?.limit ?? 0) <= 10_000)).toBe(true);
    expect(queries.some((q) => JSON.stringify(q.filter ?? {}).includes('"$gt"'))).toBe(true);
  });
});
