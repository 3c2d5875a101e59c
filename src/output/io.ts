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
  return {
    out: process.stdout,
    err: process.stderr,
    stdin: process.stdin,
    stdoutIsTTY,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    columns: process.stdout.columns || Number(env.COLUMNS) || 80,
    color: colorEnabled(env, stdoutIsTTY),
    env,
  };
}
