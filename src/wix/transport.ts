import { ExitCode, TemporaryError, WixqError } from '../errors.js';
import { VERSION } from '../version.js';
import { networkCause } from './oauth.js';
import { DEFAULT_API_URL, WIX_API_HOSTS } from './hosts.js';
import { createProxyFetch, proxyFor, proxySettings } from './proxy.js';
import { headerValueProblem, LiteHeaders, LiteResponse, liteFetch } from './http-fetch.js';

export interface TransportOptions {
  /** Replaces https://www.wixapis.com and https://edge.wixapis.com (no trailing slash). */
  apiUrl?: string;
  /** Extra tries for reads. */
  retries: number;
  timeoutMs: number;
  /** --verbose: one line per request and response, secrets redacted. */
  trace?: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Milliseconds since the epoch (durations in the trace, Retry-After dates). */
  now?: () => number;
}

/** The fetch wixq and the SDK use: base URL, retries, timeouts, request IDs, trace. */
export interface Transport {
  fetch: typeof fetch;
  /** Sets globalThis.fetch for the SDK (it calls the global fetch at call time); returns a function that restores it. */
  install(): () => void;
  /** The x-wix-request-id of the last response. */
  lastRequestId(): string | undefined;
  /** The last network or timeout failure thrown (the SDK hides it behind "System error occurred: {}"). */
  lastFailure(): WixqError | undefined;
  /** HTTP attempts sent, retries included. */
  requestCount(): number;
}

const QUERY_SUFFIXES = ['/query', '/query-platformized', '/search', '/count', '/time-slots', '/time-slots/event', '/availability/query'];
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Redirects followed within one origin before wixq gives up (Wix's API answers without any). */
export const MAX_REDIRECTS = 5;
// Failures before the request reached the server: even a write can be sent again.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);
/** Sent with every request, so Wix (and a proxy's logs) can tell wixq's traffic apart. */
export const USER_AGENT = `wixq/${VERSION}`;
const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 5_000;
const RETRY_AFTER_CAP_MS = 60_000;
const TRACE_BODY_LIMIT = 2_000;
const REDACTED = '[redacted]';
const SECRET_FIELDS = new Set(['access_token', 'refresh_token', 'refreshtoken', 'accesstoken', 'password', 'codeverifier', 'code_verifier', 'sessiontoken', 'statetoken', 'client_secret', 'id_token']);
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
// Without a proxy, requests go out over node:http (http-fetch.ts): Node's global fetch costs ~70 ms to start.
const directFetch = liteFetch as unknown as typeof fetch;

const CAUSE_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  EPIPE: 'the server closed the connection',
};

type RequestBody = RequestInit['body'];

interface OutgoingRequest {
  url: string;
  method: string;
  headers: LiteHeaders;
  body: RequestBody;
  signal: AbortSignal | undefined;
  redirect: RequestInit['redirect'];
}

