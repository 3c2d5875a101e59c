import { Option, type Command } from 'commander';
import type { IO } from '../output/io.js';
import { examples, registerResourceCommands } from './resource-commands.js';
import { withContext } from './run.js';

const catalogOption = (command: Command): Command =>
  command.addOption(new Option('--catalog <version>', 'Stores catalog version (default: detected once per site and cached)').choices(['v1', 'v3']));

/** Registers products, collections, services and slots. */
export function registerCatalogCommands(program: Command, io: IO): void {
  registerResourceCommands(program, io, {
    noun: 'products',
    singular: 'product',
    description: 'Wix Stores products (Catalog V1 or V3, detected per site)',
    extraOptions: catalogOption,
    listExamples: [
      'wixq products list',
      'wixq products list --filter "price.price>20" --sort -price.price --limit 10',
      'wixq products list --all -o ndjson > products.ndjson',
      'wixq products list --fields name,slug,price.price -o csv',
    ],
    getExamples: ['wixq products get linen-summer-shirt', 'wixq products get 9a5d83fd-8570-482e-81ab-cfa88942ee60 --json'],
  });
  registerResourceCommands(program, io, {
    noun: 'collections',
    singular: 'collection',
    description: 'Wix Stores collections (Catalog V1)',
    extraOptions: catalogOption,
    listExamples: ['wixq collections list', 'wixq collections list --filter "name^=Sum" --json'],
    getExamples: ['wixq collections get summer-sale'],
  });
  registerResourceCommands(program, io, {
    noun: 'services',
    singular: 'service',
    description: 'Wix Bookings services',
    listExamples: ['wixq services list', 'wixq services list --filter type=CLASS --fields _id,name,type'],
    getExamples: ['wixq services get <service ID>', 'wixq services get yoga-flow'],
  });

  program
    .command('slots')
    .description('bookable time slots of appointment and class services')
    .argument('<service...>', 'service IDs or slugs')
    .option('--from <date>', 'start: YYYY-MM-DD, YYYY-MM-DDTHH:mm (local), today, tomorrow, now (default today)')
    .option('--to <date>', 'end: a date, or +Nd after --from (default +7d)')
    .option('--tz <zone>', 'IANA time zone for the range and the printed times (default: the local zone)')
    .option('--include-full', 'also show slots that cannot be booked (full or closed)')
    .option('--fields <paths>', 'fields to show (a,b.c)')
    .addHelpText(
      'after',
      examples([
        'wixq slots <service ID>',
        'wixq slots yoga-flow haircut --from 2026-12-01 --to +3d --tz Europe/Berlin',
        'wixq slots <service ID> --json | jq ".[].start"',
      ]),
    )
    .action(async (refs: string[], flags: Record<string, string | boolean | undefined>, command: Command) => {
      const { parseSlotsFlags, runSlots } = await import('./slots-run.js');
      const options = parseSlotsFlags(flags);
      await withContext(io, command, (ctx) => runSlots(refs, options, ctx));
    });
}
