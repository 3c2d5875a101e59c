import { Command, Option } from 'commander';
import { registerApi } from './commands/api/index.js';
import { registerAuth } from './commands/auth/index.js';
import { registerCart } from './commands/cart/index.js';
import { registerCategories } from './commands/categories/index.js';
import { registerCheck } from './commands/check/index.js';
import { registerCollections } from './commands/collections/index.js';
import { registerCompletion } from './commands/completion/index.js';
import { registerConfig } from './commands/config/index.js';
import { registerData } from './commands/data/index.js';
import { registerEmulator } from './commands/emulator/index.js';
import { examples } from './commands/help.js';
import { registerProducts } from './commands/products/index.js';
import { registerServices } from './commands/services/index.js';
import { registerSlots } from './commands/slots/index.js';
import { registerSnapshot } from './commands/snapshot/index.js';
import { OUTPUT_FORMATS } from './output/formats.js';
import type { IO } from './output/io.js';
import { VERSION } from './version.js';
import { DEFAULT_API_URL } from './wix/hosts.js';

export type { GlobalOptions } from './global-options.js';

/** Every command, in the order `wixq --help` lists them; each registers definitions only, its work is imported when it runs. */
const COMMANDS = [registerConfig, registerAuth, registerProducts, registerCollections, registerCategories, registerServices, registerSlots, registerData, registerCart, registerCheck, registerApi, registerSnapshot, registerCompletion, registerEmulator];

/** Builds the commander program. Command groups register definitions only; their work is imported lazily. */
export function buildProgram(io: IO): Command {
  const program = new Command('wixq');
  program
    .description('Query a Wix Headless project from the terminal: Stores products, collections and categories, Bookings services and time slots, CMS collections.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.err.write(s),
      // Every error line starts `Error:`, commander's usage errors too (it writes `error: …`).
      outputError: (s, write) => write(s.replace(/^error:/, 'Error:')),
    })
    .option('--profile <name>', 'named profile (env WIXQ_PROFILE)')
    .option('--client-id <id>', 'OAuth app client ID (env WIXQ_CLIENT_ID)')
    .option('--api-url <url>', `base URL that replaces ${DEFAULT_API_URL} (env WIXQ_API_URL)`)
    .addOption(new Option('-o, --output <format>', 'output format').choices(OUTPUT_FORMATS))
    .option('--json', 'same as --output json')
    .option('--no-color', 'no colour in tables (also NO_COLOR)')
    .option('--verbose', 'trace every HTTP request to stderr (secrets redacted) and show stack traces')
    .option('--demo', 'run against the built-in Wix API emulator with its demo site (no account needed)')
    .option('--retries <n>', 'retries for failed reads (default 3)')
    .option('--timeout <seconds>', 'timeout per HTTP request in seconds (default 30)')
    .option('--no-input', 'never prompt; fail instead when input is needed')
    .addHelpText(
      'after',
      examples([
        'wixq --demo products list                 try it against the built-in demo site',
        'wixq init --client-id <ID>                use your own Wix Headless project',
        "wixq products list --json | jq '.[].name'",
      ]),
    );

  for (const register of COMMANDS) register(program, io);
  return program;
}
