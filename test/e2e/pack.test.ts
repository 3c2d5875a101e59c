import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuiltin, licenceAllowed, packageNameOf } from '../../scripts/licences.mjs';
import { runCommand } from '../helpers/cli.js';
import { closedPort } from '../helpers/net.js';
import { lockPackages, runtimeLockEntries } from '../helpers/lockfile.js';

const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  bin: Record<string, string>;
  engines: Record<string, string>;
  dependencies?: Record<string, string>;
};
const lock = { packages: lockPackages(ROOT) };
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// npm without its chatter; --offline below means nothing may come from a registry.
const NPM_ENV = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_loglevel: 'error' };

/** The bare, non-built-in package names a bundle file imports (static, dynamic, and `require` of bundled CommonJS). */
function packagesImportedBy(code: string): string[] {
  const specifiers = [
    ...code.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"/gm),
    ...code.matchAll(/^\s*import\s+"([^"]+)"/gm),
    ...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
    ...code.matchAll(/\b__require\(\s*"([^"]+)"\s*\)/g),
    // The chunks are CommonJS: an import is a require of the name, in either quotes.
    ...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers.filter((s) => !s.startsWith('.') && !isBuiltin(s)).map(packageNameOf);
}

/**
 * A project that depends on the tarball, with a lockfile: the tarball, plus wixq's run-time dependency tree exactly as
 * this repository's lockfile has it (its entries not flagged dev). npm ci then needs no registry metadata, only the
 * package tarballs that the repository's own `npm ci` left in the cache, so it runs with --offline. (A bare
 * `npm install --offline <tarball>` would need the registry's package documents to resolve ranges, which a lockfile
 * install never downloads.)
 */
function writeConsumerProject(dir: string, tarball: string): void {
  const spec = `file:${basename(tarball)}`;
  const packages: Record<string, unknown> = {
    '': { name: 'wixq-consumer', dependencies: { [pkg.name]: spec } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: spec,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of runtimeLockEntries(ROOT)) packages[path] = entry;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'wixq-consumer', private: true, dependencies: { [pkg.name]: spec } }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'wixq-consumer', lockfileVersion: 3, requires: true, packages }, null, 2));
}

