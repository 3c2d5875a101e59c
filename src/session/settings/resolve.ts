/** Setting resolution: every setting a command needs, flag > env > profile > default, with where each came from. */
import { DEFAULT_REDIRECT_URI } from '../redirect-uri.js';
import { resolveConfigDir } from '../config-dir.js';
import type { OutputFormat } from '../../output/formats.js';
import { Settings } from './store.js';
import { checkProfileName, DEFAULT_PROFILE, DEFAULT_RETRIES, DEFAULT_TIMEOUT_SECONDS, normalizeApiUrl, parseSettingValue, type SettingKey, type SettingSource } from './values.js';

/** The key `--demo`'s answers are cached under in config.json (its sessions' is `DEMO_API`, the same word). */
export const DEMO_CACHE_API = 'demo';

/** The global flags resolveSettings reads (the shape of GlobalOptions). */
export interface SettingFlags {
  profile?: string;
  clientId?: string;
  apiUrl?: string;
  output?: string;
  json?: boolean;
  retries?: string | number;
  timeout?: string | number;
  /** `auth login|logout --redirect-uri`. */
  redirectUri?: string;
  verbose?: boolean;
}

/** Every setting a command needs, with where each came from (for `config list` and `auth status`). */
export interface ResolvedSettings {
  profile: string;
  clientId?: string;
  /** Undefined: the real Wix API (https://www.wixapis.com). */
  apiUrl?: string;
  /** The output format asked for (flag, env or config); undefined: chosen by the terminal. */
  output?: OutputFormat;
  /** The format every command writes: `output`, else table on a terminal and JSON otherwise. */
  format: OutputFormat;
  retries: number;
  timeoutMs: number;
  /** The loopback redirect URI of `auth login` and `auth logout`. */
  redirectUri: string;
  /** --verbose: trace HTTP requests and show stack traces. */
  verbose: boolean;
  sources: Record<'profile' | 'clientId' | 'apiUrl' | 'output' | 'retries' | 'timeout' | 'redirectUri', SettingSource>;
  /**
   * The API the caches in config.json (catalog version, category ids) are keyed by: the API URL (undefined: Wix's), or
   * `demo` for `--demo`, whose emulator gets a new port every run but is always the same site.
   */
  cacheApi?: string;
  configDir: string;
  settings: Settings;
  /** Lines for stderr (a corrupt config.json set aside ...). */
  warnings: string[];
}

export interface ResolveSettingsOptions {
  flags?: SettingFlags;
  env: NodeJS.ProcessEnv;
  /** Forces the profile whatever the flags and env say (`--demo` runs in its own profile). */
  profile?: string;
  /** `--demo`: the demo emulator's client ID and URL, which no flag, env var or profile overrides. */
  demo?: { clientId: string; apiUrl: string };
  /** The settings store; by default the one in the resolved config dir. */
  settings?: Settings;
  /** Whether stdout is a terminal: without an output setting, tables go to terminals and JSON elsewhere. */
  stdoutIsTTY?: boolean;
}

/** Resolves every setting with the precedence flag > env > profile config > default (docs/reference.md section 2). */
export function resolveSettings(options: ResolveSettingsOptions): ResolvedSettings {
  const flags = options.flags ?? {};
  const env = options.env;
  const envValue = (name: string): string | undefined => (env[name] !== undefined && env[name]!.trim() !== '' ? env[name]!.trim() : undefined);

  const profileSource: SettingSource =
    options.demo !== undefined ? { from: 'demo', name: '--demo' }
    : options.profile !== undefined ? { from: 'flag', name: '--profile' }
    : flags.profile !== undefined ? { from: 'flag', name: '--profile' }
    : envValue('WIXQ_PROFILE') !== undefined ? { from: 'env', name: 'WIXQ_PROFILE' }
    : { from: 'default', name: 'default' };
  const profile = options.profile ?? flags.profile ?? envValue('WIXQ_PROFILE') ?? DEFAULT_PROFILE;
  checkProfileName(profile, profileSource);

  const configDir = options.settings?.dir ?? resolveConfigDir(env);
  const settings = options.settings ?? new Settings(configDir);
  const stored = settings.list(profile);
  const configName = (key: SettingKey): string => `profiles.${profile}.${key}`;

  /** Picks the first value present among flag, env vars and config, and parses it with that source named. */
  function pick<T>(key: SettingKey, flagName: string, flagValue: string | number | undefined, envNames: string[]): { value: T | undefined; source: SettingSource } {
    if (flagValue !== undefined) return { value: parseSettingValue(key, String(flagValue), flagName) as T, source: { from: 'flag', name: flagName } };
    for (const name of envNames) {
      const value = envValue(name);
      if (value !== undefined) return { value: parseSettingValue(key, value, name) as T, source: { from: 'env', name } };
    }
    if (stored[key] !== undefined) return { value: stored[key] as T, source: { from: 'config', name: configName(key) } };
    return { value: undefined, source: { from: 'default', name: 'default' } };
  }

  const demoSource: SettingSource = { from: 'demo', name: '--demo' };
  const clientId = options.demo
    ? { value: options.demo.clientId, source: demoSource }
    : pick<string>('client-id', '--client-id', flags.clientId, ['WIXQ_CLIENT_ID', 'WIX_CLIENT_ID']);
  const apiUrl = options.demo
    ? { value: normalizeApiUrl(options.demo.apiUrl), source: demoSource }
    : pick<string>('api-url', '--api-url', flags.apiUrl, ['WIXQ_API_URL']);
  // -o names a format outright, so it wins over --json when both are given.
  const output = pick<OutputFormat>('output', flags.output === undefined && flags.json ? '--json' : '--output', flags.output ?? (flags.json ? 'json' : undefined), []);
  const retries = pick<number>('retries', '--retries', flags.retries, []);
  const timeout = pick<number>('timeout', '--timeout', flags.timeout, []);
  const redirectUri = pick<string>('redirect-uri', '--redirect-uri', flags.redirectUri, ['WIXQ_REDIRECT_URI']);

  return {
    profile,
    clientId: clientId.value,
    apiUrl: apiUrl.value,
    output: output.value,
    format: output.value ?? (options.stdoutIsTTY ? 'table' : 'json'),
    retries: retries.value ?? DEFAULT_RETRIES,
    timeoutMs: Math.round((timeout.value ?? DEFAULT_TIMEOUT_SECONDS) * 1000),
    redirectUri: redirectUri.value ?? DEFAULT_REDIRECT_URI,
    verbose: flags.verbose === true,
    sources: {
      profile: profileSource,
      clientId: clientId.source,
      apiUrl: apiUrl.source,
      output: output.source,
      retries: retries.source,
      timeout: timeout.source,
      redirectUri: redirectUri.source,
    },
    cacheApi: options.demo ? DEMO_CACHE_API : apiUrl.value,
    configDir,
    settings,
    warnings: settings.warnings,
  };
}
