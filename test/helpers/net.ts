import { createServer } from 'node:net';

/** A loopback port that was free a moment ago (with `port`, checks that this port is free now). */
export function freePort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
}

/** A loopback port with nothing listening on it (for "cannot reach" cases). */
export function closedPort(): Promise<number> {
  return freePort();
}
