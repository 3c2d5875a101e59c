import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, runWixq, WIXQ_BIN, type RunResult } from '../helpers/cli.js';
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
  for (const r of await p.requests()) {
    add(r.headers.authorization);
    walk(r.body);
    walk(r.query);
  }
  return secrets;
}

function spawnShell(script: string, env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;

// Issue 7: tokens live in tokens.json and nowhere else; the files that hold them are private whatever the umask.
describe('secrets', () => {
  let p: TestProject;
  let authAvailable: boolean;
  beforeAll(async () => {
    // 30 s tokens: every run renews, so refresh requests (with the refresh token in the body) are traced too.
    p = await startProject({ tokenTtl: 30, products: 20 });
    authAvailable = (await runWixq(['auth', 'token', '--help'])).code === 0;
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
    await p.control('faults', { path: '/oauth2/token', status: 503, count: 1 });
    await p.control('faults', { path: '/stores-reader/v1/products/query-platformized', status: 401, count: 1 });
    record('faulted run', await p.run(['products', 'list', '--json', '--limit', '1', '--verbose']));
    const trace = outputs.map((o) => o.text).join('\n');
    expect(trace).toMatch(/authorization: \[redacted\]/);
    expect(trace).toMatch(/"refreshToken":"\[redacted\]"/);
    expect(trace).toMatch(/← 503/);
    expect(trace).toMatch(/← 401/);
  });

  it('member login, auth status and auth token: the token on stdout of auth token only', async (ctx) => {
    if (!authAvailable) ctx.skip('wixq auth does not exist in this build');
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
    if (authAvailable) expect([...secrets]).toContain('demo-password');
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

  it('under umask 000 the config dir is 0700 and every file in it 0600', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wixq-umask-'));
    try {
      const dir = join(root, 'nested', 'wixq');
      const wixq = `${quote(process.execPath)} ${quote(WIXQ_BIN)}`;
      const r = await spawnShell(
        [
          'umask 000',
          `${wixq} products list --json --limit 1 > /dev/null || exit 11`,
          // A second run renews the 30 s token: the rewrite must keep the mode too.
          `${wixq} products list --json --limit 1 > /dev/null || exit 12`,
          `${wixq} config set output json || exit 13`,
          'touch "$WIXQ_CONFIG_DIR/probe-umask"',
        ].join('\n'),
        { WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId, WIXQ_CONFIG_DIR: dir },
      );
      expect(r.code, r.stderr).toBe(0);
      // The probe file shows the umask really was 000 for that shell.
      expect(statSync(join(dir, 'probe-umask')).mode & 0o777).toBe(0o666);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(root, 'nested')).mode & 0o777).toBe(0o700);
      const files = readdirSync(dir).filter((f) => f !== 'probe-umask');
      expect(files).toEqual(expect.arrayContaining(['tokens.json', 'config.json']));
      for (const f of files) expect(`${f} ${(statSync(join(dir, f)).mode & 0o777).toString(8)}`).toBe(`${f} 600`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  describe('a config dir wixq cannot use', () => {
    const env = (dir: string) => ({ WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId, WIXQ_CONFIG_DIR: dir });

    it('is one clear error when it is not writable (run as an unprivileged user)', async (ctx) => {
      const root = mkdtempSync(join(tmpdir(), 'wixq-unwritable-'));
      try {
        const dir = join(root, 'cfg');
        mkdirSync(dir);
        chmodSync(root, 0o755);
        chmodSync(dir, 0o555);
        let r: RunResult;
        if (process.getuid?.() === 0) {
          const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
          if (!setpriv) ctx.skip('running as root and setpriv is not installed: cannot drop to an unprivileged user');
          // The checkout may sit in a folder only root can enter (CI clones into one): give nobody a readable copy of
          // the self-contained build (bin, dist and package.json are all it needs, as the pack test shows).
          const app = join(root, 'app');
          for (const part of ['bin', 'dist', 'package.json']) cpSync(join(WIXQ_BIN, '..', '..', part), join(app, part), { recursive: true });
          chmodSync(app, 0o755);
          const wixq = `${quote(process.execPath)} ${quote(join(app, 'bin', 'wixq.js'))}`;
          r = await spawnShell(`exec ${setpriv} --reuid=65534 --regid=65534 --clear-groups ${wixq} products list --json --limit 1`, env(dir));
          if (/setpriv: /.test(r.stderr)) ctx.skip(`setpriv could not switch user: ${r.stderr.trim()}`);
        } else {
          r = await runWixq(['products', 'list', '--json', '--limit', '1'], { env: env(dir) });
        }
        expect([1, 4]).toContain(r.code);
        expect(r.stdout).toBe('');
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines[0]).toBe(`Error: cannot write to ${dir}: EACCES (permission denied)`);
        expect(lines.length).toBeLessThanOrEqual(2);
        expect(r.stderr).not.toMatch(/^\s+at |unexpected failure/m);
      } finally {
        chmodSync(root, 0o700);
        rmSync(root, { recursive: true, force: true });
      }
    });

    it('is one clear error when a file is in the way', async () => {
      const root = mkdtempSync(join(tmpdir(), 'wixq-file-'));
      try {
        const file = join(root, 'not-a-folder');
        writeFileSync(file, 'x');
        const list = await runWixq(['products', 'list', '--json', '--limit', '1'], { env: env(file) });
        expect(list.code).toBe(1);
        expect(list.stderr.trimEnd().split('\n')).toEqual([
          `Error: cannot write to ${file}: ENOTDIR (a file is in the way)`,
          'Fix the folder permissions, or set WIXQ_CONFIG_DIR to a folder you can write to.',
        ]);
        const set = await runWixq(['config', 'set', 'output', 'json'], { env: env(file) });
        expect(set.code).toBe(1);
        expect(set.stderr).toMatch(/^Error: cannot write to .*: E(EXIST|NOTDIR) \(a file is in the way\)\n[^\n]+\n$/);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
