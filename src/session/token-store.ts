import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WixqError } from '../errors.js';
import { DEFAULT_API_URL, WIX_API_HOSTS } from '../wix/hosts.js';
import { CONFIG_FILE_MODE, checkFileWritable, configDirWriteError, ensureConfigDir, errorCode, isUnwritable, setAsideCorruptFile, type UnwritableConfigNotice } from './config-dir.js';
import { writeFileAtomically } from '../output/files.js';
import { DEFAULT_STALE_LOCK_MS, leftoverPatterns, removeLeftovers, withFileLock } from './lock.js';

export type Role = 'visitor' | 'member';

/** One profile's session for one client ID and API, as kept in tokens.json. */
export interface StoredSession {
  clientId: string;
  /**
   * The API the session came from (`sessionApi`): its tokens go nowhere else. Absent in files written before sessions
   * were bound to their API; such a session belongs to the store's home API (Wix's; the demo's in `demo/`), and reads
   * fill it in.
   */
  api?: string;
  role: Role;
  accessToken: { value: string; /** unix seconds */ expiresAt: number };
  refreshToken: { value: string; role: Role };
  memberId?: string;
  createdAt: string;
  updatedAt: string;
}

export interface TokenStoreOptions {
  /** Milliseconds since the epoch; stamps the name a corrupt file is moved to. */
  now?: () => number;
  lockTimeoutMs?: number;
  staleLockMs?: number;
  /** Receives lines for stderr (a corrupt tokens.json set aside ...). */
  onWarning?: (line: string) => void;
  /**
   * When set, a config dir (or tokens.json) that cannot be written does not fail the run: the store keeps sessions in
   * memory from then on and the notice warns once. Without it (the default) such a write is a WixqError.
   */
  unwritable?: UnwritableConfigNotice;
  /**
   * The API whose sessions keep the key of files written before sessions were bound to their API (`profile:clientId`),
   * and to which a stored session without `api` belongs: Wix's (the default), or `DEMO_API` for the demo's own store.
   */
  homeApi?: string;
  /**
   * A tokens.json that cannot be read (EACCES, EISDIR, EIO): `fail` (the default; commands whose answer is the stored
   * session) throws a WixqError naming it; `memory` (read commands) warns once, runs with a session of its own in
   * memory and never writes the file.
   */
  unreadable?: 'fail' | 'memory';
  /** false for commands that only read: a corrupt tokens.json is reported and left where it is, never renamed. */
  setAside?: boolean;
}

/** The API of every session on Wix's own hosts (`WIX_API_HOSTS` count as one). */
export const WIX_API = DEFAULT_API_URL;
/** The API of `--demo` sessions: every run's in-process emulator serves the same demo site on a new port. */
export const DEMO_API = 'demo';

/**
 * The API a session for this API URL belongs to: Wix's hosts (`www.wixapis.com`, `edge.wixapis.com`, over https on
 * the default port) are one API, `WIX_API`; any other base URL is its own (an emulator, a proxy, a test server), so a
 * token is only ever sent back to the server that issued it.
 */
export function sessionApi(apiUrl: string | undefined): string {
  if (apiUrl === undefined) return WIX_API;
  let url: URL;
  try {
    url = new URL(apiUrl.trim());
  } catch {
    return apiUrl;
  }
  if (url.protocol === 'https:' && url.port === '' && WIX_API_HOSTS.has(url.hostname)) return WIX_API;
  return url.href.replace(/\/+$/, '');
}

/**
 * The tokens.json key of a profile's session for a client ID and API: `profile:clientId` on the store's home API (the
 * key of older files, so they keep working), else `profile:clientId <api>` (a client ID has no spaces, a URL none).
 */
export function sessionKey(profile: string, clientId: string, api: string = WIX_API, homeApi: string = WIX_API): string {
  return api === homeApi ? `${profile}:${clientId}` : `${profile}:${clientId} ${api}`;
}

