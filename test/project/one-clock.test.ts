import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One clock (docs/ARCHITECTURE.md, "One description per Wix list"): commands and the context take the time of day
 * only from the run's clock (`clockOf(io)`, the injected `IO.clock`), so no command reads the system clock itself.
 * Durations (`performance.now()`) are not the time of day and are allowed.
 */
const root = join(import.meta.dirname, '..', '..');
const SYSTEM_CLOCK = /\bDate\.now\(\)|\bnew Date\(\s*\)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** `file:line` of every line outside comments that reads the system clock. */
export function systemClockReads(files: string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (SYSTEM_CLOCK.test(line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '')) ? [`${relative(root, file)}:${i + 1}`] : [])),
  );
}

describe('one clock', () => {
  it('no command and not the context reads the system clock', () => {
    const files = [...sources(join(root, 'src', 'commands')), join(root, 'src', 'context.ts')];
    expect(files.length).toBeGreaterThan(20);
    expect(systemClockReads(files)).toEqual([]);
  });

  it('the check finds a read of the system clock, and not one in a comment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wixq-clock-'));
    try {
      const file = join(dir, 'run.ts');
      writeFileSync(file, ['// Date.now() in a comment', ' * new Date() in a doc comment', 'const t = Date.now();', 'const d = new Date();', 'const e = new Date(0);'].join('\n'));
      expect(systemClockReads([file]).map((at) => at.split(':').pop())).toEqual(['3', '4']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
