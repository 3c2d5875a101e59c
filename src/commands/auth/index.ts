import { Option, type Command } from 'commander';
import type { GlobalOptions } from '../../global-options.js';
import type { IO } from '../../output/io.js';
import { examples } from '../help.js';
import { withContext } from '../with-context.js';

/** Registers `auth login | logout | status | token`; the work is imported only when a command runs. */
export function registerAuth(program: Command, io: IO): void {
  const auth = program.command('auth').description('log in as a site member, log out, show the session, print its access token');
  auth.addHelpText(
    'after',
    examples([
      'wixq auth login                                        member login in the browser',
      'printf %s "$PW" | wixq auth login --email a@b.c --password-stdin   without a browser (CI)',
      'wixq auth status',
      'curl -H "Authorization: $(wixq auth token)" https://www.wixapis.com/...',
    ]),
  );

  auth
    .command('login')
    .description(
      'log in as a member of the site: the Wix login page in your browser (PKCE, loopback redirect), or --email with the password on stdin',
    )
    .option('--email <email>', 'log in without a browser with this member email (the password comes from --password-stdin or WIXQ_PASSWORD)')
    .option('--password-stdin', 'read the password from stdin (hidden prompt on a terminal)')
    .addOption(new Option('--password <password>').hideHelp())
    .option('--redirect-uri <uri>', 'loopback redirect URI registered in the project (env WIXQ_REDIRECT_URI; default http://localhost:53682/callback)')
    .option('--no-browser', 'print the login URL on stderr instead of opening a browser')
    .option('--login-timeout <seconds>', 'how long to wait for the browser login (default 300)')
    .addHelpText(
      'after',
      `${examples([
        'wixq auth login',
        'wixq auth login --no-browser                 open the printed URL on any browser of this machine',
        'wixq auth login --redirect-uri http://127.0.0.1:8976/callback',
        'wixq auth login --email ada@example.com --password-stdin < password.txt',
        'WIXQ_PASSWORD="$SECRET" wixq auth login --email ada@example.com',
      ])}
The redirect URI must be listed under the project's allowed redirect URIs (Headless Settings); wixq listens
there for the browser's return. WIXQ_BROWSER or BROWSER names the command that opens the browser.
`,
    )
    .action(async (opts, command: Command) => {
      const { runAuthLogin } = await import('./run.js');
      // --no-input is a global flag: the options object carries it, so the work never reads the raw globals.
      const { input } = command.optsWithGlobals() as GlobalOptions;
      await withContext(io, command, (ctx) => runAuthLogin({ ...opts, input: input !== false }, ctx));
    });

  auth
    .command('logout')
    .description("end the member session at Wix and drop the member's tokens; the next command runs as a visitor")
    .option('--redirect-uri <uri>', 'where Wix ends the logout: a registered redirect URI (env WIXQ_REDIRECT_URI)')
    .addHelpText('after', examples(['wixq auth logout', 'wixq auth logout --profile staging']))
    .action(async (opts, command: Command) => {
      const { runAuthLogout } = await import('./run.js');
      await withContext(io, command, (ctx) => runAuthLogout(opts, ctx));
    });

  auth
    .command('status')
    .description('profile, client ID, role (none, visitor or member), member ID, access-token expiry and token file; never the token')
    .addHelpText('after', examples(['wixq auth status', 'wixq auth status --json | jq -r .role']))
    .action(async (_opts, command: Command) => {
      const { runAuthStatus } = await import('./run.js');
      await withContext(io, command, (ctx) => runAuthStatus(ctx));
    });

  auth
    .command('token')
    .description("print the session's access token (renewed first if needed) for other tools; Wix takes it without \"Bearer\"")
    .addHelpText(
      'after',
      examples([
        'curl -H "Authorization: $(wixq auth token)" https://www.wixapis.com/stores/v3/provision/version',
        'TOKEN=$(wixq auth token --profile staging)',
      ]),
    )
    .action(async (_opts, command: Command) => {
      const { runAuthToken } = await import('./run.js');
      await withContext(io, command, (ctx) => runAuthToken(ctx));
    });
}