/** Creates the transport; the SDK reaches it through install(), wixq's own requests through .fetch. */
export function createTransport(opts: TransportOptions): Transport {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const trace = opts.trace ? (line: string) => opts.trace!.write(`${line}\n`) : undefined;
  let requestId: string | undefined;
  let failure: WixqError | undefined;
  let attempts = 0;
  let baseFetch: Promise<typeof fetch> | undefined;

  /** The fetch that sends: undici with the proxy when one is configured, else Node's own (undici not loaded). */
  function sender(): Promise<typeof fetch> {
    baseFetch ??= proxySettings(opts.env) ? createProxyFetch(opts.env).then((f) => f ?? directFetch) : Promise.resolve(directFetch);
    return baseFetch;
  }

  async function transportFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = await readRequest(input, init);
    const target = rewriteUrl(request.url, opts.apiUrl);
    const readOnly = isRetryableRequest(request.method, target);
    const isLogin = new URL(target).pathname.includes('/iam/authentication/');
    const maxTries = 1 + Math.max(0, opts.retries);
    let send: typeof fetch;
    try {
      checkHeaders(request.headers);
      send = await sender();
    } catch (error) {
      // A bad proxy variable or a header that cannot be sent: the SDK would hide this error, so keep it for the caller.
      if (error instanceof WixqError) throw (failure = keepMessage(error));
      throw error;
    }
    let lastAttemptRequestId: string | undefined;

    attempts: for (let attempt = 1; ; attempt++) {
      trace?.(`→ ${request.method} ${redactUrl(target)}${attempt > 1 ? ` (try ${attempt} of ${maxTries})` : ''}`);
      if (trace && attempt === 1) traceRequestDetails(trace, request);
      const timeout = new AbortController();
      // One timeout for the whole attempt: every redirect hop, and each body read whole.
      const timer = setTimeout(() => timeout.abort(), opts.timeoutMs);
      timer.unref?.();
      const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
      // The hops of this attempt: the target, then each redirect within its origin.
      let hop: Hop = { url: target, method: request.method, headers: request.headers, body: request.body };
      const chain: Hop[] = [hop];
      let response: LiteResponse;

      for (;;) {
        const started = now();
        const where = describeTarget(hop.url);
        attempts++;
        try {
          response = await readWhole(
            await send(hop.url, { method: hop.method, headers: Object.fromEntries(hop.headers), body: hop.body, signal, redirect: 'manual' }),
            hop.url,
          );
        } catch (error) {
          clearTimeout(timer);
          if (request.signal?.aborted) throw error;
          const timedOut = timeout.signal.aborted;
          const cause = timedOut ? undefined : networkCause(error);
          trace?.(`← ${timedOut ? `timed out after ${formatSeconds(opts.timeoutMs)}` : `failed after ${now() - started} ms: ${cause}`}`);
          const mayRetry = readOnly || (!isLogin && cause !== undefined && NOT_SENT_CODES.has(cause));
          if (mayRetry && attempt < maxTries) {
            const delay = backoff(attempt, random);
            trace?.(`  retrying in ${formatDelay(delay)}`);
            await sleep(delay);
            continue attempts;
          }
          const plain = timedOut
            ? timeoutError(where, opts.timeoutMs, attempt, lastAttemptRequestId)
            : networkError(where, cause!, attempt, lastAttemptRequestId, opts.apiUrl, error, proxyFor(hop.url, proxySettings(opts.env)));
          // A write that may have reached the server was not sent again: the user must know before trying it again.
          const maybeApplied = !readOnly && (timedOut || !NOT_SENT_CODES.has(cause!));
          failure = keepMessage(maybeApplied ? withHint(plain, `${plain.hint} ${MAYBE_APPLIED_HINT}`) : plain);
          throw failure;
        }

        const id = response.headers.get('x-wix-request-id') ?? undefined;
        if (id) requestId = lastAttemptRequestId = id;
        trace?.(`← ${response.status} in ${now() - started} ms${id ? ` (request ID ${id})` : ''}`);
        // A caller that follows redirects itself (the login walker) gets the 3xx as it is.
        if (request.redirect === 'manual') break;
        let next: Hop | undefined;
        try {
          next = nextHop(response, chain, request.redirect === 'error', opts.apiUrl);
        } catch (error) {
          clearTimeout(timer);
          // An answer, not a failure: a redirect that leaves the origin or goes round is never sent again.
          throw (failure = keepMessage(error as WixqError));
        }
        if (!next) break;
        trace?.(`  redirected to ${redactUrl(next.url)}`);
        trace?.(`→ ${next.method} ${redactUrl(next.url)} (redirect ${chain.length})`);
        chain.push(next);
        hop = next;
      }
      clearTimeout(timer);
      if (chain.length > 1) response = response.with({ url: hop.url, redirected: true });

      if (readOnly && RETRY_STATUSES.has(response.status) && attempt < maxTries) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
        const delay = retryAfter ?? backoff(attempt, random);
        if (trace) await traceResponseBody(trace, response);
        trace?.(`  retrying in ${formatDelay(delay)}${retryAfter !== undefined ? ' (Retry-After)' : ''}`);
        await sleep(delay);
        continue;
      }
      if (trace && response.status !== 200) await traceResponseBody(trace, response);
      const answered = `${hop.method} ${describeTarget(hop.url)}`;
      return response.with({
        // The SDK parses a 200 once (res.json()); a body that is not JSON becomes wixq's exit 5, not "System error occurred".
        notJson: (res, text, error) => {
          if (!res.ok) return error instanceof Error ? error : new Error(String(error));
          trace?.(`  body (not JSON): ${truncate(redactBody(text))}`);
          failure = keepMessage(notJsonError(answered, res.status, res.size, res.headers.get('content-type'), opts.apiUrl, res.headers.get('x-wix-request-id') ?? undefined));
          return failure;
        },
      }) as unknown as Response;
    }
  }

  const fetchFn = transportFetch as typeof fetch;
  return {
    fetch: fetchFn,
    install() {
      const previous = globalThis.fetch;
      globalThis.fetch = fetchFn;
      return () => {
        if (globalThis.fetch === fetchFn) globalThis.fetch = previous;
      };
    },
    lastRequestId: () => requestId,
    lastFailure: () => failure,
    requestCount: () => attempts,
  };
}

