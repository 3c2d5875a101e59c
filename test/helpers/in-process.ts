import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli.js';
import { colorEnabled, type IO } from '../../src/output/io.js';
import type { RunResult } from './cli.js';

export interface InProcessOptions {
  /** The whole environment wixq sees (nothing of this process's environment leaks in). */
  env?: Record<string, string | undefined>;
  /** Whether stdout is a terminal (tables by default, as for a person). */
  tty?: boolean;
  /** What stdin holds; it is empty (and closed) without it. */
  input?: string;
  /** Terminal width; like the binary, COLUMNS from `env` or 80. */
  columns?: number;
  /** The clock retries wait with (back-off, Retry-After); real time without it. */
  clock?: IO['clock'];
}

/** A writable that keeps what it is given. */
function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  return { stream, text: () => text };
}

/**
 * Runs `main(argv)` in this process with fake streams: the same stdout, stderr and exit code as the binary, without
 * starting a process. Runs must not overlap (each installs its transport as the global fetch for the SDK): await one
 * before starting the next.
 */
export async function runInProcess(args: string[], options: InProcessOptions = {}): Promise<RunResult> {
  const out = collector();
  const err = collector();
  const env = Object.fromEntries(Object.entries(options.env ?? {}).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
  const tty = options.tty ?? false;
  const io: IO = {
    out: out.stream,
    err: err.stream,
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    stdinIsTTY: false,
    columns: options.columns ?? (Number(env.COLUMNS) || 80),
    // The binary's rule (NO_COLOR, FORCE_COLOR, TERM=dumb), but a fake terminal has no colour unless FORCE_COLOR asks.
    color: colorEnabled(env, false),
    env,
    ...(options.clock && { clock: options.clock }),
  };
  const code = await main(args, io);
  return { code, signal: null, stdout: out.text(), stderr: err.text() };
}

/** A clock for `InProcessOptions.clock`: waits take no time and are written down; `now` stands still unless moved. */
export function fakeClock(startMs = Date.UTC(2026, 0, 15, 12, 0, 0)): NonNullable<IO['clock']> & { sleeps: number[]; nowMs: number } {
  const clock = {
    sleeps: [] as number[],
    nowMs: startMs,
    now: () => clock.nowMs,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
    },
  };
  return clock;
}
