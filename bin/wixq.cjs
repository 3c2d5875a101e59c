#!/usr/bin/env node
// The command is the bundle in dist/, which `npm run build` writes: a checkout has none until then (npm ci does not build).
// This entry is CommonJS on purpose: `wixq --version`, the most frequent probe of a CLI, is answered here, before
// Node starts its ES module loader (which alone costs about 15 ms, docs/ARCHITECTURE.md); everything else is dist/cli.js.
'use strict';
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const cli = join(__dirname, '..', 'dist', 'cli.js');
const argv = process.argv.slice(2);

/** Loads the bundle, or says in one line that there is none yet. */
function loadCli() {
  return import(pathToFileURL(cli).href).catch((error) => {
    if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(cli)) {
      process.stderr.write(`Error: wixq is not built yet (no dist/cli.js). Run: npm run build (in ${join(__dirname, '..', '/')})\n`);
      process.exitCode = 1;
      return undefined;
    }
    throw error;
  });
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // A failed write is reported as cli.ts reports any failed output (the reader gone: exit 0; a full disk: exit 1).
  process.stdout.on('error', () => {});
  process.stdout.write(`${require('../package.json').version}\n`, (error) => {
    if (error) void loadCli().then((m) => m && m.endAfterFailedWrite(error));
  });
} else {
  void loadCli().then((m) => m && m.run());
}
