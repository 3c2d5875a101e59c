import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argvArbitrary, contractProblem, type Outcome } from '../helpers/argv-grammar.js';
import { runInProcess as runIn } from '../helpers/in-process.js';
import { startProject, type TestProject } from '../helpers/project.js';

/** Fuzzed command lines in-process: a sample of the same grammar also runs through the binary (test/e2e/fuzz.test.ts). */
describe('fuzzed command lines: exit 0 or 2, one clear message, never a stack trace', () => {
  let p: TestProject;
  let env: Record<string, string | undefined>;
  let argv: fc.Arbitrary<string[]>;
  beforeAll(async () => {
    p = await startProject({ products: 30 });
    env = { WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId, WIXQ_CONFIG_DIR: p.configDir, PATH: process.env.PATH, TZ: 'UTC' };
    // Visible appointment and class services, by ID and by slug (a hidden one would be a legitimate exit 3).
    const slotServices = p.emulator.site.services.filter((s) => s.type !== 'COURSE' && s.hidden !== true);
    const services = slotServices.flatMap((s) => [s.id, String((s.mainSlug as { name: string }).name)]);
    const products = p.emulator.site.products.filter((x) => x.visible !== false).slice(0, 5).flatMap((x) => [String(x.id), String(x.slug)]);
    const teamItems = p.emulator.site.dataCollections!.find((c) => c.id === 'team')!.items.slice(0, 3).map((i) => String(i._id));
    argv = argvArbitrary(services, products, { teamItems, outFile: join(p.configDir, 'fuzz-snapshot.json') });
  });
  afterAll(async () => p.close());

  const runInProcess = (args: string[]): Promise<Outcome> => runIn(args, { env, clock: p.clock });

  it('1,000 generated argument vectors in-process', async () => {
    const codes = { 0: 0, 2: 0 } as Record<number, number>;
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const outcome = await runInProcess(args);
        codes[outcome.code ?? -1] = (codes[outcome.code ?? -1] ?? 0) + 1;
        const problem = contractProblem(outcome);
        if (problem) throw new Error(`${problem}\nargv: ${JSON.stringify(args)}\nstderr: ${outcome.stderr}`);
      }),
      { numRuns: Number(process.env.WIXQ_FUZZ_RUNS ?? 1_000), seed: process.env.WIXQ_FUZZ_SEED ? Number(process.env.WIXQ_FUZZ_SEED) : undefined, endOnFailure: true },
    );
    // The grammar must reach both sides: real work against the emulator and rejected input.
    expect(codes[0], JSON.stringify(codes)).toBeGreaterThan(150);
    expect(codes[2], JSON.stringify(codes)).toBeGreaterThan(150);
  }, 120_000);

  it('every kind of bad input is one clear error and exit 2', async () => {
    const badData = join(p.configDir, 'bad-site.json');
    writeFileSync(badData, '{"products": [{"name": 5}]');
    const wrongShape = join(p.configDir, 'wrong-site.json');
    writeFileSync(wrongShape, '{"products": "none"}');
    const newer = join(p.configDir, 'newer-site.json');
    writeFileSync(newer, '{"wixqSnapshot": 2, "products": []}');
    const cases: string[][] = [
      ['products', 'list', '--limit', 'ten'],
      ['products', 'list', '--concurrency', '0'],
      ['products', 'list', '--filter', 'price.price ~~ 10'],
      ['products', 'list', '--query', '{"filter":'],
      ['products', 'list', '--query', '"just a string"'],
      ['products', 'list', '--filter', 'price=>100'],
      ['products', 'list', '--filter', 'price>abc'],
      ['products', 'list', '--query', '{"filter":{"price":{"$gt":">100"}}}'],
      ['products', 'list', '--fields', 'nmae,slug'],
      ['products', 'get', 'anything', '--fields', 'nmae'],
      ['services', 'list', '--filter', 'type=class'],
      ['data', 'items', 'list', 'articles', '--filter', 'views>many'],
      ['products', 'list', '-o', 'yaml'],
      ['products', 'list', '--retries', 'many'],
      ['products', 'list', '--timeout', '-5'],
      ['products', 'list', '--no-such-flag'],
      ['slots', 'x', '--tz', 'Mars/Olympus_Mons'],
      ['slots', 'x', '--from', 'someday'],
      ['slots', 'x', '--from', '2026-01-01', '--to', '2026-06-01'],
      ['--profile', 'fuzz-settings', 'config', 'set', 'timeout', 'soon'],
      ['--profile', 'fuzz-settings', 'config', 'set', 'api-url', 'ftp://example.com'],
      ['--profile', 'not a profile!', 'products', 'list'],
      ['emulator', '--data', badData, '--port', '0'],
      ['emulator', '--data', wrongShape, '--port', '0'],
      ['emulator', '--data', join(p.configDir, 'missing.json'), '--port', '0'],
      ['emulator', '--fail-rate', '2', '--port', '0'],
      ['emulator', '--data', newer, '--port', '0'],
      ['data', 'items', 'list'],
      ['data', 'items', 'list', 'team', '--filter', 'role in ('],
      ['data', 'items', 'list', 'team', '--include-referenced', ''],
      ['data', 'items', 'list', 'team', '--all', '--limit', '3'],
      ['data', 'items', 'list', 'team', '--query', '{"filter":{"title":{"$regex":"x"}}}'],
      ['data', 'items', 'get', 'team', ''],
      ['data', 'items', 'count', 'team', '--query', '{"paging":{"limit":1}}'],
      ['data', 'collections', 'get', ''],
      ['snapshot', '--include', 'orders'],
      ['snapshot', '--exclude', 'data'],
      ['snapshot', '--concurrency', '17'],
      ['snapshot', '--out', join(p.configDir, 'no-such-dir', 'site.json')],
    ];
    const failures: string[] = [];
    for (const args of cases) {
      const outcome = await runInProcess(args);
      const problem = outcome.code !== 2 ? `exit ${outcome.code}` : contractProblem(outcome);
      if (problem) failures.push(`${JSON.stringify(args)}: ${problem}\n${outcome.stderr}`);
    }
    expect(failures).toEqual([]);
  });
});
