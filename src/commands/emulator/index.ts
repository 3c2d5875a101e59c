import { Option, type Command } from 'commander';
import type { IO } from '../../output/io.js';
import { examples } from '../help.js';

/** `wixq emulator`: the local Wix API emulator; its work is run.ts, over src/emulator, both loaded only when it runs. */
export function registerEmulator(program: Command, io: IO): void {
  program
    .command('emulator')
    .description('run the local Wix API emulator (the wire protocol of www.wixapis.com, for tests and offline use)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '8787')
    .option('--data <file>', 'load the site from a JSON file instead of generating the demo site')
    .addOption(new Option('--catalog <version>', 'Stores catalog version of the site').choices(['v1', 'v3']))
    .option('--seed <n>', 'seed for the generated demo site', '1')
    .option('--products <n>', 'number of generated products')
    .option('--token-ttl <seconds>', 'lifetime of access tokens in seconds', '14400')
    .option('--latency <ms>', 'delay added to every response', '0')
    .option('--fail-rate <p>', 'fraction of API requests that answer 503 (0 to 1)', '0')
    .option('--rate-limit <n>', 'answer 429 past N requests a second (0: no limit)', '0')
    .addOption(
      new Option('--members-only-read <answer>', "a visitor's read of a members-only CMS collection: Wix's 403 WDE0027, or zero items").choices(['403', 'empty']).default('403'),
    )
    .option('--v1-reader-shim', 'on a Catalog V3 site, answer /stores-reader/v1 products and collections from a stale template catalogue (as live V3 sites have been seen to)')
    .addOption(new Option('--refuse-version-endpoint <status>', 'refuse the catalog version endpoint to visitors and members').choices(['403', '404']))
    .addOption(
      new Option('--cart-line-refusals <answer>', 'a cart line the catalog cannot give (no variant, unknown choice, out of stock): Wix\'s 400, or 200 with the line left out').choices(['error', 'silent']),
    )
    .option('--no-payments', 'the site accepts no payments: creating a checkout answers 428 SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT')
    .option('--quiet', 'print only the first line')
    .addHelpText(
      'after',
      examples([
        'wixq emulator --port 0',
        'wixq emulator --products 20000 --latency 50',
        'WIXQ_API_URL=http://127.0.0.1:8787 wixq products list --client-id <demo client ID>',
      ]),
    )
    .action(async (opts) => {
      const { runEmulatorCommand } = await import('./run.js');
      await runEmulatorCommand(opts, io);
    });
}
