/**
 * The config store: `config.json`, its profiles' settings and the catalog and category caches, read once per run,
 * written atomically under its lock, a corrupt file set aside and a bad value ignored with a warning.
 */
import { existsSync, linkSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { WixqError } from '../../errors.js';
import { DEFAULT_API_URL } from '../../wix/hosts.js';
import { CONFIG_FILE_MODE, checkFileWritable, configDirWriteError, ensureConfigDir, errorCode, isUnwritable, secureConfigDir, setAsideCorruptFile, untrustedConfigWarning, type UnwritableConfigNotice } from '../config-dir.js';
import { writeFileAtomically } from '../../output/files.js';
import { DEFAULT_STALE_LOCK_MS, leftoverPatterns, removeLeftovers, withFileLock } from '../lock.js';
import { checkKey, checkProfileName, parseSettingValue, SETTING_KEYS, type ProfileSettings, type SettingKey } from './values.js';

/** A site's Stores catalog version as detected (`none`: the site has no Stores): defined once, in src/specs/lists.ts. */
export { CATALOG_VERSIONS, type CatalogVersion } from '../../wix/catalog.js';
import { CATALOG_VERSIONS, type CatalogVersion } from '../../wix/catalog.js';

interface CatalogCacheEntry {
  version: CatalogVersion;
  /** The API URL the version was detected against; another URL means another site (the emulator, a test server). */
  apiUrl: string;
  detectedAt: string;
}

/** A category's (or, on Catalog V1, a collection's) id found by its slug; kept like the catalog version. */
interface CategoryCacheEntry {
  id: string;
  catalog: 'v1' | 'v3';
  apiUrl: string;
}

interface StoredProfile extends ProfileSettings {
  catalog?: Record<string, CatalogCacheEntry>;
  /** Per client ID, per slug. */
  categories?: Record<string, Record<string, CategoryCacheEntry>>;
}

type StoredConfig = { profiles?: Record<string, StoredProfile> } & Record<string, unknown>;

export interface SettingsOptions {
  /** Milliseconds since the epoch; stamps the name a corrupt file is moved to. */
  now?: () => number;
  lockTimeoutMs?: number;
  staleLockMs?: number;
  /** When set, the catalog and category caches are simply not saved in a config dir that cannot be written (one warning). */
  unwritable?: UnwritableConfigNotice;
  /** false for commands that only read: a corrupt config.json is reported and left where it is, never renamed. */
  setAside?: boolean;
}

/** What crashed writers of config.json may leave: wixq's own temp files and set-aside locks, and the temp files of conf,
 * which wrote config.json before 0.1 (`config.json.tmp-` + 10 digits of Date.now() + 6 hex; no pid, so by age only). */
const LEFTOVERS = leftoverPatterns('config.json', [/^config\.json\.tmp-\d{10}[0-9a-f]{6}$/]);

/**
 * Per-profile settings in `config.json`: read without a lock (every write is an atomic rename), written atomically
 * (0600 in a 0700 folder) under the same kind of cross-process lock as tokens.json, so concurrent writers lose nothing.
 */
export class Settings {
  readonly dir: string;
  readonly path: string;
  readonly lockPath: string;
  /** Lines for stderr, e.g. that a corrupt config.json was set aside. */
  readonly warnings: string[] = [];
  readonly #now: () => number;
  readonly #lockTimeoutMs: number | undefined;
  readonly #staleLockMs: number;
  /** The parsed config.json of #read, until this run writes it. */
  #parsed: StoredConfig | undefined;
  readonly #unwritable: UnwritableConfigNotice | undefined;
  readonly #setAsideAllowed: boolean;
  /** `profile\0key` of the bad values already warned about. */
  readonly #badValuesReported = new Set<string>();

  constructor(dir: string, options: SettingsOptions = {}) {
    this.dir = dir;
    this.path = join(dir, 'config.json');
    this.lockPath = `${this.path}.lock`;
    this.#now = options.now ?? Date.now;
    this.#lockTimeoutMs = options.lockTimeoutMs;
    this.#staleLockMs = options.staleLockMs ?? DEFAULT_STALE_LOCK_MS;
    this.#unwritable = options.unwritable;
    this.#setAsideAllowed = options.setAside ?? true;
    // Before anything is read from it: the folder and its files private, or one warning why not (docs/reference.md 2.3).
    if (options.unwritable) options.unwritable.checkTrust(dir);
    else {
      const problems = secureConfigDir(dir);
      if (problems.length > 0) this.warnings.push(untrustedConfigWarning(dir, problems));
    }
    this.#checkFile();
  }

  /** One value of a profile, or undefined when it is not set. */
  get(profile: string, key: SettingKey): string | number | undefined {
    checkKey(key);
    return this.#profile(profile)[key];
  }

  /** Validates and stores one value; an unknown key or a bad value is a UsageError naming what is allowed. */
  async set(profile: string, key: SettingKey | string, value: string | number): Promise<void> {
    checkKey(key);
    const parsed = parseSettingValue(key, String(value), `setting ${key}`);
    await this.#updateProfile(profile, (stored) => ({ ...stored, [key]: parsed }));
  }

  /** Removes one value; returns whether it was set. */
  async unset(profile: string, key: SettingKey | string): Promise<boolean> {
    checkKey(key);
    checkProfileName(profile);
    // Not set now (a bad value counts as set: unset is how it goes): nothing to write, and no folder or lock for it.
    if (this.#read().profiles?.[profile]?.[key] === undefined) return false;
    return this.#updateProfile(profile, (stored) => {
      // Decided again on what the file holds under the lock: another process may have unset it meanwhile.
      if (stored[key] === undefined) return undefined;
      const next = { ...stored };
      delete next[key];
      return next;
    });
  }

  /** The settings a profile holds (the catalog cache left out). */
  list(profile: string): ProfileSettings {
    const stored = this.#profile(profile);
    const result: ProfileSettings = {};
    for (const key of SETTING_KEYS) if (stored[key] !== undefined) (result as Record<string, unknown>)[key] = stored[key];
    return result;
  }

  /** The names of the profiles config.json holds. */
  profiles(): string[] {
    return Object.keys(this.#read().profiles ?? {});
  }

  /**
   * The cached catalog answer for a client ID (its version and when it was detected), unless it was detected against
   * another API URL. Whether it is still current is the caller's rule (`cachedAnswerIsCurrent` in wix/catalog.ts).
   */
  getCatalog(profile: string, clientId: string, apiUrl: string | undefined): { version: CatalogVersion; detectedAt?: unknown } | undefined {
    const entry = this.#profile(profile).catalog?.[clientId];
    if (!entry || entry.apiUrl !== (apiUrl ?? DEFAULT_API_URL)) return undefined;
    return { version: entry.version, detectedAt: entry.detectedAt };
  }

  /**
   * Caches the catalog version detected for a client ID against an API URL, stamped with this run's clock; category
   * ids cached for the other catalog against that URL are dropped (a site that moved has none of them any more).
   */
  async setCatalog(profile: string, clientId: string, apiUrl: string | undefined, version: CatalogVersion): Promise<void> {
    const url = apiUrl ?? DEFAULT_API_URL;
    const entry: CatalogCacheEntry = { version, apiUrl: url, detectedAt: new Date(this.#now()).toISOString() };
    await this.#updateCache(profile, (stored) => {
      const next: StoredProfile = { ...stored, catalog: { ...stored.catalog, [clientId]: entry } };
      const bySlug = stored.categories?.[clientId];
      if (bySlug) {
        const kept = Object.fromEntries(Object.entries(bySlug).filter(([, c]) => c.apiUrl !== url || c.catalog === version));
        next.categories = { ...stored.categories, [clientId]: kept };
      }
      return next;
    });
  }

  /** The cached id of a category slug for a client ID, catalog and API URL. */
  getCategoryId(profile: string, clientId: string, apiUrl: string | undefined, catalog: 'v1' | 'v3', slug: string): string | undefined {
    const entry = this.#profile(profile).categories?.[clientId]?.[slug];
    if (!entry || entry.apiUrl !== (apiUrl ?? DEFAULT_API_URL) || entry.catalog !== catalog) return undefined;
    return entry.id;
  }

  /** Caches the id a category slug resolved to. */
  async setCategoryId(profile: string, clientId: string, apiUrl: string | undefined, catalog: 'v1' | 'v3', slug: string, id: string): Promise<void> {
    const entry: CategoryCacheEntry = { id, catalog, apiUrl: apiUrl ?? DEFAULT_API_URL };
    await this.#updateCache(profile, (stored) => ({
      ...stored,
      categories: { ...stored.categories, [clientId]: { ...stored.categories?.[clientId], [slug]: entry } },
    }));
  }

  /** A cache write: in a config dir that cannot be written (when allowed) it is skipped after the run's one warning. */
  async #updateCache(profile: string, change: (stored: StoredProfile) => StoredProfile | undefined): Promise<void> {
    if (this.#unwritable?.reported) return;
    try {
      await this.#updateProfile(profile, change);
    } catch (error) {
      if (!this.#unwritable || !isUnwritable(error)) throw error;
      this.#unwritable.report(this.dir, error);
    }
  }

  #profile(profile: string): StoredProfile {
    checkProfileName(profile);
    const stored = this.#read().profiles?.[profile] ?? {};
    // A bad value is that key's problem only: named once, then read as not set (the file keeps it until it is fixed).
    let good: StoredProfile | undefined;
    for (const key of SETTING_KEYS) {
      if (stored[key] === undefined) continue;
      const problem = valueProblem(key, stored[key]);
      if (problem === undefined) continue;
      if (!this.#badValuesReported.has(`${profile}\0${key}`)) {
        this.#badValuesReported.add(`${profile}\0${key}`);
        this.warnings.push(`Warning: ignoring profiles.${profile}.${key} in ${this.path}: ${problem} (fix it with: wixq config set ${key} <value> --profile ${profile})`);
      }
      good ??= { ...stored };
      delete good[key];
    }
    return good ?? stored;
  }

  /**
   * config.json as this run sees it: parsed once, on the first read, and again only after this run wrote it (a run's
   * settings and caches are those of its start; every write re-reads the file under the lock, so nothing is lost).
   */
  #read(): StoredConfig {
    return (this.#parsed ??= this.#readFile());
  }

  #readFile(): StoredConfig {
    // Reading never creates the folder: `wixq --help` or `config list` on a fresh machine leaves no trace.
    if (!existsSync(this.path)) return {};
    try {
      const store = JSON.parse(readFileSync(this.path, 'utf8')) as StoredConfig;
      return shapeProblem(store) === undefined ? store : {};
    } catch {
      return {};
    }
  }

  /**
   * Read-modify-write of one profile under config.json's lock, on the file as it is once the lock is held; `change`
   * returns undefined to leave the file alone. Returns whether it wrote.
   */
  async #updateProfile(profile: string, change: (stored: StoredProfile) => StoredProfile | undefined): Promise<boolean> {
    checkProfileName(profile);
    ensureConfigDir(this.dir);
    try {
      // A config.json its owner made read-only is left as it is (a rename over it would succeed).
      checkFileWritable(this.path);
      return await withFileLock(
        this.lockPath,
        async () => {
          const current = this.#readForWrite();
          this.#parsed = undefined;
          const profiles = { ...(current.profiles ?? {}) };
          const next = change(profiles[profile] ?? {});
          if (next === undefined) return false;
          profiles[profile] = next;
          // The whole file, its other top-level keys kept, replaced atomically (temp file, fsync, rename), 0600.
          await writeFileAtomically(this.path, `${JSON.stringify({ ...current, profiles }, null, '\t')}\n`, { mode: CONFIG_FILE_MODE });
          removeLeftovers(this.dir, LEFTOVERS, this.#staleLockMs);
          return true;
        },
        { timeoutMs: this.#lockTimeoutMs, staleMs: this.#staleLockMs },
      );
    } catch (error) {
      // UsageError from a change, TemporaryError from a lock that never came free: already say what to do.
      if (error instanceof WixqError) throw error;
      throw configDirWriteError(this.dir, error);
    }
  }

  /** config.json read under the lock: a file that went bad since this run started is set aside, not overwritten unseen. */
  #readForWrite(): StoredConfig {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return {};
      throw error;
    }
    const problem = problemOf(text);
    if (problem === undefined) return JSON.parse(text) as StoredConfig;
    this.#setAside(text, problem);
    return {};
  }

  /** Sets a corrupt config.json aside before anything reads or writes it. */
  #checkFile(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      // ENOTDIR: a file where the config dir should be; there is nothing to read, and the first write says what is wrong.
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return;
      this.warnings.push(`cannot read ${this.path}: ${errorCode(error) ?? String(error)}; continuing with empty settings.`);
      return;
    }
    const problem = problemOf(text);
    if (problem === undefined) return;
    if (this.#setAsideAllowed) this.#setAside(text, problem);
    else this.warnings.push(`${this.path} is not a valid wixq config (${problem}); left as it is (this command only reads), continuing with empty settings.`);
  }

  /** Moves the corrupt file aside with a warning; puts it back if a writer replaced it with a good one meanwhile. */
  #setAside(seen: string, problem: string): void {
    const movedTo = setAsideCorruptFile(this.path, this.#now());
    if (movedTo !== undefined && readTextOrUndefined(movedTo) !== seen) {
      // Not the file we judged (this runs without the lock): give it back unless yet another file took its place.
      try {
        linkSync(movedTo, this.path);
        unlinkSync(movedTo);
        return;
      } catch {
        // Yet another file is there now: keep this one aside; the warning says where.
      }
    }
    this.warnings.push(
      movedTo
        ? `${this.path} was not a valid wixq config (${problem}); moved it to ${movedTo} and continuing with empty settings.`
        : `${this.path} is not a valid wixq config (${problem}) and could not be moved aside; continuing with empty settings.`,
    );
  }
}

function readTextOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Why config.json's text is not a config wixq wrote, or undefined when it is one. */
function problemOf(text: string): string | undefined {
  try {
    return shapeProblem(JSON.parse(text));
  } catch {
    return 'not valid JSON';
  }
}

/** Why a parsed config.json is not one wixq wrote, or undefined when it looks right. */
function shapeProblem(data: unknown): string | undefined {
  if (!isPlainObject(data)) return 'not a JSON object';
  if (data.profiles === undefined) return undefined;
  if (!isPlainObject(data.profiles)) return '"profiles" is not an object';
  for (const [name, profile] of Object.entries(data.profiles)) {
    if (!isPlainObject(profile)) return `profile "${name}" is not an object`;
    // A bad setting value is not the file's problem but that key's: Settings reads it as unset, with a warning.
    if (profile.categories !== undefined && !isPlainObject(profile.categories)) return `profile "${name}" has a bad category cache`;
    for (const bySlug of Object.values(profile.categories ?? {})) {
      if (!isPlainObject(bySlug)) return `profile "${name}" has a bad category cache`;
      for (const entry of Object.values(bySlug)) {
        if (!isPlainObject(entry) || typeof entry.id !== 'string' || typeof entry.apiUrl !== 'string' || (entry.catalog !== 'v1' && entry.catalog !== 'v3')) {
          return `profile "${name}" has a bad category cache`;
        }
      }
    }
    if (profile.catalog !== undefined) {
      if (!isPlainObject(profile.catalog)) return `profile "${name}" has a bad catalog cache`;
      for (const entry of Object.values(profile.catalog)) {
        if (!isPlainObject(entry) || !(CATALOG_VERSIONS as readonly unknown[]).includes(entry.version) || typeof entry.apiUrl !== 'string') {
          return `profile "${name}" has a bad catalog cache`;
        }
      }
    }
  }
  return undefined;
}

/** Why a stored setting value is not one wixq would have written, or undefined when it is fine. */
function valueProblem(key: SettingKey, value: unknown): string | undefined {
  const type = key === 'retries' || key === 'timeout' ? 'number' : 'string';
  if (typeof value === 'string' || typeof value === 'number') {
    try {
      parseSettingValue(key, String(value), 'it');
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
  if (typeof value !== type) return `it must be a ${type}, got ${JSON.stringify(value)}`;
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
