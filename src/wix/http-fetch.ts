import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

/**
 * A small fetch over node:http for wixq's own requests (and the SDK's, through the transport). Node's global fetch
 * loads undici and compiles its WebAssembly HTTP parser on first use, about 70 ms of every run; a CLI that makes one
 * request per run feels that. This covers what wixq and the SDK use: method, headers, a buffered body, abort signals,
 * redirects, and a response with status, headers, text() and json(). Proxies still go through undici (proxy.ts).
 */

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

  constructor(bytes: Buffer, init: { status: number; statusText: string; headers: LiteHeaders; url: string; redirected?: boolean }) {
    this.#bytes = bytes;
    this.status = init.status;
    this.statusText = init.statusText;
    this.headers = init.headers;
    this.url = init.url;
    this.redirected = init.redirected ?? false;
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

  async json(): Promise<unknown> {
    return JSON.parse(this.#bytes.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, byteLength } = this.#bytes;
    return buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer;
  }

  clone(): LiteResponse {
    return new LiteResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers, url: this.url, redirected: this.redirected });
  }
}

export interface LiteRequestInit {
  method?: string;
  headers?: Iterable<readonly [string, string]> | Record<string, string | readonly string[] | undefined>;
  body?: unknown;
  signal?: AbortSignal | null;
  redirect?: 'follow' | 'manual' | 'error';
}

// Keep-alive, so that --all's pages in flight reuse their connections.
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 32 });
const MAX_REDIRECTS = 20;

/** Sends one request and reads the whole response; rejects like fetch (an error with the system code as `cause`). */
export async function liteFetch(input: string | URL, init: LiteRequestInit = {}): Promise<LiteResponse> {
  let url = new URL(String(input));
  let method = (init.method ?? 'GET').toUpperCase();
  let body = encodeBody(init.body);
  const headers = new LiteHeaders(init.headers ?? {});
  if (body.contentType && !headers.has('content-type')) headers.set('content-type', body.contentType);
  for (let hops = 0; ; hops++) {
    const response = await sendOnce(url, method, headers, body.bytes, init.signal ?? undefined);
    const location = response.headers.get('location');
    const redirect = init.redirect ?? 'follow';
    if (redirect === 'manual' || !location || ![301, 302, 303, 307, 308].includes(response.status)) {
      return hops === 0 ? response : new LiteResponse(Buffer.from(await response.arrayBuffer()), { ...response, headers: response.headers, url: url.href, redirected: true });
    }
    if (redirect === 'error') throw new TypeError('fetch failed', { cause: new Error(`unexpected redirect to ${location}`) });
    if (hops >= MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('too many redirects') });
    url = new URL(location, url);
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = { bytes: undefined };
      headers.delete('content-type');
    }
  }
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
    const req = (secure ? httpsRequest : httpRequest)(url, { method, headers: outgoing, agent: secure ? httpsAgent : httpAgent });
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
      return gunzipSync(bytes);
    case 'deflate':
      return inflateSync(bytes);
    case 'br':
      return brotliDecompressSync(bytes);
    default:
      return bytes;
  }
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return Object.assign(new Error('This operation was aborted'), { name: 'AbortError', cause: reason });
}
