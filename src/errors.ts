/** The exit codes users and scripts rely on (docs/reference.md, "Exit codes"): the only table of them. */
export const ExitCode = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  AUTH: 4,
  TEMPORARY: 5,
  CHECK_FAILED: 6,
  INTERRUPTED: 130,
  /** SIGHUP (128 + 1): the terminal went away. */
  HANGUP: 129,
  /** SIGTERM (128 + 15): `kill`, a CI job cancelled, a container stopped. */
  TERMINATED: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface WixqErrorOptions {
  /** What the user can do next, printed on its own line after the message. */
  hint?: string;
  /** Wix's x-wix-request-id, when the failure came from a response. */
  requestId?: string;
  /** HTTP status, when the failure came from a response. */
  status?: number;
  /** Wix's `applicationError.code` (e.g. `REQUIRED_APP_NOT_INSTALLED`), when the response carried one. */
  code?: string;
  cause?: unknown;
}

/** An error meant for the user: one clear message, a hint, an exit code. cli.ts is the only place that prints it. */
export class WixqError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  readonly requestId?: string;
  readonly status?: number;
  readonly code?: string;

  constructor(message: string, exitCode: ExitCodeValue = ExitCode.ERROR, options: WixqErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.requestId = options.requestId;
    this.status = options.status;
    this.code = options.code;
  }
}

/** Bad flag, bad filter, bad JSON, or a 400 validation error from Wix (exit 2). */
export class UsageError extends WixqError {
  constructor(message: string, options: WixqErrorOptions = {}) {
    super(message, ExitCode.USAGE, options);
  }
}

/** A get of an unknown id or slug, or any 404 (exit 3). */
export class NotFoundError extends WixqError {
  constructor(message: string, options: WixqErrorOptions = {}) {
    super(message, ExitCode.NOT_FOUND, options);
  }
}

/** No client ID, client ID rejected, member session expired, 401 after re-authenticating, 403 (exit 4). */
export class AuthError extends WixqError {
  constructor(message: string, options: WixqErrorOptions = {}) {
    super(message, ExitCode.AUTH, options);
  }
}

/** Network unreachable, timeout, 429 or 5xx still failing after retries (exit 5). */
export class TemporaryError extends WixqError {
  constructor(message: string, options: WixqErrorOptions = {}) {
    super(message, ExitCode.TEMPORARY, options);
  }
}

/** `wixq check` ran and an assertion failed (exit 6). */
export class CheckFailedError extends WixqError {
  constructor(message: string, options: WixqErrorOptions = {}) {
    super(message, ExitCode.CHECK_FAILED, options);
  }
}

/** The signals that end a run through the same clean-up as Ctrl-C, with the exit code and line each conventionally gets. */
export const ENDING_SIGNALS = {
  SIGINT: { exitCode: ExitCode.INTERRUPTED, message: 'Interrupted.' },
  SIGTERM: { exitCode: ExitCode.TERMINATED, message: 'Terminated.' },
  SIGHUP: { exitCode: ExitCode.HANGUP, message: 'Hung up.' },
} as const;
export type EndingSignal = keyof typeof ENDING_SIGNALS;

/** Ctrl-C (exit 130), or SIGTERM (143) or SIGHUP (129): the run ends, its temp files and locks removed. */
export class InterruptedError extends WixqError {
  readonly signal: EndingSignal;

  constructor(message?: string, signal: EndingSignal = 'SIGINT') {
    super(message ?? ENDING_SIGNALS[signal].message, ENDING_SIGNALS[signal].exitCode);
    this.signal = signal;
  }
}

/** Why a walk over a list's pages could not deliver every item (src/wix/pager.ts decides; the exit code follows). */
export type IncompleteWalkReason =
  /** The API cannot page that far with these flags (an offset ceiling): refused before anything is written (exit 2). */
  | 'ceiling'
  /** A page came back short or empty although the total (or the page) said more follow, twice (exit 5). */
  | 'short-page'
  /** The server handed back a cursor the walk had already followed (exit 5). */
  | 'repeated-cursor'
  /** The server answered the same page again (an offset it ignored) (exit 5). */
  | 'repeated-page';

/**
 * A list walk (`--all`, `--limit`, `snapshot`, `api --paginate`) that could not deliver every item it was asked for:
 * never a short answer with exit 0. `written` items went out before it stopped (0 for a refusal up front), of `total`
 * when the API gave one. A ceiling is the flags' reason (exit 2, with what works); the others are the server's (exit 5).
 */
export class IncompleteWalkError extends WixqError {
  readonly reason: IncompleteWalkReason;
  readonly written: number;
  readonly total?: number;

  constructor(message: string, details: { reason: IncompleteWalkReason; written: number; total?: number }, options: WixqErrorOptions = {}) {
    super(message, details.reason === 'ceiling' ? ExitCode.USAGE : ExitCode.TEMPORARY, options);
    this.reason = details.reason;
    this.written = details.written;
    this.total = details.total;
  }
}
