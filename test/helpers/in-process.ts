import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli.js';
import type { IO } from '../../src/output/io.js';
import type { RunResult } from './cli.js';

export interface InProcessOptions {
  env?: Record<string, string | undefined>;
  /** Whether stdout is a terminal (tables by default, as for a person). */
  tty?: boolean;
  input?: string;
  columns?: number;
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

/** Runs `main(argv)` in this process with fake streams: the same result as the binary, without starting a process. */
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
    columns: options.columns ?? 100,
    color: false,
    env,
  };
  const code = await main(args, io);
  return { code, signal: null, stdout: out.text(), stderr: err.text() };
}
