import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Examples block every command's help ends with (each line is run by the examples test). */
export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

let packageRoot: string | null | undefined;

/**
 * The folder of the `package.json` named `wixq` above `from` (the installed package, or the clone), or
 * null when there is none. Run only when a help page that cites the docs is shown, never at start-up.
 */
export function findPackageRoot(from: string): string | null {
  let dir = dirname(from);
  let found: string | null = null;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'wixq') {
          found = dir;
          break;
        }
      } catch {
        // A package.json that is not JSON is not ours; keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return found;
}

/** The package root of the running wixq (`findPackageRoot` from this module), looked up once. */
function wixqPackageRoot(): string | null {
  if (packageRoot === undefined) packageRoot = findPackageRoot(fileURLToPath(import.meta.url));
  return packageRoot;
}

/**
 * Where one of the docs the package ships is on this machine (`docs/<file>`, under the package root), for help text:
 * an installed user can open it. Falls back to the relative `docs/<file>` when the package root cannot be found.
 */
export function docPath(file: 'reference.md' | 'wix-api.md' | 'ARCHITECTURE.md'): string {
  const root = wixqPackageRoot();
  return root === null ? `docs/${file}` : join(root, 'docs', file);
}
