import { AuthError, NotFoundError, TemporaryError, UsageError, WixqError, ExitCode } from '../errors.js';

/** The plain object `@wix/api-client` throws for a non-200 response (wix-wire.md 5.2). */
interface SdkApiError {
  status?: number;
  message?: string;
  details?: {
    applicationError?: { code?: string | number; description?: string; data?: { requestId?: string; details?: unknown } };
    validationError?: { fieldViolations?: Array<{ field?: string; description?: string }> };
  };
  requestId?: string;
}

export interface ErrorContext {
  /** What was being done, for the message: "list products", "get product shirt". */
  action: string;
  /** The request ID of the last response the transport saw. */
  lastRequestId?: string;
  /** A network or timeout failure the transport recorded (the SDK hides it behind "System error occurred"). */
  lastFailure?: WixqError;
  /** Set when the session is a visitor's: a 403 then says so. */
  role?: string;
}

/** The HTTP status of an SDK error, if it came from a response. */
export function sdkErrorStatus(error: unknown): number | undefined {
  const status = (error as SdkApiError | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Wix's own message text inside the SDK's JSON-string `message`; never the raw JSON dump. */
function wixMessage(error: SdkApiError, status: number): string {
  const raw = error.message ?? '';
  let parsed: { message?: unknown } | undefined;
  try {
    parsed = JSON.parse(raw) as { message?: unknown };
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed.message === 'string' && parsed.message.trim()) return parsed.message.trim();
  const description = error.details?.applicationError?.description;
  if (typeof description === 'string' && description.trim() && description !== 'UNKNOWN') return description.trim();
  if (!parsed && raw.trim() && raw.length < 300) return raw.trim();
  return `HTTP ${status} with no details`;
}

/** Turns anything the SDK throws into a WixqError with the right exit code, a next step and the request ID. */
export function toWixqError(error: unknown, ctx: ErrorContext): WixqError {
  if (error instanceof WixqError) return error;
  const status = sdkErrorStatus(error);
  if (status === undefined) {
    if (ctx.lastFailure) return ctx.lastFailure;
    const message = error instanceof Error ? error.message : String(error);
    return new WixqError(`could not ${ctx.action}: ${message}`, ExitCode.ERROR, {
      requestId: ctx.lastRequestId,
      hint: 'Run again with --verbose to see the HTTP requests.',
      cause: error,
    });
  }
  const e = error as SdkApiError;
  const appError = e.details?.applicationError;
  const requestId = appError?.data?.requestId ?? e.requestId ?? ctx.lastRequestId;
  const code = typeof appError?.code === 'string' ? appError.code : undefined;
  const text = wixMessage(e, status);
  const opts = { requestId, status, cause: error };
  const violations = e.details?.validationError?.fieldViolations;
  if (violations && violations.length > 0) {
    const list = violations.map((v) => `${(v.field ?? '').replace(/^undefined\./, 'query.')}: ${v.description ?? 'invalid'}`).join('; ');
    return new UsageError(`Wix rejected the request to ${ctx.action}: ${list}`, { ...opts, hint: 'Check the --filter, --sort, --limit and --query values.' });
  }
  switch (true) {
    case status === 400:
      return new UsageError(`Wix rejected the request to ${ctx.action}: ${text}`, { ...opts, hint: 'Check the flags and the --query JSON.' });
    case status === 401:
      return new AuthError(`Wix did not accept the session token (401) to ${ctx.action}: ${text}`, {
        ...opts,
        hint: 'Check the client ID (wixq auth status), or log in again: wixq auth login.',
      });
    case status === 403:
      return new AuthError(`permission denied (403) to ${ctx.action}: ${text}`, {
        ...opts,
        hint:
          ctx.role === 'member'
            ? 'A member session cannot do this; it needs admin permissions that wixq does not use.'
            : 'Visitors cannot do this. Some options (hidden products, merchant data) need admin permissions; drop them or log in as a member: wixq auth login.',
      });
    case status === 404:
      return new NotFoundError(`not found: could not ${ctx.action}${code ? ` (${code})` : ''}: ${text}`, opts);
    case status === 428:
      return new WixqError(`Wix refused to ${ctx.action} (428 ${code ?? 'precondition'}): ${text}`, ExitCode.ERROR, {
        ...opts,
        hint: 'The site may use the other Stores catalog version: try --catalog v1 or --catalog v3.',
      });
    case status === 429:
      return new TemporaryError(`rate limited by Wix (429) to ${ctx.action}, still after retries`, {
        ...opts,
        hint: 'Wait a minute and try again, or lower --concurrency.',
      });
    case status >= 500:
      return new TemporaryError(`Wix answered ${status} to ${ctx.action}, still after retries: ${text}`, {
        ...opts,
        hint: 'This is on Wix\'s side or the network; try again later.',
      });
    default:
      return new WixqError(`Wix answered ${status} to ${ctx.action}: ${text}`, ExitCode.ERROR, opts);
  }
}
