import { AuthError, WixqError, ExitCode } from '../errors.js';
import { errorForStatus, parseWixErrorBody, wixDataHints, wixErrorText } from './error-body.js';

/**
 * What `@wix/sdk` throws for a non-2xx response, after the module's `transformError`: an `SDKError` (a subclass of
 * `Error`, where `@wix/api-client` threw a plain object) with `status`, `details` (Wix's, plus `requestId`),
 * `requestId` (the answer's `x-wix-request-id`) and `message`, the response body as JSON text (docs/wix-api.md 5.2).
 * Before that transform (as a REST module's `request` rejects) the status is only in `response.status`.
 */
interface SdkApiError {
  status?: number;
  message?: string;
  details?: unknown;
  requestId?: string;
  response?: { status?: unknown };
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
  const e = error as SdkApiError | null;
  const status = e?.status ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
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
  // The SDK keeps the body as JSON text in `message` and the parsed `details` beside it.
  const fromMessage = parseWixErrorBody(e.message ?? '');
  const body = fromMessage.message || fromMessage.code ? fromMessage : parseWixErrorBody({ details: e.details });
  const rawMessage = (e.message ?? '').trim();
  const fallback = rawMessage && rawMessage.length < 300 && !rawMessage.startsWith('{') ? rawMessage : `HTTP ${status} with no details`;
  const requestId = body.requestId ?? e.requestId ?? ctx.lastRequestId;
  const text = wixErrorText(body, fallback);
  const options = { requestId, role: ctx.role, code: body.code, cause: error };
  if (body.violations.length > 0) {
    return errorForStatus(400, `Wix rejected the request to ${ctx.action}: ${text}`, { ...options, hints: { badRequest: 'Check the --filter, --sort, --limit and --query values.' } });
  }
  const a = ctx.action;
  const message =
    status === 400 ? `Wix rejected the request to ${a}: ${text}`
    : status === 401 ? `Wix did not accept the session token (401) to ${a}: ${text}`
    : status === 403 ? `permission denied (403) to ${a}: ${text}`
    : status === 404 ? `not found: could not ${a}${body.code ? ` (${body.code})` : ''}: ${text}`
    : status === 428 ? `Wix refused to ${a} (428 ${body.code ?? 'precondition'}): ${text}`
    : status === 429 ? `rate limited by Wix (429) to ${a}, still after retries`
    : status >= 500 ? `Wix answered ${status} to ${a}, still after retries: ${text}`
    : `Wix answered ${status} to ${a}: ${text}`;
  return errorForStatus(status, message, { ...options, hints: { precondition: preconditionHint(body.code), ...wixDataHints(body.code, ctx.role) } });
}

/** The catalog a wrong-catalog 428 says the site runs (`CATALOG_V1_SITE_CALLING_CATALOG_V3_API`: v1), if it is one. */
export function siteCatalogOf(code: string | undefined): 'v1' | 'v3' | undefined {
  const match = /^CATALOG_(V1|V3)_(?:SITE_)?CALLING_CATALOG_V[13]_API$/.exec(code ?? '');
  return match ? (match[1] === 'V1' ? 'v1' : 'v3') : undefined;
}

/**
 * What to do after a 428, by Wix's code: Stores missing (REQUIRED_APP_NOT_INSTALLED), or the site runs the other
 * catalog (CATALOG_V1_SITE_CALLING_CATALOG_V3_API and the V3 counterpart; see the Catalog Versioning introduction,
 * https://dev.wix.com/docs/rest/business-solutions/stores/catalog-versioning/introduction).
 */
function preconditionHint(code: string | undefined): string {
  if (code === 'REQUIRED_APP_NOT_INSTALLED') {
    return 'The site has no Wix Stores: add the Stores app to the site, or check that the client ID belongs to the site you mean (wixq auth status).';
  }
  // Create Checkout's refusal on a site that takes no payments (docs/wix-api.md 15.3).
  if (code === 'SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT') return 'The site accepts no payments yet: connect a payment method in its dashboard (Settings > Accept Payments), then try again.';
  const site = siteCatalogOf(code);
  if (site) return `This site runs Catalog ${site.toUpperCase()}: drop --catalog (wixq detects it) or pass --catalog ${site}.`;
  return 'Wix refused a precondition of this request; run again with --verbose to see it.';
}

/** The 401 that survives a renewal: the session is not the problem, the client ID or the member is. */
export function stillUnauthorized(action: string, requestId: string | undefined): AuthError {
  return new AuthError(`Wix still rejected the session after renewing it (401) to ${action}.`, {
    requestId,
    hint: 'Check the client ID (wixq auth status); if you are a member, log in again: wixq auth login.',
  });
}

/**
 * The server at the API URL answers 404 where Wix never does (its token endpoint, or both the catalog version endpoint
 * and a products query): it is not Wix's API nor a wixq emulator (exit 1, with the URL and the fix).
 */
export function notWixApi(apiUrl: string, answered: string): WixqError {
  return new WixqError(`the server at ${apiUrl} does not answer like Wix's API: ${answered}.`, ExitCode.ERROR, {
    hint: "Check the API URL (--api-url, WIXQ_API_URL, or wixq config get api-url): it must be Wix's (https://www.wixapis.com) or a wixq emulator's; unset it to use Wix's.",
  });
}
