import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBuild, licenceAllowed, licencePlugin, noticesMarkdown, type Metafile } from '../../scripts/licences.mjs';
import { requireBuild } from '../helpers/build.js';

const ROOT = resolve(__dirname, '../..');
requireBuild();

describe('the licence rule on the real build (dist/metafile-cjs.json)', () => {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'metafile-cjs.json'), 'utf8')) as Metafile;
  const project = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
  const result = checkBuild(meta, ROOT, project);

  it('dist/ holds code only from packages whose licence is on the allow-list, and imports the rest as pinned dependencies', () => {
    expect(result.problems).toEqual([]);
    // What the rule is about, seen in the result: the Wix packages that are UNLICENSED are imported, not bundled,
    // while the MIT @wix/sdk (the renamed @wix/api-client) and the MIT @wix/sdk-runtime 1.x nested in it and in every
    // auto_sdk package are bundled.
    expect(result.externals.map((e) => e.name).sort()).toEqual(Object.keys(project.dependencies ?? {}).sort());
    expect(result.externals.map((e) => e.name).sort()).toEqual(['@wix/sdk-context', '@wix/wix-data-items-sdk']);
    const bundled = result.bundled.map((b) => `${b.name}@${b.version}`);
    expect(bundled).toEqual(expect.arrayContaining(['commander@14.0.3', 'undici@7.30.2', '@wix/sdk@1.21.16']));
    expect(bundled.filter((b) => b.startsWith('@wix/api-client@'))).toEqual([]);
    const runtimes = result.bundled.filter((b) => b.name === '@wix/sdk-runtime');
    expect(runtimes.length).toBeGreaterThan(0);
    for (const runtime of runtimes) {
      expect(runtime.licence).toBe('MIT');
      expect([...runtime.dirs].every((d) => /node_modules\/@wix\/[^/]+\/node_modules\/@wix\/sdk-runtime$/.test(d)), [...runtime.dirs].join()).toBe(true);
    }
    expect(result.bundled.every((b) => licenceAllowed(b.licence))).toBe(true);
  });

  it('dist/THIRD_PARTY_NOTICES.md names every bundled package with its licence, and no external one as bundled', () => {
    const notices = readFileSync(join(ROOT, 'dist', 'THIRD_PARTY_NOTICES.md'), 'utf8');
    for (const b of result.bundled) expect(notices, b.name).toContain(`\n## ${b.name} ${b.version}\n\nLicence: ${b.licence}.`);
    for (const e of result.externals) expect(notices).not.toContain(`\n## ${e.name} `);
    // A package that ships its licence file has it copied in full; one that ships none says so.
    expect(notices).toContain(readFileSync(join(ROOT, 'node_modules', 'commander', 'LICENSE'), 'utf8').trim().split('\n')[2]);
    expect(notices).toMatch(/## @wix\/sdk-types [\d.]+\n\nLicence: MIT\.[\s\S]*?The package ships no licence file; its package\.json declares the licence `MIT`/);
  });
});

