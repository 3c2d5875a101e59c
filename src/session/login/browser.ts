/** The browser launcher `auth login` and `get --web` share: whether a browser can be opened here, which command, and starting it. */
import { spawn } from 'node:child_process';

/**
 * Whether wixq can open a browser here, the one rule `auth login` and `get --web` share: a browser named by
 * WIXQ_BROWSER or BROWSER always can be started; macOS and Windows open URLs without a display; on Linux and other Unix
 * desktops a browser needs DISPLAY or WAYLAND_DISPLAY. When it cannot, both print the URL instead.
 */
export function canOpenBrowser(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (env.WIXQ_BROWSER?.trim() || env.BROWSER?.trim()) return true;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY?.trim() || env.WAYLAND_DISPLAY?.trim());
}

/** The command that opens a URL: WIXQ_BROWSER or BROWSER when set, else the platform's opener. */
export function browserCommand(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string[] {
  const named = env.WIXQ_BROWSER || env.BROWSER;
  if (named && named.trim()) return splitCommand(named);
  if (platform === 'darwin') return ['open'];
  // `cmd /c start` would cut the URL at its first `&`; the URL protocol handler takes it whole.
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler'];
  return ['xdg-open'];
}

/** Splits a command line on spaces, keeping quoted parts together (enough for `BROWSER="node /x/y.js"`). */
export function splitCommand(line: string): string[] {
  const parts: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of line.matchAll(pattern)) parts.push(match[1] ?? match[2] ?? match[3]!);
  return parts;
}

/** Starts the browser command with the URL as one argument (`%s` in the command is replaced instead); does not wait for it. */
export function openInBrowser(url: string, command: string[]): Promise<void> {
  const hasPlaceholder = command.some((part) => part.includes('%s'));
  const args = hasPlaceholder ? command.slice(1).map((part) => part.replaceAll('%s', url)) : [...command.slice(1), url];
  return new Promise((resolve, reject) => {
    // The browser outlives wixq and needs none of its secrets.
    const env = { ...process.env };
    delete env.WIXQ_PASSWORD;
    const child = spawn(command[0]!, args, { stdio: 'ignore', detached: true, env });
    child.once('error', (error) => reject(new Error(`${command[0]}: ${(error as NodeJS.ErrnoException).code ?? error.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
