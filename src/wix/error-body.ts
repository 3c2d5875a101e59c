import { AuthError, ExitCode, NotFoundError, TemporaryError, UsageError, WixqError } from '../errors.js';

/**
 * What a Wix error answer says, read from its body: Wix's envelope (`message`, `details.applicationError`,
 * `details.validationError.fieldViolations`; https://dev.wix.com/docs/rest/articles/getting-started/errors) or an
 * OAuth 2.0 error body (`error`, `error_description`; RFC 6749 section 5.2) from the token endpoint.
 */
export interface WixErrorBody {
  /** Wix's own sentence (`message`), or the OAuth `error_description`. */
  message?: string;
  /** `applicationError.code` (e.g. `REQUIRED_APP_NOT_INSTALLED`) or the OAuth `error` (e.g. `invalid_client`). */
  code?: string;
  description?: string;
  violations: Array<{ field: string; description: string }>;
  requestId?: string;
}

/** Parses an error body given as text (a raw response) or as an object; anything else gives an empty result. */
export function parseWixErrorBody(body: unknown): WixErrorBody {
  let data: unknown = body;
  if (typeof body === 'string') {
    try {
      data = JSON.parse(body);
    } catch {
      return { violations: [] };
    }
  }
  if (typeof data !== 'object' || data === null) return { violations: [] };
  const b = data as Record<string, any>;
  const appError = b.details?.applicationError;
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const description = text(appError?.description) ?? text(b.error_description);
  const violations = Array.isArray(b.details?.validationError?.fieldViolations)
    ? (b.details.validationError.fieldViolations as Array<Record<string, unknown>>).map((v) => ({
        field: String(v.field ?? '').replace(/^undefined\./, 'query.'),
        description: String(v.description ?? 'invalid'),
      }))
    : [];
  return {
    message: text(b.message) ?? text(b.error_description),
    code: text(appError?.code) ?? text(b.error),
    description: description === 'UNKNOWN' ? undefined : description,
    violations,
    requestId: text(appError?.data?.requestId) ?? text(b.requestId),
  };
}

/** The best one-line account of an error body: field violations, Wix's message, the description, else `fallback`. */
export function wixErrorText(body: WixErrorBody, fallback: string): string {
  if (body.violations.length > 0) return body.violations.map((v) => `${v.field}: ${v.description}`).join('; ');
  return body.message ?? body.description ?? fallback;
}

/** What to do next after an error status: one table for SDK calls, raw `wixq api` calls and the token endpoint. */
export const STATUS_HINTS = {
  badRequest: 'Check the flags and the --query JSON.',
  unauthorized: 'Check the client ID (wixq auth status), or log in again: wixq auth login.',
  forbiddenVisitor:
    'Visitors cannot do this. Some options (hidden products, merchant data) need admin permissions; drop them or log in as a member: wixq auth login.',
  forbiddenMember: 'A member session cannot do this; it needs admin permissions that wixq does not use.',
  rateLimited: 'Wait a minute and try again, or lower --concurrency.',
  serverSide: "This is on Wix's side or the network; try again later.",
} as const;

/**
 * Hints by the Wix Data API's error codes (WDE…; https://dev.wix.com/docs/sdk/backend-modules/data/error-codes):
 * a collection whose read permission the caller lacks (WDE0027), an unknown or deleted collection (WDE0025, WDE0026).
 */
export function wixDataHints(code: string | undefined, role: string | undefined): StatusErrorOptions['hints'] {
  switch (code) {
    case 'WDE0027':
      return {
        forbidden:
          role === 'member'
            ? "The collection's read permission is above site members (admins only); wixq reads as a visitor or a member. Change it in the CMS (collection permissions) if members should read it."
            : 'Visitors may not read this collection. If it is for site members, log in as one with wixq auth login (or wixq auth login --email <email> --password-stdin) and run this again; a collection for admins only stays closed to members too.',
      };
    case 'WDE0025':
    case 'WDE0026':
      return { notFound: 'Check the collection ID: the CMS shows it in the collection settings (IDs are case-sensitive, e.g. team, not Team).' };
    default:
      return undefined;
  }
}

export interface StatusErrorOptions {
  requestId?: string;
  /** The session's role: a 403 hint differs for visitors and members. */
  role?: string;
  /** Wix's application error code, kept on the error so callers can choose hints by it. */
  code?: string;
  cause?: unknown;
  /** Hints that replace the table's for this caller (e.g. `wixq api` points at the path and body). */
  hints?: Partial<Record<'badRequest' | 'notFound' | 'forbidden' | 'temporary' | 'precondition', string>>;
}

/** Maps an HTTP error status and its text to a WixqError with the exit code users rely on (0-6 table in docs/). */
export function errorForStatus(status: number, text: string, options: StatusErrorOptions = {}): WixqError {
  const opts = { requestId: options.requestId, status, code: options.code, cause: options.cause };
  const hints = options.hints ?? {};
  if (status === 400) return new UsageError(text, { ...opts, hint: hints.badRequest ?? STATUS_HINTS.badRequest });
  if (status === 401) return new AuthError(text, { ...opts, hint: STATUS_HINTS.unauthorized });
  if (status === 403) {
    return new AuthError(text, { ...opts, hint: hints.forbidden ?? (options.role === 'member' ? STATUS_HINTS.forbiddenMember : STATUS_HINTS.forbiddenVisitor) });
  }
  if (status === 404) return new NotFoundError(text, { ...opts, ...(hints.notFound ? { hint: hints.notFound } : {}) });
  if (status === 428) return new WixqError(text, ExitCode.ERROR, { ...opts, ...(hints.precondition ? { hint: hints.precondition } : {}) });
  if (status === 429) return new TemporaryError(text, { ...opts, hint: hints.temporary ?? STATUS_HINTS.rateLimited });
  if (status >= 500) return new TemporaryError(text, { ...opts, hint: hints.temporary ?? STATUS_HINTS.serverSide });
  return new WixqError(text, ExitCode.ERROR, opts);
}