const FILE_NAME = 'tokens.json';
const FILE_VERSION = 1;
/** What crashed writers of tokens.json may leave: temp files and set-aside locks. */
const LEFTOVERS = leftoverPatterns(FILE_NAME);

type TokenFile = { version: 1; sessions: Record<string, unknown> } & Record<string, unknown>;

type FileRead = { kind: 'missing' } | { kind: 'ok'; data: TokenFile } | { kind: 'corrupt'; problem: string };

/** The session tokens on disk: atomic writes, 0600 in a 0700 folder, a cross-process lock around read-refresh-write. */
export class TokenStore {
  readonly dir: string;
  readonly path: string;
  readonly lockPath: string;
  readonly #now: () => number;
  readonly #lockTimeoutMs: number | undefined;
  readonly #staleLockMs: number;
  readonly #onWarning: (line: string) => void;
  readonly #unwritable: UnwritableConfigNotice | undefined;
  readonly homeApi: string;
  readonly #unreadableMode: 'fail' | 'memory';
  readonly #setAsideAllowed: boolean;
  /** Notices already given this run (a malformed session, a corrupt file left as it is): each is said once. */
  readonly #noticed = new Set<string>();
  /** Set once tokens.json proved unreadable in `memory` mode: it is neither read again nor written this run. */
  #unreadable = false;
  /** Once the folder proved unwritable: the sessions this run changed (null: deleted), over what tokens.json holds. */
  #memory: Map<string, StoredSession | null> | undefined;

  constructor(dir: string, options: TokenStoreOptions = {}) {
    this.dir = dir;
    this.path = join(dir, FILE_NAME);
    this.lockPath = `${this.path}.lock`;
    this.#now = options.now ?? Date.now;
    this.#lockTimeoutMs = options.lockTimeoutMs;
    this.#staleLockMs = options.staleLockMs ?? DEFAULT_STALE_LOCK_MS;
    this.#onWarning = options.onWarning ?? (() => {});
    this.#unwritable = options.unwritable;
    this.homeApi = options.homeApi ?? WIX_API;
    this.#unreadableMode = options.unreadable ?? 'fail';
    this.#setAsideAllowed = options.setAside ?? true;
  }

  /** The key of a profile's session for a client ID and API in this store. */
  keyFor(profile: string, clientId: string, api: string): string {
    return sessionKey(profile, clientId, api, this.homeApi);
  }

  /** Whether this run keeps its sessions in memory because the config dir cannot be written. */
  get inMemory(): boolean {
    return this.#memory !== undefined;
  }

