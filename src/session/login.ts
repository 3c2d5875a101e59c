import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AuthError, TemporaryError, UsageError, WixqError } from '../errors.js';
import type { OAuthClient, TokenResponse } from '../wix/oauth.js';
import { DEFAULT_REDIRECT_URI, parseRedirectUri } from './redirect-uri.js';

export { DEFAULT_REDIRECT_URI, parseRedirectUri };

/**
 * Member login (docs/wix-api.md 1.3): PKCE, the headless email/password flow, the loopback browser flow, logout.
 * Nothing here imports the SDK: the caller hands in the `auth` part of an `OAuthStrategy` client.
 */

/** How long the browser flow waits for the callback by default. */
export const DEFAULT_LOGIN_TIMEOUT_SECONDS = 300;
/** Redirects the headless flow follows before it gives up (Wix needs one or two). */
export const MAX_REDIRECT_HOPS = 10;

/** PKCE verifier and S256 challenge plus the `state` value of one authorization request. */
export interface Pkce {
  codeVerifier: string;
  codeChallenge: string;
  state: string;
}

/** The `oauthData` object `auth.getAuthUrl` takes. */
export interface OAuthData extends Pkce {
  redirectUri: string;
  originalUri: string;
}

/** What `auth.login` returns (docs/wix-api.md 1.3a). */
export interface SdkLoginResult {
  loginState: string;
  data?: { sessionToken?: string; stateToken?: string };
  error?: string;
  errorCode?: string;
}

/** The parts of the SDK's `OAuthStrategy` the login flows use. */
export interface SdkAuth {
  login(params: { email: string; password: string }): Promise<SdkLoginResult>;
  getAuthUrl(oauthData: OAuthData, opts: { prompt: string; responseMode: string; sessionToken?: string }): Promise<{ authUrl: string }>;
  logout(postFlowUrl: string): Promise<{ logoutUrl: string }>;
}

/** A completed login: the member's tokens and, when the token says, the member ID. */
export interface LoginResult {
  tokens: TokenResponse;
  memberId?: string;
}

/** base64url(sha256(verifier)): the S256 code challenge of RFC 7636. */
export function codeChallengeFor(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

/** A fresh verifier (43 characters of [A-Za-z0-9_-]), its challenge and an independent random state. */
export function createPkce(random: (size: number) => Buffer = randomBytes): Pkce {
  const codeVerifier = random(32).toString('base64url');
  return { codeVerifier, codeChallenge: codeChallengeFor(codeVerifier), state: random(32).toString('base64url') };
}


/** Whether a URL is the redirect URI with the authorization response attached (same origin and path). */
export function isRedirectTarget(url: URL, redirectUri: URL): boolean {
  return url.origin === redirectUri.origin && url.pathname === redirectUri.pathname;
}

/** The authorization code of a redirect to the redirect URI, after the state check (`getMemberTokens` semantics). */
export function readCallback(url: URL, expectedState: string): string {
  const params = url.searchParams;
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description');
    throw new AuthError(`Wix did not complete the login: ${description ? `${description} (${error})` : error}`, { hint: 'Run: wixq auth login' });
  }
  const state = params.get('state');
  if (state !== expectedState) {
    throw new AuthError('the login response does not belong to this login (its state does not match); it was ignored', {
      hint: 'Run wixq auth login again, and finish it in the browser tab it opens.',
    });
  }
  const code = params.get('code');
  if (!code) throw new AuthError('the login response has no authorization code', { hint: 'Run: wixq auth login' });
  return code;
}

/** The member ID inside a Wix access token (`data.instance.siteMemberId`, or the emulator's `memberId`); undefined when absent. */
export function memberIdFromToken(accessToken: string): string | undefined {
  // Wix tokens are `OauthNG.JWS.<header>.<payload>.<signature>`; only the payload is read, never trusted for access.
  const parts = accessToken.replace(/^OauthNG\.JWS\./, '').split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof payload.memberId === 'string' && payload.memberId) return payload.memberId;
    if (typeof payload.data === 'string') {
      const data = JSON.parse(payload.data) as { instance?: { siteMemberId?: unknown } };
      const id = data.instance?.siteMemberId;
      if (typeof id === 'string' && id) return id;
    }
  } catch {
    // Not a token wixq can read: the member ID stays unknown.
  }
  return undefined;
}

export interface FollowOptions {
  /** A page that answers without redirecting ends the walk (logout) instead of failing it (login). */
  acceptPage?: boolean;
  maxHops?: number;
}

