import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import type * as Https from 'node:https';
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';

// node:https (with TLS) and node:zlib are loaded on first use: a run against an http:// API URL (the emulator) and
// a response without a content encoding need neither, and loading https costs a warm run several ms.
const nodeRequire = createRequire(import.meta.url);
let https: { module: typeof Https; agent: Https.Agent } | undefined;
function httpsClient(): { module: typeof Https; agent: Https.Agent } {
  if (!https) {
    const module = nodeRequire('node:https') as typeof Https;
    https = { module, agent: new module.Agent({ keepAlive: true, maxSockets: 32 }) };
  }
  return https;
}
const zlib = (): typeof Zlib => nodeRequire('node:zlib') as typeof Zlib;

/**
 * A small fetch over node:http for wixq's own requests (and the SDK's, through the transport). Node's global fetch
 * loads undici and compiles its WebAssembly HTTP parser on first use, about 70 ms of every run; a CLI that makes one
 * request per run feels that. This covers what wixq and the SDK use: method, headers, a buffered body, abort signals,
 * and a response with status, headers, text() and json(). It never follows a redirect: a 3xx comes back as it is and
 * the transport decides (transport.ts), for this and for the proxy's fetch alike. Proxies go through undici (proxy.ts).
 */

/**
 * What makes a header value one that cannot be sent, or undefined when it can: Node refuses line breaks, control
 * characters and anything above U+00FF (ERR_INVALID_CHAR), and wixq sends only ASCII, so that nothing arrives changed.
 */
export function headerValueProblem(value: string): string | undefined {
  const bad = /[^\t\x20-\x7e]/.exec(value);
  if (!bad) return undefined;
  const c = bad[0];
  return c === '\n' || c === '\r' ? 'a line break' : c < ' ' || c === '\x7f' ? 'a control character' : 'a character that is not ASCII';
}

/** Response and request headers: the part of the Fetch API's Headers that wixq and the SDK use; names are case-insensitive. */
export class LiteHeaders implements Iterable<[string, string]> {
  readonly #values = new Map<string, string>();
  readonly #setCookies: string[] = [];

  constructor(init?: Iterable<readonly [string, string]> | Record<string, string | readonly string[] | undefined> | LiteHeaders) {
    if (!init) return;
    const entries: Iterable<readonly [string, unknown]> =
      Symbol.iterator in Object(init) ? (init as Iterable<readonly [string, string]>) : Object.entries(init as Record<string, unknown>);
    for (const [name, value] of entries) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) this.append(name, String(v));
      else this.append(name, String(value));
    }
  }

  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.#values.set(name.toLowerCase(), value);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    if (key === 'set-cookie') this.#setCookies.push(value);
    const existing = this.#values.get(key);
    this.#values.set(key, existing === undefined ? value : `${existing}, ${value}`);
  }

  delete(name: string): void {
    this.#values.delete(name.toLowerCase());
  }

  getSetCookie(): string[] {
    return [...this.#setCookies];
  }

  forEach(callback: (value: string, name: string, headers: LiteHeaders) => void): void {
    for (const [name, value] of this.#values) callback(value, name, this);
  }

  entries(): IterableIterator<[string, string]> {
    return this.#values.entries();
  }

  keys(): IterableIterator<string> {
    return this.#values.keys();
  }

  values(): IterableIterator<string> {
    return this.#values.values();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#values.entries();
  }
}

/** A fully read response: what `fetch` returns, minus streaming (every Wix response is small JSON). */
export class LiteResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: LiteHeaders;
  readonly url: string;
  readonly redirected: boolean;
  readonly type = 'basic';
  /** Always read already; null like an empty fetch body, so callers that cancel streams skip it. */
  readonly body = null;
  readonly #bytes: Buffer;
  readonly #notJson: LiteResponseInit['notJson'];

  constructor(bytes: Buffer, init: LiteResponseInit) {
    this.#bytes = bytes;
    this.status = init.status;
    this.statusText = init.statusText;
    this.headers = init.headers;
    this.url = init.url;
    this.redirected = init.redirected ?? false;
    this.#notJson = init.notJson;
  }

  /** The body's length in bytes. */
  get size(): number {
    return this.#bytes.length;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get bodyUsed(): boolean {
    return false;
  }

  async text(): Promise<string> {
    return this.#bytes.toString('utf8');
  }

  /** The body parsed once; when it is not JSON, the error `notJson` makes of the parse failure (if given) is thrown. */
  async json(): Promise<unknown> {
    const text = this.#bytes.toString('utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw this.#notJson ? this.#notJson(this, text, error) : error;
    }
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, byteLength } = this.#bytes;
    return buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer;
  }

  /** The same response with other init fields (the bytes are shared, not copied). */
  with(init: Partial<LiteResponseInit>): LiteResponse {
    return new LiteResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers, url: this.url, redirected: this.redirected, notJson: this.#notJson, ...init });
  }

  clone(): LiteResponse {
    return new LiteResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers, url: this.url, redirected: this.redirected, notJson: this.#notJson });
  }
}

