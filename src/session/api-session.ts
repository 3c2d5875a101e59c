import { WixqError } from '../errors.js';
import { createWixClient, preloadWixClient, type WixClient } from '../wix/client.js';
import { sdkErrorStatus, stillUnauthorized, toWixqError } from '../wix/errors.js';
import type { ModuleName } from '../wix/modules.js';
import { createOAuthClient, isSendableToken, type OAuthClient } from '../wix/oauth.js';
import type { Transport } from '../wix/transport.js';
import { belongsTo, ensureSession, newSession, persistSdkTokens, sameTokens, toSdkTokens } from './session.js';
import type { StoredSession, TokenStore } from './token-store.js';

export interface ApiSessionOptions {
  profile: string;
  clientId: string;
  /** The API the session belongs to (`sessionApi(apiUrl)`, or `DEMO_API`): part of its key in tokens.json. */
  api: string;
  store: TokenStore;
  transport: Transport;
  /** Notices and warnings for stderr. */
  warn(line: string): void;
  now?: () => number;
}

/**
 * The one owner of a run's tokens. Every request of the run goes through it: SDK calls (`call`), wixq's own requests
 * (`withToken`), logins. It holds the single copy of the tokens; SDK clients get them before each call and hand back
 * what they renewed, and `close()` writes them to tokens.json when they changed.
 */
/** An HTTP answer read whole: what `request` hands its caller. */
export interface RawResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

export class ApiSession {
  readonly clientId: string;
  readonly api: string;
  readonly key: string;
  readonly oauth: OAuthClient;
  readonly #options: ApiSessionOptions;
  #current: StoredSession | undefined;
  /** What tokens.json holds for this session as far as this run knows (nothing to write while it equals #current). */
  #onDisk: StoredSession | undefined;
  #ensuring: Promise<StoredSession> | undefined;
  #renewing: Promise<StoredSession> | undefined;
  readonly #clients = new Map<string, Promise<WixClient>>();
  #restoreFetch: (() => void) | undefined;
  #memberLost = false;

  constructor(options: ApiSessionOptions) {
    this.#options = options;
    this.clientId = options.clientId;
    this.api = options.api;
    this.key = options.store.keyFor(options.profile, options.clientId, options.api);
    this.oauth = createOAuthClient(options.transport.fetch);
  }

  /** The role of the session in use: none before the first request. */
  get role(): 'none' | StoredSession['role'] {
    return this.#current?.role ?? 'none';
  }

