import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A relay for tests: a small HTTP server on loopback in front of an upstream (the emulator) that forwards every
 * request and can rewrite the request or the answer, chosen per request by hooks. Point wixq at `relay.url` instead of
 * the emulator's URL (`WIXQ_API_URL`), and the relay plays a broken or hostile server:
 *
 *   const relay = await startRelay(p.emulator.url, {
 *     // page 2 of the V1 products query comes back one item short
 *     response: (req, res) => (req.path === PRODUCTS && offsetOf(req) === 100 ? { json: truncateList(res.json, 1) } : undefined),
 *   });
 *   const r = await p.run(['products', 'list', '--all'], { env: { WIXQ_API_URL: relay.url } });
 *   await relay.close();
 *
 * - `request(req)` may return a new JSON body to forward instead (e.g. `ignoreOffset(req.json)`), or undefined; for a
 *   GET that carries its JSON in `.r` (the SDK's reads), the new JSON goes back into `.r`.
 * - `response(req, res)` may return a replacement answer: any of `status`, `headers`, `json` (sent as JSON) or `body`
 *   (sent as given, e.g. non-JSON), or undefined to pass the upstream's answer through unchanged.
 * - It is bounded: past `maxRequests` (default 500) it answers 400 with a Wix-shaped error body and forwards nothing,
 *   so a client that would loop forever fails fast instead of hanging the test.
 * - `seen` records every request (method, path, parsed body) with the status the relay answered.
 *
 * The rewriters below work on Wix's list answers: the list is the answer's first array field (`products`,
 * `dataItems`, ...), cursors are `pagingMetadata.cursors.next`, offsets are `query.paging.offset`.
 */

export interface RelayRequest {
  /** 0 for the first request the relay received, then 1, 2, ... */
  index: number;
  method: string;
  /** The path without the query string. */
  path: string;
  /** The path and query string as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed JSON body (for a GET, the JSON the SDK carries in its `.r` parameter), or undefined. */
  json: any;
}

export interface RelayResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The parsed JSON answer, or undefined when it is not JSON. */
  json: any;
}

export interface RelayAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON (content-type application/json). */
  json?: unknown;
  /** Sent as given (takes precedence over json). */
  body?: string;
}

export interface RelayHooks {
  request?: (req: RelayRequest) => unknown | undefined;
  response?: (req: RelayRequest, res: RelayResponse) => RelayAnswer | undefined;
}

export interface RunningRelay {
  url: string;
  seen: Array<{ method: string; path: string; json: any; status: number }>;
  close(): Promise<void>;
}

/** Hop-by-hop headers and those the relay recomputes. */
const DROPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'content-encoding', 'accept-encoding']);

function parse(text: string): any {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function forwardable(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !DROPPED.has(name.toLowerCase())) out[name] = value;
  return out;
}