export interface LiteResponseInit {
  status: number;
  statusText: string;
  headers: LiteHeaders;
  url: string;
  redirected?: boolean;
  /** What json() throws when the body does not parse (the transport's clear error); the SyntaxError without it. */
  notJson?: (response: LiteResponse, text: string, error: unknown) => Error;
}

export interface LiteRequestInit {
  method?: string;
  headers?: Iterable<readonly [string, string]> | Record<string, string | readonly string[] | undefined>;
  body?: unknown;
  signal?: AbortSignal | null;
  /** Ignored: redirects are never followed here (see above). */
  redirect?: 'follow' | 'manual' | 'error';
}

// Keep-alive, so that --all's pages in flight reuse their connections.
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
// Framing is this module's: a caller's Content-Length or Transfer-Encoding would make the server wait for bytes never sent.
const FRAMING_HEADERS = ['content-length', 'transfer-encoding'];

/** Sends one request and reads the whole response; rejects like fetch (an error with the system code as `cause`). */
export async function liteFetch(input: string | URL, init: LiteRequestInit = {}): Promise<LiteResponse> {
  const url = new URL(String(input));
  const method = (init.method ?? 'GET').toUpperCase();
  const body = encodeBody(init.body);
  const headers = new LiteHeaders(init.headers ?? {});
  for (const name of FRAMING_HEADERS) headers.delete(name);
  if (body.contentType && !headers.has('content-type')) headers.set('content-type', body.contentType);
  return sendOnce(url, method, headers, body.bytes, init.signal ?? undefined);
}

function encodeBody(body: unknown): { bytes?: Buffer; contentType?: string } {
  if (body === undefined || body === null) return {};
  if (typeof body === 'string') return { bytes: Buffer.from(body), contentType: 'text/plain;charset=UTF-8' };
  if (body instanceof URLSearchParams) return { bytes: Buffer.from(body.toString()), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' };
  if (body instanceof ArrayBuffer) return { bytes: Buffer.from(body) };
  if (ArrayBuffer.isView(body)) return { bytes: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  throw new TypeError('liteFetch: unsupported body type');
}

function sendOnce(url: URL, method: string, headers: LiteHeaders, body: Buffer | undefined, signal: AbortSignal | undefined): Promise<LiteResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') return reject(new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) }));
    const outgoing: Record<string, string> = Object.fromEntries(headers);
    if (body) outgoing['content-length'] = String(body.length);
    const options = { method, headers: outgoing };
    const req = secure ? httpsClient().module.request(url, { ...options, agent: httpsClient().agent }) : httpRequest(url, { ...options, agent: httpAgent });
    const onAbort = (): void => {
      req.destroy(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (): void => signal?.removeEventListener('abort', onAbort);
    req.on('error', (error) => {
      finish();
      reject(error.name === 'AbortError' ? error : new TypeError('fetch failed', { cause: error }));
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => {
        finish();
        reject(error.name === 'AbortError' ? error : new TypeError('fetch failed', { cause: error }));
      });
      res.on('aborted', () => {
        finish();
        reject(new TypeError('fetch failed', { cause: Object.assign(new Error('the server closed the connection'), { code: 'ECONNRESET' }) }));
      });
      res.on('end', () => {
        finish();
        const responseHeaders = new LiteHeaders();
        const raw = res.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) responseHeaders.append(raw[i]!, raw[i + 1]!);
        let bytes: Buffer;
        try {
          bytes = decode(Buffer.concat(chunks), responseHeaders.get('content-encoding'));
        } catch (error) {
          reject(new TypeError('fetch failed', { cause: error }));
          return;
        }
        resolve(new LiteResponse(bytes, { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: responseHeaders, url: url.href }));
      });
    });
    req.end(body);
  });
}

/** Undoes a content encoding the server chose (wixq asks for none, but a proxy may add one). */
function decode(bytes: Buffer, encoding: string | null): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib().gunzipSync(bytes);
    case 'deflate':
      return zlib().inflateSync(bytes);
    case 'br':
      return zlib().brotliDecompressSync(bytes);
    default:
      return bytes;
  }
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return Object.assign(new Error('This operation was aborted'), { name: 'AbortError', cause: reason });
}
