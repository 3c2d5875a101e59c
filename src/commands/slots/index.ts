import type { Command } from 'commander';
import type { IO } from '../../output/io.js';
import { examples } from '../help.js';
import { withContext } from '../with-context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `wixq slots <service...>`: bookable time slots of appointment and class services. */
export function registerSlots(program: Command, io: IO): void {
  program
    .command('slots')
    .description('bookable time slots of appointment and class services')
    .argument('<service...>', 'service IDs or slugs')
    .option('--from <date>', 'start: YYYY-MM-DD, YYYY-MM-DDTHH:mm (local), today, tomorrow, now (default today)')
    .option('--to <date>', 'end: a date, or +Nd after --from (default +7d)')
    .option('--tz <zone>', 'IANA time zone for the range and the printed times (default: the local zone)')
    .option('--include-full', 'also show slots that cannot be booked (full or closed)')
    .option('--location <id|name>', "only at these business locations: IDs or names (any case), repeatable or comma-separated", collect)
    .option('--fields <paths>', 'fields to show (a,b.c)')
    .option('--week', 'draw week grids: days as columns, start times as rows, open spots in each cell (table output only)')
    .addHelpText(
      'after',
      examples([
        'wixq slots <service ID>',
        'wixq slots morning-yoga-flow haircut-and-style --from tomorrow --to +3d --tz Europe/Berlin',
        'wixq slots deep-tissue-massage --location "Riverside Gym" --location "uptown loft"',
        'wixq slots morning-yoga-flow pilates-mat-class --week -o table',
        'wixq slots <service ID> --json | jq ".[].start"',
      ]),
    )
    .action(async (refs: string[], flags: Record<string, string | boolean | undefined>, command: Command) => {
      const { parseSlotsFlagsNow, runSlots } = await import('./run.js');
      const options = parseSlotsFlagsNow(flags, io);
      await withContext(io, command, (ctx) => runSlots(refs, options, ctx));
    });
}
