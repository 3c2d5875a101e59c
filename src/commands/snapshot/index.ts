import type { Command } from 'commander';
import type { IO } from '../../output/io.js';
import { examples } from '../help.js';
import { withContext } from '../with-context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `wixq snapshot`: the site, as the session reads it, in the emulator's data format (docs/reference.md 3.11). */
export function registerSnapshot(program: Command, io: IO): void {
  program
    .command('snapshot')
    .description('write the site (products, collections or categories, services, CMS) as an emulator data file')
    .option('--out <file>', 'write to FILE (replaced only when the snapshot is complete); stdout without it')
    .option('--include <parts>', 'what to read, comma-separated or repeatable: products, collections, categories, services, data:<collection ID> (default: everything the session can read)', collect)
    .option('--exclude <parts>', 'leave parts out, e.g. --exclude data:<collection ID> (comma-separated or repeatable)', collect)
    .option('--concurrency <n>', 'pages in flight per list (default 4)')
    .addHelpText(
      'after',
      examples([
        'wixq snapshot > site.json                      everything the session can read (or --out site.json)',
        'wixq snapshot --include products,collections > catalog.json',
        'wixq snapshot --include services,data:articles > site.json    a CMS collection, and the ones it references',
        'wixq snapshot --exclude services > shop.json',
        'wixq emulator --data site.json --port 0        serve the copy',
      ]),
    )
    .action(async (flags: Record<string, unknown>, command: Command) => {
      const [{ parseSnapshotFlags }, { runSnapshot }] = await Promise.all([import('./flags.js'), import('./run.js')]);
      const options = parseSnapshotFlags(flags);
      await withContext(io, command, (ctx) => runSnapshot(options, ctx));
    });
}