/**
 * Pins an error's message. The SDK rewrites the message of whatever a fetch throws, in place ("System error occurred:
 * {json}", sdk-runtime transform-error wrapError), and wixq would then print that dump instead of its own words.
 */
export function keepMessage<E extends Error>(error: E): E {
  const message = error.message;
  Object.defineProperty(error, 'message', { get: () => message, set: () => {}, enumerable: false, configurable: true });
  return error;
}

/** Maps the Wix API hosts the SDK calls onto apiUrl, keeping path and query; other URLs are left alone. */
export function rewriteUrl(url: string, apiUrl: string | undefined): string {
  if (!apiUrl) return url;
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' || !WIX_API_HOSTS.has(parsed.host)) return url;
  return `${apiUrl.replace(/\/+$/, '')}${parsed.pathname}${parsed.search}`;
}

/** Whether a request may be sent again after a failure: reads, the token endpoint, query-style POSTs; never login. */
export function isRetryableRequest(method: string, url: string): boolean {
  const path = new URL(url).pathname;
  if (path.includes('/iam/authentication/')) return false;
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') return true;
  if (m !== 'POST') return false;
  return path.endsWith('/oauth2/token') || QUERY_SUFFIXES.some((suffix) => path.endsWith(suffix));
}

/** Retry-After in seconds or as an HTTP date, in milliseconds capped at 60 s; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else {
    const date = Date.parse(text);
    if (Number.isNaN(date)) return undefined;
    ms = date - nowMs;
  }
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, Math.ceil(ms)));
}

/** Exponential backoff with full jitter: random in [0, min(5 s, 200 ms × 2^(attempt-1))). */
export function backoff(attempt: number, random: () => number): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
}

/** A body with token-like fields replaced by [redacted] (JSON, form-encoded, or any text that looks like either). */
export function redactBody(text: string): string {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) return JSON.stringify(redactValue(parsed, 0));
  } catch {
    // Not JSON: try the other shapes.
  }
  if (/^[^\s{}[\]"]+=[^\s]*$/.test(text.trim())) {
    const params = new URLSearchParams(text);
    for (const key of [...params.keys()]) if (isSecretField(key, 0)) params.set(key, REDACTED);
    return params.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
  }
  // Broken JSON (a truncated body): still never let a token through.
  return text.replace(/("([A-Za-z_]+)"\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\s]+)/g, (whole, prefix: string, key: string) =>
    isSecretField(key, 0) ? `${prefix}"${REDACTED}"` : whole,
  );
}

function redactValue(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) result[key] = isSecretField(key, depth) ? REDACTED : redactValue(item, depth + 1);
  return result;
}

