import type { CommandContext } from '../../context.js';
import { AuthError, InterruptedError, UsageError } from '../../errors.js';
import { clockOf, type IO } from '../../output/io.js';
import type { ApiSession } from '../../session/api-session.js';
import type { SdkAuth } from '../../session/login/authorization.js';
import { belongsTo, isAccessTokenUsable, newSession } from '../../session/session.js';
import type { StoredSession } from '../../session/token-store.js';
import { DEFAULT_API_URL } from '../../wix/hosts.js';
import { RefreshRejectedError } from '../../wix/oauth.js';

// Keep this file's static imports free of the SDK and src/wix/client.ts: `auth status` loads only what it reads.

/** Options of `wixq auth login` as commander parsed them. */
export interface AuthLoginOptions {
  email?: string;
  passwordStdin?: boolean;
  /** Only set when someone typed --password: refused, never used. */
  password?: string;
  redirectUri?: string;
  /** false with --no-browser. */
  browser?: boolean;
  loginTimeout?: string;
  /** false with --no-input (the global flag, handed over by the action): never prompt. */
  input?: boolean;
}

/** Options of `wixq auth logout`. */
export interface AuthLogoutOptions {
  redirectUri?: string;
}

/** What `auth status -o json` prints. */
export interface AuthStatus {
  profile: string;
  clientId: string | null;
  clientIdSource: string;
  role: 'none' | 'visitor' | 'member';
  memberId: string | null;
  /** ISO 8601, or null without a session. */
  accessTokenExpiresAt: string | null;
  /** Whether the stored access token is still usable (else the next command renews it first). */
  accessTokenValid: boolean;
  tokenFile: string;
  apiUrl: string;
}

/** `wixq auth status`: reads settings and tokens.json only (no request, no SDK). */
export async function runAuthStatus(ctx: CommandContext): Promise<void> {
  const now = clockOf(ctx.io).now;
  ctx.readsOnly();
  ctx.requireStoredSession();
  const s = ctx.settings();
  const store = ctx.tokenStore();
  // The session of the resolved API URL: one stored for another API is not this one's.
  const api = ctx.sessionApi();
  const session = s.clientId ? belongsTo(await store.read(store.keyFor(s.profile, s.clientId, api)), { clientId: s.clientId, api }) : undefined;
  const status: AuthStatus = {
    profile: s.profile,
    clientId: s.clientId ?? null,
    clientIdSource: s.sources.clientId.name,
    role: session?.role ?? 'none',
    memberId: session?.role === 'member' ? (session.memberId ?? null) : null,
    accessTokenExpiresAt: session ? new Date(session.accessToken.expiresAt * 1000).toISOString() : null,
    accessTokenValid: session ? isAccessTokenUsable(session, now()) : false,
    tokenFile: store.path,
    apiUrl: s.apiUrl ?? DEFAULT_API_URL,
  };
  if (s.format === 'table') {
    ctx.io.out.write(statusText(status, session, now()));
    return;
  }
  const { writeItem } = await import('../../output/render.js');
  await writeItem(ctx.io, s.format, status as unknown as Record<string, unknown>, { columns: [] });
}

