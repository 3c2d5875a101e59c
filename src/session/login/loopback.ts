/** The loopback server of the browser flow: it listens on the redirect URI, takes the one callback, and shows the browser its small page. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AuthError, UsageError, WixqError } from '../../errors.js';
import { readCallback } from './authorization.js';

/** The callback that arrived: its code, and a way to answer the waiting browser once the exchange is done. */
interface Callback {
  code: string;
  respond(status: number, html: string): void;
}

interface CallbackServer {
  waitForCallback(state: string, timeoutMs: number): Promise<Callback>;
  close(): Promise<void>;
}

/** Listens on the redirect URI's host and port; `localhost` gets both 127.0.0.1 and ::1, as browsers may try either. */
export async function listenForCallback(target: URL): Promise<CallbackServer> {
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const port = Number(target.port || 80);
  const addresses = host === 'localhost' ? ['127.0.0.1', '::1'] : [host];
  let onRequest: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('wixq is not waiting for a login yet.\n');
  };
  const servers: Server[] = [];
  for (const [i, address] of addresses.entries()) {
    const server = createServer((req, res) => onRequest(req, res));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: address, port, exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No IPv6 on this machine: 127.0.0.1 alone serves localhost.
      if (i > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map(closeServer));
      if (code === 'EADDRINUSE') {
        throw new UsageError(`port ${port} of the redirect URI ${target.href} is in use, so wixq cannot receive the login there`, {
          hint: 'Stop the program using it, or register another loopback redirect URI and pass it with --redirect-uri (or WIXQ_REDIRECT_URI).',
        });
      }
      throw new WixqError(`cannot listen on ${address}:${port} for the login: ${(error as Error).message}`, undefined, { cause: error });
    }
  }

  return {
    waitForCallback(state, timeoutMs) {
      return new Promise<Callback>((resolve, reject) => {
        let done = false;
        const timer = setTimeout(() => {
          done = true;
          reject(
            new AuthError(`the login did not finish within ${Number((timeoutMs / 1000).toFixed(1))} s`, {
              hint: 'Run wixq auth login again (raise --login-timeout if needed); without a browser here: wixq auth login --email <E> --password-stdin',
            }),
          );
        }, timeoutMs);
        onRequest = (req, res) => {
          const url = new URL(req.url ?? '/', target);
          if (req.method !== 'GET' || url.pathname !== target.pathname) {
            res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
            return;
          }
          if (done) {
            res.writeHead(409, { 'content-type': 'text/html; charset=utf-8' }).end(page('Already finished', 'This login has already finished. Return to the terminal.'));
            return;
          }
          done = true;
          clearTimeout(timer);
          let code: string;
          try {
            code = readCallback(url, state);
          } catch (error) {
            res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', connection: 'close' }).end(page('Login failed', (error as Error).message));
            reject(error);
            return;
          }
          resolve({
            code,
            respond: (status, html) => {
              res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' }).end(html);
            },
          });
        };
      });
    },
    close: () => Promise.all(servers.map(closeServer)).then(() => undefined),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // Browsers keep connections alive; give the last page a moment to flush, then cut them.
    setTimeout(() => server.closeAllConnections(), 500).unref();
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The small page the browser shows at the end of the login. */
export function page(title: string, message: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>wixq: ${escapeHtml(title)}</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 4rem auto">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
</body></html>
`;
}
