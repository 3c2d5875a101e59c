import type { Command } from 'commander';
import type { GlobalOptions } from '../../global-options.js';
import type { IO } from '../../output/io.js';
import { examples } from '../help.js';
import { withContext } from '../with-context.js';

/** Registers `init` and `config`; neither loads SDK code. */
export function registerConfig(program: Command, io: IO): void {
  program
    .command('init')
    .description('store the client ID (and optionally the API URL) for the profile')
    // Its flags are the global --client-id, --api-url and --profile: list them here, where a newcomer looks first.
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      examples([
        'wixq init --client-id 5f1d9c2e-8a41-4b7e-9c35-2f0a6d1e7b90',
        'wixq init --profile staging --client-id <ID>',
        'wixq init          (asks for the client ID on a terminal)',
      ]),
    )
    .action(async (_flags: unknown, command: Command) => {
      const { runInit } = await import('./run.js');
      // --no-input is a global flag: the options object carries it (client ID and API URL come from the settings).
      const { input } = command.optsWithGlobals() as GlobalOptions;
      await withContext(io, command, (ctx) => runInit({ input: input !== false }, ctx));
    });

  const config = program.command('config').description('show and change settings (config.json in the config dir)');
  config.addHelpText('after', examples(['wixq config list', 'wixq config set output json', 'wixq config get client-id']));
  config
    .command('list')
    .description('every setting of the profile with its value and where it comes from (flag, env, config, default)')
    .addHelpText('after', examples(['wixq config list', 'wixq config list --profile staging --json']))
    .action(async (_flags: unknown, command: Command) => {
      const { runConfigList } = await import('./run.js');
      await withContext(io, command, (ctx) => runConfigList(ctx));
    });
  config
    .command('get')
    .description('print one setting as resolved (flag > env > config > default), as config list shows it; --json adds its source')
    .argument('<key>', 'profile, client-id, api-url, output, retries, timeout, redirect-uri or config-dir')
    .addHelpText('after', examples(['wixq config get client-id', 'wixq config get api-url --json', 'wixq --profile staging config get timeout']))
    .action(async (key: string, _flags: unknown, command: Command) => {
      const { runConfigGet } = await import('./run.js');
      await withContext(io, command, (ctx) => runConfigGet(key, ctx));
    });
  config
    .command('set')
    .description('store one setting in the profile')
    .argument('<key>', 'client-id, api-url, output, retries, timeout or redirect-uri')
    .argument('<value>', 'the value')
    .addHelpText('after', examples(['wixq config set output json', 'wixq config set api-url http://127.0.0.1:8787', 'wixq config set timeout 10']))
    .action(async (key: string, value: string, _flags: unknown, command: Command) => {
      const { runConfigSet } = await import('./run.js');
      await withContext(io, command, (ctx) => runConfigSet(key, value, ctx));
    });
  config
    .command('unset')
    .description('remove one setting from the profile')
    .argument('<key>', 'client-id, api-url, output, retries, timeout or redirect-uri')
    .addHelpText('after', examples(['wixq config unset api-url']))
    .action(async (key: string, _flags: unknown, command: Command) => {
      const { runConfigUnset } = await import('./run.js');
      await withContext(io, command, (ctx) => runConfigUnset(key, ctx));
    });
  config
    .command('path')
    .description('print the config dir (config.json and tokens.json live there)')
    .addHelpText('after', examples(['wixq config path', 'ls -l "$(wixq config path)"']))
    .action(async (_flags: unknown, command: Command) => {
      const { runConfigPath } = await import('./run.js');
      await withContext(io, command, (ctx) => runConfigPath(ctx));
    });
}
