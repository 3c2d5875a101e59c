import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/** Colour and terminal width: the same rules as the binary (FORCE_COLOR, NO_COLOR and --no-color as processIO reads them). */
const ANSI = '\u001b[';

describe('output: colour and terminal width', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());

  it('FORCE_COLOR colours a table; --no-color and NO_COLOR win over it; JSON is never coloured', async () => {
    const forced = await p.run(['products', 'list', '-o', 'table', '--limit', '3'], { env: { FORCE_COLOR: '1' } });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(ANSI);
    const flag = await p.run(['products', 'list', '-o', 'table', '--limit', '3', '--no-color'], { env: { FORCE_COLOR: '1' } });
    expect(flag.stdout).not.toContain(ANSI);
    expect(flag.stdout).toContain('Name');
    const env = await p.run(['products', 'list', '-o', 'table', '--limit', '3'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(env.stdout).not.toContain(ANSI);
    const json = await p.run(['products', 'list', '--json', '--limit', '3'], { env: { FORCE_COLOR: '1' } });
    expect(json.stdout).not.toContain(ANSI);
    expect(JSON.parse(json.stdout)).toHaveLength(3);
  });

  it('fits the table to the terminal width', async () => {
    for (const width of [60, 100, 160]) {
      const r = await p.run(['products', 'list', '-o', 'table', '--limit', '5'], { env: { COLUMNS: String(width) } });
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines.length).toBeGreaterThan(5);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
    }
  });

  it('get prints one object: JSON, a key/value table, or CSV with a header', async () => {
    const list = JSON.parse((await p.run(['products', 'list', '--json', '--limit', '1'])).stdout);
    const slug = list[0].slug as string;
    const json = await p.run(['products', 'get', slug, '--json']);
    expect(JSON.parse(json.stdout).slug).toBe(slug);
    const table = await p.run(['products', 'get', slug, '-o', 'table'], { env: { COLUMNS: '120' } });
    expect(table.stdout).toContain(slug);
    expect(table.stdout).toContain('Price');
    const csv = await p.run(['products', 'get', slug, '-o', 'csv', '--fields', 'slug,visible']);
    expect(csv.stdout).toBe(`slug,visible\n${slug},true\n`);
  });
});
