import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The relative imports of a file (static, type-only, re-exports and lazy `import()`), as paths under src/, with whether each is lazy. */
function importsOf(file: string, text: string): { target: string; lazy: boolean }[] {
  const found = [
    ...[...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gms)].map((m) => ({ spec: m[1]!, lazy: false })),
    ...[...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((m) => ({ spec: m[1]!, lazy: true })),
  ];
  return found.map(({ spec, lazy }) => ({ target: relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))), lazy }));
}

/** The emulator room's rule (docs/ARCHITECTURE.md, the rooms table): what of the CLI side it may import. */
function emulatorRoomBreaches(files: { path: string; text: string }[]): string[] {
  const breaches: string[] = [];
  for (const { path, text } of files) {
    const from = relative(SRC, path);
    const inEmulator = from.startsWith('emulator/');
    for (const { target, lazy } of importsOf(path, text)) {
      const intoEmulator = target.startsWith('emulator/');
      // Out of the emulator: only the shared pure data (specs) and the snapshot format number (version).
      if (inEmulator && !intoEmulator && !target.startsWith('specs/') && target !== 'version.ts') breaches.push(`${from} -> ${target}`);
      // Into it: the `emulator` command's run.ts, and context.ts for --demo, lazily, through its public door.
      if (!inEmulator && intoEmulator) {
        const allowed = (from === 'commands/emulator/run.ts' || (from === 'context.ts' && lazy)) && target === 'emulator/index.ts';
        if (!allowed) breaches.push(`${from} -> ${target}${lazy ? ' (lazy)' : ''}`);
      }
    }
  }
  return breaches;
}

describe('the emulator room', () => {
  it('imports nothing of the CLI side but specs and version, and is entered only by the emulator command and --demo', () => {
    const files = sourceFiles(SRC).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(files.some((f) => relative(SRC, f.path) === 'commands/emulator/run.ts')).toBe(true);
    expect(emulatorRoomBreaches(files)).toEqual([]);
  });

  it('the rule sees a breach when there is one', () => {
    const at = (path: string, text: string) => ({ path: join(SRC, path), text });
    expect(
      emulatorRoomBreaches([
        at('emulator/cli.ts', "import { UsageError } from '../errors.js';\nimport type { IO } from '../output/io.js';\nimport { startEmulator } from './index.js';"),
        at('emulator/routes/x.ts', "import { QUERY_SPECS } from '../../specs/query-specs.js';\nexport { SNAPSHOT_FORMAT_VERSION } from '../../version.js';"),
        at('context.ts', "const { startEmulator } = await import('./emulator/index.js');\nimport type { SiteData } from './emulator/site/types.js';"),
        at('commands/list/run.ts', "import { startEmulator } from '../../emulator/index.js';"),
        at('commands/emulator/run.ts', "import { startEmulator } from '../../emulator/index.js';"),
      ]),
    ).toEqual(['emulator/cli.ts -> errors.ts', 'emulator/cli.ts -> output/io.ts', 'context.ts -> emulator/site/types.ts', 'commands/list/run.ts -> emulator/index.ts']);
  });
});