describe('npm pack and an offline install', () => {
  let work: string;
  let tarball: string;
  let files: string[];
  let project: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'wixq-pack-'));
    // --ignore-scripts: pack the dist/ the tests run (prepack would rebuild it under other running tests).
    const packed = await runCommand(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env: NPM_ENV });
    expect(packed.code, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(work, info!.filename);
    files = info!.files.map((f) => f.path);
    project = join(work, 'project');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the tarball holds only what a user needs: bin/, dist/ with its third-party notices, docs/, README.md, LICENSE, package.json', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/wixq.cjs', 'dist/cli.cjs', 'dist/THIRD_PARTY_NOTICES.md', 'README.md', 'LICENSE', 'package.json',
        // The docs the help pages cite, by their installed path.
        'docs/reference.md', 'docs/wix-api.md', 'docs/ARCHITECTURE.md',
      ]),
    );
    const unexpected = files.filter((f) => !/^(bin\/wixq\.cjs|dist\/[\w-]+\.cjs|dist\/THIRD_PARTY_NOTICES\.md|docs\/[\w-]+\.md|README\.md|LICENSE|package\.json)$/.test(f));
    expect(unexpected).toEqual([]);
    // The build's metafile stays out (it names this machine's paths), and so do sources and maps.
    expect(files.some((f) => f.endsWith('.map') || f.endsWith('.ts') || (f.endsWith('.json') && f !== 'package.json'))).toBe(false);
  });

  it('declares as runtime dependencies exactly the packages dist/ imports, each pinned, none of them allowed to be bundled', () => {
    const imported = new Set(
      readdirSync(join(ROOT, 'dist'))
        .filter((f) => f.endsWith('.cjs'))
        .flatMap((f) => packagesImportedBy(readFileSync(join(ROOT, 'dist', f), 'utf8'))),
    );
    const declared = pkg.dependencies ?? {};
    expect(Object.keys(declared).sort()).toEqual([...imported].sort());
    for (const [name, version] of Object.entries(declared)) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
      // Only a package that may not be bundled is worth an install; everything else is in dist/.
      expect(licenceAllowed(lock.packages[`node_modules/${name}`]?.license), name).toBe(false);
    }
  });

  it('installs offline into a project from the tarball and the npm cache, with no UNLICENSED code in its dist/, and runs', async () => {
    mkdirSync(project);
    copyFileSync(tarball, join(project, basename(tarball)));
    writeConsumerProject(project, tarball);
    const installed = await runCommand(NPM, ['ci', '--offline', '--ignore-scripts'], { cwd: project, env: NPM_ENV });
    expect(installed.code, installed.stderr).toBe(0);

    const home = join(project, 'node_modules', pkg.name);
    expect(readdirSync(home).sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'docs', 'package.json']);
    // npm installed the declared dependencies (and their own) beside it.
    for (const name of Object.keys(pkg.dependencies ?? {})) expect(existsSync(join(project, 'node_modules', name, 'package.json')), name).toBe(true);
    // esbuild heads each bundled module with its source path: no dist/ file holds a module of a package whose
    // licence is not allowed (the UNLICENSED @wix/sdk-context, while the MIT @wix/sdk and the @wix/sdk-runtime copies nested in it and the
    // auto_sdk packages are bundled, with their notices).
    const forbidden = Object.entries(lock.packages).filter(([path, e]) => path !== '' && !licenceAllowed(e.license)).map(([path]) => path);
    expect(forbidden).toEqual(expect.arrayContaining(['node_modules/@wix/sdk-context', 'node_modules/@wix/wix-data-items-sdk']));
    expect(lock.packages['node_modules/@wix/api-client']).toBeUndefined();
    const dist = join(home, 'dist');
    const bundle = readdirSync(dist)
      .filter((f) => f.endsWith('.cjs'))
      .map((f) => readFileSync(join(dist, f), 'utf8'))
      .join('\n');
    expect(bundle).toMatch(/^\/\/ node_modules\/@wix\/auto_sdk_stores_products\/node_modules\/@wix\/sdk-runtime\//m);
    for (const path of forbidden) expect(bundle.includes(`\n// ${path}/`), path).toBe(false);
    const notices = readFileSync(join(dist, 'THIRD_PARTY_NOTICES.md'), 'utf8');
    expect(notices).toMatch(/^## commander 14\./m);
    expect(notices).not.toMatch(/^## @wix\/api-client/m);
    // The client is @wix/sdk, bundled (MIT), with its notice.
    expect(bundle).toMatch(/^\/\/ node_modules\/@wix\/sdk\/build\//m);
    expect(notices).toMatch(/^## @wix\/sdk 1\.21\.\d+\n\nLicence: MIT\./m);

    const bin = join(project, 'node_modules', '.bin', process.platform === 'win32' ? 'wixq.cmd' : 'wixq');
    const configDir = join(work, 'config');
    const version = await runCommand(bin, ['--version'], { cwd: work, env: { WIXQ_CONFIG_DIR: configDir } });
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);

    // The help's references resolve for an installed user: the installed docs, by their path.
    const help = await runCommand(bin, ['products', 'list', '--help'], { cwd: work, env: { WIXQ_CONFIG_DIR: configDir, COLUMNS: '200' } });
    expect(help.code, help.stderr).toBe(0);
    const refs = [...help.stdout.matchAll(/(\S*)docs\/([\w-]+\.md)/g)].map((m) => m[0]);
    expect(refs).toEqual([join(home, 'docs', 'reference.md')]);
    expect(existsSync(refs[0]!)).toBe(true);

    // A real command: the bundled Stores module and @wix/sdk with the installed @wix/sdk-context work together.
    const list = await runCommand(bin, ['--demo', 'products', 'list', '--json', '--limit', '2'], { cwd: work, env: { WIXQ_CONFIG_DIR: configDir } });
    expect(list.code, list.stderr).toBe(0);
    const items = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(items).toHaveLength(2);
    expect(items.every((x) => typeof x._id === 'string' && typeof x.name === 'string')).toBe(true);
    expect(list.stderr).toMatch(/^Showing 2 of \d+ products/m);
    // The demo keeps its own session in the given config dir, nowhere else.
    expect(existsSync(join(configDir, 'demo'))).toBe(true);

    // The CMS: the installed @wix/wix-data-items-sdk (not bundled) with the bundled Data Collections module.
    const team = await runCommand(bin, ['--demo', 'data', 'items', 'list', 'team', '--json', '--limit', '3'], { cwd: work, env: { WIXQ_CONFIG_DIR: configDir } });
    expect(team.code, team.stderr).toBe(0);
    expect((JSON.parse(team.stdout) as Array<Record<string, unknown>>).map((x) => typeof x._id)).toEqual(['string', 'string', 'string']);
    const collection = await runCommand(bin, ['--demo', 'data', 'collections', 'get', 'team', '--json'], { cwd: work, env: { WIXQ_CONFIG_DIR: configDir } });
    expect(collection.code, collection.stderr).toBe(0);
    expect(JSON.parse(collection.stdout)).toMatchObject({ _id: 'team' });

    // The lazily loaded proxy code is in the package too: HTTPS_PROXY (a closed loopback port) is really used.
    const proxied = await runCommand(bin, ['--client-id', 'any', 'products', 'list', '--retries', '0'], {
      cwd: work,
      env: { WIXQ_CONFIG_DIR: configDir, HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}` },
    });
    expect(proxied.code, proxied.stderr).toBe(5);
    expect(proxied.stderr).toMatch(/through the proxy http:\/\/127\.0\.0\.1:\d+ failed: ECONNREFUSED/);
  });
});