/**
 * Follows redirects by hand (`redirect: 'manual'`) until a Location satisfies isTarget, which is returned unvisited:
 * the redirect URI is a loopback address nobody listens on in the headless flow. Cookies set on the way are sent back.
 */
export async function followRedirects(fetchFn: typeof fetch, start: string, isTarget: (url: URL) => boolean, options: FollowOptions = {}): Promise<URL> {
  const maxHops = options.maxHops ?? MAX_REDIRECT_HOPS;
  const cookies = new Map<string, Map<string, string>>();
  let url = new URL(start);
  for (let hop = 0; hop <= maxHops; hop++) {
    if (isTarget(url)) return url;
    const jar = cookies.get(url.host);
    const headers: Record<string, string> = {};
    if (jar && jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetchFn(url.href, { method: 'GET', redirect: 'manual', headers });
    rememberCookies(cookies, url.host, response.headers);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel().catch(() => {});
      url = new URL(location, url);
      continue;
    }
    if (options.acceptPage && response.status >= 200 && response.status < 300) {
      await response.body?.cancel().catch(() => {});
      return url;
    }
    // A headless client may get a page that redirects by markup or script instead of a 302: follow that hop too.
    const hop = response.status >= 200 && response.status < 300 ? pageRedirect(await readPage(response)) : undefined;
    if (hop !== undefined) {
      url = new URL(hop, url);
      continue;
    }
    await response.body?.cancel().catch(() => {});
    throw new AuthError(`Wix answered ${url.origin}${url.pathname} with HTTP ${response.status} instead of redirecting to the redirect URI`, {
      requestId: response.headers.get('x-wix-request-id') ?? undefined,
      hint: 'Log in with the browser instead: wixq auth login',
    });
  }
  throw new AuthError(`Wix redirected more than ${maxHops} times without reaching the redirect URI`, { hint: 'Log in with the browser instead: wixq auth login' });
}

/** Pages worth reading for a redirect are small; a larger body is cut there. */
const MAX_PAGE_CHARS = 256 * 1024;

async function readPage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  return text.slice(0, MAX_PAGE_CHARS);
}

/**
 * Where a page sends the browser, if it does: `<meta http-equiv="refresh" content="0;url=…">`, or a script that assigns
 * `location` / `location.href` or calls `location.replace|assign(…)`. Undefined when the page does neither.
 */
