#!/usr/bin/env node
// The command is the bundle in dist/, which `npm run build` writes: a checkout has none until then (npm ci does not build).
// This entry answers `wixq --version`, the most frequent probe of a CLI, itself, from package.json, before any chunk of
// the bundle is read; everything else is dist/cli.cjs. The bundle is CommonJS (docs/ARCHITECTURE.md "Start-up").
'use strict';
const { join } = require('node:path');

const cli = join(__dirname, '..', 'dist', 'cli.cjs');
const argv = process.argv.slice(2);

/** Loads the bundle, or says in one line that there is none yet. */
function loadCli() {
  try {
    return require(cli);
  } catch (error) {
    if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(cli)) {
      process.stderr.write(`Error: wixq is not built yet (no dist/cli.cjs). Run: npm run build (in ${join(__dirname, '..', '/')})\n`);
      process.exitCode = 1;
      return undefined;
    }
    throw error;
  }
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // A failed write is reported as cli.ts reports any failed output (the reader gone: exit 0; a full disk: exit 1).
  process.stdout.on('error', () => {});
  process.stdout.write(`${require('../package.json').version}\n`, (error) => {
    if (error) {
      const m = loadCli();
      if (m) void m.endAfterFailedWrite(error);
    }
  });
} else {
  const m = loadCli();
  if (m) m.run();
}
