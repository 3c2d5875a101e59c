import type { CommandContext } from '../context.js';
import { AuthError, InterruptedError, UsageError } from '../errors.js';
import type { IO } from '../output/io.js';
import { isAccessTokenUsable, newSession, toSdkTokens, type SdkTokens } from '../session/session.js';
import { sessionKey, type StoredSession } from '../session/token-store.js';
import { RefreshRejectedError } from '../wix/oauth.js';

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
export async function runAuthStatus(ctx: CommandContext, now: () => number = Date.now): Promise<void> {
  const s = await ctx.settings();
  const store = await ctx.tokenStore();
  const stored = s.clientId ? await store.read(sessionKey(s.profile, s.clientId)) : undefined;
  const session = stored && stored.clientId === s.clientId ? stored : undefined;
  const status: AuthStatus = {
    profile: s.profile,
    clientId: s.clientId ?? null,
    clientIdSource: s.sources.clientId.name,
    role: session?.role ?? 'none',
    memberId: session?.role === 'member' ? (session.memberId ?? null) : null,
    accessTokenExpiresAt: session ? new Date(session.accessToken.expiresAt * 1000).toISOString() : null,
    accessTokenValid: session ? isAccessTokenUsable(session, now()) : false,
    tokenFile: store.path,
    apiUrl: s.apiUrl ?? 'https://www.wixapis.com',
  };
  if (s.output === 'json' || s.output === 'ndjson') {
    ctx.io.out.write(`${JSON.stringify(status, null, s.output === 'json' ? 2 : undefined)}\n`);
    return;
  }
  if (s.output === 'csv' || s.output === 'tsv') throw new UsageError(`auth status prints text or JSON, not ${s.output}`, { hint: 'Use: wixq auth status --json' });
  ctx.io.out.write(statusText(status, session, now()));
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
  if (status.apiUrl !== 'https://www.wixapis.com') rows.push(['API URL', status.apiUrl]);
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
  const session = await ctx.session();
  ctx.io.out.write(`${session.accessToken.value}\n`);
}

/** The redirect URI: --redirect-uri > WIXQ_REDIRECT_URI > the profile's redirect-uri setting > the default; checked. */
async function resolveRedirectUri(opts: { redirectUri?: string }, ctx: CommandContext, fallback: string): Promise<string> {
  const { parseRedirectUri } = await import('../session/redirect-uri.js');
  if (opts.redirectUri !== undefined) return parseRedirectUri(opts.redirectUri, '--redirect-uri').href;
  const fromEnv = nonEmpty(ctx.io.env.WIXQ_REDIRECT_URI);
  if (fromEnv !== undefined) return parseRedirectUri(fromEnv, 'WIXQ_REDIRECT_URI').href;
  const s = await ctx.settings();
  const configured = s.settings.get(s.profile, 'redirect-uri');
  return typeof configured === 'string' ? configured : fallback;
}

/** `wixq auth login`: the browser flow, or with --email the headless password flow; stores the member session. */
export async function runAuthLogin(opts: AuthLoginOptions, ctx: CommandContext): Promise<void> {
  if (opts.password !== undefined) {
    throw new UsageError('wixq never takes a password in its arguments (they end up in shell history and process lists)', {
      hint: 'Pipe it instead: wixq auth login --email <E> --password-stdin < file, or set WIXQ_PASSWORD.',
    });
  }
  if (opts.passwordStdin && !opts.email) throw new UsageError('--password-stdin needs --email', { hint: 'Run: wixq auth login --email <E> --password-stdin' });
  const env = ctx.io.env;
  const login = await import('../session/login.js');
  const redirectUri = await resolveRedirectUri(opts, ctx, login.DEFAULT_REDIRECT_URI);
  const timeoutMs = parseLoginTimeout(opts.loginTimeout, login.DEFAULT_LOGIN_TIMEOUT_SECONDS);
  const password = opts.email ? await readPassword(opts, ctx) : undefined;

  const [clientId, store, t, s] = await Promise.all([ctx.clientId(), ctx.tokenStore(), ctx.transport(), ctx.settings()]);
  const key = sessionKey(s.profile, clientId);
  const { createOAuthClient } = await import('../wix/oauth.js');
  const oauth = createOAuthClient(t.fetch);
  const auth = await sdkAuth(clientId, await tokensForLogin(ctx, key, clientId, oauth));

  const result = await mapSdkFailure(ctx, 'log in', () =>
    opts.email
      ? login.passwordLogin({ auth, oauth, fetch: t.fetch, clientId, redirectUri, email: opts.email, password: password! })
      : login.browserLogin({
          auth,
          oauth,
          clientId,
          redirectUri,
          timeoutMs,
          openBrowser: opts.browser === false ? undefined : (url) => login.openInBrowser(url, login.browserCommand(env)),
          notify: (line) => ctx.warn(line),
        }),
  );
  const session = newSession(clientId, 'member', result.tokens, Date.now(), result.memberId);
  await store.update(key, async () => session);
  const who = opts.email ? `${opts.email}${result.memberId ? ` (member ${result.memberId})` : ''}` : `member ${result.memberId ?? '(ID unknown)'}`;
  ctx.warn(`Logged in as ${who} for profile "${s.profile}". Commands now run as this member; wixq auth logout goes back to a visitor.`);
}

