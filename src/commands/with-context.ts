import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { InterruptedError } from '../errors.js';
import type { GlobalOptions } from '../global-options.js';
import type { IO } from '../output/io.js';

/** Runs a command's work with a fresh context, and always closes it (tokens saved, demo emulator stopped). */
export async function withContext<T>(io: IO, command: Command, work: (ctx: CommandContext) => Promise<T>): Promise<T> {
  // Imported here, not at the top: `--help` and `--version` must not load settings, sessions or the SDK.
  const { createContext } = await import('../context.js');
  const ctx = createContext(io, command.optsWithGlobals() as GlobalOptions);
  let failed = false;
  // Ctrl-C: tokens are already on disk (every change is written when it happens), so the run ends at once; cli.ts
  // turns the InterruptedError into exit 130.
  let interrupt: (error: InterruptedError) => void = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = reject;
  });
  const onInterrupt = (): void => interrupt(new InterruptedError());
  process.once('SIGINT', onInterrupt);
  try {
    await ctx.start();
    return await Promise.race([work(ctx), interrupted]);
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
