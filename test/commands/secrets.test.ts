import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every secret the emulator saw on the wire: bearer tokens, refresh tokens, codes, verifiers, passwords, session tokens. */
async function secretsOnTheWire(p: TestProject): Promise<Set<string>> {
  const secrets = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value.length >= 8) secrets.add(value.replace(/^Bearer\s+/i, ''));
  };
  const walk = (value: unknown, key = ''): void => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
    else if (/^(refresh_?token|access_?token|code|code_?verifier|password|session_?token)$/i.test(key)) add(value);
  };
  for (const r of p.requests()) {
    add(r.headers.authorization);
    walk(r.body);
    walk(r.query);
  }
  return secrets;
}

// Tokens live in tokens.json and nowhere else: not in any output (--verbose included), not in any other file.
// File modes under umask 000 and an unwritable config dir need a process: test/e2e/secrets.test.ts.
describe('secrets', () => {
  let p: TestProject;
  beforeAll(async () => {
    // 30 s tokens: every run renews, so refresh requests (with the refresh token in the body) are traced too.
    p = await startProject({ tokenTtl: 30, products: 20 });
  });
  afterAll(async () => p.close());

  // What wixq printed in the runs below; the last test checks none of it holds a secret.
  const outputs: Array<{ what: string; text: string }> = [];
  const record = (what: string, r: RunResult, stdoutToo = true): void => {
    expect(r.code, `${what}: ${r.stderr}`).toBe(0);
    outputs.push({ what: `${what} stderr`, text: r.stderr });
    if (stdoutToo) outputs.push({ what: `${what} stdout`, text: r.stdout });
  };

  it('--verbose traces requests with secrets redacted: anonymous and refresh grants, a 503 and a 401 on the way', async () => {
    record('first run (anonymous grant)', await p.run(['products', 'list', '--json', '--limit', '1', '--verbose']));
    record('second run (refresh grant)', await p.run(['products', 'list', '--json', '--limit', '1', '--verbose']));
    // Error paths trace response bodies: a 503 from the token endpoint, then a 401 from the API with its renewal.
    await p.control('POST', 'faults', { path: '/oauth2/token', status: 503, count: 1 });
    await p.control('POST', 'faults', { path: '/stores-reader/v1/products/query-platformized', status: 401, count: 1 });
    record('faulted run', await p.run(['products', 'list', '--json', '--limit', '1', '--verbose']));
    const trace = outputs.map((o) => o.text).join('\n');
    expect(trace).toMatch(/authorization: \[redacted\]/);
    expect(trace).toMatch(/"refreshToken":"\[redacted\]"/);
    expect(trace).toMatch(/← 503/);
    expect(trace).toMatch(/← 401/);
  });

  it('member login, auth status and auth token: the token on stdout of auth token only', async () => {
    const member = p.emulator.members[0]!;
    record('member login', await p.run(['auth', 'login', '--email', member.email, '--password-stdin', '--verbose'], { input: 'demo-password\n' }));
    expect(p.session().role).toBe('member');
    record('auth status', await p.run(['auth', 'status', '--verbose']));
    const token = await p.run(['auth', 'token', '--verbose']);
    record('auth token', token, false);
    // stdout is exactly the stored access token (renewed first: 30 s tokens are inside the margin), one line.
    expect(token.stdout).toBe(`${p.session().accessToken.value}\n`);
    expect(token.stderr).not.toContain(token.stdout.trim());
  });

  it('no token, code or password appears in any output, or in any file of the config dir but tokens.json', async () => {
    const secrets = await secretsOnTheWire(p);
    const stored = p.session();
    secrets.add(stored.accessToken.value);
    secrets.add(stored.refreshToken.value);
    expect([...secrets]).toContain('demo-password');
    // Two sessions' worth at least: access tokens (old and renewed) and a refresh token per session.
    expect(secrets.size).toBeGreaterThanOrEqual(4);
    expect(outputs.length).toBeGreaterThanOrEqual(6);

    const leaks: string[] = [];
    for (const { what, text } of outputs) for (const s of secrets) if (text.includes(s)) leaks.push(`${what} shows ${s.slice(0, 12)}…`);
    for (const file of filesUnder(p.configDir)) {
      if (relative(p.configDir, file) === 'tokens.json') continue;
      const text = readFileSync(file, 'utf8');
      for (const s of secrets) if (text.includes(s)) leaks.push(`${relative(p.configDir, file)} holds ${s.slice(0, 12)}…`);
    }
    expect(leaks).toEqual([]);
    const tokensFile = readFileSync(join(p.configDir, 'tokens.json'), 'utf8');
    expect(tokensFile).toContain(stored.accessToken.value);
    expect(tokensFile).toContain(stored.refreshToken.value);
  });

  describe('a config dir wixq cannot use', () => {
    const env = (dir: string) => ({ WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId, WIXQ_CONFIG_DIR: dir });

    const warningFor = (dir: string, reason: string): string =>
      `Warning: cannot write to ${dir}: ${reason}; this run keeps its session in memory and saves nothing. Set WIXQ_CONFIG_DIR to a folder you can write to.`;

    it('read commands run with an in-memory session and one warning when a file is in the way of the folder', async () => {
      const root = mkdtempSync(join(tmpdir(), 'wixq-file-'));
      try {
        const file = join(root, 'not-a-folder');
        writeFileSync(file, 'x');
        // The folder cannot be created under a file (ENOTDIR) nor where the file is (EEXIST).
        for (const [dir, reason] of [[join(file, 'wixq'), 'ENOTDIR (a file is in the way)'], [file, 'EEXIST (a file is in the way)']] as const) {
          // products list detects the catalog (a cache it cannot save) and starts a visitor session: still one warning.
          const list = await p.run(['products', 'list', '--json', '--limit', '2'], { env: env(dir) });
          expect(list.code, list.stderr).toBe(0);
          expect(JSON.parse(list.stdout)).toHaveLength(2);
          expect(list.stderr.trimEnd().split('\n')).toEqual([warningFor(dir, reason), expect.stringMatching(/^Showing 2 of \d+ products/)]);
          const token = await p.run(['auth', 'token'], { env: env(dir) });
          expect(token.code, token.stderr).toBe(0);
          expect(token.stdout).toMatch(/^\S{16,}\n$/);
          expect(token.stderr).toBe(`${warningFor(dir, reason)}\n`);
          // api and check: their own exit codes, still the one warning.
          const api = await p.run(['api', 'GET', '/stores/v3/provision/version'], { env: env(dir) });
          expect(api.code, api.stderr).toBe(0);
          expect(api.stderr).toBe(`${warningFor(dir, reason)}\n`);
          const check = await p.run(['check', '--json'], { env: env(dir) });
          expect(check.code, check.stderr).toBe(0);
          expect(check.stderr.match(/cannot write/g)).toEqual(['cannot write']);
          expect(check.stderr.split('\n')[0]).toBe(warningFor(dir, reason));
          // auth status only reads: nothing to warn about.
          const status = await p.run(['auth', 'status', '--json'], { env: env(dir) });
          expect(status.code, status.stderr).toBe(0);
          expect(JSON.parse(status.stdout)).toMatchObject({ role: 'none', tokenFile: join(dir, 'tokens.json') });
        }
        expect(readdirSync(root)).toEqual(['not-a-folder']);
        expect(readFileSync(file, 'utf8')).toBe('x');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });

    it('write commands fail with exit 1 and the clear message, and create nothing', async () => {
      const root = mkdtempSync(join(tmpdir(), 'wixq-file-'));
      try {
        const file = join(root, 'not-a-folder');
        writeFileSync(file, 'x');
        const dir = join(file, 'wixq');
        const requestsBefore = p.requests().length;
        const expected = [`Error: cannot write to ${dir}: ENOTDIR (a file is in the way)`, 'Fix the folder permissions, or set WIXQ_CONFIG_DIR to a folder you can write to.'];
        for (const args of [
          ['config', 'set', 'output', 'json'],
          ['config', 'unset', 'output'],
          ['init', '--client-id', 'abc'],
          ['auth', 'login', '--email', 'ada@example.com', '--password-stdin'],
          ['auth', 'logout'],
        ]) {
          const r = await p.run(args, { env: env(dir), input: 'secret\n' });
          expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr.trimEnd().split('\n') }).toEqual({ args, code: 1, stdout: '', stderr: expected });
        }
        // They fail before any work: not one request reached the site.
        expect(p.requests().length).toBe(requestsBefore);
        expect(readdirSync(root)).toEqual(['not-a-folder']);
        expect(readFileSync(file, 'utf8')).toBe('x');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
