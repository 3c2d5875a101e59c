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
import { preloadContext } from './commands/with-context.js';
import { registerProducts } from './commands/products/index.js';
import { registerServices } from './commands/services/index.js';
import { registerSlots } from './commands/slots/index.js';
import { registerSnapshot } from './commands/snapshot/index.js';
import { OUTPUT_FORMATS } from './output/formats.js';
import type { IO } from './output/io.js';
import { VERSION } from './version.js';
import { DEFAULT_API_URL } from './wix/hosts.js';

export type { GlobalOptions } from './global-options.js';

type Register = (program: Command, io: IO) => void;

/**
 * Every command group, in the order `wixq --help` lists them, with the top-level command names it registers
 * (`test/unit/program.test.ts` checks them); each registers definitions only, its work is imported when it runs.
 */
export const COMMAND_GROUPS: ReadonlyArray<readonly [names: readonly string[], register: Register]> = [
  [['init', 'config'], registerConfig],
  [['auth'], registerAuth],
  [['products'], registerProducts],
  [['collections'], registerCollections],
  [['categories'], registerCategories],
  [['services'], registerServices],
  [['slots'], registerSlots],
  [['data'], registerData],
  [['cart'], registerCart],
  [['check'], registerCheck],
  [['api'], registerApi],
  [['snapshot'], registerSnapshot],
  [['completion'], registerCompletion],
  [['emulator'], registerEmulator],
];

/** The global options that take a value (the next argument, unless given as `--name=value` or `-ovalue`). */
const GLOBAL_VALUE_OPTIONS = new Set(['--profile', '--client-id', '--api-url', '-o', '--output', '--retries', '--timeout']);
const GLOBAL_FLAGS = new Set(['--json', '--no-color', '--verbose', '--demo', '--no-input']);

/**
 * The top-level command an argument list runs, when that is certain: the first argument after the global options,
 * if it names a command group. Undefined for anything else (no command, `help`, `completion`, which walks every
 * command, an option that is not a global one, `--`): then the whole program is built and commander decides as always.
 */
export function invokedGroup(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return arg !== 'completion' && COMMAND_GROUPS.some(([names]) => names.includes(arg)) ? arg : undefined;
    if (GLOBAL_FLAGS.has(arg)) continue;
    if (GLOBAL_VALUE_OPTIONS.has(arg)) {
      i++;
      continue;
    }
    const name = arg.split('=', 1)[0]!;
    if (arg.includes('=') && GLOBAL_VALUE_OPTIONS.has(name) && name.startsWith('--')) continue;
    if (/^-o./.test(arg)) continue;
    return undefined;
  }
  return undefined;
}

/**
 * Builds the commander program. Command groups register definitions only; their work is imported lazily. Given the
 * arguments, it registers only the group they run when that is certain (`invokedGroup`): a warm list need not build
 * every other command's options and help, and commander parses and dispatches that command the same either way.
 */
export function buildProgram(io: IO, argv?: readonly string[]): Command {
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

  // An action is about to run (not --help, not a usage error): its context loads while its run.ts does.
  program.hook('preAction', () => preloadContext());
  const only = argv && invokedGroup(argv);
  for (const [names, register] of COMMAND_GROUPS) if (only === undefined || names.includes(only)) register(program, io);
  return program;
}