/** `wixq auth logout`: Wix's logout redirect session, then the member tokens are dropped (the next call runs as a visitor). */
export async function runAuthLogout(opts: AuthLogoutOptions, ctx: CommandContext): Promise<void> {
  const [clientId, store, s] = await Promise.all([ctx.clientId(), ctx.tokenStore(), ctx.settings()]);
  const key = sessionKey(s.profile, clientId);
  const stored = await store.read(key);
  if (!stored || stored.clientId !== clientId || stored.role !== 'member') {
    ctx.warn(`Not logged in as a member for profile "${s.profile}"; nothing to do (commands run as a visitor).`);
    return;
  }
  const login = await import('../session/login.js');
  const postFlowUrl = await resolveRedirectUri(opts, ctx, login.DEFAULT_REDIRECT_URI);

  let member: StoredSession | undefined;
  try {
    member = await ctx.session();
  } catch (error) {
    // An expired member session has nothing left to end at Wix: dropping it locally is the whole logout.
    if (!(error instanceof AuthError && error.cause instanceof RefreshRejectedError)) throw error;
  }
  if (member?.role === 'member') {
    try {
      const t = await ctx.transport();
      const auth = await sdkAuth(clientId, toSdkTokens(member));
      await mapSdkFailure(ctx, 'log out', () => login.remoteLogout({ auth, fetch: t.fetch, postFlowUrl }));
    } catch (error) {
      ctx.warn(`Warning: Wix's logout did not finish (${error instanceof Error ? error.message : String(error)}); the member tokens are removed anyway.`);
    }
  }
  // Only the member session is dropped: one another process stored meanwhile stays.
  await store.update(key, async (current) => (current?.role === 'member' && current.clientId === clientId ? null : undefined));
  ctx.warn(`Logged out${stored.memberId ? ` member ${stored.memberId}` : ''} for profile "${s.profile}". The next command runs as a visitor.`);
}

/** Tokens to start a login with: the stored visitor session, or a fresh visitor token when a member (maybe expired) is stored. */
async function tokensForLogin(ctx: CommandContext, key: string, clientId: string, oauth: import('../wix/oauth.js').OAuthClient): Promise<SdkTokens> {
  const stored = await (await ctx.tokenStore()).read(key);
  if (stored?.clientId === clientId && stored.role === 'member') {
    // Logging in again, or after the member session expired: the old member must not start the new login.
    const fresh = await oauth.anonymous(clientId);
    return toSdkTokens(newSession(clientId, 'visitor', fresh, Date.now()));
  }
  return toSdkTokens(await ctx.session());
}

/** The SDK's OAuthStrategy for these tokens, with no API modules: login, redirect sessions and logout only. */
async function sdkAuth(clientId: string, tokens: SdkTokens): Promise<import('../session/login.js').SdkAuth> {
  const { createWixClient } = await import('../wix/client.js');
  const client = await createWixClient([], { clientId, tokens });
  return client.auth as unknown as import('../session/login.js').SdkAuth;
}

/** Errors the SDK throws (plain objects, "System error occurred") become WixqErrors with the transport's details. */
async function mapSdkFailure<T>(ctx: CommandContext, action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const t = await ctx.transport();
    const { toWixqError } = await import('../wix/errors.js');
    const mapped = toWixqError(error, { action, lastRequestId: t.lastRequestId(), lastFailure: t.lastFailure() });
    if (mapped.status === 400 && /redirect/i.test(mapped.message)) {
      throw new AuthError(mapped.message.replace(/^Wix rejected the request to /, 'Wix rejected the login request: '), {
        requestId: mapped.requestId,
        status: mapped.status,
        hint: 'Add the redirect URI to the allowed redirect URIs in the Wix project (Headless Settings), or pass a registered one with --redirect-uri.',
      });
    }
    throw mapped;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
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
  else if (io.stdinIsTTY && ctx.globals.input !== false) password = await promptHidden(io, `Password for ${opts.email}: `);
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
