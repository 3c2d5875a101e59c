import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempConfigDir } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';

/** init and config in-process: where each setting comes from (flag > env > profile > default), validation, the file. */
describe('settings', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());
  beforeEach(() => p.reset());

  it('init stores the client ID; later commands use it (flag > env > profile > default)', async () => {
    const env = { WIXQ_CLIENT_ID: undefined };
    const none = await p.run(['products', 'list', '--json'], { env });
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/no client ID/);
    expect(none.stderr).toMatch(/--demo/);
    expect(none.stdout).toBe('');

    const init = await p.run(['init', '--client-id', p.emulator.clientId], { env });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toBe('');
    const get = await p.run(['config', 'get', 'client-id'], { env });
    expect(get.stdout.trim()).toBe(p.emulator.clientId);

    const list = await p.run(['products', 'list', '--json', '--limit', '2'], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(2);

    // The env var beats the profile, and the flag beats the env var.
    const viaEnv = await p.run(['config', 'list', '--json'], { env: { WIXQ_CLIENT_ID: 'from-env' } });
    const rows = JSON.parse(viaEnv.stdout) as Array<{ key: string; value: unknown; source: string }>;
    expect(rows.find((r) => r.key === 'client-id')).toMatchObject({ value: 'from-env', source: 'WIXQ_CLIENT_ID' });
    const viaFlag = await p.run(['config', 'list', '--json', '--client-id', 'from-flag'], { env: { WIXQ_CLIENT_ID: 'from-env' } });
    expect((JSON.parse(viaFlag.stdout) as typeof rows).find((r) => r.key === 'client-id')).toMatchObject({ value: 'from-flag', source: '--client-id' });
  });

  it('init without a client ID and without a terminal is a usage error', async () => {
    const r = await p.run(['init'], { env: { WIXQ_CLIENT_ID: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--client-id/);
  });

  it('config set validates keys and values; unset removes; path prints the config dir', async () => {
    expect((await p.run(['config', 'set', 'output', 'yaml'])).code).toBe(2);
    const bad = await p.run(['config', 'set', 'colour', 'red']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown setting "colour"/);
    expect((await p.run(['config', 'set', 'output', 'csv'])).code).toBe(0);
    expect((await p.run(['config', 'get', 'output'])).stdout.trim()).toBe('csv');
    const csv = await p.run(['products', 'list', '--limit', '2']);
    expect(csv.stdout.split('\n')[0]).toBe('name,slug,Price after discount,stock.inventoryStatus,visible');
    expect((await p.run(['config', 'unset', 'output'])).code).toBe(0);
    // Unset, the output format is the terminal's choice: JSON in a pipe, a table on a terminal.
    const unset = await p.run(['config', 'get', 'output']);
    expect([unset.code, unset.stdout]).toEqual([0, 'json\n']);
    expect((await p.run(['config', 'get', 'output'], { tty: true })).stdout).toBe('table\n');
    expect((await p.run(['config', 'path'])).stdout.trim()).toBe(p.configDir);
  });

  it('config get prints every key config list shows, as resolved, with the same value and source (--json)', async () => {
    const env = { WIXQ_CLIENT_ID: 'from-env', WIXQ_REDIRECT_URI: undefined, WIXQ_API_URL: undefined };
    for (const [args, runEnv] of [
      [[], env],
      [['--profile', 'staging', '--api-url', 'http://127.0.0.1:9', '--retries', '5', '--timeout', '2.5'], env],
      [[], { ...env, WIXQ_PROFILE: 'ci', WIXQ_API_URL: 'http://127.0.0.1:7/', WIXQ_REDIRECT_URI: 'http://localhost:9999/x' }],
    ] as Array<[string[], Record<string, string | undefined>]>) {
      const list = await p.run(['config', 'list', '--json', ...args], { env: runEnv });
      expect(list.code, list.stderr).toBe(0);
      const rows = JSON.parse(list.stdout) as Array<{ key: string; value: unknown; source: string }>;
      expect(rows.map((r) => r.key)).toEqual(['profile', 'client-id', 'api-url', 'output', 'retries', 'timeout', 'redirect-uri', 'config-dir']);
      for (const row of rows) {
        const plain = await p.run(['config', 'get', row.key, ...args], { env: runEnv });
        expect({ key: row.key, code: plain.code, stderr: plain.stderr }).toEqual({ key: row.key, code: 0, stderr: '' });
        const json = await p.run(['config', 'get', row.key, '--json', ...args], { env: runEnv });
        expect(json.code, json.stderr).toBe(0);
        const got = JSON.parse(json.stdout);
        if (row.key === 'output') {
          // --json is itself the output flag: the format it resolves to is its own.
          expect(plain.stdout).toBe('json\n');
          expect(got).toEqual({ key: 'output', value: 'json', source: '--json' });
        } else {
          expect(plain.stdout).toBe(`${row.value}\n`);
          expect(got).toEqual(row);
        }
      }
    }
    const flags = await p.run(['config', 'get', 'api-url', '--api-url', 'http://127.0.0.1:9/', '--json']);
    expect(JSON.parse(flags.stdout)).toEqual({ key: 'api-url', value: 'http://127.0.0.1:9', source: '--api-url' });
    const defaults = await p.run(['config', 'get', 'redirect-uri'], { env: { WIXQ_REDIRECT_URI: undefined } });
    expect(defaults.stdout).toBe('http://localhost:53682/callback\n');
    expect((await p.run(['config', 'get', 'api-url'], { env: { WIXQ_API_URL: undefined } })).stdout).toBe('https://www.wixapis.com\n');
    expect((await p.run(['config', 'get', 'profile'])).stdout).toBe('default\n');
    expect((await p.run(['config', 'get', 'config-dir'])).stdout).toBe(`${p.configDir}\n`);
    const demo = await p.run(['--demo', 'config', 'get', 'profile', '--json']);
    expect(JSON.parse(demo.stdout)).toEqual({ key: 'profile', value: 'demo', source: '--demo' });
  });

  it('config get: a client ID set nowhere is exit 1 with how to set it; an unknown key is exit 2 naming the keys', async () => {
    const none = await p.run(['config', 'get', 'client-id', '--profile', 'empty'], { env: { WIXQ_CLIENT_ID: undefined } });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^Error: client-id is not set for profile "empty"/);
    expect(none.stdout).toBe('');
    const bad = await p.run(['config', 'get', 'colour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('Error: unknown setting "colour"; config get takes: profile, client-id, api-url, output, retries, timeout, redirect-uri, config-dir\n');
    const help = await p.run(['config', 'get', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/profile, client-id, api-url, output, retries, timeout, redirect-uri or config-dir/);
  });

  it('a bad value in another profile costs nothing: the file and the default profile\'s client ID are kept (issue 19 item 7)', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const content = `${JSON.stringify({ profiles: { default: { 'client-id': p.emulator.clientId }, other: { 'client-id': p.emulator.clientId, timeout: 'thirty' } } }, null, '\t')}\n`;
      writeFileSync(join(dir, 'config.json'), content, { mode: 0o600 });
      const env = { WIXQ_CONFIG_DIR: dir, WIXQ_CLIENT_ID: undefined };
      const list = await p.run(['products', 'list', '--json', '--limit', '1'], { env });
      expect(list.code, list.stderr).toBe(0);
      expect(list.stderr).not.toMatch(/config\.json/);
      const other = await p.run(['--profile', 'other', 'config', 'get', 'timeout', '--json'], { env });
      expect(other.code, other.stderr).toBe(0);
      expect(JSON.parse(other.stdout)).toEqual({ key: 'timeout', value: 30, source: 'default' });
      expect(other.stderr).toBe(`Warning: ignoring profiles.other.timeout in ${join(dir, 'config.json')}: it must be a number of seconds greater than 0 (at most 3600), got "thirty" (fix it with: wixq config set timeout <value> --profile other)\n`);
      expect(readdirSync(dir).filter((f) => f.startsWith('config.json'))).toEqual(['config.json']);
      // Only the catalog cache was added (by products list); every setting is as it was, the bad one too.
      const after = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      expect(after.profiles.other).toEqual(JSON.parse(content).profiles.other);
      expect(after.profiles.default['client-id']).toBe(p.emulator.clientId);
      expect((await p.run(['--profile', 'other', 'config', 'set', 'timeout', '12'], { env })).code).toBe(0);
      expect((await p.run(['--profile', 'other', 'config', 'get', 'timeout'], { env })).stdout).toBe('12\n');
    } finally {
      cleanup();
    }
  });

  it('a corrupt config.json is set aside with a warning', async () => {
    writeFileSync(join(p.configDir, 'config.json'), 'not json{');
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/config\.json/);
    expect(readdirSync(p.configDir).some((f) => f.startsWith('config.json.corrupt-'))).toBe(true);
  });
});
