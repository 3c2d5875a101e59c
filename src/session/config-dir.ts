import { chmodSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { WixqError } from '../errors.js';

/** Mode of the config folder: it holds session tokens, so only the owner may list or enter it. */
export const CONFIG_DIR_MODE = 0o700;
/** Mode of files in the config folder. */
export const CONFIG_FILE_MODE = 0o600;

/** The config dir: `$WIXQ_CONFIG_DIR`, else conf's default for project `wixq` with no suffix (e.g. `~/.config/wixq`). */
export function resolveConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const explicit = env.WIXQ_CONFIG_DIR;
  if (explicit !== undefined && explicit.trim() !== '') return explicit;
  // Same rules as env-paths (what conf uses), but reading the injected env rather than process.env.
  const home = env.HOME && platform !== 'win32' ? env.HOME : homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'wixq');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'wixq', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'wixq');
}

/** Creates the config dir if needed and makes it 0700 whatever the umask; a permission problem becomes a clear WixqError. */
export function ensureConfigDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: CONFIG_DIR_MODE });
  } catch (error) {
    throw configDirWriteError(dir, error);
  }
  try {
    chmodSync(dir, CONFIG_DIR_MODE);
  } catch {
    // A folder we do not own (WIXQ_CONFIG_DIR pointing somewhere shared) keeps its mode; writing may still work.
  }
}

/** The error for a config dir wixq cannot write to: what failed and how to point wixq elsewhere. */
export function configDirWriteError(dir: string, error: unknown): WixqError {
  const code = errorCode(error);
  const reason = code === 'EACCES' || code === 'EPERM' ? `${code} (permission denied)` : code === 'EROFS' ? 'EROFS (read-only file system)' : code === 'ENOTDIR' || code === 'EEXIST' ? `${code} (a file is in the way)` : code ?? (error instanceof Error ? error.message : String(error));
  return new WixqError(`cannot write to ${dir}: ${reason}`, undefined, {
    hint: 'Fix the folder permissions, or set WIXQ_CONFIG_DIR to a folder you can write to.',
    cause: error,
  });
}

/** The `code` of a Node.js system error (ENOENT, EACCES ...), if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/** Moves a corrupt file aside to `<path>.corrupt-<timestamp>` and returns where it went (undefined if it could not be moved). */
export function setAsideCorruptFile(path: string, nowMs: number): string | undefined {
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/g, '-');
  let target = `${path}.corrupt-${stamp}`;
  for (let n = 1; existsSync(target); n++) target = `${path}.corrupt-${stamp}-${n}`;
  try {
    renameSync(path, target);
    return target;
  } catch {
    return undefined;
  }
}