function statusText(status: AuthStatus, session: StoredSession | undefined, nowMs: number): string {
  const rows: Array<[string, string]> = [
    ['Profile', status.profile],
    ['Client ID', status.clientId ? `${status.clientId} (from ${status.clientIdSource})` : 'not set (run: wixq init --client-id <ID>)'],
  ];
  if (!session) rows.push(['Role', status.clientId ? 'none (no session yet: the next command starts a visitor session)' : 'none']);
  else {
    rows.push(['Role', status.role === 'member' ? 'member (logged in)' : 'visitor (not logged in: wixq auth login)']);
    if (status.role === 'member') rows.push(['Member ID', status.memberId ?? 'unknown']);
    const left = session.accessToken.expiresAt * 1000 - nowMs;
    rows.push([
      'Access token',
      left > 0
        ? `expires ${status.accessTokenExpiresAt} (in ${duration(left)})${status.accessTokenValid ? '' : '; renewed by the next command'}`
        : `expired ${status.accessTokenExpiresAt} (renewed by the next command)`,
    ]);
  }
  rows.push(['Token file', status.tokenFile]);
  if (status.apiUrl !== DEFAULT_API_URL) rows.push(['API URL', status.apiUrl]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}\n`).join('');
}

function duration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `wixq auth token`: a valid access token on stdout (renewed first when needed), for `curl -H "Authorization: ..."`. */
export async function runAuthToken(ctx: CommandContext): Promise<void> {
  // The token of the stored session, or none: never one of a visitor started because tokens.json could not be read.
  ctx.requireStoredSession();
  ctx.io.out.write(`${await ctx.api().accessToken()}\n`);
}

/** `wixq auth login`: the browser flow, or with --email the headless password flow; stores the member session. */
export async function runAuthLogin(opts: AuthLoginOptions, ctx: CommandContext): Promise<void> {
  if (opts.password !== undefined) {
    throw new UsageError('wixq never takes a password in its arguments (they end up in shell history and process lists)', {
      hint: 'Pipe it instead: wixq auth login --email <E> --password-stdin < file, or set WIXQ_PASSWORD.',
    });
  }
  if (opts.passwordStdin && !opts.email) throw new UsageError('--password-stdin needs --email', { hint: 'Run: wixq auth login --email <E> --password-stdin' });
  ctx.requireWritableConfig('tokens.json');
  const env = ctx.io.env;
  const [{ passwordLogin }, { browserLogin, DEFAULT_LOGIN_TIMEOUT_SECONDS }, { browserCommand, canOpenBrowser, openInBrowser }] = await Promise.all([
    import('../../session/login/password-flow.js'),
    import('../../session/login/browser-flow.js'),
    import('../../session/login/browser.js'),
  ]);
  const { redirectUri, profile } = ctx.settings();
  const timeoutMs = parseLoginTimeout(opts.loginTimeout, DEFAULT_LOGIN_TIMEOUT_SECONDS);
  const password = opts.email ? await readPassword(opts, ctx) : undefined;

  const api = ctx.api();
  const { clientId, oauth } = api;
  const t = ctx.transport();
  await api.beginLogin();

  const result = await withSdkAuth(api, 'log in', (auth) =>
    opts.email
      ? passwordLogin({ auth, oauth, fetch: t.fetch, clientId, redirectUri, email: opts.email, password: password! })
      : browserLogin({
          auth,
          oauth,
          clientId,
          redirectUri,
          timeoutMs,
          // The rule get --web follows too: without a display (and no browser named) the URL is printed, as with --no-browser.
          openBrowser: opts.browser === false || !canOpenBrowser(env) ? undefined : (url) => openInBrowser(url, browserCommand(env)),
          notify: (line) => ctx.warn(line),
        }),
  );
  const session = newSession({ clientId, api: api.api }, 'member', result.tokens, clockOf(ctx.io).now(), result.memberId);
  await ctx.tokenStore().update(api.key, async () => session);
  api.adopt(session);
  const who = opts.email ? `${opts.email}${result.memberId ? ` (member ${result.memberId})` : ''}` : `member ${result.memberId ?? '(ID unknown)'}`;
  ctx.warn(`Logged in as ${who} for profile "${profile}". Commands now run as this member; wixq auth logout goes back to a visitor.`);
}

/** `wixq auth logout`: Wix's logout redirect session, then the member tokens are dropped (the next call runs as a visitor). */
export async function runAuthLogout(opts: AuthLogoutOptions, ctx: CommandContext): Promise<void> {
  const { profile, redirectUri: postFlowUrl } = ctx.settings();
  const clientId = ctx.clientId();
  ctx.requireWritableConfig('tokens.json');
  const store = ctx.tokenStore();
  const owner = { clientId, api: ctx.sessionApi() };
  const key = store.keyFor(profile, clientId, owner.api);
  const stored = belongsTo(await store.read(key), owner);
  if (!stored || stored.role !== 'member') {
    ctx.warn(`Not logged in as a member for profile "${profile}"; nothing to do (commands run as a visitor).`);
    return;
  }
  const { remoteLogout } = await import('../../session/login/logout.js');
  const api = ctx.api();

  let member: StoredSession | undefined;
  try {
    member = await api.tokens();
  } catch (error) {
    // An expired member session has nothing left to end at Wix: dropping it locally is the whole logout.
    if (!(error instanceof AuthError && error.cause instanceof RefreshRejectedError)) throw error;
  }
  if (member?.role === 'member') {
    try {
      const t = ctx.transport();
      await withSdkAuth(api, 'log out', (auth) => remoteLogout({ auth, fetch: t.fetch, postFlowUrl }));
    } catch (error) {
      ctx.warn(`Warning: Wix's logout did not finish (${error instanceof Error ? error.message : String(error)}); the member tokens are removed anyway.`);
    }
  }
  // Only the member session is dropped: one another process stored meanwhile stays.
  await store.update(key, async (current) => (belongsTo(current, owner)?.role === 'member' ? null : undefined));
  api.forget();
  ctx.warn(`Logged out${stored.memberId ? ` member ${stored.memberId}` : ''} for profile "${profile}". The next command runs as a visitor.`);
}

