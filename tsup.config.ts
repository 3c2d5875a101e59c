import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// One bundled entry with code splitting: everything a command does not need stays in a chunk that is
// imported lazily, so `wixq --version` loads almost nothing. Dependencies are bundled too (no resolution
// walk through node_modules at start-up); the banner gives CommonJS dependencies a working `require`.
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  splitting: true,
  clean: true,
  sourcemap: false,
  minify: false,
  noExternal: [/.*/],
  define: { __WIXQ_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __wixqCreateRequire } from 'node:module'; const require = __wixqCreateRequire(import.meta.url);",
  },
});
