import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveConfigDir } from '../../src/session/config-dir.js';
import { resolveSettings } from '../../src/session/settings/resolve.js';
import { Settings } from '../../src/session/settings/store.js';

let root: string;
let dir: string;
const fixedNow = () => Date.UTC(2025, 0, 2, 3, 4, 5, 6);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wixq-settings-'));
  dir = join(root, 'cfg');
});
afterEach(() => {
  chmodSync(root, 0o700);
  rmSync(root, { recursive: true, force: true });
});

describe('resolveConfigDir', () => {
  it('uses WIXQ_CONFIG_DIR when set', async () => {
    expect(resolveConfigDir({ WIXQ_CONFIG_DIR: '/x/y' })).toBe('/x/y');
  });

  it("falls back to conf's default location for project wixq with no suffix", async () => {
    expect(resolveConfigDir({ HOME: '/home/u' }, 'linux')).toBe('/home/u/.config/wixq');
    expect(resolveConfigDir({ HOME: '/home/u', XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe('/xdg/wixq');
    expect(resolveConfigDir({ HOME: '/Users/u' }, 'darwin')).toBe('/Users/u/Library/Preferences/wixq');
  });
});

describe('Settings', () => {
  it('parses config.json once per run, and again after the run writes it (the write merges what another process wrote)', async () => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ profiles: { default: { 'client-id': 'abc', output: 'json' } } }));
    const settings = new Settings(dir);
    expect(settings.get('default', 'client-id')).toBe('abc');
    // Another process changes the file: this run keeps the settings it started with…
    writeFileSync(file, JSON.stringify({ profiles: { default: { 'client-id': 'xyz', output: 'json' } } }));
    expect(settings.get('default', 'client-id')).toBe('abc');
    expect(settings.list('default')).toEqual({ 'client-id': 'abc', output: 'json' });
    // …until it writes: the write re-reads the file under the lock, keeps the other process's change, and reads anew.
    await settings.set('default', 'output', 'csv');
    expect(settings.list('default')).toEqual({ 'client-id': 'xyz', output: 'csv' });
    expect(JSON.parse(readFileSync(file, 'utf8')).profiles.default).toEqual({ 'client-id': 'xyz', output: 'csv' });
  });

  it('does not create the folder when only reading', async () => {
    const settings = new Settings(dir);
    expect(settings.get('default', 'client-id')).toBeUndefined();
    expect(settings.list('default')).toEqual({});
    expect(existsSync(dir)).toBe(false);
  });

  it('stores values per profile in config.json, 0600 in a 0700 folder, whatever the umask', async () => {
    const oldMask = process.umask(0);
    try {
      const settings = new Settings(dir);
      await settings.set('default', 'client-id', 'abc-123');
      await settings.set('work', 'output', 'csv');
      await settings.set('work', 'retries', '5');
      await settings.set('work', 'timeout', '2.5');
      await settings.set('work', 'api-url', 'http://127.0.0.1:8787/');
    } finally {
      process.umask(oldMask);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    const again = new Settings(dir);
    expect(again.get('default', 'client-id')).toBe('abc-123');
    expect(again.get('work', 'client-id')).toBeUndefined();
    expect(again.list('work')).toEqual({ output: 'csv', retries: 5, timeout: 2.5, 'api-url': 'http://127.0.0.1:8787' });
    const file = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    expect(file.profiles.default['client-id']).toBe('abc-123');
  });

  it('rejects unknown keys and bad values with a UsageError naming what is allowed', async () => {
    const settings = new Settings(dir);
    await expect(settings.set('default', 'colour', 'red')).rejects.toThrowError(/unknown setting "colour".*client-id, api-url, output, retries, timeout/);
    await expect(settings.set('default', 'output', 'xml')).rejects.toThrowError(/table, json, ndjson, csv, tsv/);
    await expect(settings.set('default', 'retries', '11')).rejects.toThrowError(/0 to 10/);
    await expect(settings.set('default', 'retries', '1.5')).rejects.toThrowError(UsageError);
    await expect(settings.set('default', 'timeout', '0')).rejects.toThrowError(/greater than 0/);
    await expect(settings.set('default', 'api-url', 'ftp://x')).rejects.toThrowError(/http\(s\) URL/);
    await expect(settings.set('default', 'client-id', 'has space')).rejects.toThrowError(UsageError);
    await expect(settings.unset('default', 'nope')).rejects.toThrowError(UsageError);
    expect(existsSync(dir)).toBe(false);
  });

  it('unsets values and keeps other keys of the file', async () => {
    const settings = new Settings(dir);
    await settings.set('default', 'client-id', 'abc');
    const path = join(dir, 'config.json');
    const data = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...data, somethingElse: { keep: true } }));
    expect(await settings.unset('default', 'client-id')).toBe(true);
    expect(await settings.unset('default', 'client-id')).toBe(false);
    expect(settings.get('default', 'client-id')).toBeUndefined();
    expect(JSON.parse(readFileSync(path, 'utf8')).somethingElse).toEqual({ keep: true });
  });

  it('caches the catalog version per client ID and API URL', async () => {
    const settings = new Settings(dir, { now: fixedNow });
    await settings.setCatalog('default', 'cid', undefined, 'v3');
    await settings.setCatalog('default', 'local', 'http://127.0.0.1:1', 'none');
    const stamped = new Date(fixedNow()).toISOString();
    expect(settings.getCatalog('default', 'cid', undefined)).toEqual({ version: 'v3', detectedAt: stamped });
    expect(settings.getCatalog('default', 'cid', 'https://www.wixapis.com')).toEqual({ version: 'v3', detectedAt: stamped });
    expect(settings.getCatalog('default', 'cid', 'http://127.0.0.1:9')).toBeUndefined();
    expect(settings.getCatalog('default', 'local', 'http://127.0.0.1:1')).toEqual({ version: 'none', detectedAt: stamped });
    expect(settings.getCatalog('other', 'cid', undefined)).toBeUndefined();
    expect(settings.list('default')).toEqual({});
  });

  it('a new catalog answer drops the category ids cached for the other catalog (same client ID and API URL only)', async () => {
    const settings = new Settings(dir, { now: fixedNow });
    await settings.setCategoryId('default', 'cid', undefined, 'v1', 'sale', 'v1-sale');
    await settings.setCategoryId('default', 'cid', 'http://127.0.0.1:1', 'v1', 'local', 'local-sale');
    await settings.setCategoryId('default', 'other', undefined, 'v1', 'sale', 'other-sale');
    await settings.setCatalog('default', 'cid', undefined, 'v1');
    expect(settings.getCategoryId('default', 'cid', undefined, 'v1', 'sale')).toBe('v1-sale');
    await settings.setCatalog('default', 'cid', undefined, 'v3');
    expect(settings.getCategoryId('default', 'cid', undefined, 'v1', 'sale')).toBeUndefined();
    expect(settings.getCategoryId('default', 'cid', 'http://127.0.0.1:1', 'v1', 'local')).toBe('local-sale');
    expect(settings.getCategoryId('default', 'other', undefined, 'v1', 'sale')).toBe('other-sale');
  });

  it('sets a corrupt config.json aside with a warning and goes on with empty settings', async () => {
    for (const [i, content] of ['{ not json', '[1,2]', '{"profiles":{"default":"lots"}}'].entries()) {
      const d = join(root, `c${i}`);
      ensureFile(join(d, 'config.json'), content);
      const settings = new Settings(d, { now: fixedNow });
      expect(settings.warnings).toHaveLength(1);
      expect(settings.warnings[0]).toContain('config.json.corrupt-2025-01-02T03-04-05-006Z');
      expect(settings.get('default', 'retries')).toBeUndefined();
      expect(readdirSync(d)).toEqual(['config.json.corrupt-2025-01-02T03-04-05-006Z']);
      expect(readFileSync(join(d, 'config.json.corrupt-2025-01-02T03-04-05-006Z'), 'utf8')).toBe(content);
      await settings.set('default', 'output', 'json');
      expect(new Settings(d).get('default', 'output')).toBe('json');
    }
  });

  it('a bad value in one profile is a warning for that key, ignored; the file and every other value are kept (issue 19 item 7)', async () => {
    const content = `${JSON.stringify({ profiles: { default: { 'client-id': 'cid-default' }, other: { 'client-id': 'cid-other', timeout: 'thirty', retries: 99, output: 'yaml' } } }, null, '\t')}\n`;
    const d = join(root, 'bad-value');
    ensureFile(join(d, 'config.json'), content);
    const settings = new Settings(d, { now: fixedNow });
    expect(settings.warnings).toEqual([]);
    expect(settings.list('default')).toEqual({ 'client-id': 'cid-default' });
    expect(settings.warnings).toEqual([]);
    // The profile in use is checked key by key: the good ones are used, each bad one is named once and ignored.
    expect(settings.list('other')).toEqual({ 'client-id': 'cid-other' });
    expect(settings.get('other', 'timeout')).toBeUndefined();
    expect(settings.warnings).toEqual([
      `Warning: ignoring profiles.other.output in ${join(d, 'config.json')}: it must be one of table, json, ndjson, csv, tsv, got "yaml" (fix it with: wixq config set output <value> --profile other)`,
      `Warning: ignoring profiles.other.retries in ${join(d, 'config.json')}: it must be a whole number from 0 to 10, got "99" (fix it with: wixq config set retries <value> --profile other)`,
      `Warning: ignoring profiles.other.timeout in ${join(d, 'config.json')}: it must be a number of seconds greater than 0 (at most 3600), got "thirty" (fix it with: wixq config set timeout <value> --profile other)`,
    ]);
    expect(readdirSync(d)).toEqual(['config.json']);
    expect(readFileSync(join(d, 'config.json'), 'utf8')).toBe(content);
    // resolveSettings goes on with the defaults for those keys.
    const resolved = resolveSettings({ env: {}, flags: { profile: 'other' }, settings: new Settings(d) });
    expect([resolved.clientId, resolved.timeoutMs, resolved.retries]).toEqual(['cid-other', 30_000, 3]);
    expect(resolved.warnings).toHaveLength(3);
    // A write keeps what it does not change, the bad values included; setting a key fixes it; unset removes one.
    await settings.set('default', 'output', 'json');
    await settings.set('other', 'timeout', '10');
    expect(await settings.unset('other', 'output')).toBe(true);
    const after = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'));
    expect(after.profiles).toEqual({ default: { 'client-id': 'cid-default', output: 'json' }, other: { 'client-id': 'cid-other', timeout: 10, retries: 99 } });
  });

  it('reports a config dir that is a file as a clear WixqError', async () => {
    writeFileSync(join(root, 'blocked'), '');
    const settings = new Settings(join(root, 'blocked', 'cfg'));
    await expect(settings.set('default', 'client-id', 'abc')).rejects.toThrowError(/^cannot write to .*blocked.cfg: ENOTDIR/);
  });
});

