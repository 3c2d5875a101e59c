import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { licencePlugin } from './scripts/licences.mjs';
import { sdkRuntimePlugin } from './scripts/sdk-runtime-plugin.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// One bundled entry with code splitting: everything a command does not need stays in a chunk that is
// imported lazily, so `wixq --version` loads almost nothing. Dependencies are bundled too (no resolution
// walk through node_modules at start-up), except the packages whose licence does not allow it (Wix's `UNLICENSED`
// SDK packages): licencePlugin leaves their imports in dist/, for npm to install them as `dependencies` (see
// scripts/licences.mjs). The metafile (dist/metafile-cjs.json, not packed) is what scripts/build.mjs checks and
// writes THIRD_PARTY_NOTICES.md from.
// The chunks are CommonJS (`.cjs`; tsup splits as ES modules, then rewrites each chunk's imports to `require`): Node
// 20's ES module loader costs a warm command about 25 ms more than `require` for the same ~40 chunks, and CommonJS is
// what a code cache can serve (bin/wixq.cjs, docs/ARCHITECTURE.md "Start-up"). `shims` gives `import.meta.url` a value.
export default defineConfig({
  // dist/cli.cjs is src/start.ts: it imports src/cli.ts (bin/wixq.cjs answers --version before loading it).
  entry: { cli: 'src/start.ts' },
  format: ['cjs'],
  shims: true,
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  splitting: true,
  clean: true,
  sourcemap: false,
  minify: false,
  metafile: true,
  noExternal: [/.*/],
  // sdkRuntimePlugin: the SDK's response key renaming, with less work (src/wix/sdk/rename-nested-keys.ts).
  esbuildPlugins: [licencePlugin(root), sdkRuntimePlugin(root)],
  define: { __WIXQ_VERSION__: JSON.stringify(pkg.version) },
});
