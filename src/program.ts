import { Command, Option } from 'commander';
import type { IO } from './output/io.js';
import { registerAuthCommands } from './commands/auth-commands.js';
import { registerCatalogCommands } from './commands/catalog-commands.js';
import { registerSettingsCommands } from './commands/settings-commands.js';
import { registerCheckCommands } from './commands/check-commands.js';
import { registerApiCommands } from './commands/api-commands.js';
import { registerCompletionCommands } from './commands/completion-commands.js';
import { VERSION } from './version.js';

/** Global flags every command accepts (CONTRACT section 2). */
export interface GlobalOptions {
  profile?: string;
  clientId?: string;
  apiUrl?: string;
  output?: string;
  json?: boolean;
  color?: boolean;
  verbose?: boolean;
  demo?: boolean;
  retries?: string;
  timeout?: string;
  input?: boolean;
}

/** Builds the commander program. Command groups register definitions only; their work is imported lazily. */
export function buildProgram(io: IO): Command {
  const program = new Command('wixq');
  program
    .description('Query a Wix Headless project from the terminal: Stores products and collections, Bookings services and time slots.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out.write(s),
      writeErr: (s) => io.err.write(s),
      outputError: (s, write) => write(s),
    })
    .option('--profile <name>', 'named profile (env WIXQ_PROFILE)')
    .option('--client-id <id>', 'OAuth app client ID (env WIXQ_CLIENT_ID)')
    .option('--api-url <url>', 'base URL that replaces https://www.wixapis.com (env WIXQ_API_URL)')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'ndjson', 'csv', 'tsv']))
    .option('--json', 'same as --output json')
    .option('--no-color', 'no colour in tables (also NO_COLOR)')
    .option('--verbose', 'trace every HTTP request to stderr (secrets redacted) and show stack traces')
    .option('--demo', 'run against the built-in Wix API emulator with its demo site (no account needed)')
    .option('--retries <n>', 'retries for failed reads (default 3)')
    .option('--timeout <seconds>', 'timeout per HTTP request in seconds (default 30)')
    .option('--no-input', 'never prompt; fail instead when input is needed')
    .addHelpText(
      'after',
      `
Examples:
  $ wixq --demo products list                 try it against the built-in demo site
  $ wixq init --client-id <ID>                use your own Wix Headless project
  $ wixq products list --json | jq '.[].name'
`,
    );

  registerSettingsCommands(program, io);
  registerAuthCommands(program, io);
  registerCatalogCommands(program, io);
  registerCheckCommands(program, io);
  registerApiCommands(program, io);
  registerCompletionCommands(program, io);

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
    .option('--quiet', 'print only the first line')
    .addHelpText(
      'after',
      `
Examples:
  $ wixq emulator --port 0
  $ wixq emulator --products 20000 --latency 50
  $ WIXQ_API_URL=http://127.0.0.1:8787 wixq products list --client-id <demo client ID>
`,
    )
    .action(async (opts) => {
      const { runEmulatorCommand } = await import('./emulator/cli.js');
      await runEmulatorCommand(opts, io);
    });

  return program;
}
