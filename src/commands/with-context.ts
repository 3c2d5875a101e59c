import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { ENDING_SIGNALS, InterruptedError, type EndingSignal } from '../errors.js';
import type { GlobalOptions } from '../global-options.js';
import type { IO } from '../output/io.js';

/**
 * Starts loading the context's module (settings, sessions, transport) without waiting: program.ts calls it when a
 * command's action is about to run, so that it loads while the command's own run.ts does. `--help` never gets here.
 */
export function preloadContext(): void {
  import('../context.js').catch(() => {});
}

/** Runs a command's work with a fresh context, and always closes it (tokens saved, demo emulator stopped). */
export async function withContext<T>(io: IO, command: Command, work: (ctx: CommandContext) => Promise<T>): Promise<T> {
  // Imported here, not at the top: `--help` and `--version` must not load settings, sessions or the SDK.
  const { createContext } = await import('../context.js');
  const ctx = createContext(io, command.optsWithGlobals() as GlobalOptions);
  let failed = false;
  // Ctrl-C: tokens are already on disk (every change is written when it happens), so the run ends at once; cli.ts
  // turns the InterruptedError into exit 130. SIGTERM and SIGHUP end it the same way (143, 129): the process then
  // exits through process.exit, whose 'exit' listeners remove temp files and locks (output/files.ts removeOnExit).
  let interrupt: (error: InterruptedError) => void = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = reject;
  });
  const handlers = (Object.keys(ENDING_SIGNALS) as EndingSignal[]).map((signal) => {
    const handler = (): void => interrupt(new InterruptedError(undefined, signal));
    process.once(signal, handler);
    return { signal, handler };
  });
  try {
    await ctx.start();
    return await Promise.race([work(ctx), interrupted]);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    for (const { signal, handler } of handlers) process.off(signal, handler);
    try {
      await ctx.close();
    } catch (error) {
      // A failure to save must not hide the command's own error; alone, it is the error.
      if (!failed) throw error;
    }
  }
}
