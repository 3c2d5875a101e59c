/** `--web`: opens a page in the browser by the rule `auth login` follows too, else prints its URL on stdout. */
import type { CommandContext } from '../../context.js';
import { writeOutput } from '../../output/io.js';

/**
 * Opens `url` when a browser can be opened (a named browser, macOS or Windows, or a display) and `browser` is not
 * false (`--no-browser`); otherwise, or when opening fails, prints the URL on stdout.
 */
export async function openOrPrint(url: string, browser: boolean, ctx: CommandContext): Promise<void> {
  const env = ctx.io.env;
  const { browserCommand, canOpenBrowser, openInBrowser } = await import('../../session/login/browser.js');
  if (!browser || !canOpenBrowser(env)) {
    await writeOutput(ctx.io.out, `${url}\n`);
    return;
  }
  try {
    await openInBrowser(url, browserCommand(env));
    ctx.warn(`Opening ${url} in your browser.`);
  } catch (error) {
    ctx.warn(`Warning: could not open a browser (${(error as Error).message}); open the page yourself.`);
    await writeOutput(ctx.io.out, `${url}\n`);
  }
}