  /** A valid session (reused, renewed or new), already on disk. */
  tokens(): Promise<StoredSession> {
    // Once there is a session, it is the one copy: renewed in place after a 401 or by the SDK.
    if (this.#current) return Promise.resolve(this.#current);
    this.#ensuring ??= this.#ensure(false).catch((error: unknown) => {
      this.#ensuring = undefined;
      throw error;
    });
    return this.#ensuring;
  }

  /** A usable access token (renewed first if needed); Wix takes it as the Authorization header, without "Bearer". */
  async accessToken(): Promise<string> {
    return (await this.tokens()).accessToken.value;
  }

  /**
   * Calls the SDK with a client of these modules holding the session's tokens: one renewal and retry on a 401 (unless
   * `retryOn401` is false: a login must not be sent twice), errors mapped to WixqErrors.
   */
  call<T>(modules: readonly ModuleName[], action: string, fn: (client: WixClient) => Promise<T>, options: { retryOn401?: boolean } = {}): Promise<T> {
    // The SDK's code loads while the session is read (the first call of a run; later ones find it loaded).
    if (!this.#clients.has(clientKey(modules))) preloadWixClient(modules, { oauth: modules.length === 0 });
    return this.#withRenewal(action, options.retryOn401 ?? true, async () => {
      const client = await this.#client(modules);
      this.#lend(client);
      try {
        return await fn(client);
      } finally {
        this.#takeBack(client);
      }
    });
  }

  /** Runs a request of wixq's own with the access token: a WixqError with status 401 renews the session once and runs it again. */
  withToken<T>(action: string, fn: (accessToken: string) => Promise<T>): Promise<T> {
    return this.#withRenewal(action, true, async () => fn(await this.accessToken()));
  }

  /**
   * One HTTP request of wixq's own with the access token (`wixq api`, `wixq snapshot`): `Authorization`, a JSON
   * `Content-Type` when there is a body, then `headers` (they win). `handle` reads the answer and throws Wix's error
   * for a non-2xx one; a 401 it throws renews the session once and sends the request again.
   */
  request<T>(
    action: string,
    url: string,
    init: { method: string; body?: string; headers?: Iterable<[string, string]> },
    handle: (response: RawResponse) => T | Promise<T>,
  ): Promise<T> {
    return this.withToken(action, async (accessToken) => {
      const headers = new Headers({ Authorization: accessToken });
      if (init.body !== undefined) headers.set('Content-Type', 'application/json');
      for (const [name, value] of init.headers ?? []) headers.set(name, value);
      const res = await this.#options.transport.fetch(url, { method: init.method, headers, body: init.body });
      return handle({ status: res.status, statusText: res.statusText, headers: res.headers, text: await res.text() });
    });
  }

  /**
   * Starts a login from a visitor session: the stored one, or a fresh visitor when a member (maybe expired) is stored,
   * since the old member must not start the new login. The fresh visitor is not written to disk.
   */
  async beginLogin(): Promise<void> {
    const stored = belongsTo(await this.#options.store.read(this.key), { clientId: this.clientId, api: this.api });
    if (stored?.role === 'member') {
      const fresh = await this.oauth.anonymous(this.clientId);
      this.#current = newSession({ clientId: this.clientId, api: this.api }, 'visitor', fresh, this.#now());
      this.#onDisk = this.#current;
      this.#ensuring = Promise.resolve(this.#current);
      return;
    }
    await this.tokens();
  }

  /** Takes a session that was just written to disk (a login) as the run's session. */
  adopt(session: StoredSession): void {
    this.#current = session;
    this.#onDisk = session;
    this.#ensuring = Promise.resolve(session);
  }

  /** Drops the session from this run (a logout): nothing is written at close. */
  forget(): void {
    this.#current = undefined;
    this.#onDisk = undefined;
    this.#ensuring = undefined;
  }

  /** Writes tokens the SDK renewed during the run, and restores the global fetch. Always called, also after errors. */
  async close(): Promise<void> {
    try {
      if (this.#memberLost) this.#options.warn('Warning: the member session could not be renewed during this command; run wixq auth login.');
      const current = this.#current;
      if (current && current !== this.#onDisk) {
        await persistSdkTokens(this.#options.store, this.key, this.clientId, toSdkTokens(current), { given: this.#onDisk, now: this.#options.now, api: this.api });
        this.#onDisk = current;
      }
    } finally {
      this.#restoreFetch?.();
      this.#restoreFetch = undefined;
    }
  }

  async #withRenewal<T>(action: string, retryOn401: boolean, attempt: () => Promise<T>): Promise<T> {
    const used = await this.accessToken();
    try {
      return await attempt();
    } catch (error) {
      if (!retryOn401 || statusOf(error) !== 401) throw this.#mapped(error, action);
    }
    // A 401: one fresh authentication and one retry (the SDK itself never retries).
    await this.#renewAfter401(used);
    try {
      return await attempt();
    } catch (error) {
      const mapped = this.#mapped(error, action);
      if (mapped.status === 401) throw stillUnauthorized(action, mapped.requestId);
      throw mapped;
    }
  }

  #mapped(error: unknown, action: string): WixqError {
    const t = this.#options.transport;
    return toWixqError(error, { action, lastRequestId: t.lastRequestId(), lastFailure: t.lastFailure(), role: this.#current?.role });
  }

  /** One renewal at a time: concurrent 401s share it, and a token renewed meanwhile is simply taken. */
  #renewAfter401(rejected: string): Promise<StoredSession> {
    if (this.#current && this.#current.accessToken.value !== rejected) return Promise.resolve(this.#current);
    this.#renewing ??= this.#ensure(true, rejected).finally(() => {
      this.#renewing = undefined;
    });
    return this.#renewing;
  }

  async #ensure(forceRenew: boolean, rejectedAccessToken?: string): Promise<StoredSession> {
    const result = await ensureSession({
      store: this.#options.store,
      key: this.key,
      clientId: this.clientId,
      api: this.api,
      oauth: this.oauth,
      now: this.#options.now,
      forceRenew,
      rejectedAccessToken,
    });
    result.notices.forEach((line) => this.#options.warn(line));
    this.#current = result.session;
    this.#onDisk = result.session;
    return result.session;
  }

  #client(modules: readonly ModuleName[]): Promise<WixClient> {
    const id = clientKey(modules);
    let client = this.#clients.get(id);
    if (!client) {
      // The SDK calls the global fetch: point it at the transport (API URL, retries, trace) while this run lasts.
      this.#restoreFetch ??= this.#options.transport.install();
      // A client with API modules sends the session's token (the SDK's OAuthStrategy is neither loaded nor built: this
      // session renews); one with none is the login flows' (auth login, logout), which need OAuthStrategy.
      client = this.tokens().then((session) => createWixClient(modules, { clientId: this.clientId, tokens: toSdkTokens(session), oauth: modules.length === 0 }));
      this.#clients.set(id, client);
    }
    return client;
  }

  /** Hands the session's tokens to a client before a call (another client or a renewal may have changed them). */
  #lend(client: WixClient): void {
    const current = this.#current;
    if (current && !sameTokens(client.auth.getTokens(), toSdkTokens(current))) client.auth.setTokens(toSdkTokens(current));
  }

  /** Takes back what the SDK renewed on its own during a call (OAuthStrategy refreshes an expired access token silently; the session strategy never changes it). */
  #takeBack(client: WixClient): void {
    const current = this.#current;
    const tokens = client.auth.getTokens();
    if (!current || sameTokens(tokens, toSdkTokens(current))) return;
    const role = tokens.refreshToken.role;
    // A token the SDK renewed into one that cannot be sent in a header is never kept (the next call renews again).
    if (tokens.accessToken.value === '' || (role !== 'visitor' && role !== 'member') || !isSendableToken(tokens.accessToken.value)) return;
    // The SDK turns a member whose refresh fails into a visitor without a word: never keep that.
    if (current.role === 'member' && role !== 'member') {
      this.#memberLost = true;
      return;
    }
    this.#current = {
      ...current,
      role,
      accessToken: { ...tokens.accessToken },
      refreshToken: { value: tokens.refreshToken.value, role },
    };
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

/** The key of a run's client of these modules. */
function clientKey(modules: readonly ModuleName[]): string {
  return [...modules].sort().join(',');
}

/** The HTTP status behind an SDK error or a WixqError of wixq's own requests. */
function statusOf(error: unknown): number | undefined {
  return error instanceof WixqError ? error.status : sdkErrorStatus(error);
}
