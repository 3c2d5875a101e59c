import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { decodeBase64UrlJson, defaultErrorBody, HttpError, MAX_JSON_DEPTH, nestsDeeperThan, type EmulatorRequest, type Reply } from './http.js';
import { Router } from './router.js';
import type { EmulatorState } from './state.js';
import type { TokenClaims } from './tokens.js';
import { createRandom, mixSeed, type Random } from './site/random.js';
import type { Fault, RecordedRequest } from './recording.js';
import { registerControlRoutes } from './routes/controls.js';
import { registerOAuthRoutes } from './routes/oauth.js';
import { registerStoresV1Routes } from './routes/stores-v1.js';
import { registerStoresV3Routes } from './routes/stores-v3.js';
import { registerBookingsRoutes } from './routes/bookings.js';
import { registerCategoriesRoutes } from './routes/categories.js';
import { registerDataRoutes } from './routes/data.js';
import { registerEcomRoutes } from './routes/ecom.js';

export type { Fault, RecordedRequest };

const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** A body past this many bytes is not read to its end: the 413 goes out at once and the connection is closed. */
const DISCARD_LIMIT = 256 * 1024 * 1024;
/** Recorded requests kept; older ones are dropped so a long-running emulator does not grow without bound. */
const MAX_RECORDED = 20_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/**
 * Reads the body. One over MAX_BODY_BYTES is read to its end and discarded (nothing kept), then answered 413: a
 * server that stopped reading would reset a connection the client is still writing to, and the client would see a
 * network failure instead of the 413. Past DISCARD_LIMIT bytes the 413 is sent at once and the connection closed.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const tooLarge = () => new HttpError(413, { message: 'Request body too large', details: {} });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      if (size > DISCARD_LIMIT && !settled) {
        settled = true;
        reject(Object.assign(tooLarge(), { closeConnection: true }));
      }
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      if (size > MAX_BODY_BYTES) reject(tooLarge());
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}

/** Decodes the body by content type; `.r` of a GET takes the place of a body (docs/wix-api.md 0.1). */
function decodeBody(raw: Buffer, contentType: string, query: URLSearchParams): { body: unknown; error?: HttpError } {
  const decoded = decodeBodyValue(raw, contentType, query);
  if (decoded.error || !nestsDeeperThan(decoded.body, MAX_JSON_DEPTH)) return decoded;
  // Refused before any route walks it; recorded as this note, so that the recording stays readable (docs/reference.md 7.4).
  return { body: `(not recorded: nested deeper than ${MAX_JSON_DEPTH} levels)`, error: invalidBody(`Request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`) };
}

