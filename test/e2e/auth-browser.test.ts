import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/site/generate.js';
import type { RunningProcess } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';
import { freePort } from '../helpers/net.js';

// The browser login needs processes: wixq starts the browser (WIXQ_BROWSER) and waits on its loopback port while the
// test plays the browser. The loopback redirect server, PKCE, state, the Wix-managed login page.
const ada = DEMO_MEMBERS.find((m) => m.email === 'ada@example.com')!;
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

// A "browser" for WIXQ_BROWSER: loads the login page, submits its form as a person would, follows the redirect home.
const FAKE_BROWSER = `import { writeFileSync } from 'node:fs';
const decode = (s) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]);
const start = process.argv[2];
const loginPage = await (await fetch(start)).text();
const form = new URLSearchParams();
for (const m of loginPage.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) form.set(m[1], decode(m[2]));
form.set('email', process.env.FAKE_BROWSER_EMAIL);
form.set('password', process.env.FAKE_BROWSER_PASSWORD);
const action = new URL(decode(loginPage.match(/<form method="post" action="([^"]*)"/)[1]), start);
const posted = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
const callback = posted.headers.get('location');
const done = await fetch(callback);
writeFileSync(process.env.FAKE_BROWSER_LOG, JSON.stringify({ start, callback, status: done.status, page: await done.text() }));
`;