/** Starts a relay on 127.0.0.1 (a free port) in front of `upstream` (an http:// loopback URL). */
export async function startRelay(upstream: string, hooks: RelayHooks = {}, options: { maxRequests?: number } = {}): Promise<RunningRelay> {
  const target = new URL(upstream);
  if (target.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error(`the relay forwards to loopback only, not ${upstream}`);
  const maxRequests = options.maxRequests ?? 500;
  const seen: RunningRelay['seen'] = [];
  const sockets = new Set<Socket>();
  let index = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      const dotR = new URL(url, 'http://relay').searchParams.get('.r');
      const json = body === '' && dotR !== null ? parse(Buffer.from(dotR, 'base64url').toString('utf8')) : parse(body);
      const relayed: RelayRequest = { index: index++, method: req.method ?? 'GET', path: url.split('?')[0]!, url, headers: req.headers, body, json };
      const record = { method: relayed.method, path: relayed.path, json: relayed.json, status: 0 };
      seen.push(record);
      const send = (status: number, headers: Record<string, string | string[]>, text: string): void => {
        record.status = status;
        res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
        res.end(text);
      };
      if (relayed.index >= maxRequests) {
        send(400, { 'content-type': 'application/json' }, JSON.stringify({ message: `relay: more than ${maxRequests} requests`, details: { applicationError: { code: 'RELAY_BOUND', description: 'too many requests' } } }));
        return;
      }
      const rewritten = hooks.request?.(relayed);
      let outBody = body;
      let outUrl = url;
      if (rewritten !== undefined && body === '' && dotR !== null) {
        const u = new URL(url, 'http://relay');
        u.searchParams.set('.r', Buffer.from(JSON.stringify(rewritten)).toString('base64url'));
        outUrl = `${u.pathname}${u.search}`;
      } else if (rewritten !== undefined) outBody = JSON.stringify(rewritten);
      const upstreamRequest = httpRequest(
        { host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, path: outUrl, method: relayed.method, headers: { ...forwardable(req.headers), 'content-length': String(Buffer.byteLength(outBody)) } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(parts).toString('utf8');
            const headers = forwardable(answer.headers) as Record<string, string>;
            const response: RelayResponse = { status: answer.statusCode ?? 502, headers, body: text, json: parse(text) };
            const replaced = hooks.response?.(relayed, response);
            if (!replaced) return send(response.status, headers, text);
            const json = replaced.body === undefined && replaced.json !== undefined;
            send(replaced.status ?? response.status, { ...headers, ...(json && { 'content-type': 'application/json' }), ...replaced.headers }, replaced.body ?? (json ? JSON.stringify(replaced.json) : text));
          });
        },
      );
      upstreamRequest.on('error', (error) => send(502, { 'content-type': 'text/plain' }, `relay: ${error.message}`));
      upstreamRequest.end(outBody);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The key of a list answer's items: its first array field (`products`, `dataItems`, `services`, ...). */
export function listKey(json: any): string | undefined {
  return json && typeof json === 'object' ? Object.keys(json).find((key) => Array.isArray(json[key])) : undefined;
}

/** A copy of a list answer with its last `by` items dropped (the metadata left as it was: a page that lies). */
export function truncateList(json: any, by: number): any {
  const key = listKey(json);
  if (key === undefined) throw new Error('truncateList: the answer has no list');
  return { ...json, [key]: json[key].slice(0, Math.max(0, json[key].length - by)) };
}

/** A copy of a list answer with no items (the metadata, cursors and total included, left as it was). */
export function emptyList(json: any): any {
  return truncateList(json, Infinity);
}

/** A copy of a list answer whose `pagingMetadata.cursors.next` is `cursor` (e.g. the cursor the request carried). */
export function withNextCursor(json: any, cursor: string): any {
  const meta = json.pagingMetadata ?? {};
  return { ...json, pagingMetadata: { ...meta, cursors: { ...(meta.cursors ?? {}), next: cursor } } };
}

/** The request body's `query.paging.offset` (or that of `search`), 0 when it has none. */
export function offsetOf(req: RelayRequest): number {
  const query = req.json?.query ?? req.json?.search ?? {};
  return typeof query.paging?.offset === 'number' ? query.paging.offset : 0;
}

/** The request body's cursor (`query.cursorPaging.cursor` or that of `search`), if it carries one. */
export function cursorOf(req: RelayRequest): string | undefined {
  const query = req.json?.query ?? req.json?.search ?? {};
  return typeof query.cursorPaging?.cursor === 'string' ? query.cursorPaging.cursor : undefined;
}

/** A request body whose offset is 0 whatever was asked: a server that ignores `offset` (forward it with `request`). */
export function ignoreOffset(json: any): any {
  const wrapper = json?.query ? 'query' : json?.search ? 'search' : undefined;
  if (!wrapper || !json[wrapper].paging) return undefined;
  return { ...json, [wrapper]: { ...json[wrapper], paging: { ...json[wrapper].paging, offset: 0 } } };
}
