import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
    const unset = await p.run(['config', 'get', 'output']);
    expect(unset.code).toBe(1);
    expect((await p.run(['config', 'path'])).stdout.trim()).toBe(p.configDir);
  });

  it('a corrupt config.json is set aside with a warning', async () => {
    writeFileSync(join(p.configDir, 'config.json'), 'not json{');
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/config\.json/);
    expect(readdirSync(p.configDir).some((f) => f.startsWith('config.json.corrupt-'))).toBe(true);
  });
});
