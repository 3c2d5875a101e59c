import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/index.js';
import { runWixq, tempConfigDir } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';
import { runtimeLockEntries } from '../helpers/lockfile.js';

/** Start-up laziness needs a fresh process: which files of the bundle a command loads (a module hook writes them down). */
const PRELOAD = resolve(__dirname, '../helpers/module-log.mjs');

/** Runs the built wixq with a module-load log; returns the exit code and the files it loaded. */
async function loadedModules(args: string[], env: Record<string, string>): Promise<{ code: number | null; files: string[] }> {
  const { dir, cleanup } = tempConfigDir();
  const log = join(dir, 'modules.log');
  try {
    const r = await runWixq(args, { env: { WIXQ_CONFIG_DIR: dir, ...env, WIXQ_TEST_MODULE_LOG: log }, nodeArgs: ['--import', PRELOAD] });
    const urls = readFileSync(log, 'utf8').trim().split('\n');
    return { code: r.code, files: [...new Set(urls.filter((u) => u.startsWith('file:')).map((u) => new URL(u).pathname))] };
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

  for (const args of [['--help'], ['products', '--help'], ['config', 'list', '--json'], ['config', 'path']]) {
    it(`wixq ${args.join(' ')} loads no SDK code`, async () => {
      const r = await loadedModules(args, {});
      expect(r.code).toBe(0);
      const dist = r.files.filter((f) => f.includes('/dist/'));
      expect(dist.length).toBeGreaterThan(0);
      expect(dist.filter(holdsSdkCode)).toEqual([]);
      expect(r.files.filter((f) => f.includes('node_modules'))).toEqual([]);
    });
  }

  it('wixq --version loads no module of the bundle: the entry answers it before it reads any chunk', async () => {
    const r = await loadedModules(['--version'], {});
    expect(r.code).toBe(0);
    // The module log sees every module file loaded: the entry (bin/wixq.cjs) and the package.json it reads the version from.
    expect(r.files.filter((f) => f.includes('/dist/'))).toEqual([]);
    const root = resolve(__dirname, '../..');
    expect([...r.files].sort()).toEqual([join(root, 'bin', 'wixq.cjs'), join(root, 'package.json')]);
    const out = await runWixq(['--version']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`${(JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version}\n`);
    expect(out.stderr).toBe('');
  });

  it('wixq -V answers the same way, and a longer command line still goes to the program', async () => {
    const short = await runWixq(['-V']);
    expect(short.code).toBe(0);
    expect(short.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    const help = await loadedModules(['--version', '--help'], {});
    expect(help.files.some((f) => f.endsWith('/dist/cli.cjs'))).toBe(true);
  });

  it('products list loads the products module and not the other SDK modules', async () => {
    const env = { WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId };
    const r = await loadedModules(['products', 'list', '--json', '--catalog', 'v1'], env);
    expect(r.code).toBe(0);
    const names = r.files.filter((f) => f.includes('/dist/')).map((f) => f.split('/').pop()!);
    expect(names.some((n) => n.startsWith('stores-products-') && !n.startsWith('stores-products-v3'))).toBe(true);
    for (const other of ['stores-products-v3-', 'stores-collections-', 'bookings-services-', 'bookings-time-slots-', 'data-items-', 'data-collections-', 'undici-', 'emulator']) {
      expect(names.filter((n) => n.startsWith(other))).toEqual([]);
    }
    // No Data API code either, bundled or loaded from node_modules (the items SDK may stay external: it is UNLICENSED).
    expect(r.files.filter((f) => /@wix\/(wix-data-items|auto_sdk_data_collections)/.test(f) || readFileSync(f, 'utf8').includes('node_modules/@wix/wix-data-items'))).toEqual([]);
  });

  it('a warm products list loads no login code: neither OAuthStrategy nor the identity and redirects modules it builds a client of', async () => {
    const env = { WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId };
    // The first run makes the session; the second is warm (the stored token, one request).
    const { dir, cleanup } = tempConfigDir();
    try {
      const log = join(dir, 'modules.log');
      const first = await runWixq(['products', 'list', '--json', '--catalog', 'v1', '--limit', '1'], { env: { WIXQ_CONFIG_DIR: dir, ...env } });
      expect(first.code).toBe(0);
      const r = await runWixq(['products', 'list', '--json', '--catalog', 'v1', '--limit', '1'], { env: { WIXQ_CONFIG_DIR: dir, ...env, WIXQ_TEST_MODULE_LOG: log }, nodeArgs: ['--import', PRELOAD] });
      expect(r.code).toBe(0);
      const files = readFileSync(log, 'utf8').trim().split('\n').filter((u) => u.startsWith('file:')).map((u) => new URL(u).pathname);
      const loginCode = /^\/\/ node_modules\/@wix\/(sdk\/build\/auth\/|auto_sdk_identity_|auto_sdk_redirects_)/m;
      const dist = files.filter((f) => f.includes('/dist/'));
      expect(dist.filter((f) => loginCode.test(readFileSync(f, 'utf8')))).toEqual([]);
      // The SDK client is loaded (the check looks at the right thing), and dist/ does hold the login code, elsewhere.
      expect(dist.filter((f) => readFileSync(f, 'utf8').includes('// node_modules/@wix/sdk/build/wixClient.js')).length).toBe(1);
      const all = readdirSync(resolve(__dirname, '../../dist')).filter((f) => f.endsWith('.cjs'));
      expect(all.filter((f) => loginCode.test(readFileSync(resolve(__dirname, '../../dist', f), 'utf8'))).length).toBeGreaterThan(0);
    } finally {
      cleanup();
    }
  });

  it('data items list loads the data items module and no Stores or Bookings module', async () => {
    const env = { WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId };
    const r = await loadedModules(['data', 'items', 'list', 'team', '--json', '--limit', '1'], env);
    expect(r.code).toBe(0);
    const names = r.files.filter((f) => f.includes('/dist/')).map((f) => f.split('/').pop()!);
    expect(names.some((n) => n.startsWith('data-items-'))).toBe(true);
    for (const other of ['stores-products-', 'stores-collections-', 'categories-', 'bookings-services-', 'bookings-time-slots-', 'data-collections-', 'emulator']) {
      expect(names.filter((n) => n.startsWith(other))).toEqual([]);
    }
  });

  it('products list loads from node_modules only the run-time dependencies (the packages that may not be bundled) and theirs', async () => {
    const root = resolve(__dirname, '../..');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const runtime = new Set(runtimeLockEntries(root).map(([path]) => path));
    const env = { WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId };
    const r = await loadedModules(['products', 'list', '--json', '--catalog', 'v1'], env);
    expect(r.code).toBe(0);
    // Each loaded file's package, as the lockfile names it (node_modules/a/node_modules/b).
    const installed = r.files
      .filter((f) => f.startsWith(`${root}/node_modules/`))
      .map((f) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(f.slice(root.length + 1))![1]!);
    const packages = [...new Set(installed)].sort();
    expect(packages).toEqual(expect.arrayContaining(['node_modules/@wix/sdk-context']));
    // @wix/sdk (MIT) is bundled: a list loads none of it from node_modules.
    expect(packages.filter((p) => p === 'node_modules/@wix/sdk' || p === 'node_modules/@wix/api-client')).toEqual([]);
    // Nothing that is only a devDependency (commander, the auto_sdk modules, undici…): those are bundled into dist/.
    expect(packages.filter((p) => !runtime.has(p))).toEqual([]);
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(expect.arrayContaining(['@wix/sdk-context']));
    expect(r.files.filter((f) => f.includes('/node_modules/') && !f.startsWith(`${root}/node_modules/`))).toEqual([]);
  });

  it('with a member session stored, auth status loads no SDK code (products list does, proving the check works)', async () => {
    const ada = DEMO_MEMBERS[0]!;
    // The login itself runs in-process: only the runs whose loading is observed need a process.
    expect((await p.run(['auth', 'login', '--email', ada.email, '--password-stdin'], { input: ada.password })).code).toBe(0);
    const env = { ...p.env };
    for (const args of [['auth', 'status'], ['auth', 'status', '--json']]) {
      const r = await loadedModules(args, env);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.files.filter((f) => f.includes('/dist/')).filter(holdsSdkCode), args.join(' ')).toEqual([]);
    }
    const list = await loadedModules(['products', 'list', '--json', '--limit', '1'], env);
    expect(list.code).toBe(0);
    expect(list.files.filter((f) => f.includes('/dist/')).filter(holdsSdkCode).length).toBeGreaterThan(0);
  });
});
