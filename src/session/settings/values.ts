/**
 * The settings wixq knows: their keys, defaults and where a value came from, and the rules of a valid value (setting
 * values, API URLs, profile names), each refusal one UsageError line. What both the config store and the resolution
 * of flag > env > profile > default check against.
 */
import { UsageError } from '../../errors.js';
import { DEFAULT_API_URL } from '../../wix/hosts.js';
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../../output/formats.js';
import { parseRedirectUri } from '../redirect-uri.js';

export type { OutputFormat };

/** The keys `wixq config get|set|unset` accepts. */
export const SETTING_KEYS = ['client-id', 'api-url', 'output', 'retries', 'timeout', 'redirect-uri'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export { DEFAULT_API_URL };
export const DEFAULT_PROFILE = 'default';
export const DEFAULT_RETRIES = 3;
export const MAX_RETRIES = 10;
export const DEFAULT_TIMEOUT_SECONDS = 30;
const MAX_TIMEOUT_SECONDS = 3600;

/** The values a profile holds, as stored in config.json. */
export interface ProfileSettings {
  'client-id'?: string;
  'api-url'?: string;
  output?: OutputFormat;
  retries?: number;
  timeout?: number;
  /** The loopback redirect URI of `auth login`, when the project registered another than the default. */
  'redirect-uri'?: string;
}

export type SettingSourceKind = 'flag' | 'env' | 'config' | 'default' | 'demo';

/**
 * Where a resolved value came from: the flag, the environment variable, the profile key, the default, or `--demo`
 * (the demo's own profile, client ID and emulator URL: no flag was given for them).
 */
export interface SettingSource {
  from: SettingSourceKind;
  /** `--client-id`, `WIXQ_CLIENT_ID`, `profiles.default.client-id`, `default`, or `--demo`. */
  name: string;
}

/** Validates an API URL (http or https, no query) and trims trailing slashes. */
export function normalizeApiUrl(value: string, what = 'api-url'): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UsageError(`${what} must be an http(s) URL such as http://127.0.0.1:8787, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${what} must be an http(s) URL such as http://127.0.0.1:8787, got "${value}"`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new UsageError(`${what} must be a plain base URL (no query, fragment or credentials), got "${value}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/** Parses and validates one setting value given as text; `what` names where it came from in the error. */
export function parseSettingValue(key: SettingKey, raw: string, what: string): string | number {
  const value = raw.trim();
  switch (key) {
    case 'client-id':
      if (value === '' || /[\s\u0000-\u001f]/.test(value) || value.length > 200) {
        throw new UsageError(`${what} must be a client ID (the OAuth app's ID from your Headless settings), got "${raw}"`);
      }
      return value;
    case 'api-url':
      return normalizeApiUrl(value, what);
    case 'redirect-uri':
      return parseRedirectUri(value, what).href;
    case 'output':
      if (!isOutputFormat(value)) {
        throw new UsageError(`${what} must be one of ${OUTPUT_FORMATS.join(', ')}, got "${raw}"`);
      }
      return value;
    case 'retries': {
      const n = Number(value);
      if (value === '' || !Number.isInteger(n) || n < 0 || n > MAX_RETRIES) {
        throw new UsageError(`${what} must be a whole number from 0 to ${MAX_RETRIES}, got "${raw}"`);
      }
      return n;
    }
    case 'timeout': {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_SECONDS) {
        throw new UsageError(`${what} must be a number of seconds greater than 0 (at most ${MAX_TIMEOUT_SECONDS}), got "${raw}"`);
      }
      return n;
    }
  }
}

export function checkKey(key: string): asserts key is SettingKey {
  if (!(SETTING_KEYS as readonly string[]).includes(key)) {
    throw new UsageError(`unknown setting "${key}"; the settings are: ${SETTING_KEYS.join(', ')}`);
  }
}

/** Profile names become JSON keys and part of the session key `<profile>:<clientId>`, so keep them plain. */
export function checkProfileName(profile: string, source?: SettingSource): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(profile) || profile === '__proto__') {
    const where = source && source.from !== 'default' ? ` (from ${source.name})` : '';
    throw new UsageError(`invalid profile name "${profile}"${where}: use letters, digits, ".", "_" and "-" (at most 64)`);
  }
}
