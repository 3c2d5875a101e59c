import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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

/** The file system calls ensureConfigDir makes: node:fs's, or a test's stand-in (a read-only file system without root). */
export interface DirFs {
  mkdirSync(path: string, options?: { mode?: number }): unknown;
  statSync(path: string): { isDirectory(): boolean };
  chmodSync(path: string, mode: number): void;
}

const NODE_DIR_FS: DirFs = { mkdirSync, statSync, chmodSync };

/** Creates the config dir if needed and makes it 0700 whatever the umask; a permission problem becomes a clear WixqError. */
export function ensureConfigDir(dir: string, fs: DirFs = NODE_DIR_FS): void {
  try {
    makeDirs(dir, fs);
  } catch (error) {
    throw configDirWriteError(dir, error);
  }
  try {
    fs.chmodSync(dir, CONFIG_DIR_MODE);
  } catch {
    // A folder we do not own (WIXQ_CONFIG_DIR pointing somewhere shared) keeps its mode; writing may still work.
  }
}

/**
 * `mkdir -p` one level at a time, each new folder 0700 (less the umask; ensureConfigDir then sets the last one). Not
 * Node's `{ recursive: true }`: on a read-only file system that reports ENOENT for a missing folder (the parent it
 * could not make), where the real reason is EROFS; one plain mkdir per missing level gets the system's own error.
 * Bounded by the path's depth.
 */
function makeDirs(dir: string, fs: DirFs): void {
  const missing: string[] = [];
  // Up to the first thing that is there (a folder, or a file in the way: the mkdir below it then says ENOTDIR).
  for (let path = resolve(dir); ; path = dirname(path)) {
    if (exists(path, fs)) break;
    missing.push(path);
    if (dirname(path) === path) break;
  }
  // A file where the folder itself should be: the system's own EEXIST.
  if (missing.length === 0 && !isDirectory(resolve(dir), fs)) fs.mkdirSync(resolve(dir));
  for (const path of missing.reverse()) {
    try {
      fs.mkdirSync(path, { mode: CONFIG_DIR_MODE });
    } catch (error) {
      // Another process made it meanwhile: that is what was wanted.
      if (errorCode(error) === 'EEXIST' && isDirectory(path, fs)) continue;
      throw error;
    }
  }
}

/** Whether something is at a path (a folder that cannot be entered counts: its mkdir says why). */
function exists(path: string, fs: DirFs): boolean {
  try {
    fs.statSync(path);
    return true;
  } catch (error) {
    return errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR';
  }
}

/** Whether a path is a folder. */
function isDirectory(path: string, fs: DirFs): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The error for a config dir wixq cannot write to: what failed and how to point wixq elsewhere. */
export function configDirWriteError(dir: string, error: unknown): WixqError {
  return new WixqError(`cannot write to ${dir}: ${writeFailureReason(error)}`, undefined, {
    hint: 'Fix the folder permissions, or set WIXQ_CONFIG_DIR to a folder you can write to.',
    cause: error,
  });
}

/** The system error code of a failed write with a few words of what it means, e.g. `EROFS (read-only file system)`. */
function writeFailureReason(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return `${code} (permission denied)`;
  if (code === 'EROFS') return 'EROFS (read-only file system)';
  if (code === 'ENOTDIR' || code === 'EEXIST') return `${code} (a file is in the way)`;
  return code ?? (error instanceof Error ? error.message : String(error));
}

const UNWRITABLE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST']);

/** Whether an error (or the system error it wraps) says the config dir cannot be written, rather than something broke. */
export function isUnwritable(error: unknown): boolean {
  const code = errorCode(error) ?? (error instanceof Error ? errorCode(error.cause) : undefined);
  return code !== undefined && UNWRITABLE_CODES.has(code);
}

