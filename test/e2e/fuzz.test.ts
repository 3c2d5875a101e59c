import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argvArbitrary, contractProblem } from '../helpers/argv-grammar.js';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * A sample of the fuzz grammar through the real binary (1,000 more run in-process: test/commands/fuzz.test.ts): what a
 * process adds is real argv and a real exit, where a late unhandled rejection or a stray exception would show.
 */
describe('fuzzed command lines through the binary', () => {
  let p: TestProject;
  let argv: fc.Arbitrary<string[]>;
  beforeAll(async () => {
    p = await startProject({ products: 30 });
    const slotServices = p.emulator.site.services.filter((s) => s.type !== 'COURSE' && s.hidden !== true);
    const services = slotServices.flatMap((s) => [s.id, String((s.mainSlug as { name: string }).name)]);
    const products = p.emulator.site.products.filter((x) => x.visible !== false).slice(0, 5).flatMap((x) => [String(x.id), String(x.slug)]);
    const teamItems = p.emulator.site.dataCollections!.find((c) => c.id === 'team')!.items.slice(0, 3).map((i) => String(i._id));
    argv = argvArbitrary(services, products, { teamItems, outFile: join(p.configDir, 'fuzz-snapshot.json') });
  });
  afterAll(async () => p.close());

  it('a sample of 12: exit 0 or 2, one clear message, never a stack trace', async () => {
    // A real argv cannot carry NUL bytes (the in-process runs do get them).
    const samples = fc.sample(argv, { numRuns: 12, seed: 7 }).map((args) => args.map((a) => a.replaceAll('\0', '?')));
    const failures: string[] = [];
    let next = 0;
    // Two at a time: a 2-core machine.
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        while (next < samples.length) {
          const args = samples[next++]!;
          const r = await p.runBinary(args, { env: { TZ: 'UTC' } });
          const problem = contractProblem(r);
          if (problem) failures.push(`${problem}\nargv: ${JSON.stringify(args)}\nstderr: ${r.stderr}`);
        }
      }),
    );
    expect(failures).toEqual([]);
  });
});
