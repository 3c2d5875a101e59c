import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../helpers/cli.js';
import { closedPort } from '../helpers/net.js';

const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';


// npm without its chatter; --offline below means nothing may come from a registry.
const NPM_ENV = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_loglevel: 'error' };

describe('npm pack and a global install', () => {
  let work: string;
  let tarball: string;
  let files: string[];
  let prefix: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'wixq-pack-'));
    // --ignore-scripts: pack the dist/ the tests run (prepare would rebuild it under other running tests).
    const packed = await runCommand(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env: NPM_ENV });
    expect(packed.code, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(work, info!.filename);
    files = info!.files.map((f) => f.path);
    prefix = join(work, 'prefix');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the tarball holds only what a user needs: bin/, dist/, README.md, LICENSE, package.json', () => {
    expect(files).toEqual(expect.arrayContaining(['bin/wixq.js', 'dist/cli.js', 'README.md', 'LICENSE', 'package.json']));
    const unexpected = files.filter((f) => !/^(bin\/wixq\.js|dist\/[\w-]+\.js|README\.md|LICENSE|package\.json)$/.test(f));
    expect(unexpected).toEqual([]);
    expect(files.some((f) => f.endsWith('.map') || f.endsWith('.ts') || f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
  });

  it('declares no runtime dependencies: tsup bundles every one of them into dist/', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('installs globally into a temporary prefix offline, and the installed wixq runs', async () => {
    const installed = await runCommand(NPM, ['install', '--global', '--prefix', prefix, '--offline', tarball], { cwd: work, env: NPM_ENV });
    expect(installed.code, installed.stderr).toBe(0);
    const home = join(prefix, process.platform === 'win32' ? '' : 'lib', 'node_modules', pkg.name);
    expect(readdirSync(home).sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'package.json']);
    // Nothing was fetched: the package is self-contained.
    expect(existsSync(join(home, 'node_modules'))).toBe(false);

    const bin = join(prefix, process.platform === 'win32' ? 'wixq.cmd' : 'bin/wixq');
    const configDir = join(work, 'config');
    const version = await runCommand(bin, ['--version'], { cwd: work, env: { WIXQ_CONFIG_DIR: configDir } });
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);

    const list = await runCommand(bin, ['--demo', 'products', 'list', '--json', '--limit', '2'], { cwd: work, env: { WIXQ_CONFIG_DIR: configDir } });
    expect(list.code, list.stderr).toBe(0);
    const items = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(items).toHaveLength(2);
    expect(items.every((x) => typeof x._id === 'string' && typeof x.name === 'string')).toBe(true);
    expect(list.stderr).toMatch(/^Showing 2 of \d+ products/m);
    // The demo keeps its own session in the given config dir, nowhere else.
    expect(existsSync(join(configDir, 'demo'))).toBe(true);

    // The lazily loaded proxy code is in the package too: HTTPS_PROXY (a closed loopback port) is really used.
    const proxied = await runCommand(bin, ['--client-id', 'any', 'products', 'list', '--retries', '0'], {
      cwd: work,
      env: { WIXQ_CONFIG_DIR: configDir, HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}` },
    });
    expect(proxied.code, proxied.stderr).toBe(5);
    expect(proxied.stderr).toMatch(/through the proxy http:\/\/127\.0\.0\.1:\d+ failed: ECONNREFUSED/);
  });
});
