import { join } from 'node:path';
import { AuthError, UsageError, WixqError } from './errors.js';
import type { IO } from './output/io.js';
import type { GlobalOptions } from './program.js';
import { resolveConfigDir } from './session/config-dir.js';
import { resolveSettings, Settings, type ResolvedSettings } from './session/settings.js';
import { ensureSession, persistSdkTokens, toSdkTokens, type SessionResult } from './session/session.js';
import { sessionKey, TokenStore, type StoredSession } from './session/token-store.js';
import { createWixClient, type WixClient } from './wix/client.js';
import { sdkErrorStatus, toWixqError } from './wix/errors.js';
import type { ModuleName } from './wix/modules.js';
import { createOAuthClient } from './wix/oauth.js';
import { createTransport, type Transport } from './wix/transport.js';

export type CatalogVersion = 'v1' | 'v3' | 'none';

/** Settings as a command sees them: resolved values, where they live, and whether this is the demo. */
export interface ContextSettings extends ResolvedSettings {
  demo: boolean;
}

/** The lazy factory every command gets: nothing is read, imported or requested until a command asks for it. */
export interface CommandContext {
  io: IO;
  globals: GlobalOptions;
  settings(): Promise<ContextSettings>;
  /** The settings store of the config dir (config.json). */
  settingsStore(): Promise<Settings>;
  tokenStore(): Promise<TokenStore>;
  /** The client ID, or exit 4 with how to set one. */
  clientId(): Promise<string>;
  transport(): Promise<Transport>;
  /** A valid session (reused, renewed or new), already on disk. */
  session(): Promise<StoredSession>;
  /** Calls the SDK with the session's tokens: one re-authentication and retry on 401, errors mapped. */
  call<T>(modules: readonly ModuleName[], action: string, fn: (client: WixClient) => Promise<T>): Promise<T>;
  /** The site's Stores catalog version: the --catalog override, the cache, or one detection request (`fresh` skips the cache). */
  catalog(override?: string, options?: { fresh?: boolean }): Promise<CatalogVersion>;
  /** Whether the last catalog() answer came from the cache (a 428 then means the site moved to the other catalog). */
  catalogFromCache(): boolean;
  /** A notice or warning line on stderr. */
  warn(line: string): void;
  /** Saves any tokens the SDK changed and stops the demo emulator. Always called, also after errors. */
  close(): Promise<void>;
}

interface DemoEmulator {
  url: string;
  clientId: string;
  close(): Promise<void>;
}

