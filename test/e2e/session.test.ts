import { readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

// The design's promise: the visitor session stays alive between invocations (docs/reference.md section 2, issue 3).
describe('session between invocations', () => {
  let p: TestProject;
  beforeAll(async () => {
    // 30 s tokens are inside wixq's 60 s renewal margin: every run after the first sees an expired token, no sleeping.
    p = await startProject({ tokenTtl: 30 });
  });
  afterAll(async () => p.close());

  it('first run makes one anonymous token request; the second reuses the token and makes exactly one request', async () => {
    await p.control('reset');
    const first = await p.run(['products', 'list', '--json', '--limit', '3']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toHaveLength(3);
    const tokenRequests = await p.tokenRequests();
    expect(tokenRequests.map((r) => r.grantType)).toEqual(['anonymous']);
    const session = p.session();
    expect(session.role).toBe('visitor');
    expect(session.clientId).toBe(p.emulator.clientId);

    // Warm run: give it a long-lived token first, so only reuse is tested here.
    const longLived = await startProject({ tokenTtl: 14_400 });
    try {
      const a = await longLived.run(['products', 'list', '--json', '--limit', '2']);
      expect(a.code, a.stderr).toBe(0);
      await longLived.control('reset');
      const b = await longLived.run(['products', 'list', '--json', '--limit', '2']);
      expect(b.code, b.stderr).toBe(0);
      const all = await longLived.requests();
      expect(all.filter((r) => r.path === '/oauth2/token')).toHaveLength(0);
      expect(all).toHaveLength(1);
      expect(all[0].path).toBe('/stores-reader/v1/products/query-platformized');
      expect(b.stdout).toBe(a.stdout);
    } finally {
      await longLived.close();
    }
  });

  it('an expired access token is renewed with the refresh grant: same visitor, refresh token unchanged', async () => {
    const before = p.session();
    await p.control('reset');
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    const grants = (await p.tokenRequests()).map((t) => t.grantType);
    expect(grants).toEqual(['refresh_token']);
    const after = p.session();
    expect(after.refreshToken.value).toBe(before.refreshToken.value);
    expect(after.accessToken.value).not.toBe(before.accessToken.value);
    const api = await p.apiRequests();
    const visitorIds = new Set(api.map((a) => a.identity?.visitorId).filter(Boolean));
    expect(visitorIds.size).toBe(1);
  });

  it('a refresh token Wix rejects starts a new visitor session with a notice', async () => {
    await p.run(['products', 'list', '--json', '--limit', '1']);
    const before = p.session();
    await p.control('revoke-refresh-tokens');
    await p.control('reset');
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/previous visitor session could not be renewed/);
    expect((await p.tokenRequests()).map((t) => t.grantType)).toEqual(['refresh_token', 'anonymous']);
    expect(p.session().refreshToken.value).not.toBe(before.refreshToken.value);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
  });

  it('a 401 from the API (token expired server-side) makes one renewal and one retry', async () => {
    const fresh = await startProject({ tokenTtl: 14_400 });
    try {
      expect((await fresh.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
      await fresh.control('expire-tokens');
      await fresh.control('reset');
      const r = await fresh.run(['products', 'list', '--json', '--limit', '1']);
      expect(r.code, r.stderr).toBe(0);
      const all = await fresh.requests();
      expect(all.map((x) => `${x.status} ${x.path}`)).toEqual([
        '401 /stores-reader/v1/products/query-platformized',
        '200 /oauth2/token',
        '200 /stores-reader/v1/products/query-platformized',
      ]);
      expect(all[1].grantType).toBe('refresh_token');
    } finally {
      await fresh.close();
    }
  });

  it('a corrupt tokens.json is set aside with a warning and the command succeeds', async () => {
    writeFileSync(join(p.configDir, 'tokens.json'), '{"version":1,"sessions":{"default:x": tru');
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/tokens\.json/);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(readdirSync(p.configDir).some((f) => f.startsWith('tokens.json.corrupt-'))).toBe(true);
    expect(p.session().role).toBe('visitor');
  });

  it('keeps tokens.json 0600 in a 0700 folder', () => {
    expect(statSync(join(p.configDir, 'tokens.json')).mode & 0o777).toBe(0o600);
    expect(statSync(p.configDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(p.configDir, 'tokens.json'), 'utf8')).toContain('"sessions"');
  });
});

describe('settings', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());
  beforeEach(async () => p.control('reset'));

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
    expect(csv.stdout.split('\n')[0]).toBe('name,slug,priceData.formatted.price,stock.inventoryStatus,visible');
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
