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
