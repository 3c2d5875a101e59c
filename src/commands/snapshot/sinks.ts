import { existsSync, statSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CommandContext } from '../../context.js';
import { ExitCode, UsageError, WixqError } from '../../errors.js';
import { removeOnExit } from '../../output/files.js';
import { writeOutput } from '../../output/io.js';
import { removeLeftovers } from '../../session/lock.js';

/** Where the snapshot goes: a temp file renamed over --out when complete, or stdout. */
export interface Sink {
  write(chunk: string): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

/** Why --out cannot be written, in words (the stream would only report it after the site was read, or never). */
function outProblem(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such directory';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  return typeof code === 'string' ? code : String(error);
}

/** Snapshot files are the owner's only: they hold what the session could read, members-only data included (docs/reference.md 3.11). */
const SNAPSHOT_FILE_MODE = 0o600;
/** A temp file of a live pid is kept this long without a write (a slow site); a dead pid's goes at once. */
const SNAPSHOT_TEMP_STALE_MS = 60 * 60 * 1000;

/** A failed write to --out (ENOSPC, EIO): one line, exit 1, and no file (the temp file goes; the old file stays). */
function outWriteError(path: string, error: unknown): WixqError {
  if (error instanceof WixqError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  return new WixqError(`cannot write --out "${path}": ${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)}`, ExitCode.ERROR, {
    hint: `Check that the disk has space and the device works.${existsSync(path) ? ` ${path} is as it was.` : ''}`,
    cause: error,
  });
}

/**
 * --out: a temp file beside it (`.<name>.<pid>.tmp`, 0600), every write awaited and checked, fsync, renamed over the
 * target when complete; a device or a pipe is written directly. The temp files of dead runs are removed first.
 */
export async function fileSink(path: string): Promise<Sink> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const name = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A run killed hard (SIGKILL, a power cut) left its temp file: the next run removes it, as for tokens.json's.
  removeLeftovers(dirname(path), [new RegExp(`^\\.${name}\\.(?<pid>\\d+)\\.tmp$`)], SNAPSHOT_TEMP_STALE_MS);
  // The file is opened now, so a bad --out is a clear error before any page is read.
  let handle: FileHandle;
  let direct = false;
  try {
    const existing = statSync(path, { throwIfNoEntry: false });
    if (existing?.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    // A device or a pipe (/dev/stdout, a FIFO) is written as it is: a temp file renamed over it would replace it.
    direct = existing !== undefined && !existing.isFile();
    handle = await open(direct ? path : temp, 'w', SNAPSHOT_FILE_MODE);
    if (!direct) await handle.chmod(SNAPSHOT_FILE_MODE);
  } catch (error) {
    throw new UsageError(`cannot write --out "${path}": ${outProblem(error)}`, { hint: 'Give a file in a directory you can write to: --out site.json' });
  }
  // Ctrl-C, SIGTERM or SIGHUP end the run while pages are in flight: the half-written temp file goes with the process.
  const forget = direct ? () => {} : removeOnExit(temp);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(chunk) {
      try {
        await handle.writeFile(chunk, 'utf8');
      } catch (error) {
        throw outWriteError(path, error);
      }
    },
    async finish() {
      try {
        // A regular file is on disk before it replaces the old one; a device or pipe has nothing to sync.
        if (!direct) await handle.sync();
        await close();
        if (!direct) await rename(temp, path);
      } catch (error) {
        throw outWriteError(path, error);
      }
      forget();
    },
    async abort() {
      await close().catch(() => {});
      if (!direct) await rm(temp, { force: true });
      forget();
    },
  };
}

export function stdoutSink(ctx: CommandContext): Sink {
  return { write: (chunk) => writeOutput(ctx.io.out, chunk), finish: async () => {}, abort: async () => {} };
}