function decodeBodyValue(raw: Buffer, contentType: string, query: URLSearchParams): { body: unknown; error?: HttpError } {
  const r = query.get('.r');
  if (raw.length === 0) {
    if (r === null) return { body: undefined };
    const decoded = decodeBase64UrlJson(r);
    if (decoded === undefined) return { body: undefined, error: invalidBody('.r is not base64url-encoded JSON') };
    return { body: decoded };
  }
  const text = raw.toString('utf8');
  // curl -d sends JSON labelled as a form; a form body never starts with { or [.
  if (contentType.includes('application/x-www-form-urlencoded') && !/^\s*[[{]/.test(text)) {
    return { body: Object.fromEntries(new URLSearchParams(text)) };
  }
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { body: text, error: invalidBody('Request body is not valid JSON') };
  }
}

function invalidBody(description: string): HttpError {
  return new HttpError(400, {
    message: `INVALID_ARGUMENT: ${description}`,
    details: { validationError: { fieldViolations: [{ field: 'body', description, violatedRule: 'FORMAT', ruleName: 'VALIDATION_ERROR', data: {} }] } },
  });
}

/** The HTTP server: recording, faults, latency, rate limit and fail rate around the route table. */
export class EmulatorServer {
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  private readonly router = new Router();
  private readonly controls = new Router();
  private readonly server: Server;
  private seq = 0;
  private recordSeq = 0;
  private faultSeq = 0;
  private failRandom: Random;
  private rateWindow = { second: -1, count: 0 };
  private readonly requestIdPrefix = randomBytes(4).toString('hex');

  constructor(
    readonly state: EmulatorState,
    private readonly seed: number,
  ) {
    this.failRandom = createRandom(mixSeed(seed, 0xfa11));
    registerOAuthRoutes(this.router, state);
    registerStoresV1Routes(this.router, state);
    registerStoresV3Routes(this.router, state);
    registerCategoriesRoutes(this.router, state);
    registerBookingsRoutes(this.router, state);
    registerDataRoutes(this.router, state);
    registerEcomRoutes(this.router, state);
    registerControlRoutes(this.controls, this);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // A bug in a handler must still answer, loudly, in Wix's 5xx shape.
        if (!res.headersSent) this.send(res, { status: 500, json: { message: `Emulator error: ${error instanceof Error ? error.message : String(error)}`, details: {} } });
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  /** Starts listening; resolves with the bound address. */
  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops listening and ends every open connection, idle keep-alive ones included. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Forgets recorded requests and faults, and restarts the fail-rate sequence. */
  reset(): void {
    this.requests.length = 0;
    this.recordSeq = 0;
    this.faults.length = 0;
    this.failRandom = createRandom(mixSeed(this.seed, 0xfa11));
    this.rateWindow = { second: -1, count: 0 };
  }

  /** Registers a fault and returns it with its id. */
  addFault(fault: Omit<Fault, 'id'>): Fault {
    const added = { ...fault, id: `fault-${++this.faultSeq}` };
    this.faults.push(added);
    return added;
  }

  private nextRequestId(): string {
    return `${this.requestIdPrefix}.${Date.now()}.${++this.seq}`;
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex((f) => f.count > 0 && path.startsWith(f.path) && (!f.method || f.method.toUpperCase() === method));
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.count -= 1;
    if (fault.count <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private overRateLimit(): boolean {
    const limit = this.state.settings.rateLimit;
    if (!limit) return false;
    const second = Math.floor(this.state.now() / 1000);
    if (second !== this.rateWindow.second) this.rateWindow = { second, count: 0 };
    this.rateWindow.count += 1;
    return this.rateWindow.count > limit;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = this.nextRequestId();
    res.setHeader('x-wix-request-id', requestId);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const path = url.pathname;
    const origin = `http://${req.headers.host ?? 'localhost'}`;
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (!(error instanceof HttpError)) return;
      const close = (error as HttpError & { closeConnection?: boolean }).closeConnection === true;
      this.send(res, { status: error.status, json: error.body, ...(close && { headers: { connection: 'close' } }) });
      if (close) res.on('finish', () => req.socket.destroy());
      return;
    }
    const { body, error: bodyError } = decodeBody(raw, String(req.headers['content-type'] ?? ''), url.searchParams);
    const request: EmulatorRequest = { method, path, query: url.searchParams, headers: req.headers, body, params: {}, origin, requestId };

    if (path.startsWith('/__emulator/')) {
      // Control routes: not recorded, not faulted, not rate-limited, no auth.
      const match = this.controls.match(method, path);
      if (!match) return this.send(res, noSuchRoute(method, path));
      if (bodyError) return this.send(res, { status: bodyError.status, json: bodyError.body });
      return this.send(res, await this.run(match.handler, { ...request, params: match.params }));
    }

    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization.trim() : '';
    if (authorization) {
      const token = authorization.replace(/^Bearer\s+/i, '');
      request.auth = { ...this.state.tokens.verify(token, 'access'), token };
    }
    const record: RecordedRequest = {
      seq: ++this.recordSeq,
      time: new Date(this.state.now()).toISOString(),
      method,
      path,
      query: queryObject(url.searchParams),
      body: body ?? null,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])),
      identity: identityOf(request.auth?.claims),
      status: 0,
      requestId,
    };
    if (path === '/oauth2/token' && body && typeof body === 'object') {
      const b = body as Record<string, unknown>;
      const grant = b.grantType ?? b.grant_type;
      if (typeof grant === 'string') record.grantType = grant;
    }
    this.requests.push(record);
    if (this.requests.length > MAX_RECORDED) this.requests.splice(0, this.requests.length - MAX_RECORDED);

    const fault = this.takeFault(method, path);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined) {
        const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {};
        record.status = fault.status;
        return this.send(res, { status: fault.status, json: fault.body ?? defaultErrorBody(fault.status), headers });
      }
    }

    const match = this.router.match(method, path);
    const kind = match?.kind ?? 'api';
    if (this.state.settings.latencyMs > 0) await sleep(this.state.settings.latencyMs);
    let reply: Reply;
    if (kind === 'api' && this.overRateLimit()) {
      reply = { status: 429, json: defaultErrorBody(429), headers: { 'retry-after': '1' } };
    } else if (kind === 'api' && this.state.settings.failRate > 0 && this.failRandom() < this.state.settings.failRate) {
      reply = { status: 503, json: { message: '', details: {} } };
    } else if (!match) {
      reply = noSuchRoute(method, path);
    } else if (bodyError) {
      reply = { status: bodyError.status, json: bodyError.body };
    } else {
      reply = await this.run(match.handler, { ...request, params: match.params });
    }
    record.status = reply.redirect ? 302 : (reply.status ?? 200);
    this.send(res, reply);
  }

  private async run(handler: (req: EmulatorRequest) => Reply | Promise<Reply>, request: EmulatorRequest): Promise<Reply> {
    try {
      return await handler(request);
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, json: error.body, headers: error.headers };
      return { status: 500, json: { message: `Emulator error: ${error instanceof Error ? error.message : String(error)}`, details: {} } };
    }
  }

  private send(res: ServerResponse, reply: Reply): void {
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    if (reply.redirect) {
      res.writeHead(302, { location: reply.redirect, 'content-length': '0' });
      res.end();
      return;
    }
    if (reply.html !== undefined) {
      const html = Buffer.from(reply.html);
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(html.length) });
      res.end(html);
      return;
    }
    // Success bodies are always JSON, at least {} (docs/wix-api.md 0.2).
    const json = Buffer.from(JSON.stringify(reply.json ?? {}));
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(json.length) });
    res.end(json);
  }
}

/** Who a well-signed access token speaks for (also when it is expired or revoked, to explain a 401). */
function identityOf(claims: TokenClaims | undefined): RecordedRequest['identity'] {
  if (!claims) return null;
  return { role: claims.role, visitorId: claims.visitorId, ...(claims.memberId && { memberId: claims.memberId }) };
}

/** The loud 404 for a route the emulator does not know. */
function noSuchRoute(method: string, path: string): Reply {
  return {
    status: 404,
    json: {
      message: `No such route: ${method} ${path}`,
      details: { applicationError: { code: 'NOT_FOUND', description: `The Wix API emulator has no route ${method} ${path}`, data: {} } },
    },
  };
}