/** Throws the system error when a file exists but this user may not write it (its owner made it read-only). */
export function checkFileWritable(path: string): void {
  try {
    accessSync(path, constants.W_OK);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/**
 * For commands whose point is to write (init, config set|unset, auth login|logout): creates the config dir and proves
 * a file can be made in it and that the named files may be replaced, before any work, so they fail with nothing half-done.
 */
export function checkConfigDirWritable(dir: string, files: readonly string[]): void {
  ensureConfigDir(dir);
  const probe = join(dir, `.write-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx', CONFIG_FILE_MODE));
    unlinkSync(probe);
    for (const name of files) checkFileWritable(join(dir, name));
  } catch (error) {
    throw configDirWriteError(dir, error);
  }
}

/** The files in the config dir that decide where tokens go and which tokens are sent. */
export const TRUSTED_FILES = ['tokens.json', 'config.json'] as const;

/** What secureConfigDir found it could not make private: `<path> …` phrases, empty when all is the owner's only. */
export type TrustProblems = string[];

/**
 * Makes the config dir and its token and settings files private (no group or other bits: 0700, 0600) where this user owns them, and returns
 * what it could not fix: a folder or file another user owns (root aside: root can replace anything anyway), or one
 * others may write that this user cannot chmod. Another local user who can write there could replace the tokens or
 * point config.json's apiUrl at their own server. POSIX only (Windows has no modes to read); a missing dir is fine.
 */
export function secureConfigDir(dir: string, uid: number | undefined = process.getuid?.()): TrustProblems {
  if (uid === undefined) return [];
  const problems: TrustProblems = [];
  const check = (path: string): void => {
    let info;
    try {
      info = lstatSync(path);
    } catch {
      return;
    }
    const perms = info.mode & 0o777;
    if (info.uid !== uid && info.uid !== 0) {
      problems.push(`${path} belongs to another user (uid ${info.uid}, mode ${octal(perms)})`);
      return;
    }
    if (info.uid === uid && !info.isSymbolicLink() && (perms & 0o077) !== 0) {
      try {
        // Group and others lose their bits; the owner keeps theirs (a folder made read-only stays read-only).
        chmodSync(path, perms & 0o700);
        return;
      } catch {
        // Falls through: said below when others may write it.
      }
    }
    if ((perms & 0o022) !== 0) problems.push(`${path} is writable by others (mode ${octal(perms)})`);
  };
  check(dir);
  for (const name of TRUSTED_FILES) check(join(dir, name));
  return problems;
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

/** Whether this user may create files in a folder (false also when it is not there). */
function canWrite(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The one warning about a config dir others could write (what `secureConfigDir` could not fix). */
export function untrustedConfigWarning(dir: string, problems: TrustProblems, alsoUnwritable = false): string {
  return (
    `Warning: ${problems.join('; ')}: another local user could replace the session tokens or settings wixq uses from ${dir}.` +
    (alsoUnwritable ? ' This user cannot write to it either: this run keeps its session in memory and saves nothing.' : '') +
    ' Make it yours and private (chmod 700 the folder, 600 its files), or set WIXQ_CONFIG_DIR to a folder you own.'
  );
}

/**
 * The run's one warning that the config dir cannot be written: read commands then keep their session in memory and
 * save no caches, and say so once, whichever store found out first.
 */
export class UnwritableConfigNotice {
  #reported = false;
  #trustChecked = false;
  #untrustedReported = false;
  readonly #warn: (line: string) => void;

  constructor(warn: (line: string) => void) {
    this.#warn = warn;
  }

  get reported(): boolean {
    return this.#reported;
  }

  /**
   * Tightens the config dir's modes where it can and warns (once per run) about what it could not (another user's
   * folder, a file others may write). When the folder cannot be written either, that is said in the same warning, and
   * the read-only one later is not repeated.
   */
  checkTrust(dir: string): void {
    if (this.#trustChecked) return;
    this.#trustChecked = true;
    const problems = secureConfigDir(dir);
    if (problems.length === 0) return;
    const unwritable = !canWrite(dir);
    this.#untrustedReported = true;
    if (unwritable) this.#reported = true;
    this.#warn(untrustedConfigWarning(dir, problems, unwritable));
  }

  /** Whether this run already warned that others could write the config dir. */
  get untrusted(): boolean {
    return this.#untrustedReported;
  }

  report(dir: string, error: unknown): void {
    if (this.#reported) return;
    this.#reported = true;
    const cause = error instanceof WixqError && error.cause !== undefined ? error.cause : error;
    this.#warn(
      `Warning: cannot write to ${dir}: ${writeFailureReason(cause)}; this run keeps its session in memory and saves nothing. Set WIXQ_CONFIG_DIR to a folder you can write to.`,
    );
  }
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