describe('licenceAllowed: SPDX expressions against the allow-list', () => {
  it.each([
    ['MIT', true],
    ['ISC', true],
    ['BSD-3-Clause', true],
    ['Apache-2.0', true],
    ['(MIT OR GPL-3.0-only)', true],
    ['GPL-3.0-only OR MIT', true],
    ['MIT AND GPL-3.0-only', false],
    ['(MIT AND ISC) OR GPL-2.0', true],
    ['MIT AND (GPL-2.0 OR Apache-2.0)', true],
    ['Apache-2.0 WITH LLVM-exception', true],
    ['GPL-2.0-only WITH Classpath-exception-2.0', false],
    ['UNLICENSED', false],
    ['SEE LICENSE IN LICENSE.md', false],
    ['LicenseRef-Proprietary', false],
    ['MIT OR', false],
    ['(MIT', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (expression, allowed) => {
    expect(licenceAllowed(expression)).toBe(allowed);
  });
});

/** A throw-away project tree: package.json files under node_modules, and source files. */
function tree(root: string, files: Record<string, unknown>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
}

describe('the checker and the plugin fail on what breaks the rule', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'wixq-licences-'));
    tree(root, {
      'package.json': { name: 'app', version: '1.0.0', license: 'MIT', dependencies: { closed: '2.0.0', unused: '1.0.0' } },
      'src/main.js': "import { a } from 'open'; import { c } from 'closed'; console.log(a, c);",
      'src/nested.js': "import { n } from 'host'; console.log(n);",
      'node_modules/open/package.json': { name: 'open', version: '1.0.0', license: 'MIT', main: 'index.js' },
      'node_modules/open/index.js': 'export const a = 1;',
      'node_modules/open/LICENSE': 'Copyright (c) Open Authors\n\nPermission is hereby granted…',
      'node_modules/closed/package.json': { name: 'closed', version: '2.0.0', license: 'UNLICENSED', main: 'index.js' },
      'node_modules/closed/index.js': 'export const c = 2;',
      'node_modules/dual/package.json': { name: 'dual', version: '3.0.0', license: '(GPL-3.0-only OR ISC)' },
      'node_modules/host/package.json': { name: 'host', version: '1.0.0', license: 'MIT', main: 'index.js' },
      'node_modules/host/index.js': "export { c as n } from 'closed';",
      'node_modules/host/node_modules/closed/package.json': { name: 'closed', version: '1.0.0', license: 'UNLICENSED', main: 'index.js' },
      'node_modules/host/node_modules/closed/index.js': 'export const c = 1;',
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('checkBuild reports bundled code of a disallowed package, an unpinned import and an unused dependency (a fake metafile)', () => {
    const meta: Metafile = {
      inputs: {
        'src/main.js': { imports: [] },
        'node_modules/open/index.js': { imports: [] },
        'node_modules/dual/index.js': { imports: [] },
        'node_modules/host/node_modules/closed/index.js': { imports: [] },
        '<define:__X__>': { imports: [] },
      },
      outputs: {
        'dist/main.js': {
          imports: [
            { path: 'node:fs', external: true },
            { path: 'sqlite', external: true },
            { path: 'closed', external: true },
            { path: 'other/sub', external: true },
          ],
        },
      },
    };
    const r = checkBuild(meta, root);
    expect(r.bundled.map((b) => `${b.name}@${b.version} ${b.licence}`)).toEqual(['closed@1.0.0 UNLICENSED', 'dual@3.0.0 (GPL-3.0-only OR ISC)', 'open@1.0.0 MIT']);
    expect(r.problems).toEqual([
      'dist/ holds code of closed@1.0.0, whose licence "UNLICENSED" is not on the allow-list (node_modules/host/node_modules/closed/index.js)',
      'dist/ imports other at run time, but package.json does not list it in "dependencies" (pin it: "other": "<version>")',
      'package.json lists unused in "dependencies", but dist/ never imports it (move it to devDependencies)',
    ]);
    expect(checkBuild(meta, root, { dependencies: { closed: '^2.0.0', other: '1.0.0' } }).problems).toContain(
      'package.json pins closed to "^2.0.0", but the build was made against 2.0.0',
    );
  });

  it('the plugin leaves a top-level disallowed package external, bundles the allowed ones, and the notices carry their texts', async () => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: ['src/main.js'],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      outdir: 'out',
      plugins: [licencePlugin(root) as never],
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    expect(code).toMatch(/from "closed"/);
    expect(code).toContain('// node_modules/open/index.js');
    const check = checkBuild(result.metafile as Metafile, root, { dependencies: { closed: '2.0.0' } });
    expect(check.problems).toEqual([]);
    expect(check.externals.map((e) => e.name)).toEqual(['closed']);
    const notices = noticesMarkdown({ name: 'app', version: '1.0.0' }, check.bundled, check.externals);
    expect(notices).toContain('## open 1.0.0\n\nLicence: MIT.');
    expect(notices).toContain('Copyright (c) Open Authors');
    expect(notices).toContain('- `closed` 2.0.0');
  });

  it('the plugin fails the build when a disallowed package is reachable only nested (dist/ would load another version)', async () => {
    const failed = await build({
      absWorkingDir: root,
      entryPoints: ['src/nested.js'],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      outdir: 'out',
      plugins: [licencePlugin(root) as never],
      logLevel: 'silent',
    }).catch((e: { errors: Array<{ text: string }> }) => e);
    expect('errors' in failed && failed.errors.map((e) => e.text)).toEqual([
      'node_modules/host/index.js imports closed, which resolves to node_modules/host/node_modules/closed (closed@1.0.0, licence "UNLICENSED"): ' +
        'it cannot be bundled, and left external dist/ would load node_modules/closed instead. Make closed@1.0.0 a top-level dependency.',
    ]);
  });
});
