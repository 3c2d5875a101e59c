import { mkdirSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/site/generate.js';
import { tempConfigDir } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';
import { startProject, type Recorded, type TestProject } from '../helpers/project.js';

const ada = DEMO_MEMBERS.find((m) => m.email === 'ada@example.com')!;

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

// Issue 20 item 3: a session belongs to the API that issued it; its tokens go nowhere else.
describe('sessions bound to the API they came from', () => {
  let a: TestProject;
  let b: Awaited<ReturnType<typeof startTestEmulator>>;
  beforeAll(async () => {
    a = await startProject({ tokenTtl: 14_400 });
    // The same demo site (same client ID) on another port: a local copy of a site, as a snapshot makes.
    b = await startTestEmulator({ tokenTtl: 14_400 });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('after auth login against one server, --api-url <another> starts its own visitor there and sends it no token of the first', async () => {
    expect(b.clientId).toBe(a.emulator.clientId);
    const login = await a.run(['auth', 'login', '--email', ada.email, '--password-stdin'], { input: `${ada.password}\n` });
    expect(login.code, login.stderr).toBe(0);
    const member = a.session();
    expect(member).toMatchObject({ role: 'member', memberId: ada.id });
    const memberFile = readFileSync(join(a.configDir, 'tokens.json'), 'utf8');

    a.reset();
    b.reset();
    const r = await a.run(['products', 'list', '--json', '--limit', '2', '--api-url', b.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    expect(a.requests()).toEqual([]);
    const onB = b.requests() as Recorded[];
    expect(onB.filter((q) => q.path === '/oauth2/token').map((q) => q.grantType)).toEqual(['anonymous']);
    for (const q of onB) {
      expect(JSON.stringify(q)).not.toContain(member.accessToken.value);
      expect(JSON.stringify(q)).not.toContain(member.refreshToken.value);
      if (q.path !== '/oauth2/token') expect(q.identity).toMatchObject({ role: 'visitor' });
    }

    // The first server's member session is untouched; the second server's visitor is stored beside it.
    expect(member.api).toBe(a.emulator.url);
    const sessions = a.tokens()!.sessions;
    expect(sessions[a.sessionKey()]).toEqual(member);
    const otherKey = `default:${b.clientId} ${b.url}`;
    expect(sessions[otherKey]).toMatchObject({ role: 'visitor', api: b.url, clientId: b.clientId });
    expect(Object.keys(sessions).sort()).toEqual([a.sessionKey(), otherKey].sort());
    expect(JSON.parse(readFileSync(join(a.configDir, 'tokens.json'), 'utf8')).sessions[a.sessionKey()]).toEqual(JSON.parse(memberFile).sessions[a.sessionKey()]);

    // And back on the first server the member is still the member, with no token request.
    a.reset();
    const back = await a.run(['products', 'list', '--json', '--limit', '1']);
    expect(back.code, back.stderr).toBe(0);
    expect(a.tokenRequests()).toEqual([]);
    expect(a.apiRequests()[0].identity).toMatchObject({ role: 'member', memberId: ada.id });
  });

  it('auth status and auth logout act on the session of the resolved API URL', async () => {
    const onB = await a.run(['auth', 'status', '--json', '--api-url', b.url]);
    expect(onB.code, onB.stderr).toBe(0);
    expect(JSON.parse(onB.stdout)).toMatchObject({ role: 'visitor', memberId: null, apiUrl: b.url });
    const onA = await a.run(['auth', 'status', '--json']);
    expect(JSON.parse(onA.stdout)).toMatchObject({ role: 'member', memberId: ada.id, apiUrl: a.emulator.url });

    b.reset();
    const logoutB = await a.run(['auth', 'logout', '--api-url', b.url]);
    expect(logoutB.code, logoutB.stderr).toBe(0);
    expect(logoutB.stderr).toMatch(/Not logged in as a member/);
    expect(b.requests()).toEqual([]);
    expect(a.session()).toMatchObject({ role: 'member', memberId: ada.id });

    const logoutA = await a.run(['auth', 'logout']);
    expect(logoutA.code, logoutA.stderr).toBe(0);
    expect(logoutA.stderr).toMatch(/Logged out member/);
    expect(a.session()).toBeUndefined();
    // The other server's visitor stays.
    expect(a.tokens()!.sessions[`default:${b.clientId} ${b.url}`]).toMatchObject({ role: 'visitor' });
  });

  it('a tokens.json of the format before (no API in the session) keeps working: its sessions are Wix\'s, and nowhere else', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const old = {
        version: 1,
        sessions: {
          [`default:${b.clientId}`]: {
            clientId: b.clientId,
            role: 'member',
            accessToken: { value: 'OLD-WIX-ACCESS', expiresAt: Math.floor(Date.now() / 1000) + 3600 },
            refreshToken: { value: 'OLD-WIX-REFRESH', role: 'member' },
            memberId: 'm-1',
            createdAt: '2026-01-01T00:00:00.000Z',
            updatedAt: '2026-01-01T00:00:00.000Z',
          },
        },
      };
      writeFileSync(join(dir, 'tokens.json'), JSON.stringify(old), { mode: 0o600 });
      const env = { WIXQ_CONFIG_DIR: dir, WIXQ_CLIENT_ID: b.clientId };
      // On Wix's hosts (either of them), the old session is the one: auth status reads it without a request.
      for (const apiUrl of [[], ['--api-url', 'https://www.wixapis.com'], ['--api-url', 'https://edge.wixapis.com/']]) {
        const status = await runInProcess(['auth', 'status', '--json', ...apiUrl], { env });
        expect(status.code, status.stderr).toBe(0);
        expect(JSON.parse(status.stdout)).toMatchObject({ role: 'member', memberId: 'm-1' });
      }
      // Against another server it is not sent: that server's own visitor is started and stored beside it.
      b.reset();
      const r = await runInProcess(['products', 'list', '--json', '--limit', '1', '--api-url', b.url], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.stringify(b.requests())).not.toMatch(/OLD-WIX/);
      expect((b.requests() as Recorded[]).filter((q) => q.path === '/oauth2/token').map((q) => q.grantType)).toEqual(['anonymous']);
      const after = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8'));
      // Migrated on the write: the old session now says whose it is, and is otherwise as it was.
      expect(after.sessions[`default:${b.clientId}`]).toEqual({ ...old.sessions[`default:${b.clientId}`], api: 'https://www.wixapis.com' });
      expect(after.sessions[`default:${b.clientId} ${b.url}`]).toMatchObject({ role: 'visitor', api: b.url });
    } finally {
      cleanup();
    }
  });

  it('--demo keeps its sessions across runs although its port changes, and reads a demo/tokens.json of the format before', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const env = { WIXQ_CONFIG_DIR: dir };
      const first = await runInProcess(['--demo', 'check', '--json'], { env });
      expect(first.code, first.stderr).toBe(0);
      const second = await runInProcess(['--demo', 'check', '--json'], { env });
      expect(JSON.parse(second.stdout).checks.find((c: { name: string }) => c.name === 'token').details).toMatch(/visitor session reused/);
      const file = JSON.parse(readFileSync(join(dir, 'demo', 'tokens.json'), 'utf8'));
      const keys = Object.keys(file.sessions);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(/^demo:[^ ]+$/);
      expect(file.sessions[keys[0]].api).toBe('demo');
      // The file as wixq wrote it before: no api in the session. It is the demo's, and reused.
      delete file.sessions[keys[0]].api;
      writeFileSync(join(dir, 'demo', 'tokens.json'), JSON.stringify(file), { mode: 0o600 });
      const third = await runInProcess(['--demo', 'check', '--json'], { env });
      expect(JSON.parse(third.stdout).checks.find((c: { name: string }) => c.name === 'token').details).toMatch(/visitor session reused/);
    } finally {
      cleanup();
    }
  });
});

// Issue 19 item 7: settings fail locally. A tokens.json that cannot be read is never overwritten; commands that only
// read never rename files.
describe('a tokens.json that cannot be read, and commands that only read', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject({ tokenTtl: 14_400 });
  });
  afterAll(async () => p.close());

  /** A tokens.json that cannot be read, whoever runs the test (root reads any file, but no one reads a folder as one). */
  function unreadableTokens(): { dir: string; cleanup: () => void; path: string } {
    const { dir, cleanup } = tempConfigDir();
    const path = join(dir, 'tokens.json');
    mkdirSync(path);
    return { dir, cleanup, path };
  }

  it('read commands warn once naming the file, run with a visitor of their own in memory, and never write the file', async () => {
    const { dir, cleanup, path } = unreadableTokens();
    try {
      for (let run = 0; run < 2; run++) {
        p.reset();
        const r = await p.run(['products', 'list', '--json', '--limit', '1'], { env: { WIXQ_CONFIG_DIR: dir } });
        expect(r.code, r.stderr).toBe(0);
        expect(JSON.parse(r.stdout)).toHaveLength(1);
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines[0]).toBe(
          `Warning: cannot read ${path}: EISDIR; this run uses a session of its own in memory and leaves the file as it is. Fix its permissions, or set WIXQ_CONFIG_DIR to a folder you own.`,
        );
        expect(r.stderr.match(/tokens\.json/g)).toHaveLength(1);
        expect(p.tokenRequests().map((q) => q.grantType)).toEqual(['anonymous']);
      }
      expect(statSync(path).isDirectory()).toBe(true);
      expect(readdirSync(path)).toEqual([]);
      expect(readdirSync(dir).filter((f) => f.startsWith('tokens.json'))).toEqual(['tokens.json']);
    } finally {
      cleanup();
    }
  });

  it('auth status, auth token, auth login and auth logout fail with exit 1 naming the file, and start no visitor', async () => {
    const { dir, cleanup, path } = unreadableTokens();
    try {
      for (const [args, input] of [
        [['auth', 'status']],
        [['auth', 'token']],
        [['auth', 'login', '--email', ada.email, '--password-stdin'], `${ada.password}\n`],
        [['auth', 'logout']],
      ] as Array<[string[], string?]>) {
        p.reset();
        const r = await p.run(args, { env: { WIXQ_CONFIG_DIR: dir }, input });
        expect({ args, code: r.code, stdout: r.stdout, first: r.stderr.split('\n')[0] }).toEqual({ args, code: 1, stdout: '', first: `Error: cannot read ${path}: EISDIR` });
        expect(p.requests()).toEqual([]);
      }
      expect(readdirSync(path)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('every cart command fails with exit 1 naming the file and sends nothing: the cart is the stored session\'s, a visitor of its own would show or change another cart', async () => {
    const { dir, cleanup, path } = unreadableTokens();
    try {
      for (const args of [['cart'], ['cart', 'get', '--json'], ['cart', 'add', 'premium-wool-rug'], ['cart', 'update', 'premium-wool-rug', '--quantity', '2'], ['cart', 'remove', 'premium-wool-rug'], ['cart', 'clear'], ['cart', 'checkout']]) {
        p.reset();
        const r = await p.run(args, { env: { WIXQ_CONFIG_DIR: dir } });
        expect({ args, code: r.code, stdout: r.stdout, first: r.stderr.split('\n')[0] }).toEqual({ args, code: 1, stdout: '', first: `Error: cannot read ${path}: EISDIR` });
        expect(p.requests()).toEqual([]);
      }
      expect(readdirSync(path)).toEqual([]);
    } finally {
      cleanup();
    }
  });

  it('auth status and config list|get|path report a corrupt file and rename nothing', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      writeFileSync(join(dir, 'tokens.json'), '{"version":1,"sessions":');
      writeFileSync(join(dir, 'config.json'), 'not json{');
      const env = { WIXQ_CONFIG_DIR: dir };
      const status = await p.run(['auth', 'status', '--json'], { env });
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ role: 'none' });
      expect(status.stderr).toBe(
        `${join(dir, 'config.json')} is not a valid wixq config (not valid JSON); left as it is (this command only reads), continuing with empty settings.\n` +
          `${join(dir, 'tokens.json')} is not a valid wixq token file (not valid JSON); left as it is (this command only reads).\n`,
      );
      for (const args of [['config', 'list'], ['config', 'get', 'timeout'], ['config', 'path']]) {
        const r = await p.run(args, { env });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toMatch(/config\.json is not a valid wixq config .*left as it is/);
      }
      expect(readdirSync(dir).sort()).toEqual(['config.json', 'tokens.json']);
      // A command that writes sets them aside, as before.
      const list = await p.run(['products', 'list', '--json', '--limit', '1'], { env });
      expect(list.code, list.stderr).toBe(0);
      expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(2);
    } finally {
      cleanup();
    }
  });
});
