import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../errors.js';
import type { IO } from '../output/io.js';
import type { GlobalOptions } from '../program.js';

/** The global options as commander parsed them, wherever they were typed on the line. */
export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

/** Runs a command's work with a fresh context, and always closes it (tokens saved, demo emulator stopped). */
export async function withContext<T>(io: IO, command: Command, work: (ctx: CommandContext) => Promise<T>): Promise<T> {
  // Imported here, not at the top: `--help` and `--version` must not load settings, sessions or the SDK.
  const { createContext } = await import('../context.js');
  const ctx = createContext(io, globalsOf(command));
  let failed = false;
  // Ctrl-C: tokens are already on disk (every change is written when it happens), so stop at once with 130.
  const onInterrupt = (): void => {
    io.err.write('\nInterrupted.\n');
    process.exit(ExitCode.INTERRUPTED);
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await work(ctx);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
    try {
      await ctx.close();
    } catch (error) {
      // A failure to save must not hide the command's own error; alone, it is the error.
      if (!failed) throw error;
    }
  }
}
