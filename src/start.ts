// The bundle's entry (dist/cli.cjs, which bin/wixq.cjs requires): it turns on the compile cache for the chunks it sits
// beside (src/compile-cache.ts), then hands the run to cli.ts's `run()`. `wixq --version` never reaches it: bin/wixq.cjs
// answers that before it reads any chunk. Only the cache and the config dir's path are imported statically, so they
// are all the entry compiles without the cache.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCompileCache } from './compile-cache.js';
import { resolveConfigDir } from './session/config-dir.js';

/** Turns the compile cache on once, for the chunks of the bundle (the folder this chunk is in). */
let cacheOn = false;
function compileCache(): void {
  if (cacheOn) return;
  cacheOn = true;
  installCompileCache(dirname(fileURLToPath(import.meta.url)), resolveConfigDir(process.env));
}

/** The process entry used by bin/wixq.cjs. */
export function run(): void {
  compileCache();
  void import('./cli.js').then((cli) => cli.run());
}

/** For bin/wixq.cjs, which answers --version before loading the bundle: a failed write ends as cli.ts ends any. */
export function endAfterFailedWrite(error: Error): Promise<void> {
  compileCache();
  return import('./cli.js').then((cli) => cli.endAfterFailedWrite(error));
}
