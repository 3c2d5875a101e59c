// Preloaded with `node --import`: lets a test see which modules a run loaded, in the file named by WIXQ_TEST_MODULE_LOG,
// one file: URL a line. ES modules through the hooks of module-log-hooks.mjs; CommonJS files (the bundle's chunks are
// CommonJS) from require's cache when the process exits, however they were compiled (the compile cache compiles the
// bundle's chunks itself).
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./module-log-hooks.mjs', import.meta.url);

process.on('exit', () => {
  if (!process.env.WIXQ_TEST_MODULE_LOG) return;
  const files = Object.keys(Module._cache).filter((f) => f.startsWith('/') || /^[A-Za-z]:\\/.test(f));
  appendFileSync(process.env.WIXQ_TEST_MODULE_LOG, files.map((f) => `${pathToFileURL(f).href}\n`).join(''));
});