/** Builds the context for one run of wixq. */
export function createContext(io: IO, globals: GlobalOptions): CommandContext {
  // --no-color turns colour off whatever the terminal and FORCE_COLOR say (NO_COLOR is already in io.color).
  if (globals.color === false && io.color) io = { ...io, color: false };
  const env = io.env;
  let settingsPromise: Promise<ContextSettings> | undefined;
  let tokenStorePromise: Promise<TokenStore> | undefined;
  let transportPromise: Promise<Transport> | undefined;
  let sessionPromise: Promise<StoredSession> | undefined;
  let renewing: Promise<StoredSession> | undefined;
  let demo: DemoEmulator | undefined;
  let restoreFetch: (() => void) | undefined;
  const clients = new Map<string, Promise<WixClient>>();
  let current: StoredSession | undefined;

  const warn = (line: string): void => {
    io.err.write(`${line}\n`);
  };

  const settings = (): Promise<ContextSettings> =>
    (settingsPromise ??= (async () => {
      if (globals.demo) {
        const { startEmulator } = await import('./emulator/index.js');
        const emulator = await startEmulator({ port: 0 });
        demo = { url: emulator.url, clientId: emulator.clientId, close: () => emulator.close() };
        // The demo has its own profile and token store, beside the user's and never mixed with them.
        const configDir = join(resolveConfigDir(env), 'demo');
        const resolved = resolveSettings({
          flags: { ...globals, clientId: emulator.clientId, apiUrl: emulator.url },
          env: {},
          profile: 'demo',
          settings: new Settings(configDir),
        });
        resolved.warnings.forEach(warn);
        return { ...resolved, demo: true };
      }
      const resolved = resolveSettings({ flags: globals, env });
      resolved.warnings.forEach(warn);
      return { ...resolved, demo: false };
    })());

  const settingsStore = (): Promise<Settings> => settings().then((s) => s.settings);

  const tokenStore = (): Promise<TokenStore> =>
    (tokenStorePromise ??= settings().then((s) => new TokenStore(s.configDir, { onWarning: warn })));

  const clientId = async (): Promise<string> => {
    const s = await settings();
    if (!s.clientId) {
      throw new AuthError(`no client ID is set for profile "${s.profile}".`, {
        hint: 'Run: wixq init --client-id <ID> (or set WIXQ_CLIENT_ID). To try wixq without a Wix project: wixq --demo products list',
      });
    }
    return s.clientId;
  };

  const transport = (): Promise<Transport> =>
    (transportPromise ??= settings().then((s) => {
      const t = createTransport({
        apiUrl: s.apiUrl,
        retries: s.retries,
        timeoutMs: s.timeoutMs,
        trace: globals.verbose ? io.err : undefined,
        env,
      });
      restoreFetch = t.install();
      return t;
    }));

  const key = async (): Promise<string> => sessionKey((await settings()).profile, await clientId());

  const runEnsure = async (forceRenew: boolean, rejectedAccessToken?: string): Promise<StoredSession> => {
    const [store, t, id, k] = await Promise.all([tokenStore(), transport(), clientId(), key()]);
    const result: SessionResult = await ensureSession({
      store,
      key: k,
      clientId: id,
      oauth: createOAuthClient(t.fetch),
      forceRenew,
      rejectedAccessToken,
    });
    result.notices.forEach(warn);
    current = result.session;
    return result.session;
  };

  const session = (): Promise<StoredSession> => (sessionPromise ??= runEnsure(false));

  /** One renewal at a time in this process: concurrent 401s share it. */
  const renewAfter401 = (rejected: string): Promise<StoredSession> => {
    if (current && current.accessToken.value !== rejected) return Promise.resolve(current);
    renewing ??= runEnsure(true, rejected).finally(() => {
      renewing = undefined;
    });
    return renewing;
  };

  const client = (modules: readonly ModuleName[]): Promise<WixClient> => {
    const id = [...modules].sort().join(',');
    let promise = clients.get(id);
    if (!promise) {
      promise = (async () => {
        const [s, cid] = await Promise.all([session(), clientId()]);
        return createWixClient(modules, { clientId: cid, tokens: toSdkTokens(s) });
      })();
      clients.set(id, promise);
    }
    return promise;
  };

  const call = async <T>(modules: readonly ModuleName[], action: string, fn: (client: WixClient) => Promise<T>): Promise<T> => {
    const t = await transport();
    const c = await client(modules);
    const used = c.auth.getTokens().accessToken.value;
    try {
      return await fn(c);
    } catch (error) {
      if (sdkErrorStatus(error) !== 401) throw toWixqError(error, { action, lastRequestId: t.lastRequestId(), lastFailure: t.lastFailure(), role: current?.role });
    }
    // 401: one fresh authentication and one retry (the SDK itself never retries, wix-wire.md 1.2).
    const renewed = await renewAfter401(used);
    c.auth.setTokens(toSdkTokens(renewed));
    try {
      return await fn(c);
    } catch (error) {
      const mapped = toWixqError(error, { action, lastRequestId: t.lastRequestId(), lastFailure: t.lastFailure(), role: current?.role });
      if (mapped.status === 401) {
        throw new AuthError(`Wix still rejected the session after renewing it (401) to ${action}.`, {
          requestId: mapped.requestId,
          hint: 'Check the client ID (wixq auth status); if you are a member, log in again: wixq auth login.',
        });
      }
      throw mapped;
    }
  };

  let lastCatalogCached = false;
  const catalog = async (override?: string, options: { fresh?: boolean } = {}): Promise<CatalogVersion> => {
    lastCatalogCached = false;
    if (override !== undefined) {
      if (override !== 'v1' && override !== 'v3') throw new UsageError(`--catalog must be v1 or v3, got "${override}"`);
      return override;
    }
    const [s, store, id] = await Promise.all([settings(), settingsStore(), clientId()]);
    const cached = options.fresh ? undefined : store.getCatalog(s.profile, id, s.apiUrl);
    if (cached) {
      lastCatalogCached = true;
      return cached;
    }
    const response = await call(['catalogVersioning'], 'detect the Stores catalog version', (c): Promise<{ catalogVersion?: string }> => c.catalogVersioning.getCatalogVersion());
    const version = catalogFromWire(response?.catalogVersion);
    // "Not installed" is not cached: the owner may add Wix Stores at any time.
    if (version === 'none') return version;
    try {
      await store.setCatalog(s.profile, id, s.apiUrl, version);
    } catch (error) {
      warn(`Warning: could not cache the catalog version: ${error instanceof Error ? error.message : String(error)}`);
    }
    return version;
  };

  const close = async (): Promise<void> => {
    try {
      if (clients.size > 0 && current) {
        const [store, k, id] = await Promise.all([tokenStore(), key(), clientId()]);
        for (const promise of clients.values()) {
          const c = await promise.catch(() => undefined);
          if (!c) continue;
          const tokens = c.auth.getTokens();
          // The SDK turns a member whose refresh fails into a visitor without a word (wix-wire.md 1.2); never store that.
          if (current.role === 'member' && tokens.refreshToken.role !== 'member') {
            warn('Warning: the member session could not be renewed during this command; run wixq auth login.');
            continue;
          }
          await persistSdkTokens(store, k, id, tokens, { given: current });
        }
      }
    } finally {
      restoreFetch?.();
      await demo?.close();
    }
  };

  const catalogFromCache = (): boolean => lastCatalogCached;

  return { io, globals, settings, settingsStore, tokenStore, clientId, transport, session, call, catalog, catalogFromCache, warn, close };
}

function catalogFromWire(value: unknown): CatalogVersion {
  if (value === 'V1_CATALOG') return 'v1';
  if (value === 'V3_CATALOG') return 'v3';
  if (value === 'STORES_NOT_INSTALLED') return 'none';
  throw new WixqError(`Wix answered an unknown catalog version "${String(value)}"`, 1, { hint: 'Pass --catalog v1 or --catalog v3.' });
}
