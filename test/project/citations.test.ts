import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'node_modules' ? [] : files(join(dir, e.name))) : /\.(ts|mjs|mts)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const sources = ['src', 'test', 'scripts'].flatMap((d) => files(join(ROOT, d)));

/** Whether a doc has a numbered heading (`### 2.5 …`, `## 6. …`) or a numbered item (`**8.15**`) for a section. */
function hasSection(doc: string, section: string): boolean {
  const n = section.replace(/\./g, '\\.');
  return new RegExp(`^#{2,4} ${n}\\.?\\s`, 'm').test(doc) || new RegExp(`\\*\\*${n}\\*\\*`).test(doc);
}

describe('the code cites what the repository holds', () => {
  it('every `docs/<file>.md [section] N` a comment cites exists', () => {
    const missing: string[] = [];
    let count = 0;
    for (const file of sources) {
      for (const m of readFileSync(file, 'utf8').matchAll(/docs\/([\w-]+\.md)(?: section)? (\d+(?:\.\d+)?)/g)) {
        count++;
        const doc = readFileSync(join(ROOT, 'docs', m[1]!), 'utf8');
        if (!hasSection(doc, m[2]!)) missing.push(`${relative(ROOT, file)}: docs/${m[1]} ${m[2]}`);
      }
    }
    expect(count).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });

  it('no comment points at notes outside the repository', () => {
    // Built from parts so that this file does not match itself.
    const pattern = new RegExp(['wix-' + 'wire', 'CONTRACT' + '\\.md', 'CONTRACT' + ' section', 'shared' + '/docs'].join('|'));
    const outside = sources.filter((f) => pattern.test(readFileSync(f, 'utf8')));
    expect(outside.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('the check itself finds a missing section', () => {
    expect(hasSection('## 6. Exit codes\n### 2.5 V3\n- **8.15** cursor', '8.15')).toBe(true);
    expect(hasSection('## 6. Exit codes', '6')).toBe(true);
    expect(hasSection('## 6. Exit codes', '7')).toBe(false);
  });
});