/**
 * Runs a login or logout step with the SDK's OAuthStrategy holding the session's tokens (a client with no API modules).
 * It is sent once (no retry on 401), and a 400 about the redirect URI says how to register it.
 */
async function withSdkAuth<T>(api: ApiSession, action: string, fn: (auth: SdkAuth) => Promise<T>): Promise<T> {
  try {
    return await api.call([], action, (client) => fn(client.auth as unknown as SdkAuth), { retryOn401: false });
  } catch (error) {
    if (error instanceof AuthError || !(error instanceof Error) || !('status' in error) || error.status !== 400 || !/redirect/i.test(error.message)) throw error;
    throw new AuthError(error.message.replace(/^Wix rejected the request to /, 'Wix rejected the login request: '), {
      requestId: (error as AuthError).requestId,
      status: 400,
      hint: 'Add the redirect URI to the allowed redirect URIs in the Wix project (Headless Settings), or pass a registered one with --redirect-uri.',
    });
  }
}

function parseLoginTimeout(value: string | undefined, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds * 1000;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(seconds > 0)) throw new UsageError(`--login-timeout must be a positive number of seconds, got "${value}"`);
  return Math.round(seconds * 1000);
}

/** The password: stdin with --password-stdin (hidden prompt on a terminal), else WIXQ_PASSWORD, else a prompt. */
async function readPassword(opts: AuthLoginOptions, ctx: CommandContext): Promise<string> {
  const io = ctx.io;
  let password: string | undefined;
  if (opts.passwordStdin) password = io.stdinIsTTY ? await promptHidden(io, `Password for ${opts.email}: `) : await readAll(io.stdin);
  else if (io.env.WIXQ_PASSWORD !== undefined && io.env.WIXQ_PASSWORD !== '') password = io.env.WIXQ_PASSWORD;
  else if (io.stdinIsTTY && opts.input !== false) password = await promptHidden(io, `Password for ${opts.email}: `);
  else {
    throw new UsageError('no password given for --email', {
      hint: 'Pipe it with --password-stdin (printf %s "$PW" | wixq auth login --email <E> --password-stdin) or set WIXQ_PASSWORD.',
    });
  }
  // One trailing newline is how `echo` and files end; the password itself never does.
  password = password.replace(/\r?\n$/, '');
  if (password === '') throw new UsageError('the password read from stdin is empty');
  return password;
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer | string) => chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.once('error', reject);
  });
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(io: IO, question: string): Promise<string> {
  const input = io.stdin as NodeJS.ReadStream;
  io.err.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding('utf8');
    const finish = (error?: Error): void => {
      input.off('data', onData);
      input.setRawMode?.(wasRaw ?? false);
      input.pause();
      io.err.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new InterruptedError());
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}
