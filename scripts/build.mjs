#!/usr/bin/env node
// Builds dist/ without a moment where it is missing: tsup writes into a fresh folder, which then replaces dist/ by
// rename. A test or a second build running at the same time never sees a half-written or deleted dist/.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fresh = join(root, `.dist-${process.pid}`);
const old = join(root, `.dist-old-${process.pid}`);
const silent = process.argv.includes('--silent');

process.chdir(root);
try {
  await build({ outDir: fresh, silent });
  if (existsSync(join(root, 'dist'))) renameSync(join(root, 'dist'), old);
  renameSync(fresh, join(root, 'dist'));
} finally {
  rmSync(fresh, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
}
