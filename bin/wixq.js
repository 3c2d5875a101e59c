#!/usr/bin/env node
// The command is the bundle in dist/, which `npm run build` writes: a checkout has none until then (npm ci does not build).
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
import(cli.href).then(
  (m) => m.run(),
  (error) => {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(fileURLToPath(cli))) {
      process.stderr.write(`Error: wixq is not built yet (no dist/cli.js). Run: npm run build (in ${fileURLToPath(new URL('..', import.meta.url))})\n`);
      process.exitCode = 1;
      return;
    }
    throw error;
  },
);