export function pageRedirect(html: string): string | undefined {
  const meta = /<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*>/i.exec(html)?.[0];
  const metaUrl = meta && /content\s*=\s*["']?\s*\d*\s*;?\s*url\s*=\s*['"]?([^"'>\s]+)/i.exec(meta)?.[1];
  if (metaUrl) return decodeHtml(metaUrl);
  const script =
    /\blocation(?:\.href)?\s*=\s*(["'])((?:\\.|(?!\1).)+)\1/.exec(html) ?? /\blocation\.(?:replace|assign)\(\s*(["'])((?:\\.|(?!\1).)+)\1\s*\)/.exec(html);
  if (script) return decodeJsString(script[2]!);
  return undefined;
}

function decodeHtml(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&#x2F;/gi, '/').replace(/&#47;/g, '/').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

function decodeJsString(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\(.)/g, '$1');
}

function rememberCookies(cookies: Map<string, Map<string, string>>, host: string, headers: Headers): void {
  const setCookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
  for (const line of setCookies) {
    const pair = line.split(';', 1)[0]!;
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    let jar = cookies.get(host);
    if (!jar) cookies.set(host, (jar = new Map()));
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

/** The error for a failed `auth.login`: one clear message per Wix state, exit 4 (5 when Wix itself failed). */
export function loginFailure(result: SdkLoginResult, email: string): WixqError {
  switch (result.loginState) {
    case 'EMAIL_VERIFICATION_REQUIRED':
      return new AuthError(`${email} has not verified the email address yet, so Wix does not let this member log in.`, {
        hint: 'Open the verification email from the site, confirm the address, then run wixq auth login again.',
      });
    case 'OWNER_APPROVAL_REQUIRED':
      return new AuthError(`the membership of ${email} is waiting for the site owner's approval.`, {
        hint: 'Ask the site owner to approve the member (Wix dashboard > Contacts > Site Members), then log in again.',
      });
    case 'USER_CAPTCHA_REQUIRED':
    case 'SILENT_CAPTCHA_REQUIRED':
      return captchaError();
  }
  const wixCode = applicationErrorCode(result.error);
  if (typeof wixCode === 'number' && (wixCode === 429 || wixCode >= 500)) {
    return new TemporaryError(`Wix's login service failed with HTTP ${wixCode}`, { hint: 'This is usually temporary; try again in a minute.' });
  }
  if (typeof wixCode === 'number') return new AuthError(`Wix refused the login of ${email} with HTTP ${wixCode}.`, { hint: 'Log in with the browser instead: wixq auth login' });
  switch (result.errorCode) {
    case 'invalidPassword':
      return new AuthError(`wrong password for ${email}.`, { hint: 'Check the password; it is read from stdin (--password-stdin) or WIXQ_PASSWORD.' });
    case 'resetPassword':
      return new AuthError(`Wix requires a password reset for ${email} before it can log in.`, { hint: 'Reset the password from the site\'s login page, then log in again.' });
    case 'missingCaptchaToken':
    case 'invalidCaptchaToken':
      return captchaError();
    case 'invalidEmail':
      // The SDK calls every other code "invalidEmail"; only Wix's own negative codes (or none) really mean that.
      if (wixCode !== undefined && !/^-\d+$/.test(String(wixCode))) break;
      return new AuthError(`no member of this site has the email ${email}.`, {
        hint: 'Check the address (members sign up on the site), or log in with the browser: wixq auth login',
      });
  }
  if (result.loginState === 'SUCCESS') return new AuthError('Wix reported a successful login but sent no session token', { hint: 'Log in with the browser instead: wixq auth login' });
  return new AuthError(`Wix did not log ${email} in (${result.loginState}${wixCode !== undefined ? `, code ${wixCode}` : ''}).`, { hint: 'Log in with the browser instead: wixq auth login' });
}

function captchaError(): AuthError {
  return new AuthError('this site requires a captcha to log in, which a password login from the terminal cannot solve.', {
    hint: 'Log in with the browser instead (wixq auth login), or turn off the captcha for member login in the site settings.',
  });
}

/** Wix's applicationError.code inside the SDK's JSON-string error message (a string code, or a number for an HTTP status). */
function applicationErrorCode(message: string | undefined): string | number | undefined {
  if (!message) return undefined;
  try {
    const code = (JSON.parse(message) as { details?: { applicationError?: { code?: unknown } } }).details?.applicationError?.code;
    return typeof code === 'string' || typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}

export interface PasswordLoginOptions {
  auth: SdkAuth;
  oauth: OAuthClient;
  /** wixq's own fetch (the transport's), for the authorize redirects. */
  fetch: typeof fetch;
  clientId: string;
  /** Exactly as registered in the project: it is compared as a string by Wix. */
  redirectUri: string;
  email: string;
  password: string;
  pkce?: Pkce;
}

/**
 * The headless flow: `auth.login` gives a session token; a redirect session with it, `prompt: 'none'` and
 * `responseMode: 'query'` gives an authorize URL whose redirects end at the redirect URI with a code; then the
 * authorization_code grant. Never `getMemberTokensForDirectLogin`: it needs a DOM and crashes Node (docs/wix-api.md 1.3c).
 */
export async function passwordLogin(o: PasswordLoginOptions): Promise<LoginResult> {
  const target = parseRedirectUri(o.redirectUri);
  const result = await o.auth.login({ email: o.email, password: o.password });
  const sessionToken = result.data?.sessionToken;
  if (result.loginState !== 'SUCCESS' || !sessionToken) throw loginFailure(result, o.email);
  const pkce = o.pkce ?? createPkce();
  const { authUrl } = await o.auth.getAuthUrl(oauthData(o.redirectUri, pkce), { prompt: 'none', responseMode: 'query', sessionToken });
  const landing = await followRedirects(o.fetch, authUrl, (url) => isRedirectTarget(url, target));
  const code = readCallback(landing, pkce.state);
  const tokens = await o.oauth.authorizationCode({ clientId: o.clientId, code, codeVerifier: pkce.codeVerifier, redirectUri: o.redirectUri });
  return { tokens, memberId: memberIdFromToken(tokens.accessToken) };
}

export interface BrowserLoginOptions {
  auth: SdkAuth;
  oauth: OAuthClient;
  clientId: string;
  redirectUri: string;
  timeoutMs: number;
  /** Opens the URL in a browser; undefined with --no-browser (the URL is printed instead). */
  openBrowser?: (url: string) => Promise<void>;
  /** A line for stderr. */
  notify(line: string): void;
  pkce?: Pkce;
}

/** The browser flow: a loopback server on the redirect URI, the Wix login page in the browser, the code exchanged. */
export async function browserLogin(o: BrowserLoginOptions): Promise<LoginResult> {
  const target = parseRedirectUri(o.redirectUri);
  const pkce = o.pkce ?? createPkce();
  // Listen before anything is sent: a port in use fails at once, not after the user has logged in.
  const server = await listenForCallback(target);
  try {
    const { authUrl } = await o.auth.getAuthUrl(oauthData(o.redirectUri, pkce), { prompt: 'login', responseMode: 'query' });
    // Waiting starts before the browser does, so even an instant callback finds the server ready.
    const waiting = server.waitForCallback(pkce.state, o.timeoutMs);
    waiting.catch(() => {});
    if (o.openBrowser) {
      try {
        await o.openBrowser(authUrl);
        o.notify('Opened the Wix login page in your browser. If it did not open, visit:');
      } catch (error) {
        o.notify(`Could not open a browser (${error instanceof Error ? error.message : String(error)}). Open this URL to log in:`);
      }
    } else {
      o.notify('Open this URL in a browser to log in:');
    }
    o.notify(`  ${authUrl}`);
    o.notify(`Waiting for the login (up to ${Math.round(o.timeoutMs / 1000)} s; Ctrl-C cancels)...`);
    const callback = await waiting;
    try {
      const tokens = await o.oauth.authorizationCode({ clientId: o.clientId, code: callback.code, codeVerifier: pkce.codeVerifier, redirectUri: o.redirectUri });
      callback.respond(200, page('Logged in', 'You are logged in to wixq. You can close this window and return to the terminal.'));
      return { tokens, memberId: memberIdFromToken(tokens.accessToken) };
    } catch (error) {
      callback.respond(400, page('Login failed', `wixq could not finish the login: ${error instanceof Error ? error.message : String(error)}`));
      throw error;
    }
  } finally {
    await server.close();
  }
}

function oauthData(redirectUri: string, pkce: Pkce): OAuthData {
  return { redirectUri, originalUri: '', codeVerifier: pkce.codeVerifier, codeChallenge: pkce.codeChallenge, state: pkce.state };
}

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
function page(title: string, message: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>wixq: ${escapeHtml(title)}</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 4rem auto">
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
</body></html>
`;
}

/**
 * Whether wixq can open a browser here, the one rule `auth login` and `get --web` share: a browser named by
 * WIXQ_BROWSER or BROWSER always can be started; macOS and Windows open URLs without a display; on Linux and other Unix
 * desktops a browser needs DISPLAY or WAYLAND_DISPLAY. When it cannot, both print the URL instead.
 */
export function canOpenBrowser(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (env.WIXQ_BROWSER?.trim() || env.BROWSER?.trim()) return true;
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY?.trim() || env.WAYLAND_DISPLAY?.trim());
}

/** The command that opens a URL: WIXQ_BROWSER or BROWSER when set, else the platform's opener. */
export function browserCommand(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string[] {
  const named = env.WIXQ_BROWSER || env.BROWSER;
  if (named && named.trim()) return splitCommand(named);
  if (platform === 'darwin') return ['open'];
  // `cmd /c start` would cut the URL at its first `&`; the URL protocol handler takes it whole.
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler'];
  return ['xdg-open'];
}

/** Splits a command line on spaces, keeping quoted parts together (enough for `BROWSER="node /x/y.js"`). */
export function splitCommand(line: string): string[] {
  const parts: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of line.matchAll(pattern)) parts.push(match[1] ?? match[2] ?? match[3]!);
  return parts;
}

/** Starts the browser command with the URL as one argument (`%s` in the command is replaced instead); does not wait for it. */
export function openInBrowser(url: string, command: string[]): Promise<void> {
  const hasPlaceholder = command.some((part) => part.includes('%s'));
  const args = hasPlaceholder ? command.slice(1).map((part) => part.replaceAll('%s', url)) : [...command.slice(1), url];
  return new Promise((resolve, reject) => {
    // The browser outlives wixq and needs none of its secrets.
    const env = { ...process.env };
    delete env.WIXQ_PASSWORD;
    const child = spawn(command[0]!, args, { stdio: 'ignore', detached: true, env });
    child.once('error', (error) => reject(new Error(`${command[0]}: ${(error as NodeJS.ErrnoException).code ?? error.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

export interface LogoutOptions {
  auth: SdkAuth;
  fetch: typeof fetch;
  /** Where Wix sends the browser after logging out; the walk stops there without visiting it. */
  postFlowUrl: string;
}

/** Wix's logout redirect session (`auth.logout`), then its logout URL fetched, as a browser would. */
export async function remoteLogout(o: LogoutOptions): Promise<void> {
  const { logoutUrl } = await o.auth.logout(o.postFlowUrl);
  const postFlow = new URL(o.postFlowUrl);
  await followRedirects(o.fetch, logoutUrl, (url) => isRedirectTarget(url, postFlow), { acceptPage: true });
}