  /** The stored session for a key, read without the lock (writes are atomic renames, so a read never sees half a file). */
  async read(key: string): Promise<StoredSession | undefined> {
    if (this.#memory?.has(key)) return this.#memory.get(key) ?? undefined;
    if (this.#unreadable) return undefined;
    let file: FileRead;
    try {
      file = await this.#readFile();
    } catch (error) {
      if (this.#readsOnInMemory(error)) return undefined;
      throw error;
    }
    if (file.kind === 'missing') return undefined;
    if (file.kind === 'corrupt') {
      // Nothing can be moved in a folder that cannot be written: the run simply starts without a session.
      if (this.#memory) return undefined;
      // A command that only reads reports it and moves nothing.
      if (!this.#setAsideAllowed) {
        this.#noticeOnce(`${this.path} is not a valid wixq token file (${file.problem}); left as it is (this command only reads).`);
        return undefined;
      }
      // Set it aside under the lock: a writer may have replaced it since, and a good file must not be moved.
      try {
        await this.#locked(async () => {
          const again = await this.#readFile();
          if (again.kind === 'corrupt') this.#setAside(again.problem);
        });
      } catch (error) {
        // A folder that cannot be written is the run's one warning, not a second one about this file.
        if (this.#unwritable && isUnwritable(error)) this.#degrade(error);
        else this.#onWarning(`${this.path} is not valid (${file.problem}) and could not be set aside: ${describe(error)}`);
      }
      return undefined;
    }
    return this.#sessionOf(file.data, key);
  }

  /** Runs fn under the cross-process lock with the session freshly re-read from disk; writes what fn returns (undefined: no change, null: delete). */
  async update(key: string, fn: (current: StoredSession | undefined) => Promise<StoredSession | null | undefined>): Promise<StoredSession | undefined> {
    if (this.#memory) return this.#updateInMemory(this.#memory, key, fn);
    try {
      ensureConfigDir(this.dir);
      // A tokens.json its owner made read-only is used, never replaced (a rename over it would succeed).
      checkFileWritable(this.path);
    } catch (error) {
      const memory = this.#degrade(error);
      return this.#updateInMemory(memory, key, fn);
    }
    let ranInLock = false;
    let ranFn = false;
    try {
      return await this.#locked(async () => {
        ranInLock = true;
        const file = await this.#readFile();
        let data: TokenFile;
        if (file.kind === 'ok') data = file.data;
        else {
          if (file.kind === 'corrupt') this.#setAside(file.problem);
          data = { version: FILE_VERSION, sessions: {} };
        }
        const current = this.#sessionOf(data, key);
        ranFn = true;
        const next = await fn(current);
        if (next === undefined) return current;
        if (next === null) {
          if (!(key in data.sessions)) return undefined;
          delete data.sessions[key];
          await this.#writeOrKeep(data, key, null);
          return undefined;
        }
        data.sessions[key] = next;
        await this.#writeOrKeep(data, key, next);
        return next;
      });
    } catch (error) {
      // tokens.json could not be read (fn has not run): with `memory`, this run's session lives in memory only.
      if (!ranFn && this.#readsOnInMemory(error)) return this.#updateInMemory(this.#memory!, key, fn);
      // The lock file itself could not be made: fn has not run, so run it on what tokens.json holds.
      if (ranInLock) throw error;
      const memory = this.#degrade(error);
      return this.#updateInMemory(memory, key, fn);
    }
  }

  /** For a tokens.json #readFile could not read, in `memory` mode: warns once and switches to in-memory sessions. */
  #readsOnInMemory(error: unknown): boolean {
    if (this.#unreadableMode !== 'memory' || !(typeof error === 'object' && error !== null && UNREADABLE.has(error))) return false;
    if (!this.#unreadable) {
      this.#unreadable = true;
      this.#memory ??= new Map();
      this.#onWarning(
        `Warning: cannot read ${this.path}: ${describe((error as WixqError).cause)}; this run uses a session of its own in memory and leaves the file as it is. Fix its permissions, or set WIXQ_CONFIG_DIR to a folder you own.`,
      );
    }
    return true;
  }

  /** Switches to in-memory sessions when allowed and the error says the folder cannot be written; else rethrows it. */
  #degrade(error: unknown): Map<string, StoredSession | null> {
    if (!this.#unwritable || !isUnwritable(error)) throw error instanceof WixqError ? error : configDirWriteError(this.dir, error);
    this.#unwritable.report(this.dir, error);
    return (this.#memory ??= new Map());
  }

  async #updateInMemory(
    memory: Map<string, StoredSession | null>,
    key: string,
    fn: (current: StoredSession | undefined) => Promise<StoredSession | null | undefined>,
  ): Promise<StoredSession | undefined> {
    const current = await this.read(key);
    const next = await fn(current);
    if (next === undefined) return current;
    memory.set(key, next);
    return next ?? undefined;
  }

  /** Writes tokens.json; when the folder turns out unwritable (and that is allowed), keeps the change in memory instead. */
  async #writeOrKeep(data: TokenFile, key: string, next: StoredSession | null): Promise<void> {
    try {
      await this.#write(data);
    } catch (error) {
      this.#degrade(error).set(key, next);
    }
  }

  async #locked<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await withFileLock(this.lockPath, fn, { timeoutMs: this.#lockTimeoutMs, staleMs: this.#staleLockMs });
    } catch (error) {
      if (!(error instanceof WixqError) && isPermissionProblem(error)) throw configDirWriteError(this.dir, error);
      throw error;
    }
  }

  async #readFile(): Promise<FileRead> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      // ENOTDIR: a file where the folder should be holds no tokens; the first write says what is wrong.
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return { kind: 'missing' };
      const unreadable = new WixqError(`cannot read ${this.path}: ${describe(error)}`, undefined, {
        hint: 'Fix the file permissions, or set WIXQ_CONFIG_DIR to a folder you own.',
        cause: error,
      });
      UNREADABLE.add(unreadable);
      throw unreadable;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { kind: 'corrupt', problem: text.trim() === '' ? 'empty file' : 'not valid JSON' };
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return { kind: 'corrupt', problem: 'not a JSON object' };
    const record = data as Record<string, unknown>;
    if (record.version !== FILE_VERSION) return { kind: 'corrupt', problem: `unknown version ${JSON.stringify(record.version)}` };
    const sessions = record.sessions;
    if (typeof sessions !== 'object' || sessions === null || Array.isArray(sessions)) return { kind: 'corrupt', problem: '"sessions" is not an object' };
    return { kind: 'ok', data: record as TokenFile };
  }

  #sessionOf(data: TokenFile, key: string): StoredSession | undefined {
    if (!Object.hasOwn(data.sessions, key)) return undefined;
    const value = data.sessions[key];
    // A session of an older file was made for the home API (it has the home key): say so, and the next write keeps it.
    if (isStoredSession(value)) return value.api === undefined ? { ...value, api: this.homeApi } : value;
    // A run reads the session, then updates it under the lock: the same malformed entry is seen twice, said once.
    this.#noticeOnce(`The stored session ${key} in ${this.path} is malformed; ignoring it (a new one replaces it).`);
    return undefined;
  }

  #noticeOnce(line: string): void {
    if (this.#noticed.has(line)) return;
    this.#noticed.add(line);
    this.#onWarning(line);
  }

  #setAside(problem: string): void {
    const movedTo = setAsideCorruptFile(this.path, this.#now());
    this.#onWarning(
      movedTo
        ? `${this.path} was not a valid wixq token file (${problem}); moved it to ${movedTo} and starting without a session.`
        : `${this.path} is not a valid wixq token file (${problem}) and could not be moved aside; starting without a session.`,
    );
  }

  /** Replaces tokens.json atomically (output/files.ts writeFileAtomically): a crash never leaves half a file. */
  async #write(data: TokenFile): Promise<void> {
    // Sessions of an older file get the API they belong to written down (the home API: they have its key).
    for (const value of Object.values(data.sessions)) if (isStoredSession(value) && value.api === undefined) value.api = this.homeApi;
    try {
      await writeFileAtomically(this.path, `${JSON.stringify(data, null, 2)}\n`, { mode: CONFIG_FILE_MODE });
    } catch (error) {
      if (isPermissionProblem(error) || errorCode(error) === 'ENOSPC') throw configDirWriteError(this.dir, error);
      throw error;
    }
    removeLeftovers(this.dir, LEFTOVERS, this.#staleLockMs);
  }
}

/** The errors #readFile throws for a tokens.json it could not read. */
const UNREADABLE = new WeakSet<object>();

/** Whether a parsed value has the shape of a StoredSession. */
export function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, any>;
  return (
    typeof s.clientId === 'string' &&
    (s.api === undefined || typeof s.api === 'string') &&
    isRole(s.role) &&
    typeof s.accessToken === 'object' && s.accessToken !== null &&
    typeof s.accessToken.value === 'string' &&
    typeof s.accessToken.expiresAt === 'number' &&
    typeof s.refreshToken === 'object' && s.refreshToken !== null &&
    typeof s.refreshToken.value === 'string' &&
    isRole(s.refreshToken.role) &&
    (s.memberId === undefined || typeof s.memberId === 'string') &&
    typeof s.createdAt === 'string' &&
    typeof s.updatedAt === 'string'
  );
}

function isRole(value: unknown): value is Role {
  return value === 'visitor' || value === 'member';
}

function isPermissionProblem(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

function describe(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}
