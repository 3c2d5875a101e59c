import { Option, type Command } from 'commander';
import type { IO } from '../../output/io.js';
import { examples } from '../help.js';
import { withContext } from '../with-context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Registers `wixq check`, the smoke check for CI. */
export function registerCheck(program: Command, io: IO): void {
  program
    .command('check')
    .description('smoke check for CI: settings, session, catalog version, and one page of products, collections and services')
    .option('--require <names>', 'lists that must be there and not empty: products, collections, services, data:<collectionId> (a CMS collection; repeatable or comma-separated)', collect)
    .option('--min <name=count>', 'smallest acceptable count, e.g. products=1 or data:team=3 (repeatable or comma-separated)', collect)
    .option('--checkout', 'also test the purchase flow: a throwaway visitor adds a product, creates a checkout and its URL, then deletes that cart (leaves an abandoned checkout)')
    .option('--junit <file>', 'also write the checklist as JUnit XML to this file (one testcase per check), for CI test reporters')
    .addOption(new Option('--catalog <version>', 'Stores catalog version (default: detected afresh on every check)').choices(['v1', 'v3']))
    .addHelpText(
      'after',
      `${examples([
        'wixq check',
        'wixq check --require products,services --min products=1',
        'wixq check -o json | jq -r \'.checks[] | "\\(.name) \\(.status) \\(.ms) ms"\'',
        'WIX_CLIENT_ID=<ID> npx wixq check --require products --min products=1     (in CI)',
        'wixq check --require products --junit wixq-check.xml',
        'wixq check --require data:team --min data:events-log=15000',
        'wixq check --checkout     a new visitor adds a product and gets a checkout URL (each run leaves an abandoned checkout)',
      ])}
Under GitHub Actions (GITHUB_ACTIONS=true) check also appends a table to $GITHUB_STEP_SUMMARY when it is set and
prints one ::error annotation per failed check on stderr.
Exit codes: 0 all passed, 6 a --require or --min assertion or a --checkout step failed, 4 authentication failed, 5 network or Wix unavailable.
`,
    )
    .action(async (flags: { require?: string[]; min?: string[]; catalog?: string; junit?: string; checkout?: boolean }, command: Command) => {
      const { parseCheckFlags, runCheck } = await import('./run.js');
      const options = parseCheckFlags(flags);
      await withContext(io, command, (ctx) => runCheck(options, ctx));
    });
}
