import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/site/generate.js';
import { freePort } from '../helpers/net.js';
import { startProject, type TestProject } from '../helpers/project.js';

// Member sessions in-process over HTTP against the emulator: login, status, token, logout, renewal, failures.
const ada = DEMO_MEMBERS.find((m) => m.email === 'ada@example.com')!;
const grace = DEMO_MEMBERS.find((m) => m.email === 'grace@example.com')!;
const PASSWORD = ada.password;

const login = (p: TestProject, email: string, password: string, extra: string[] = []) =>
  p.run(['auth', 'login', '--email', email, '--password-stdin', ...extra], { input: `${password}\n` });

describe('auth: headless member login, status, token, logout', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());

  it('logs the demo member in without a browser and stores role member with the member ID', async () => {
    p.reset();
    const r = await login(p, ada.email, PASSWORD);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Logged in as ada@example.com (member ${ada.id})`);
    const session = p.session();
    expect(session).toMatchObject({ role: 'member', memberId: ada.id, refreshToken: { role: 'member' } });
    expect(statSync(join(p.configDir, 'tokens.json')).mode & 0o777).toBe(0o600);

    const requests = p.requests();
    expect(requests.filter((q) => q.path === '/oauth2/token').map((q) => q.grantType)).toEqual(['anonymous', 'authorization_code']);
    const loginRequest = requests.find((q) => q.path === '/_api/iam/authentication/v2/login')!;
    expect(loginRequest.identity.role).toBe('visitor');
    const redirect = requests.find((q) => q.path === '/_api/redirects-api/v1/redirect-session')!;
    expect(redirect.body.auth.prompt).toBe('none');
    expect(redirect.body.auth.authRequest).toMatchObject({ responseMode: 'query', redirectUri: 'http://localhost:53682/callback', codeChallengeMethod: 'S256' });
    expect(redirect.body.auth.authRequest.sessionToken).toBeTruthy();
    // wixq followed the authorize redirect itself and never visited the loopback redirect URI.
    expect(requests.filter((q) => q.path === '/oauth2/authorize').map((q) => q.method)).toEqual(['GET']);
  });

  it('the next products list sends the member access token (the emulator sees a member)', async () => {
    p.reset();
    const r = await p.run(['products', 'list', '--json', '--limit', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    const api = p.apiRequests();
    expect(api.length).toBeGreaterThan(0);
    for (const q of api) {
      expect(q.identity).toMatchObject({ role: 'member', memberId: ada.id });
      expect(q.headers.authorization).toBe(p.session().accessToken.value);
    }
    expect(p.tokenRequests()).toEqual([]);
  });

  it('auth status shows profile, client ID, role, member ID, expiry and token file, never a token (text and JSON)', async () => {
    p.reset();
    const session = p.session();
    // Piped, it follows the same rule as every command: JSON unless -o says otherwise.
    expect(JSON.parse((await p.run(['auth', 'status'])).stdout).role).toBe('member');
    const text = await p.run(['auth', 'status', '-o', 'table']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Profile: +default$/m);
    expect(text.stdout).toMatch(new RegExp(`^Client ID: +${p.emulator.clientId} \\(from WIXQ_CLIENT_ID\\)$`, 'm'));
    expect(text.stdout).toMatch(/^Role: +member \(logged in\)$/m);
    expect(text.stdout).toMatch(new RegExp(`^Member ID: +${ada.id}$`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`^Access token: +expires ${new Date(session.accessToken.expiresAt * 1000).toISOString()} \\(in 3 h 59 min\\)$`, 'm'));
    expect(text.stdout).toContain(`Token file:   ${join(p.configDir, 'tokens.json')}`);

    const json = await p.run(['auth', 'status', '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      profile: 'default',
      clientId: p.emulator.clientId,
      clientIdSource: 'WIXQ_CLIENT_ID',
      role: 'member',
      memberId: ada.id,
      accessTokenExpiresAt: new Date(session.accessToken.expiresAt * 1000).toISOString(),
      accessTokenValid: true,
      tokenFile: join(p.configDir, 'tokens.json'),
      apiUrl: p.emulator.url,
    });
    for (const out of [text.stdout + text.stderr, json.stdout + json.stderr]) {
      expect(out).not.toContain(session.accessToken.value);
      expect(out).not.toContain(session.refreshToken.value);
    }
    // Status reads the file only: not one request.
    expect(p.requests()).toEqual([]);
  });

  it('auth token prints the stored access token and nothing else', async () => {
    p.reset();
    const r = await p.run(['auth', 'token']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${p.session().accessToken.value}\n`);
    expect(r.stderr).toBe('');
    expect(p.requests()).toEqual([]);
  });

  it('logging in as another member replaces the session', async () => {
    const r = await login(p, grace.email, grace.password);
    expect(r.code, r.stderr).toBe(0);
    expect(p.session()).toMatchObject({ role: 'member', memberId: grace.id });
  });

  it('logout runs the Wix logout redirect session and returns to a visitor', async () => {
    p.reset();
    const member = p.session();
    const r = await p.run(['auth', 'logout']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Logged out member ${grace.id}`);
    const requests = p.requests();
    const redirect = requests.find((q) => q.path === '/_api/redirects-api/v1/redirect-session')!;
    expect(redirect.body).toEqual({ logout: { clientId: p.emulator.clientId }, callbacks: { postFlowUrl: 'http://localhost:53682/callback' } });
    expect(redirect.headers.authorization).toBe(member.accessToken.value);
    expect(requests.filter((q) => q.path === '/oauth2/logout')).toHaveLength(1);
    expect(p.session()).toBeUndefined();

    const status = await p.run(['auth', 'status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ role: 'none', memberId: null });

    p.reset();
    const list = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(list.code, list.stderr).toBe(0);
    expect(p.tokenRequests().map((q) => q.grantType)).toEqual(['anonymous']);
    for (const q of p.apiRequests()) expect(q.identity.role).toBe('visitor');
    expect(p.session().role).toBe('visitor');

    const again = await p.run(['auth', 'logout']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Not logged in as a member/);
  });

  const failures: Array<[string, string, string, RegExp]> = [
    ['wrong password', ada.email, 'not-the-password', /^Error: wrong password for ada@example\.com\./m],
    ['unknown email', 'nobody@example.com', PASSWORD, /^Error: no member of this site has the email nobody@example\.com\./m],
    ['email verification required', 'unverified@example.com', PASSWORD, /^Error: unverified@example\.com has not verified the email address yet/m],
    ['owner approval required', 'pending@example.com', PASSWORD, /^Error: the membership of pending@example\.com is waiting for the site owner's approval\./m],
    ['captcha required', 'captcha@example.com', PASSWORD, /^Error: this site requires a captcha to log in/m],
  ];
  it('each failure state has its own message and exit 4, stores nothing, and never prints the password (--verbose too)', async () => {
    const file = join(p.configDir, 'tokens.json');
    const before = readFileSync(file);
    p.reset();
    const results = [];
    for (const [, email, password] of failures) results.push(await login(p, email, password, ['--verbose']));
    for (const [i, [name, , password, message]] of failures.entries()) {
      const r = results[i]!;
      expect(r.code, `${name}: ${r.stderr}`).toBe(4);
      expect(r.stderr, name).toMatch(message);
      expect(r.stdout, name).toBe('');
      expect(r.stdout + r.stderr, name).not.toContain(password);
      expect(r.stderr, name).toContain('"password":"[redacted]"');
    }
    const requests = p.requests();
    expect(requests.filter((q) => q.path === '/_api/iam/authentication/v2/login')).toHaveLength(failures.length);
    expect(requests.filter((q) => q.path === '/oauth2/token' || q.path.startsWith('/_api/redirects-api'))).toEqual([]);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a successful --verbose login never prints the password, session token, code or verifier either', async () => {
    const r = await login(p, ada.email, PASSWORD, ['--verbose']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    const redirect = p.requests('/_api/redirects-api').at(-1)!;
    const exchange = p.tokenRequests().at(-1)!;
    expect(r.stderr).not.toContain(redirect.body.auth.authRequest.sessionToken);
    expect(r.stderr).not.toContain(exchange.body.code);
    expect(r.stderr).not.toContain(exchange.body.codeVerifier);
    expect(r.stderr).not.toContain(p.session().accessToken.value);
  });

  it('takes the password from WIXQ_PASSWORD, and refuses one in the arguments without echoing it', async () => {
    const r = await p.run(['auth', 'login', '--email', ada.email], { env: { WIXQ_PASSWORD: PASSWORD } });
    expect(r.code, r.stderr).toBe(0);
    expect(p.session().role).toBe('member');
    const argv = await p.run(['auth', 'login', '--email', ada.email, '--password', 'Sup3r-s3cret']);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/never takes a password in its arguments/);
    expect(argv.stdout + argv.stderr).not.toContain('Sup3r-s3cret');
    const none = await p.run(['auth', 'login', '--email', ada.email]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no password given/);
  });

  it('a 401 for a member whose refresh token Wix also rejects: exit 4 after one refresh try, no visitor, tokens.json untouched', async () => {
    expect(p.session().role).toBe('member');
    await p.control('POST', 'expire-tokens');
    await p.control('POST', 'revoke-refresh-tokens');
    p.reset();
    const file = join(p.configDir, 'tokens.json');
    const before = readFileSync(file);
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/^Error: member session expired, run wixq auth login/m);
    expect(r.stdout).toBe('');
    const requests = p.requests();
    expect(requests.filter((q) => q.path === '/oauth2/token').map((q) => q.grantType)).toEqual(['refresh_token']);
    expect(requests.filter((q) => q.path !== '/oauth2/token').every((q) => q.status === 401)).toBe(true);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('every auth command has an Examples: block in --help', async () => {
    const commands = [['auth'], ['auth', 'login'], ['auth', 'logout'], ['auth', 'status'], ['auth', 'token']];
    const results = [];
    for (const args of commands) results.push(await p.run([...args, '--help']));
    for (const [i, args] of commands.entries()) {
      const r = results[i]!;
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/\nExamples:\n {2}\$ \S/);
    }
  });
});

describe('auth: an expiring member session', () => {
  let p: TestProject;
  beforeAll(async () => {
    // 30 s tokens are inside wixq's 60 s renewal margin: every run after login renews, with no sleeping.
    p = await startProject({ tokenTtl: 30 });
  });
  afterAll(async () => p.close());

  it('renews an expired member access token with the refresh grant and stays the member', async () => {
    expect((await login(p, ada.email, PASSWORD)).code).toBe(0);
    const before = p.session();
    p.reset();
    const r = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(p.tokenRequests().map((q) => q.grantType)).toEqual(['refresh_token']);
    const after = p.session();
    expect(after).toMatchObject({ role: 'member', memberId: ada.id, refreshToken: before.refreshToken });
    expect(after.accessToken.value).not.toBe(before.accessToken.value);
    for (const q of p.apiRequests()) expect(q.identity).toMatchObject({ role: 'member', memberId: ada.id });
  });

  it('a rejected member refresh token exits 4, never falls back to a visitor, and leaves tokens.json byte for byte', async () => {
    await p.control('POST', 'revoke-refresh-tokens');
    const file = join(p.configDir, 'tokens.json');
    const before = readFileSync(file);
    for (const args of [['products', 'list', '--json', '--limit', '1'], ['auth', 'token']]) {
      p.reset();
      const r = await p.run(args);
      expect(r.code, args.join(' ')).toBe(4);
      expect(r.stderr).toMatch(/^Error: member session expired, run wixq auth login/m);
      expect(r.stdout).toBe('');
      const requests = p.requests();
      expect(requests.map((q) => q.grantType ?? q.path)).toEqual(['refresh_token']);
      expect(readFileSync(file).equals(before)).toBe(true);
    }
    const status = await p.run(['auth', 'status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ role: 'member', memberId: ada.id, accessTokenValid: false });

    // Logging out of an expired session drops it locally; logging in again works.
    const out = await p.run(['auth', 'logout']);
    expect(out.code, out.stderr).toBe(0);
    expect(p.session()).toBeUndefined();
    expect((await login(p, ada.email, PASSWORD)).code).toBe(0);
    expect(p.session().role).toBe('member');
  });
});

describe('auth: the redirect URI setting', () => {
  it('config set redirect-uri is used by auth login; the flag and WIXQ_REDIRECT_URI win; a bad one is exit 2', async () => {
    const p = await startProject();
    try {
      const bad = await p.run(['config', 'set', 'redirect-uri', 'https://example.com/callback']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/redirect-uri must be http:\/\/localhost/);
      expect((await p.run(['config', 'set', 'redirect-uri', 'http://127.0.0.1:8976/callback'])).code).toBe(0);
      expect((await p.run(['config', 'get', 'redirect-uri'])).stdout.trim()).toBe('http://127.0.0.1:8976/callback');
      const rows = JSON.parse((await p.run(['config', 'list', '--json'])).stdout) as Array<{ key: string; value: string; source: string }>;
      expect(rows.find((r) => r.key === 'redirect-uri')).toEqual({ key: 'redirect-uri', value: 'http://127.0.0.1:8976/callback', source: 'profiles.default.redirect-uri' });

      const redirectUris = async (): Promise<string[]> =>
        p.requests('/_api/redirects-api/v1/redirect-session').map((q) => q.body.auth?.authRequest?.redirectUri).filter(Boolean);
      p.reset();
      expect((await login(p, ada.email, PASSWORD)).code).toBe(0);
      expect(await redirectUris()).toEqual(['http://127.0.0.1:8976/callback']);
      p.reset();
      const viaEnv = await p.run(['auth', 'login', '--email', ada.email, '--password-stdin'], { input: PASSWORD, env: { WIXQ_REDIRECT_URI: 'http://localhost:9911/cb' } });
      expect(viaEnv.code, viaEnv.stderr).toBe(0);
      const viaFlag = await login(p, ada.email, PASSWORD, ['--redirect-uri', 'http://localhost:9912/cb']);
      expect(viaFlag.code, viaFlag.stderr).toBe(0);
      expect(await redirectUris()).toEqual(['http://localhost:9911/cb', 'http://localhost:9912/cb']);
    } finally {
      await p.close();
    }
  });
});

describe('auth login in a browser that cannot start', () => {
  it('still shows the URL; the wait ends after --login-timeout with exit 4 and the port is released', async () => {
    const p = await startProject();
    try {
      const port = await freePort();
      const r = await p.run(['auth', 'login', '--login-timeout', '1', '--redirect-uri', `http://127.0.0.1:${port}/callback`], { env: { WIXQ_BROWSER: '/nonexistent/browser' } });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/Could not open a browser \(\/nonexistent\/browser: ENOENT\)\. Open this URL to log in:\n {2}http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?/);
      expect(r.stderr).toMatch(/^Error: the login did not finish within 1 s$/m);
      expect(p.session()?.role).not.toBe('member');
      await freePort(port);
    } finally {
      await p.close();
    }
  });
});
