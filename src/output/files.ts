import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/**
 * Writes a file whole or not at all: a temp file beside it (`<name>.tmp-<pid>-<hex>`, created exclusively), fsync,
 * rename over the target, fsync the folder. Readers never see half a file and a crash never leaves one; the temp file
 * is removed on failure, and errors are thrown as they are. `mode` is applied to the new file when given (the config
 * dir's 0600); without it the file gets the usual mode less the umask.
 */
export async function writeFileAtomically(path: string, text: string, options: { mode?: number } = {}): Promise<void> {
  const target = resolve(path);
  const temp = `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  const forget = removeOnExit(temp);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o666);
    try {
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  } finally {
    forget();
  }
  try {
    // fsync the folder so the rename itself survives a power cut; not every platform allows opening a folder.
    const folder = await open(dirname(target), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    // Windows and some file systems refuse; the rename is still atomic.
  }
}

/** Files to remove when the process exits before their owner is done with them: path → the content it must still hold. */
const onExit = new Map<string, string | undefined>();
let exitHookInstalled = false;

/**
 * Removes `path` when the process exits before the returned function is called: a temp file half written, a lock still
 * held, when Ctrl-C, SIGTERM or SIGHUP end the run (cli.ts exits through process.exit, which runs 'exit' listeners).
 * With `content`, only a file that still holds it (a lock another process took over is not ours to remove).
 */
export function removeOnExit(path: string, content?: string): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const [file, expected] of onExit) {
        try {
          if (expected === undefined || readFileSync(file, 'utf8') === expected) unlinkSync(file);
        } catch {
          // Gone already, or not ours any more.
        }
      }
    });
  }
  onExit.set(path, content);
  return () => {
    if (onExit.get(path) === content) onExit.delete(path);
  };
}
