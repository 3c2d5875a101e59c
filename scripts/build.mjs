#!/usr/bin/env node
// Builds dist/ without a moment where it is missing: tsup writes into a fresh folder, which then replaces dist/ by
// rename. A test or a second build running at the same time never sees a half-written or deleted dist/.
// Before the swap, the build is checked against the licence rule (scripts/licences.mjs): a bundled package whose
// licence is not allowed, or a run-time import package.json does not pin, fails the build and leaves dist/ as it was.
// The fresh dist/ gets THIRD_PARTY_NOTICES.md: the notices of every bundled package.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { checkBuild, noticesMarkdown } from './licences.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fresh = join(root, `.dist-${process.pid}`);
const old = join(root, `.dist-old-${process.pid}`);
const silent = process.argv.includes('--silent');

process.chdir(root);
try {
  await build({ outDir: fresh, silent });
  const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const meta = JSON.parse(readFileSync(join(fresh, 'metafile-cjs.json'), 'utf8'));
  const { bundled, externals, problems } = checkBuild(meta, root, project);
  if (problems.length > 0) {
    process.stderr.write(`The build breaks the licence rule (scripts/licences.mjs); dist/ is unchanged:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
    process.exitCode = 1;
  } else {
    writeFileSync(join(fresh, 'THIRD_PARTY_NOTICES.md'), noticesMarkdown(project, bundled, externals));
    if (existsSync(join(root, 'dist'))) renameSync(join(root, 'dist'), old);
    renameSync(fresh, join(root, 'dist'));
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
}
