import { join } from 'node:path';
import { AuthError, UsageError } from './errors.js';
import type { GlobalOptions } from './global-options.js';
import { clockOf, type IO } from './output/io.js';
import { ApiSession } from './session/api-session.js';
import { checkConfigDirWritable, resolveConfigDir, UnwritableConfigNotice } from './session/config-dir.js';
import { resolveSettings, type ResolvedSettings } from './session/settings/resolve.js';
import { Settings } from './session/settings/store.js';
import { DEMO_API, sessionApi, TokenStore, WIX_API } from './session/token-store.js';
import { resolveCatalog, type CatalogAnswer } from './wix/catalog.js';
import { DEFAULT_API_URL } from './wix/hosts.js';
import { createTransport, type Transport } from './wix/transport.js';

export type { CatalogAnswer };

/** Settings as a command sees them: every value resolved once (flag > env > profile > default), and whether this is the demo. */
export interface ContextSettings extends ResolvedSettings {
  demo: boolean;
}

/**
 * The lazy factory every command gets (like gh's Factory): each getter builds its part on first use and has no other
 * effect. The only step with effects outside the run, starting the `--demo` emulator, is `start()`, called once
 * before the command's work.
 */
export interface CommandContext {
  io: IO;
  globals: GlobalOptions;
  /** Starts what the run needs before any getter: the in-process emulator with --demo. */
  start(): Promise<void>;
  settings(): ContextSettings;
  tokenStore(): TokenStore;
  /** The API the run's session belongs to: `sessionApi` of the API URL (Wix's hosts are one), or the demo's. */
  sessionApi(): string;
  /**
   * For commands whose point is to write (init, config set|unset, auth login|logout): fails now with a clear error
   * when the config dir or the file cannot be written. Read commands never call it: they run with an in-memory session.
   */
  requireWritableConfig(file: 'config.json' | 'tokens.json'): void;
  /**
   * For commands that write nothing (auth status, config list|get|path); call before settings(): a corrupt
   * config.json or tokens.json is reported and left where it is, never renamed.
   */
  readsOnly(): void;
  /**
   * For commands whose answer is the stored session (auth status, auth token): a tokens.json that cannot be read is
   * an error (exit 1). Other read commands warn and run with a session of their own in memory, never writing the file.
   */
  requireStoredSession(): void;
  /** The client ID, or exit 4 with how to set one. */
  clientId(): string;
  transport(): Transport;
  /** The run's API session: the one owner of its tokens. */
  api(): ApiSession;
  /** The site's Stores catalog: the --catalog override, the cache, or one detection request (`fresh` skips the cache). */
  catalog(override?: string, options?: { fresh?: boolean }): Promise<CatalogAnswer>;
  /** A notice or warning line on stderr. */
  warn(line: string): void;
  /** Saves the tokens the run renewed and stops the demo emulator. Always called, also after errors. */
  close(): Promise<void>;
}

interface DemoEmulator {
  url: string;
  clientId: string;
  close(): Promise<void>;
}

