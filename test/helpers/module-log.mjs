// Preloaded with `node --import`: lets a test see which modules a run loaded, in the file named by WIXQ_TEST_MODULE_LOG,
// one file: URL a line. ES modules through the hooks of module-log-hooks.mjs; CommonJS files (the bundle's chunks are
// CommonJS) as `require` compiles them.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./module-log-hooks.mjs', import.meta.url);

const compile = Module.prototype._compile;
Module.prototype._compile = function logged(content, filename) {
  if (process.env.WIXQ_TEST_MODULE_LOG) appendFileSync(process.env.WIXQ_TEST_MODULE_LOG, `${pathToFileURL(filename).href}\n`);
  return compile.call(this, content, filename);
};