describe('resolveSettings', () => {
  it('applies flag > env > profile config > default and reports each source', async () => {
    const settings = new Settings(dir);
    await settings.set('default', 'client-id', 'from-config');
    await settings.set('default', 'api-url', 'http://config.test');
    await settings.set('default', 'retries', '7');
    await settings.set('default', 'output', 'csv');

    const fromConfig = resolveSettings({ env: {}, settings });
    expect(fromConfig).toMatchObject({ profile: 'default', clientId: 'from-config', apiUrl: 'http://config.test', retries: 7, output: 'csv', timeoutMs: 30_000 });
    expect(fromConfig.sources.clientId).toEqual({ from: 'config', name: 'profiles.default.client-id' });
    expect(fromConfig.sources.timeout).toEqual({ from: 'default', name: 'default' });
    expect(fromConfig.sources.profile).toEqual({ from: 'default', name: 'default' });

    const fromEnv = resolveSettings({ env: { WIX_CLIENT_ID: 'wix-env', WIXQ_API_URL: 'http://env.test/' }, settings });
    expect(fromEnv.clientId).toBe('wix-env');
    expect(fromEnv.sources.clientId).toEqual({ from: 'env', name: 'WIX_CLIENT_ID' });
    expect(fromEnv.apiUrl).toBe('http://env.test');

    const both = resolveSettings({ env: { WIX_CLIENT_ID: 'wix-env', WIXQ_CLIENT_ID: 'wixq-env' }, settings });
    expect(both.clientId).toBe('wixq-env');

    const fromFlags = resolveSettings({
      flags: { clientId: 'flag', apiUrl: 'https://flag.test/base/', retries: '0', timeout: '0.5', json: true },
      env: { WIXQ_CLIENT_ID: 'wixq-env', WIXQ_API_URL: 'http://env.test' },
      settings,
    });
    expect(fromFlags).toMatchObject({ clientId: 'flag', apiUrl: 'https://flag.test/base', retries: 0, timeoutMs: 500, output: 'json' });
    expect(fromFlags.sources.output).toEqual({ from: 'flag', name: '--json' });
  });

  it('resolves the profile from flag, WIXQ_PROFILE, or default, and reads that profile', async () => {
    const settings = new Settings(dir);
    await settings.set('ci', 'client-id', 'ci-id');
    expect(resolveSettings({ env: { WIXQ_PROFILE: 'ci' }, settings }).clientId).toBe('ci-id');
    expect(resolveSettings({ flags: { profile: 'default' }, env: { WIXQ_PROFILE: 'ci' }, settings }).clientId).toBeUndefined();
    expect(resolveSettings({ env: {}, settings, profile: 'ci' }).profile).toBe('ci');
    expect(() => resolveSettings({ flags: { profile: 'a:b' }, env: {}, settings })).toThrowError(/invalid profile name "a:b" \(from --profile\)/);
  });

  it('rejects bad values naming where they came from', async () => {
    const settings = new Settings(dir);
    expect(() => resolveSettings({ flags: { retries: '11' }, env: {}, settings })).toThrowError(/--retries must be a whole number from 0 to 10/);
    expect(() => resolveSettings({ flags: { timeout: '0' }, env: {}, settings })).toThrowError(/--timeout must be a number of seconds greater than 0/);
    expect(() => resolveSettings({ env: { WIXQ_API_URL: 'localhost:8787' }, settings })).toThrowError(/WIXQ_API_URL must be an http\(s\) URL/);
    expect(() => resolveSettings({ flags: { output: 'xml' }, env: {}, settings })).toThrowError(UsageError);
  });

  it('opens the settings in WIXQ_CONFIG_DIR and passes on warnings', async () => {
    ensureFile(join(dir, 'config.json'), 'garbage');
    const resolved = resolveSettings({ env: { WIXQ_CONFIG_DIR: dir, WIXQ_CLIENT_ID: 'x' } });
    expect(resolved.configDir).toBe(dir);
    expect(resolved.settings.path).toBe(join(dir, 'config.json'));
    expect(resolved.warnings).toHaveLength(1);
    expect(resolved.clientId).toBe('x');
  });
});

function ensureFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

describe('resolveSettings: the output format, decided once for every command', () => {
  it.each<[{ output?: string; json?: boolean }, string | undefined, boolean, string]>([
    [{ output: 'csv', json: true }, 'tsv', true, 'csv'],
    [{ json: true }, 'tsv', true, 'json'],
    [{}, 'tsv', true, 'tsv'],
    [{}, 'ndjson', false, 'ndjson'],
    [{}, undefined, true, 'table'],
    [{}, undefined, false, 'json'],
    [{ json: false }, undefined, false, 'json'],
  ])('flags %j, configured %s, stdout a terminal %s: %s', async (flags, configured, tty, expected) => {
    const settings = new Settings(dir);
    if (configured) await settings.set('default', 'output', configured);
    const resolved = resolveSettings({ flags, env: {}, settings, stdoutIsTTY: tty });
    expect(resolved.format).toBe(expected);
  });

  it('rejects an unknown format from the settings', async () => {
    const settings = new Settings(dir);
    await expect(settings.set('default', 'output', 'yaml')).rejects.toThrow('setting output must be one of table, json, ndjson, csv, tsv, got "yaml"');
    expect(() => resolveSettings({ flags: { output: 'xml' }, env: {}, settings })).toThrow('--output must be one of table, json, ndjson, csv, tsv, got "xml"');
  });

  it('resolves the redirect URI flag > WIXQ_REDIRECT_URI > profile > default, with its source', async () => {
    const settings = new Settings(dir);
    expect(resolveSettings({ env: {}, settings }).redirectUri).toBe('http://localhost:53682/callback');
    await settings.set('default', 'redirect-uri', 'http://127.0.0.1:9000/cb');
    expect(resolveSettings({ env: {}, settings }).sources.redirectUri.name).toBe('profiles.default.redirect-uri');
    const fromEnv = resolveSettings({ env: { WIXQ_REDIRECT_URI: 'http://localhost:7000/x' }, settings });
    expect([fromEnv.redirectUri, fromEnv.sources.redirectUri.name]).toEqual(['http://localhost:7000/x', 'WIXQ_REDIRECT_URI']);
    const fromFlag = resolveSettings({ flags: { redirectUri: 'http://[::1]:8000/y' }, env: { WIXQ_REDIRECT_URI: 'http://localhost:7000/x' }, settings });
    expect([fromFlag.redirectUri, fromFlag.sources.redirectUri.name]).toEqual(['http://[::1]:8000/y', '--redirect-uri']);
    expect(() => resolveSettings({ flags: { redirectUri: 'https://example.com/cb' }, env: {}, settings })).toThrow(UsageError);
  });
});