/** `code` is a secret only at the top level (the authorization code); Wix error envelopes nest harmless codes. */
function isSecretField(key: string, depth: number): boolean {
  const lower = key.toLowerCase();
  return SECRET_FIELDS.has(lower) || (lower === 'code' && depth === 0);
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  let changed = false;
  for (const key of [...parsed.searchParams.keys()]) {
    if (isSecretField(key, 0)) {
      parsed.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? parsed.href.replaceAll(encodeURIComponent(REDACTED), REDACTED) : url;
}

function traceRequestDetails(trace: (line: string) => void, request: OutgoingRequest): void {
  for (const [name, value] of request.headers) trace(`  ${name}: ${SECRET_HEADERS.has(name) ? REDACTED : value}`);
  const text = bodyText(request.body);
  if (text !== undefined) trace(`  body: ${truncate(redactBody(text))}`);
}

async function traceResponseBody(trace: (line: string) => void, response: { text(): Promise<string> }): Promise<void> {
  const text = await response.text().catch(() => '');
  if (text !== '') trace(`  body: ${truncate(redactBody(text))}`);
}

function bodyText(body: RequestBody): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  if (ArrayBuffer.isView(body)) return new TextDecoder().decode(body as Uint8Array);
  return '[binary body]';
}

function truncate(text: string): string {
  return text.length > TRACE_BODY_LIMIT ? `${text.slice(0, TRACE_BODY_LIMIT)}… (${text.length} characters)` : text;
}

/** Normalizes fetch's (input, init) into one request whose body can be sent again on a retry. */
async function readRequest(input: string | URL | Request, init: RequestInit | undefined): Promise<OutgoingRequest> {
  let request: OutgoingRequest;
  if (typeof input === 'string' || input instanceof URL) {
    request = { url: String(input), method: 'GET', headers: new LiteHeaders(), body: undefined, signal: undefined, redirect: undefined };
  } else {
    const hasOwnBody = init?.body !== undefined && init.body !== null;
    request = {
      url: input.url,
      method: input.method,
      headers: new LiteHeaders(input.headers),
      body: input.body && !hasOwnBody ? await input.arrayBuffer() : undefined,
      signal: input.signal,
      redirect: input.redirect,
    };
  }
  if (init) {
    if (init.method) request.method = init.method;
    if (init.headers) request.headers = new LiteHeaders(init.headers as Record<string, string>);
    if (init.body !== undefined && init.body !== null) request.body = init.body;
    if (init.signal) request.signal = init.signal;
    if (init.redirect) request.redirect = init.redirect;
  }
  request.method = request.method.toUpperCase();
  // Every request says who sent it, as API providers ask of clients (a user's own -H User-Agent wins).
  if (!request.headers.has('user-agent')) request.headers.set('user-agent', USER_AGENT);
  // A stream can be read only once; retries need the bytes.
  if (isStream(request.body)) request.body = await new Response(request.body).arrayBuffer();
  return request;
}

/** Whether a request body is a web stream (checked by shape: touching the ReadableStream global loads undici). */
function isStream(body: unknown): body is ReadableStream {
  return typeof body === 'object' && body !== null && typeof (body as { getReader?: unknown }).getReader === 'function';
}

/** A response read whole, as a LiteResponse (undici's through a proxy too), so that the timeout covers the body. */
async function readWhole(response: Response | LiteResponse, url: string): Promise<LiteResponse> {
  if (response instanceof LiteResponse) return response;
  const bytes = Buffer.from(await response.arrayBuffer());
  return new LiteResponse(bytes, { status: response.status, statusText: response.statusText, headers: new LiteHeaders(response.headers), url: response.url || url });
}

/** One request of a redirect chain. */
interface Hop {
  url: string;
  method: string;
  headers: LiteHeaders;
  body: RequestBody;
}

/**
 * Wix's API hosts are one origin for redirects: the SDK already sends the same token to both (and `--api-url` maps both
 * onto one URL). Any other origin is its own: scheme, host and port.
 */
function originOf(url: URL): string {
  return url.protocol === 'https:' && WIX_API_HOSTS.has(url.host) ? DEFAULT_API_URL : url.origin;
}

/**
 * The next hop of a redirect, or undefined when the response is not one to follow. A redirect is followed only within
 * the origin (with the same headers, the token included), at most MAX_REDIRECTS times, never back to a URL of the
 * chain; anything else is an error (exit 1) that names both hosts, and nothing is sent to the other one.
 */
function nextHop(response: LiteResponse, chain: readonly Hop[], refuse: boolean, apiUrl: string | undefined): Hop | undefined {
  const location = response.headers.get('location');
  if (!REDIRECT_STATUSES.has(response.status) || location === null) return undefined;
  const hop = chain[chain.length - 1]!;
  const from = new URL(hop.url);
  const requestId = response.headers.get('x-wix-request-id') ?? undefined;
  const what = `${hop.method} ${from.pathname}`;
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw new WixqError(`${from.origin} redirected ${what} to "${location}", which is not a URL`, ExitCode.ERROR, { requestId, status: response.status });
  }
  to.hash = '';
  // A redirect to a Wix API host goes where every Wix request goes: the API URL.
  to = new URL(rewriteUrl(to.href, apiUrl));
  if (originOf(to) !== originOf(from)) {
    throw new WixqError(`${from.origin} redirected ${what} to another host, ${to.origin}: wixq does not follow it, so neither the token nor the request was sent there`, ExitCode.ERROR, {
      requestId,
      status: response.status,
      hint: apiUrl
        ? `Check the API URL (${apiUrl}): it must be a Wix API or the wixq emulator, not a server that sends requests elsewhere.`
        : 'Wix does not redirect API requests to other hosts: something between you and Wix (a proxy or a captive portal?) answered instead.',
    });
  }
  if (refuse) throw new WixqError(`${from.origin} redirected ${what} to ${to.pathname}, and this request does not follow redirects`, ExitCode.ERROR, { requestId, status: response.status });
  if (chain.some((h) => h.url === to.href)) {
    const path = [...chain.map((h) => new URL(h.url).pathname), to.pathname].join(' → ');
    throw new WixqError(`redirect loop at ${from.origin}: ${path}; not followed further, and not retried`, ExitCode.ERROR, {
      requestId,
      status: response.status,
      hint: `The server at ${from.origin} redirects in a circle: it is not answering like the Wix API.`,
    });
  }
  if (chain.length > MAX_REDIRECTS) {
    throw new WixqError(`${from.origin} redirected ${chain[0]!.method} ${new URL(chain[0]!.url).pathname} more than ${MAX_REDIRECTS} times; not followed further, and not retried`, ExitCode.ERROR, {
      requestId,
      status: response.status,
      hint: `The server at ${from.origin} keeps redirecting: it is not answering like the Wix API.`,
    });
  }
  // As fetch does: 303 turns anything but GET and HEAD into a GET, 301 and 302 a POST; the body stays behind.
  const toGet = response.status === 303 ? hop.method !== 'GET' && hop.method !== 'HEAD' : (response.status === 301 || response.status === 302) && hop.method === 'POST';
  if (!toGet) return { ...hop, url: to.href };
  const headers = new LiteHeaders(hop.headers);
  headers.delete('content-type');
  return { url: to.href, method: 'GET', headers, body: undefined };
}