describe('auth login in a browser', () => {
  let p: TestProject;
  let dir: string;
  beforeAll(async () => {
    p = await startProject();
    dir = mkdtempSync(join(tmpdir(), 'wixq-browser-'));
    writeFileSync(join(dir, 'fake-browser.mjs'), FAKE_BROWSER);
  });
  afterAll(async () => {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('WIXQ_BROWSER opens the login page; the form posts back; the loopback callback stores the member', async () => {
    p.reset();
    const port = await freePort();
    const redirectUri = `http://localhost:${port}/callback`;
    const log = join(dir, 'browser.json');
    const r = await p.runBinary(['auth', 'login', '--redirect-uri', redirectUri], {
      env: {
        WIXQ_BROWSER: `${process.execPath} ${join(dir, 'fake-browser.mjs')}`,
        FAKE_BROWSER_EMAIL: ada.email,
        FAKE_BROWSER_PASSWORD: ada.password,
        FAKE_BROWSER_LOG: log,
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Opened the Wix login page in your browser');
    expect(r.stderr).toContain(`Logged in as member ${ada.id}`);
    expect(p.session()).toMatchObject({ role: 'member', memberId: ada.id, refreshToken: { role: 'member' } });

    const browser = JSON.parse(readFileSync(log, 'utf8'));
    expect(r.stderr).toContain(browser.start);
    expect(browser.callback.startsWith(`${redirectUri}?`)).toBe(true);
    expect(browser.status).toBe(200);
    expect(browser.page).toContain('You are logged in to wixq');

    const requests = p.requests();
    const session = requests.find((q) => q.path === '/_api/redirects-api/v1/redirect-session')!.body.auth;
    expect(session.prompt).toBe('login');
    expect(session.authRequest).toMatchObject({ redirectUri, responseMode: 'query', codeChallengeMethod: 'S256', clientId: p.emulator.clientId });
    expect(session.authRequest.sessionToken).toBeUndefined();
    expect(new URL(browser.callback).searchParams.get('state')).toBe(session.authRequest.state);
    expect(requests.filter((q) => q.path === '/oauth2/authorize').map((q) => q.method)).toEqual(['GET', 'POST']);
    const exchange = requests.filter((q) => q.path === '/oauth2/token').at(-1)!;
    expect(exchange.grantType).toBe('authorization_code');
    expect(exchange.body.redirectUri).toBe(redirectUri);
    // The port is released once the login is over.
    await freePort(port);

    p.reset();
    const list = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(list.code, list.stderr).toBe(0);
    for (const q of p.apiRequests()) expect(q.identity).toMatchObject({ role: 'member', memberId: ada.id });
  });

  it('without a display or a named browser, auth login prints the URL (the rule get --web follows), and says it opened nothing', async () => {
    const before = readFileSync(join(p.configDir, 'tokens.json'));
    const port = await freePort();
    const noDisplay = { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, WIXQ_BROWSER: undefined, BROWSER: undefined };
    const wixq = p.startBinary(['auth', 'login', '--redirect-uri', `http://127.0.0.1:${port}/callback`], { env: noDisplay });
    const url = await loginUrl(wixq);
    expect(new URL(url).searchParams.get('state')).toBeTruthy();
    expect(wixq.stderr()).toContain('Open this URL in a browser to log in:');
    expect(wixq.stderr()).not.toMatch(/Opened|Could not open/);
    // End it: a forged callback is refused and nothing is stored.
    await fetch(`http://127.0.0.1:${port}/callback?code=stolen&state=forged`);
    const r = await wixq.done;
    expect(r.code, r.stderr).toBe(4);
    expect(readFileSync(join(p.configDir, 'tokens.json')).equals(before)).toBe(true);
  });

  it('--no-browser prints the URL on stderr; a callback with a forged state is refused (exit 4) and nothing is stored', async () => {
    const before = readFileSync(join(p.configDir, 'tokens.json'));
    const port = await freePort();
    const wixq = p.startBinary(['auth', 'login', '--no-browser', '--redirect-uri', `http://127.0.0.1:${port}/callback`], { env: { WIXQ_BROWSER: '/nonexistent/browser' } });
    const url = await loginUrl(wixq);
    expect(wixq.stderr()).toContain('Open this URL in a browser to log in:');
    expect(wixq.stderr()).not.toContain('Could not open a browser');
    expect(new URL(url).searchParams.get('state')).toBeTruthy();
    const page = await fetch(`http://127.0.0.1:${port}/callback?code=stolen&state=forged`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('state does not match');
    const r = await wixq.done;
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/^Error: the login response does not belong to this login/m);
    expect(readFileSync(join(p.configDir, 'tokens.json')).equals(before)).toBe(true);
  });

  it.skipIf(!CHROMIUM)(`headless Chromium logs in through the login page${CHROMIUM ? '' : ' (skipped: no Chromium at /usr/bin/chromium; .ci/run installs it)'}`, async () => {
    p.reset();
    const port = await freePort();
    const redirectUri = `http://localhost:${port}/callback`;
    const chrome = await launchChromium(CHROMIUM!, dir);
    try {
      const wixq = p.startBinary(['auth', 'login', '--no-browser', '--redirect-uri', redirectUri]);
      const url = await loginUrl(wixq);
      const page = chrome.page;
      await page.call('Page.navigate', { url });
      await until(async () => (await page.evaluate(`!!document.querySelector('form input[name=email]')`)) === true);
      // Type like a user: focus each field and insert the text, then press the button.
      await page.evaluate(`document.querySelector('input[name=email]').focus()`);
      await page.call('Input.insertText', { text: ada.email });
      await page.evaluate(`document.querySelector('input[name=password]').focus()`);
      await page.call('Input.insertText', { text: ada.password });
      await page.evaluate(`document.querySelector('button[type=submit]').click()`);
      await until(async () => String(await page.evaluate('document.body && document.body.innerText')).includes('You are logged in to wixq'));
      expect(String(await page.evaluate('location.href')).startsWith(`${redirectUri}?`)).toBe(true);
      const r = await wixq.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Logged in as member ${ada.id}`);
      expect(p.session()).toMatchObject({ role: 'member', memberId: ada.id });
      const methods = p.requests('/oauth2/authorize').map((q) => `${q.method} ${q.headers['user-agent']?.includes('Chrome') ? 'chrome' : 'other'}`);
      expect(methods).toEqual(['GET chrome', 'POST chrome']);
    } finally {
      await chrome.close();
    }
  });
});

/** The authorize URL a waiting `wixq auth login --no-browser` printed on stderr. */
async function loginUrl(wixq: RunningProcess): Promise<string> {
  await wixq.waitFor(/Waiting for the login/);
  const match = /^ {2}(http\S+)$/m.exec(wixq.stderr());
  if (!match) throw new Error(`no login URL on stderr:\n${wixq.stderr()}`);
  return match[1]!;
}

interface CdpPage {
  call(method: string, params?: Record<string, unknown>): Promise<any>;
  evaluate(expression: string): Promise<unknown>;
}

/** Starts headless Chromium with a fresh profile and connects to its first page over the DevTools protocol. */
async function launchChromium(path: string, parent: string): Promise<{ page: CdpPage; close(): Promise<void> }> {
  const profile = mkdtempSync(join(parent, 'chromium-'));
  const child: ChildProcess = spawn(
    path,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    // Its own process group, so its helper processes stop with it.
    { stdio: 'ignore', detached: true },
  );
  let socket: Socket | undefined;
  // Its own process group: killed with the worker too, should a test time out before close().
  const killGroup = (): void => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', killGroup);
  const close = async (): Promise<void> => {
    process.off('exit', killGroup);
    socket?.destroy();
    const group = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // Already gone.
      }
    };
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      group('SIGTERM');
      // A grace period for a clean exit before the kill below, not an assertion.
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    }
    group('SIGKILL');
    // Helpers may still be flushing the profile for a moment.
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  try {
    // Chromium writes the port it picked into the profile once DevTools listens.
    const portFile = join(profile, 'DevToolsActivePort');
    await until(async () => existsSync(portFile) && readFileSync(portFile, 'utf8').includes('\n'));
    const port = Number(readFileSync(portFile, 'utf8').split('\n')[0]);
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
    const target = targets.find((t) => t.type === 'page');
    if (!target) throw new Error('Chromium has no page target');
    const connection = await connectWebSocket(target.webSocketDebuggerUrl);
    socket = connection.socket;
    return { page: cdpPage(connection), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Chrome DevTools Protocol calls over one WebSocket: requests by id, events ignored. */
function cdpPage(ws: { send(text: string): void; onMessage(fn: (text: string) => void): void }): CdpPage {
  let nextId = 0;
  const pending = new Map<number, { resolve(v: any): void; reject(e: Error): void }>();
  ws.onMessage((text) => {
    const message = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new Error(message.error.message));
    else waiter?.resolve(message.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}): Promise<any> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    call,
    async evaluate(expression) {
      const { result, exceptionDetails } = await call('Runtime.evaluate', { expression, returnByValue: true });
      if (exceptionDetails) return undefined;
      return result.value;
    },
  };
}

/** A minimal WebSocket client (RFC 6455 text frames) over an HTTP upgrade: Node 20 has no global WebSocket. */
function connectWebSocket(url: string): Promise<{ socket: Socket; send(text: string): void; onMessage(fn: (text: string) => void): void }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') },
    });
    req.once('error', reject);
    req.once('response', (res) => reject(new Error(`DevTools refused the WebSocket: HTTP ${res.statusCode}`)));
    req.once('upgrade', (_res, socket, head) => {
      let buffer = Buffer.from(head);
      let fragments: Buffer[] = [];
      let listener: (text: string) => void = () => {};
      const frame = (opcode: number, payload: Buffer): Buffer => {
        const mask = randomBytes(4);
        const length = payload.length;
        const header = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length]) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
        if (length >= 126 && length < 65_536) {
          header[0] = 0x80 | opcode;
          header[1] = 0x80 | 126;
          header.writeUInt16BE(length, 2);
        } else if (length >= 65_536) {
          header[0] = 0x80 | opcode;
          header[1] = 0x80 | 127;
          header.writeBigUInt64BE(BigInt(length), 2);
        }
        const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
        return Buffer.concat([header, mask, masked]);
      };
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          if (buffer.length < 2) return;
          const fin = (buffer[0]! & 0x80) !== 0;
          const opcode = buffer[0]! & 0x0f;
          let length = buffer[1]! & 0x7f;
          let offset = 2;
          if (length === 126) {
            if (buffer.length < 4) return;
            length = buffer.readUInt16BE(2);
            offset = 4;
          } else if (length === 127) {
            if (buffer.length < 10) return;
            length = Number(buffer.readBigUInt64BE(2));
            offset = 10;
          }
          if (buffer.length < offset + length) return;
          const payload = buffer.subarray(offset, offset + length);
          buffer = buffer.subarray(offset + length);
          if (opcode === 0x9) socket.write(frame(0xa, payload));
          else if (opcode === 0x8) socket.end();
          else if (opcode === 0x1 || opcode === 0x0) {
            fragments.push(Buffer.from(payload));
            if (fin) {
              const text = Buffer.concat(fragments).toString('utf8');
              fragments = [];
              listener(text);
            }
          }
        }
      });
      socket.on('error', () => {});
      resolve({ socket, send: (text) => socket.write(frame(0x1, Buffer.from(text, 'utf8'))), onMessage: (fn) => (listener = fn) });
    });
    req.end();
  });
}


/** Polls a condition a browser's state gives no event for; the test's timeout bounds the wait. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check().catch(() => false))) await new Promise((r) => setTimeout(r, 50));
}
