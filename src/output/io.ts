import { ExitCode, WixqError } from '../errors.js';

/** The streams and terminal facts a command writes to. Commands never touch process.stdout directly. */
export interface IO {
  /** Data only: JSON, NDJSON, CSV, TSV, tables. */
  out: NodeJS.WritableStream;
  /** Everything else: notices, warnings, progress, errors. */
  err: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Terminal width for tables (80 when unknown). */
  columns: number;
  /** Whether colour is on for stdout (NO_COLOR, FORCE_COLOR, --no-color, TTY). */
  color: boolean;
  env: NodeJS.ProcessEnv;
  /**
   * The run's clock: every time a command reads (and every wait of a retry) comes from it, through `clockOf(io)`.
   * Tests inject one, so that no test waits for real; without it, the system's.
   */
  clock?: Clock;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The system's clock: wall time, and waits that take the time they say. */
const SYSTEM_CLOCK: Clock = { now: () => Date.now(), sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };

/** The run's one clock: the injected one, else the system's. Commands and the context read time only from it. */
export function clockOf(io: IO): Clock {
  return io.clock ?? SYSTEM_CLOCK;
}

/** Decides colour the way clig.dev and gh do: --no-color and NO_COLOR win, FORCE_COLOR forces, else TTY and not dumb. */
export function colorEnabled(env: NodeJS.ProcessEnv, isTTY: boolean, noColorFlag = false): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

/** The IO of a real process. */
export function processIO(env: NodeJS.ProcessEnv = process.env): IO {
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  // From the first byte on, a closed pipe (`wixq … | head`) must never surface as an uncaught EPIPE.
  guardOutput(process.stdout);
  return {
    out: process.stdout,
    err: process.stderr,
    // Made on first use: most commands never read stdin, and building its stream is a cost of every run.
    get stdin() {
      return process.stdin;
    },
    stdoutIsTTY,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY);
    },
    columns: process.stdout.columns || Number(env.COLUMNS) || 80,
    color: colorEnabled(env, stdoutIsTTY),
    env,
  };
}

/**
 * The reader of stdout went away (EPIPE, or the stream was destroyed). Not a WixqError: the caller stops fetching and
 * exits quietly with code 0, the way `head` expects a producer to behave.
 */
export class OutputClosedError extends Error {
  constructor(message = 'the reader of the output went away') {
    super(message);
    this.name = 'OutputClosedError';
  }
}

/** What the guard has seen on a stream: the reader leaving, or some other failure to report on the next write. */
interface StreamGuard {
  readerGone: boolean;
  failure?: Error;
}

const guards = new WeakMap<NodeJS.WritableStream, StreamGuard>();

/** Whether an error means the reader went away rather than something worth reporting. */
export function isReaderGoneError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Installs (once per stream) the 'error' listener that keeps an EPIPE from becoming an uncaught exception. */
export function guardOutput(stream: NodeJS.WritableStream): void {
  guardFor(stream);
}

/**
 * Waits until everything written to the stream so far has been handed to the OS, and returns the write failure it
 * met, if any (ENOSPC on `> /dev/full`, EIO): the run's last word on its output, whoever wrote it (a plain
 * `io.out.write` of a command, commander's help, --version). A reader that went away is not a failure.
 */
export function outputFailure(stream: NodeJS.WritableStream): Promise<Error | undefined> {
  const guard = guardFor(stream);
  return new Promise((resolve) => {
    const settle = (error?: Error | null): void => {
      if (error) recordError(guard, error);
      resolve(guard.readerGone ? undefined : guard.failure);
    };
    try {
      if ((stream as { destroyed?: boolean }).destroyed) return settle();
      stream.write('', settle);
    } catch (error) {
      settle(error as Error);
    }
  });
}

/** Writes one chunk of data, waiting for 'drain' when the stream asks; rejects with OutputClosedError once the reader is gone. */
export async function writeOutput(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  const guard = guardFor(stream);
  throwIfUnwritable(stream, guard);
  let accepted: boolean;
  try {
    accepted = stream.write(chunk, (error?: Error | null) => {
      if (error) recordError(guard, error);
    });
  } catch (error) {
    recordError(guard, error);
    throwIfUnwritable(stream, guard);
    throw error;
  }
  if (!accepted) await waitForDrain(stream, guard);
}

function guardFor(stream: NodeJS.WritableStream): StreamGuard {
  let guard = guards.get(stream);
  if (!guard) {
    const created: StreamGuard = { readerGone: false };
    stream.on('error', (error: unknown) => recordError(created, error));
    guards.set(stream, created);
    guard = created;
  }
  return guard;
}

/** What a failed write to stdout means: nothing to report when the reader went away, else the failure (`outputWriteError`). */
export function outputFailureOf(error: unknown): Error | undefined {
  return isReaderGoneError(error) ? undefined : outputWriteError(error);
}

function recordError(guard: StreamGuard, error: unknown): void {
  if (isReaderGoneError(error)) guard.readerGone = true;
  else guard.failure ??= outputWriteError(error);
}

/** A failed write to the output (a full disk, `> /dev/full`): one clear line and exit 1, not an "unexpected failure". */
function outputWriteError(error: unknown): WixqError {
  if (error instanceof WixqError) return error;
  return new WixqError(`cannot write the output: ${error instanceof Error ? error.message : String(error)}`, ExitCode.ERROR, {
    hint: 'Check where the output goes (the file or device stdout is redirected to) and that it has space.',
    cause: error,
  });
}

function throwIfUnwritable(stream: NodeJS.WritableStream, guard: StreamGuard): void {
  const state = stream as { destroyed?: boolean; writableEnded?: boolean };
  if (guard.readerGone || state.destroyed === true || state.writableEnded === true) throw new OutputClosedError();
  if (guard.failure) throw guard.failure;
}

function waitForDrain(stream: NodeJS.WritableStream, guard: StreamGuard): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: unknown): void => {
      stream.removeListener('drain', onDrain);
      stream.removeListener('error', onError);
      stream.removeListener('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = (): void => settle();
    const onError = (error: unknown): void => {
      recordError(guard, error);
      settle(isReaderGoneError(error) ? new OutputClosedError() : guard.failure);
    };
    const onClose = (): void => settle(new OutputClosedError());
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
    // The reader may have left between the write and now.
    try {
      throwIfUnwritable(stream, guard);
    } catch (error) {
      settle(error);
    }
  });
}
