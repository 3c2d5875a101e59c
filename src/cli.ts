import { ExitCode, InterruptedError, WixqError } from './errors.js';
import { OutputClosedError, outputFailure, outputFailureOf, processIO, type IO } from './output/io.js';
import { VERSION } from './version.js';

/** Runs wixq with the given arguments and returns the exit code. The only place that maps errors to exit codes. */
export async function main(argv: string[], io: IO = processIO()): Promise<number> {
  // The most frequent probe of a CLI answers without loading commander or any command definition.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.out.write(`${VERSION}\n`);
    return ExitCode.OK;
  }
  const { buildProgram } = await import('./program.js');
  const program = buildProgram(io, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.OK;
  } catch (error) {
    return reportError(error, io, program.opts().verbose === true);
  }
}

/** Prints one clear message (plus hint and request ID) for an error and returns its exit code. */
export function reportError(error: unknown, io: IO, verbose = false): number {
  // The reader went away (`wixq … | head -1`): that is how pipes end, not a failure.
  if (error instanceof OutputClosedError) return ExitCode.OK;
  if (error instanceof InterruptedError) {
    io.err.write(`\n${error.message}\n`);
    return error.exitCode;
  }
  if (isCommanderError(error)) {
    // commander already printed its message (help, version, or a usage error).
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return ExitCode.OK;
    }
    return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
  if (error instanceof WixqError) {
    let text = `Error: ${error.message}`;
    if (error.requestId && !error.message.includes(error.requestId)) text += ` (request ID ${error.requestId})`;
    if (error.hint) text += `\n${error.hint}`;
    io.err.write(text + '\n');
    if (verbose && error.stack) io.err.write(error.stack + '\n');
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err.write(`Error: unexpected failure: ${message}\nRun again with --verbose for details, and report it if it persists.\n`);
  if (verbose && error instanceof Error && error.stack) io.err.write(error.stack + '\n');
  return ExitCode.ERROR;
}

/** commander's errors, recognised by shape so that this module (loaded by `--version`) does not import commander. */
function isCommanderError(error: unknown): error is { code: string; exitCode: number } {
  const e = error as { code?: unknown; exitCode?: unknown } | null;
  return typeof e?.code === 'string' && e.code.startsWith('commander.') && typeof e.exitCode === 'number';
}

/** The end of a run whose one write to stdout failed (start.ts's `--version`): exit 0 if the reader went away, else the failure. */
export function endAfterFailedWrite(error: unknown): void {
  const failure = outputFailureOf(error);
  const code = failure ? reportError(failure, processIO()) : ExitCode.OK;
  process.exitCode = code;
  process.stderr.write('', () => process.exit(code));
}

/** The process entry (through start.ts, which answers `--version` itself). */
export function run(): void {
  main(process.argv.slice(2)).then(
    async (code) => {
      // Exit as soon as the work is done: idle keep-alive sockets would otherwise hold the process open for a while.
      // First everything written to stdout is handed to the OS: a write that failed there (a full disk) fails the run,
      // whichever command wrote it, instead of an exit 0 with the data lost.
      const failure = await outputFailure(process.stdout);
      // (A command that met the failure itself has reported it already, with its exit code.)
      if (failure && code === ExitCode.OK) code = reportError(failure, processIO());
      process.exitCode = code;
      process.stderr.write('', () => process.exit(code));
    },
    (error) => {
      process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = ExitCode.ERROR;
    },
  );
}
