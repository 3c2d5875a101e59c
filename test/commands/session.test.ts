import { readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

// The visitor session stays alive between runs: each run here is a separate main(), sharing only the config dir.
describe('session between invocations', () => {
  let p: TestProject;
  beforeAll(async () => {
    // 30 s tokens are inside wixq's 60 s renewal margin: every run after the first sees an expired token, no sleeping.
    p = await startProject({ tokenTtl: 30 });
  });
  afterAll(async () => p.close());

  it('first run makes one anonymous token request; the second reuses the token and makes exactly one request', async () => {
    p.reset();
    const first = await p.run(['products', 'list', '--json', '--limit', '3']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toHaveLength(3);
    const tokenRequests = p.tokenRequests();
    expect(tokenRequests.map((r) => r.grantType)).toEqual(['anonymous']);
    const session = p.session();
    expect(session.role).toBe('visitor');
    expect(session.clientId).toBe(p.emulator.clientId);

    // Warm run: give it a long-lived token first, so only reuse is tested here.
    const longLived = await startProject({ tokenTtl: 14_400 });
    try {
      const a = await longLived.run(['products', 'list', '--json', '--limit', '2']);
      expect(a.code, a.stderr).toBe(0);
      longLived.reset();
      const b = await longLived.run(['products', 'list', '--json', '--limit', '2']);
      expect(b.code, b.stderr).toBe(0);
      const all = longLived.requests();
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
    p.reset();
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    const grants = p.tokenRequests().map((t) => t.grantType);
    expect(grants).toEqual(['refresh_token']);
    const after = p.session();
    expect(after.refreshToken.value).toBe(before.refreshToken.value);
    expect(after.accessToken.value).not.toBe(before.accessToken.value);
    const api = p.apiRequests();
    const visitorIds = new Set(api.map((a) => a.identity?.visitorId).filter(Boolean));
    expect(visitorIds.size).toBe(1);
  });

  it('a refresh token Wix rejects starts a new visitor session with a notice', async () => {
    await p.run(['products', 'list', '--json', '--limit', '1']);
    const before = p.session();
    await p.control('POST', 'revoke-refresh-tokens');
    p.reset();
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/previous visitor session could not be renewed/);
    expect(p.tokenRequests().map((t) => t.grantType)).toEqual(['refresh_token', 'anonymous']);
    expect(p.session().refreshToken.value).not.toBe(before.refreshToken.value);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
  });

  it('a 401 from the API (token expired server-side) makes one renewal and one retry', async () => {
    const fresh = await startProject({ tokenTtl: 14_400 });
    try {
      expect((await fresh.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
      await fresh.control('POST', 'expire-tokens');
      fresh.reset();
      const r = await fresh.run(['products', 'list', '--json', '--limit', '1']);
      expect(r.code, r.stderr).toBe(0);
      const all = fresh.requests();
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
