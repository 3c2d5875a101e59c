import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A server on loopback that stands in front of (or beside) the emulator and decides, request by request, to redirect
 * it, forward it, or answer it itself; it records everything that arrives, so a test can assert what a host received
 * (headers and body). Loopback only: it listens on 127.0.0.1 and forwards only to loopback URLs.
 *
 *   const sink = await startRedirector(() => ({ status: 200, json: {} }));             // the "other host"
 *   const front = await startRedirector((req) =>
 *     req.path.startsWith('/oauth2/token') ? { redirect: `${sink.url}${req.path}`, status: 307 } : { forward: emu.url });
 *   ... run wixq with WIXQ_API_URL=front.url ...
 *   expect(sink.arrived).toEqual([]);
 */

/** One request as it arrived. */
export interface Arrived {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

/** What to do with a request. */
export type Answer =
  /** Answer with this status (302 by default) and `Location: redirect` (absolute, or relative to this server). */
  | { redirect: string; status?: RedirectStatus }
  /** Send it on to this loopback base URL (same method, headers, Host included, and body; `path` replaces the path and query). */
  | { forward: string; path?: string }
  /** Answer it here: a status with a JSON body, or a raw body with its headers. */
  | { status: number; json?: unknown; body?: string; headers?: Record<string, string> };

export interface Redirector {
  /** http://127.0.0.1:<port> */
  url: string;
  /** 127.0.0.1:<port> */
  host: string;
  /** Every request that arrived, in order. */
  arrived: Arrived[];
  close(): Promise<void>;
}

/** Starts a redirector on a free loopback port; `route` gets each request and how many arrived so far (1 for the first). */
export async function startRedirector(route: (req: Arrived, n: number) => Answer): Promise<Redirector> {
  const arrived: Arrived[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const entry: Arrived = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: body.toString('utf8') };
      arrived.push(entry);
      let answer: Answer;
      try {
        answer = route(entry, arrived.length);
      } catch (error) {
        res.writeHead(599, { 'content-type': 'text/plain' }).end(`redirector route failed: ${String(error)}`);
        return;
      }
      respond(answer, req, body, res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    arrived,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function respond(answer: Answer, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  if ('redirect' in answer) {
    res.writeHead(answer.status ?? 302, { location: answer.redirect, 'content-type': 'text/plain' }).end('moved\n');
    return;
  }
  if ('forward' in answer) {
    const base = new URL(answer.forward);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
      res.writeHead(599, { 'content-type': 'text/plain' }).end(`the redirector forwards to loopback only, not ${base.hostname}`);
      return;
    }
    const target = new URL(answer.path ?? req.url ?? '/', base);
    const upstream = request(
      { host: base.hostname, port: base.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    upstream.end(body);
    return;
  }
  if (answer.json !== undefined) {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.json));
    return;
  }
  res.writeHead(answer.status, answer.headers ?? {}).end(answer.body ?? '');
}
