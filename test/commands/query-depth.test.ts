import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../helpers/in-process.js';
import { startProject, type TestProject } from '../helpers/project.js';

/** `--query` nested past wixq's bound (50 levels) is a usage error naming the bound, before any request (issue 19). */

describe('--query nested too deep', () => {
  let p: TestProject;
  let run: (args: string[]) => ReturnType<typeof runInProcess>;
  beforeAll(async () => {
    p = await startProject({ products: 5 });
    const env = { WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId, WIXQ_CONFIG_DIR: p.configDir, PATH: process.env.PATH, TZ: 'UTC' };
    run = (args) => runInProcess(args, { env, clock: p.clock });
  });
  afterAll(async () => p.close());

  const nested = (levels: number) => `{"filter":${'{"$and":['.repeat(levels)}{"name":"x"}${']}'.repeat(levels)}}`;

  for (const args of [['products', 'list'], ['services', 'list'], ['data', 'items', 'list', 'team'], ['data', 'items', 'count', 'team']]) {
    it(`${args.join(' ')}: 5,000 levels is exit 2, one line with the bound, no request`, async () => {
      p.reset();
      const r = await run([...args, '--json', '--query', nested(5_000)]);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines[0]).toBe('Error: --query nests objects and arrays deeper than 50 levels');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(lines.length).toBeLessThanOrEqual(2);
      expect(p.requests().filter((q) => q.path !== '/oauth2/token')).toHaveLength(0);
    });
  }

  it('24 levels (within the bound) is sent and answered', async () => {
    const r = await run(['products', 'list', '--json', '--query', nested(24)]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