/** Builds the context for one run of wixq; nothing is read, imported or requested until a command asks for it. */
export function createContext(io: IO, globals: GlobalOptions): CommandContext {
  // --no-color turns colour off whatever the terminal and FORCE_COLOR say (NO_COLOR is already in io.color).
  // (Copied with its getters, so that a stream made on first use, processIO's stdin, is still made only then.)
  if (globals.color === false && io.color) io = Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(io), color: { value: false, enumerable: true } }) as IO;
  let demo: DemoEmulator | undefined;
  let settings: ContextSettings | undefined;
  let tokenStore: TokenStore | undefined;
  let transport: Transport | undefined;
  let api: ApiSession | undefined;
  let writeCommand = false;
  let readOnly = false;
  let needsStoredSession = false;
  // The run's one clock (IO.clock): the settings, the transport and the catalog cache read time from it alone.
  const clock = clockOf(io);

  const warn = (line: string): void => {
    io.err.write(`${line}\n`);
  };
  // One warning per run for a config dir that cannot be written, whether tokens or a cache found out first.
  const unwritable = new UnwritableConfigNotice(warn);

  const ctx: CommandContext = {
    io,
    globals,
    async start() {
      if (!globals.demo || demo) return;
      // The demo is its own API and site: a flag that names another one contradicts it (the environment's are ignored).
      if (globals.apiUrl !== undefined) throw new UsageError('--api-url cannot be used with --demo (the demo runs its own emulator)', { hint: 'Drop one of them: --demo for the built-in demo site, --api-url for a server of your own.' });
      if (globals.clientId !== undefined) throw new UsageError('--client-id cannot be used with --demo (the demo site has its own client ID)', { hint: 'Drop one of them: --demo for the built-in demo site, --client-id for your own Wix project.' });
      const { startEmulator } = await import('./emulator/index.js');
      const emulator = await startEmulator({ port: 0 });
      demo = { url: emulator.url, clientId: emulator.clientId, close: () => emulator.close() };
    },
    settings() {
      if (settings) return settings;
      let resolved: ResolvedSettings;
      if (globals.demo) {
        if (!demo) throw new Error('the demo emulator is not started: call start() first');
        // The demo has its own profile and token store, beside the user's and never mixed with them. The environment's
        // API URL and client ID (common in CI) are not the demo's: ignored, with a note.
        const ignored = ['WIXQ_API_URL', 'WIXQ_CLIENT_ID', 'WIX_CLIENT_ID'].filter((name) => (io.env[name] ?? '').trim() !== '');
        if (ignored.length > 0) warn(`Note: --demo ignores ${ignored.length > 1 ? `${ignored.slice(0, -1).join(', ')} and ${ignored.at(-1)}` : ignored[0]} from the environment (it runs its own emulator and site).`);
        resolved = resolveSettings({
          flags: globals,
          env: {},
          profile: 'demo',
          demo: { clientId: demo.clientId, apiUrl: demo.url },
          settings: new Settings(join(resolveConfigDir(io.env), 'demo'), { unwritable, setAside: !readOnly, now: clock.now }),
          stdoutIsTTY: io.stdoutIsTTY,
        });
      } else {
        resolved = resolveSettings({
          flags: globals,
          env: io.env,
          stdoutIsTTY: io.stdoutIsTTY,
          settings: new Settings(resolveConfigDir(io.env), { unwritable, setAside: !readOnly, now: clock.now }),
        });
      }
      resolved.warnings.forEach(warn);
      settings = { ...resolved, demo: Boolean(globals.demo) };
      return settings;
    },
    tokenStore() {
      // The demo's own store holds only demo sessions: that is its home API (older files keep their keys).
      const homeApi = globals.demo ? DEMO_API : WIX_API;
      return (tokenStore ??= new TokenStore(ctx.settings().configDir, {
        onWarning: warn,
        unwritable: writeCommand ? undefined : unwritable,
        homeApi,
        // A tokens.json that cannot be read is never overwritten: read commands go on in memory, the others fail.
        unreadable: writeCommand || needsStoredSession ? 'fail' : 'memory',
        setAside: !readOnly,
      }));
    },
    sessionApi() {
      // --demo's emulator gets a new port every run but is always the same site: its sessions are kept across runs.
      return globals.demo ? DEMO_API : sessionApi(ctx.settings().apiUrl);
    },
    readsOnly() {
      readOnly = true;
    },
    requireStoredSession() {
      needsStoredSession = true;
    },
    requireWritableConfig(file) {
      writeCommand = true;
      checkConfigDirWritable(ctx.settings().configDir, [file]);
    },
    clientId() {
      const s = ctx.settings();
      if (!s.clientId) {
        throw new AuthError(`no client ID is set for profile "${s.profile}".`, {
          hint: 'Run: wixq init --client-id <ID> (or set WIXQ_CLIENT_ID). To try wixq without a Wix project: wixq --demo products list',
        });
      }
      return s.clientId;
    },
    transport() {
      if (transport) return transport;
      const s = ctx.settings();
      transport = createTransport({
        apiUrl: s.apiUrl,
        retries: s.retries,
        timeoutMs: s.timeoutMs,
        trace: s.verbose ? io.err : undefined,
        env: io.env,
        sleep: clock.sleep,
        now: clock.now,
      });
      return transport;
    },
    api() {
      if (api) return api;
      const s = ctx.settings();
      api = new ApiSession({ profile: s.profile, clientId: ctx.clientId(), api: ctx.sessionApi(), store: ctx.tokenStore(), transport: ctx.transport(), warn });
      return api;
    },
    async catalog(override, options = {}) {
      const s = ctx.settings();
      const id = ctx.clientId();
      return resolveCatalog({
        override,
        fresh: options.fresh,
        apiUrl: s.apiUrl ?? DEFAULT_API_URL,
        now: clock.now,
        cache: {
          // Keyed by the API the answer came from; --demo's by `demo`, as its port changes every run (one request warm).
          get: () => s.settings.getCatalog(s.profile, id, s.cacheApi),
          set: (version) => s.settings.setCatalog(s.profile, id, s.cacheApi, version),
        },
        fetchVersion: () =>
          ctx.api().call(['catalogVersioning'], 'detect the Stores catalog version', (c): Promise<{ catalogVersion?: string }> => c.catalogVersioning.getCatalogVersion()),
        // One product is enough: the answer's status says the catalog (docs/wix-api.md 11).
        probeV3: () => ctx.api().call(['productsV3'], 'detect the Stores catalog version', (c) => c.productsV3.queryProducts({ cursorPaging: { limit: 1 } })),
        warn,
      });
    },
    warn,
    async close() {
      try {
        await api?.close();
      } finally {
        await demo?.close();
      }
    },
  };
  return ctx;
}