/** Refuses a header value Node would reject (ERR_INVALID_CHAR) or send mangled: only visible ASCII, space and tab go out. */
function checkHeaders(headers: LiteHeaders): void {
  for (const [name, value] of headers) {
    const what = headerValueProblem(value);
    if (what === undefined) continue;
    if (name === 'authorization') {
      throw new WixqError(`the session's access token cannot be sent in an HTTP header: it contains ${what}`, ExitCode.ERROR, {
        hint: 'Run the command again: wixq drops a stored token it cannot send and renews the session.',
      });
    }
    throw new WixqError(`the ${name} header cannot be sent: its value contains ${what}`, ExitCode.ERROR);
  }
}

/** A 2xx whose body is not JSON (an HTML portal page, a cut-off body, nothing): exit 5 with what came. */
export function notJsonError(request: string, status: number, size: number, contentType: string | null, apiUrl: string | undefined, requestId?: string): TemporaryError {
  const type = contentType?.trim() ? contentType.trim() : 'no content type';
  return new TemporaryError(`the answer to ${request} was HTTP ${status} with ${size === 0 ? 'an empty body' : `${size} bytes`} (${type}), which is not JSON`, {
    requestId,
    status,
    hint: apiUrl
      ? `Check that the API URL (${apiUrl}) points at a Wix API or the wixq emulator; --verbose shows the start of the body.`
      : 'Something other than Wix may have answered (a proxy or a captive portal?); try again, and --verbose shows the start of the body.',
  });
}

function describeTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}`;
}

function timeoutError(where: string, timeoutMs: number, tries: number, requestId: string | undefined): TemporaryError {
  return new TemporaryError(`request to ${where} timed out after ${formatSeconds(timeoutMs)}${triesText(tries)}`, {
    requestId,
    hint: 'The server is slow or unreachable; try again later, or raise --timeout.',
  });
}

const MAYBE_APPLIED_HINT = 'The request changes data and may have reached Wix, so it was not sent again: check the result before you retry it.';

/** The same temporary error with another hint. */
function withHint(error: TemporaryError, hint: string): TemporaryError {
  return new TemporaryError(error.message, { requestId: error.requestId, cause: error.cause, hint });
}

function networkError(where: string, cause: string, tries: number, requestId: string | undefined, apiUrl: string | undefined, error: unknown, proxy?: string): TemporaryError {
  const explained = CAUSE_TEXT[cause] ? `${cause} (${CAUSE_TEXT[cause]})` : cause;
  // Through a proxy, a refused or dropped connection is usually the proxy's: say so rather than blame the API.
  const via = proxy ? ` through the proxy ${redactProxy(proxy)}` : '';
  return new TemporaryError(`request to ${where}${via} failed: ${explained}${triesText(tries)}`, {
    requestId,
    cause: error,
    hint: proxy
      ? `Is the proxy at ${redactProxy(proxy)} running? (from HTTPS_PROXY/HTTP_PROXY; hosts in NO_PROXY are reached directly)`
      : apiUrl ? `Is the server at ${apiUrl} running? (api-url is set)` : 'Check your network connection (and HTTPS_PROXY), then try again.',
  });
}

/** A proxy URL without its password (proxy URLs may carry credentials). */
function redactProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    if (url.password) url.password = REDACTED;
    return url.href.replace(/\/$/, '').replaceAll(encodeURIComponent(REDACTED), REDACTED);
  } catch {
    return proxy;
  }
}

function triesText(tries: number): string {
  return tries > 1 ? ` (${tries} tries)` : '';
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
