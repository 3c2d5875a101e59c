import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/** Issue 20 item 8: what a newcomer reads. Progress counts against the site's total. */

describe('progress on a terminal', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());

  it('says the total the site has, not the --limit: Fetched 5 of N products', async () => {
    const plain = await p.run(['products', 'list', '--limit', '5', '--json', '--catalog', 'v1']);
    expect(plain.code, plain.stderr).toBe(0);
    const total = Number(/^Showing 5 of ([\d,]+) products/m.exec(plain.stderr)?.[1]?.replace(/,/g, ''));
    expect(total).toBeGreaterThan(5);

    const r = await p.run(['products', 'list', '--limit', '5', '--json', '--catalog', 'v1'], { tty: true });
    expect(r.code, r.stderr).toBe(0);
    const frames = [...r.stderr.matchAll(/Fetched ([\d,]+)(?: of ([\d,]+))? products…/g)].map((m) => [m[1], m[2]]);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames[0]).toEqual(['5', total.toLocaleString('en-US')]);
  });
});

describe('collection counts', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());

  it('the All Products count says it counts hidden products, which products list leaves out', async () => {
    const listed = await p.run(['products', 'list', '--all', '--json', '--catalog', 'v1']);
    expect(listed.code, listed.stderr).toBe(0);
    const visible = (JSON.parse(listed.stdout) as unknown[]).length;
    const collections = await p.run(['collections', 'list', '--json']);
    const all = (JSON.parse(collections.stdout) as Array<{ name: string; numberOfProducts: number }>).find((c) => c.name === 'All Products')!;
    // The demo site has hidden products, or this proves nothing.
    expect(all.numberOfProducts).toBeGreaterThan(visible);

    const table = await p.run(['collections', 'list'], { tty: true, columns: 120 });
    expect(table.code, table.stderr).toBe(0);
    const [header] = table.stdout.split('\n').slice(1, 2);
    expect(header).toMatch(/│ Products \(Wix count\) │/);
    const row = table.stdout.split('\n').find((l) => l.includes('All Products'))!;
    expect(row).toContain(` ${all.numberOfProducts.toLocaleString('en-US')} │`);
    // The header may be cut on a narrow terminal; the note says it whatever the width.
    expect(table.stderr).toMatch(/Note: the Products column is Wix's own count, which can include hidden products; products list shows what visitors see\.$/m);
    const json = await p.run(['collections', 'list', '--json']);
    expect(json.stderr).not.toMatch(/Products column/);
  });
});
