import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TemporaryError, WixqError } from '../../src/errors.js';
import { checkConfigDirWritable, ensureConfigDir, isUnwritable, UnwritableConfigNotice, type DirFs } from '../../src/session/config-dir.js';
import { acquireFileLock, releaseFileLock } from '../../src/session/lock.js';
import { DEMO_API, sessionApi, sessionKey, TokenStore, WIX_API, type StoredSession } from '../../src/session/token-store.js';

const KEY = sessionKey('default', 'cid');

// Child processes run a bundle of the real module (vitest's loader is not available to them).
const CHILD_SOURCE = `
import { TokenStore, sessionKey } from './session/token-store.ts';
import { Settings } from './session/settings/store.ts';
const [mode, dir] = process.argv.slice(2);
const key = sessionKey('default', 'cid');
const store = new TokenStore(dir, { staleLockMs: Number(process.env.STALE_MS || 10000), lockTimeoutMs: 20000 });
const bump = (current) => {
  const n = current ? Number(current.accessToken.value) : 0;
  const stamp = new Date().toISOString();
  return {
    clientId: 'cid', role: 'visitor',
    accessToken: { value: String(n + 1), expiresAt: 2000000000 },
    // Padding makes each write take a while, so a SIGKILL lands mid-write often.
    refreshToken: { value: 'r'.repeat(400000), role: 'visitor' },
    createdAt: current ? current.createdAt : stamp, updatedAt: stamp,
  };
};
if (mode === 'increment') {
  await store.update(key, async (current) => bump(current));
} else if (mode === 'hammer') {
  for (let i = 0; ; i++) {
    await store.update(key, async (current) => bump(current));
    if (i === 0) process.stdout.write('ready\\n');
  }
} else if (mode === 'settings-set') {
  try {
    await new Settings(dir).set('default', 'client-id', 'abc');
    process.stdout.write(JSON.stringify({ ok: true }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ name: error.name, message: error.message, hint: error.hint }));
  }
}
`;

let work: string;
let childScript: string;
let dir: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'wixq-token-store-'));
  chmodSync(work, 0o755);
  childScript = join(work, 'child.mjs');
  buildSync({
    stdin: { contents: CHILD_SOURCE, resolveDir: resolve(__dirname, '../../src'), loader: 'ts', sourcefile: 'child.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: childScript,
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'silent',
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeEach(() => {
  dir = mkdtempSync(join(work, 'cfg-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function session(value: string, extra: Partial<StoredSession> = {}): StoredSession {
  return {
    clientId: 'cid',
    role: 'visitor',
    accessToken: { value, expiresAt: 2_000_000_000 },
    refreshToken: { value: 'rt', role: 'visitor' },
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

function runChild(mode: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [childScript, mode, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, stderr })));
}

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function readTokenFile(): { version: number; sessions: Record<string, StoredSession> } {
  return JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8'));
}

describe('TokenStore basics', () => {
  it('reads nothing from a missing file and creates nothing when reading', async () => {
    const store = new TokenStore(join(dir, 'sub'));
    expect(await store.read(KEY)).toBeUndefined();
    expect(existsSync(join(dir, 'sub'))).toBe(false);
  });

  it('writes, reads back, keeps other sessions and other keys, deletes on null', async () => {
    const store = new TokenStore(dir);
    await store.update(KEY, async () => session('a'));
    await store.update('work:cid', async () => session('b'));
    const path = join(dir, 'tokens.json');
    writeFileSync(path, JSON.stringify({ ...readTokenFile(), futureKey: [1, 2] }));
    expect((await store.read(KEY))?.accessToken.value).toBe('a');

    const unchanged = await store.update(KEY, async (current) => {
      expect(current?.accessToken.value).toBe('a');
      return undefined;
    });
    expect(unchanged?.accessToken.value).toBe('a');

    expect(await store.update(KEY, async () => null)).toBeUndefined();
    const file = readTokenFile() as Record<string, unknown> & { sessions: Record<string, StoredSession> };
    expect(file.version).toBe(1);
    expect(Object.keys(file.sessions)).toEqual(['work:cid']);
    expect(file.futureKey).toEqual([1, 2]);
    expect(readdirSync(dir).sort()).toEqual(['tokens.json']);
  });

  it('keeps 0600 for the file and 0700 for the folder under umask 000', async () => {
    const oldMask = process.umask(0);
    try {
      const nested = join(dir, 'a', 'wixq');
      const store = new TokenStore(nested);
      await store.update(KEY, async () => session('a'));
      await store.update(KEY, async () => session('b'));
      expect(statSync(nested).mode & 0o777).toBe(0o700);
      expect(statSync(store.path).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(oldMask);
    }
  });

  it('releases the lock and writes nothing when fn throws', async () => {
    const store = new TokenStore(dir);
    await store.update(KEY, async () => session('a'));
    const before = readFileSync(store.path);
    await expect(store.update(KEY, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(readFileSync(store.path).equals(before)).toBe(true);
    expect(existsSync(store.lockPath)).toBe(false);
  });

  it('serializes concurrent updates within one process', async () => {
    const store = new TokenStore(dir);
    await Promise.all(
      Array.from({ length: 10 }, () => store.update(KEY, async (current) => session(String(Number(current?.accessToken.value ?? 0) + 1)))),
    );
    expect((await store.read(KEY))?.accessToken.value).toBe('10');
  });

  it('removes temp files a crashed writer left behind, and ignores them when reading', async () => {
    const store = new TokenStore(dir);
    await store.update(KEY, async () => session('a'));
    const leftover = join(dir, `tokens.json.tmp-${deadPid()}-abcdef`);
    writeFileSync(leftover, '{"half":');
    expect((await store.read(KEY))?.accessToken.value).toBe('a');
    await store.update(KEY, async () => session('b'));
    expect(existsSync(leftover)).toBe(false);
  });

  it('treats a malformed session entry as no session, with a warning', async () => {
    const warnings: string[] = [];
    const store = new TokenStore(dir, { onWarning: (line) => warnings.push(line) });
    writeFileSync(store.path, JSON.stringify({ version: 1, sessions: { [KEY]: { clientId: 'cid' } } }));
    expect(await store.read(KEY)).toBeUndefined();
    expect(warnings[0]).toMatch(/malformed/);
  });
});

describe('TokenStore corrupt files', () => {
  const now = () => Date.UTC(2025, 5, 1, 12, 0, 0, 0);
  const cases: Array<[string, string]> = [
    ['bad JSON', '{"version":1,"sess'],
    ['empty file', ''],
    ['wrong version', JSON.stringify({ version: 2, sessions: {} })],
    ['foreign file', JSON.stringify({ tokens: { me: 'x' } })],
    ['wrong shape', JSON.stringify({ version: 1, sessions: [] })],
  ];
  for (const [name, content] of cases) {
    it(`sets a ${name} aside with a warning and reads it as empty`, async () => {
      const warnings: string[] = [];
      const store = new TokenStore(dir, { now, onWarning: (line) => warnings.push(line) });
      writeFileSync(store.path, content);
      expect(await store.read(KEY)).toBeUndefined();
      const aside = join(dir, 'tokens.json.corrupt-2025-06-01T12-00-00-000Z');
      expect(readFileSync(aside, 'utf8')).toBe(content);
      expect(existsSync(store.path)).toBe(false);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(aside);
      expect(existsSync(store.lockPath)).toBe(false);
    });
  }

  it('sets a corrupt file aside inside update too, then writes a good one', async () => {
    const warnings: string[] = [];
    const store = new TokenStore(dir, { now, onWarning: (line) => warnings.push(line) });
    writeFileSync(store.path, 'nonsense');
    let seen: StoredSession | undefined = session('sentinel');
    await store.update(KEY, async (current) => {
      seen = current;
      return session('fresh');
    });
    expect(seen).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(readTokenFile().sessions[KEY]!.accessToken.value).toBe('fresh');
  });
});

describe('TokenStore lock', () => {
  it('takes over a lock whose holder is dead on this host, fresh as the lock is', async () => {
    // Not stale for an hour and a wait of a minute: only seeing the holder dead lets the update through.
    const store = new TokenStore(dir, { lockTimeoutMs: 60_000, staleLockMs: 3_600_000 });
    writeFileSync(store.lockPath, JSON.stringify({ pid: deadPid(), host: hostname(), createdAt: new Date().toISOString(), nonce: 'x' }));
    await store.update(KEY, async () => session('a'));
    expect((await store.read(KEY))?.accessToken.value).toBe('a');
    expect(existsSync(store.lockPath)).toBe(false);
    expect(readdirSync(dir)).toEqual(['tokens.json']);
  });

  it('takes a dead holder\'s lock over without waiting once (the wait runs on an injected sleep)', async () => {
    const lockPath = join(dir, 'tokens.json.lock');
    writeFileSync(lockPath, JSON.stringify({ pid: deadPid(), host: hostname(), createdAt: new Date().toISOString(), nonce: 'x' }));
    const sleeps: number[] = [];
    const held = await acquireFileLock(lockPath, { staleMs: 3_600_000, timeoutMs: 60_000, sleep: async (ms) => void sleeps.push(ms) });
    expect(sleeps).toEqual([]);
    expect(JSON.parse(readFileSync(lockPath, 'utf8')).pid).toBe(process.pid);
    await releaseFileLock(held);
    expect(existsSync(lockPath)).toBe(false);
  });

  it('waits for a live holder on the injected sleep, in short polls, and gives up at the timeout on the injected clock', async () => {
    const lockPath = join(dir, 'tokens.json.lock');
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), createdAt: new Date().toISOString(), nonce: 'y' }));
    let now = 0;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    };
    const error = await acquireFileLock(lockPath, { staleMs: 3_600_000, timeoutMs: 1_000, sleep, clock: () => now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemporaryError);
    expect(now).toBeGreaterThanOrEqual(1_000);
    expect(sleeps.length).toBeGreaterThan(5);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(100);
  });

  it('takes over a lock not touched for longer than staleLockMs, even if its holder looks alive', async () => {
    const store = new TokenStore(dir, { lockTimeoutMs: 5000, staleLockMs: 1000 });
    writeFileSync(store.lockPath, JSON.stringify({ pid: process.pid, host: 'another-host', createdAt: '2020-01-01T00:00:00Z', nonce: 'y' }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(store.lockPath, old, old);
    await store.update(KEY, async () => session('a'));
    expect((await store.read(KEY))?.accessToken.value).toBe('a');
  });

  it('gives up after lockTimeoutMs with a TemporaryError naming the lock file', async () => {
    const store = new TokenStore(dir, { lockTimeoutMs: 150 });
    writeFileSync(store.lockPath, JSON.stringify({ pid: process.pid, host: hostname(), createdAt: new Date().toISOString(), nonce: 'z' }));
    const error = await store.update(KEY, async () => session('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemporaryError);
    expect((error as TemporaryError).message).toContain(store.lockPath);
    expect((error as TemporaryError).message).toContain(`held by process ${process.pid}`);
    expect(existsSync(store.path)).toBe(false);
  });

  it('keeps exactly 16 increments from 16 processes racing, and a valid file', async () => {
    const children = Array.from({ length: 16 }, () => exited(runChild('increment', [dir])));
    const results = await Promise.all(children);
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const file = readTokenFile();
    expect(file.sessions[KEY]!.accessToken.value).toBe('16');
    expect(readdirSync(dir)).toEqual(['tokens.json']);
  });

  it('never leaves an invalid tokens.json when writers are SIGKILLed mid-write (30 kills)', async () => {
    let lastCount = 0;
    for (let round = 0; round < 6; round++) {
      const children = Array.from({ length: 5 }, () => runChild('hammer', [dir], { STALE_MS: '400' }));
      const done = children.map((c) => exited(c));
      // Wait until at least one has written, then kill all at staggered moments.
      await new Promise<void>((ready) => children.forEach((c) => c.stdout?.once('data', () => ready())));
      // Meanwhile read the file without the lock, as the fast path does: it must never be half written.
      const reading = (async () => {
        for (let i = 0; i < 200 && children.some((c) => c.exitCode === null && c.signalCode === null); i++) {
          const text = readFileSync(join(dir, 'tokens.json'), 'utf8');
          expect(() => JSON.parse(text), `read ${i} in round ${round}`).not.toThrow();
          await new Promise((r) => setImmediate(r));
        }
      })();
      await Promise.all(
        children.map(
          (c, i) => new Promise<void>((killed) => setTimeout(() => (c.kill('SIGKILL'), killed()), 5 + i * 7 + Math.random() * 20)),
        ),
      );
      const results = await Promise.all(done);
      await reading;
      for (const r of results) expect(r.signal === 'SIGKILL' || r.code === 0, r.stderr).toBe(true);
      const file = readTokenFile();
      const count = Number(file.sessions[KEY]!.accessToken.value);
      expect(count).toBeGreaterThanOrEqual(lastCount);
      lastCount = count;
    }
    // A writer killed while holding the lock must not block the next one for long (dead pid or 400 ms stale).
    const store = new TokenStore(dir, { staleLockMs: 400, lockTimeoutMs: 5000 });
    await store.update(KEY, async (current) => session(String(Number(current!.accessToken.value) + 1)));
    expect(Number((await store.read(KEY))!.accessToken.value)).toBe(lastCount + 1);
    expect(readdirSync(dir).filter((n) => n.startsWith('tokens.json.tmp-'))).toEqual([]);
  });
});

describe('config dir permissions', () => {
  it('reports an unwritable config dir as a clear WixqError (as an unprivileged user)', async () => {
    const locked = join(work, 'locked');
    mkdirSync(locked, { mode: 0o755 });
    chmodSync(locked, 0o555);
    const target = join(locked, 'cfg');
    let outcome: { name?: string; message?: string; hint?: string; ok?: boolean };
    if (process.getuid?.() === 0) {
      // root may write anywhere: run the check as "nobody" so the permission really is missing.
      const child = spawnSync(process.execPath, [childScript, 'settings-set', target], { uid: 65534, gid: 65534, encoding: 'utf8' });
      outcome = JSON.parse(child.stdout);
    } else {
      const { Settings } = await import('../../src/session/settings/store.js');
      try {
        await new Settings(target).set('default', 'client-id', 'abc');
        outcome = { ok: true };
      } catch (error) {
        outcome = { name: (error as WixqError).name, message: (error as WixqError).message, hint: (error as WixqError).hint };
      }
    }
    expect(outcome).toEqual({
      name: 'WixqError',
      message: `cannot write to ${target}: EACCES (permission denied)`,
      hint: 'Fix the folder permissions, or set WIXQ_CONFIG_DIR to a folder you can write to.',
    });
  });
});

describe('a config dir that cannot be written, with the unwritable notice (read commands)', () => {
  it('keeps sessions in memory, warns once, and creates nothing', async () => {
    const file = join(dir, 'in-the-way');
    writeFileSync(file, 'x');
    const target = join(file, 'cfg');
    const warnings: string[] = [];
    const notice = new UnwritableConfigNotice((line) => warnings.push(line));
    const store = new TokenStore(target, { unwritable: notice });
    expect(await store.read(KEY)).toBeUndefined();
    expect(await store.update(KEY, async (current) => (current ? undefined : session('1')))).toEqual(session('1'));
    expect(store.inMemory).toBe(true);
    // What the run stored is what it reads back, and what the next update starts from.
    expect(await store.read(KEY)).toEqual(session('1'));
    expect(await store.update(KEY, async (current) => session(String(Number(current!.accessToken.value) + 1)))).toEqual(session('2'));
    expect(await store.update(KEY, async () => null)).toBeUndefined();
    expect(await store.read(KEY)).toBeUndefined();
    expect(warnings).toEqual([
      `Warning: cannot write to ${target}: ENOTDIR (a file is in the way); this run keeps its session in memory and saves nothing. Set WIXQ_CONFIG_DIR to a folder you can write to.`,
    ]);
    expect(readdirSync(dir)).toEqual(['in-the-way']);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('shares its one warning with the settings caches, which are then not saved', async () => {
    const file = join(dir, 'in-the-way');
    writeFileSync(file, 'x');
    const target = join(file, 'cfg');
    const warnings: string[] = [];
    const notice = new UnwritableConfigNotice((line) => warnings.push(line));
    const { Settings } = await import('../../src/session/settings/store.js');
    const settings = new Settings(target, { unwritable: notice });
    await settings.setCatalog('default', 'cid', undefined, 'v3');
    await settings.setCategoryId('default', 'cid', undefined, 'v3', 'kitchen', 'cat-1');
    await new TokenStore(target, { unwritable: notice }).update(KEY, async () => session('1'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Warning: cannot write to .*cfg: ENOTDIR .*WIXQ_CONFIG_DIR/);
    expect(settings.getCatalog('default', 'cid', undefined)).toBeUndefined();
    // Settings a user asks to save still fail: the notice only spares caches.
    await expect(settings.set('default', 'output', 'json')).rejects.toThrowError(/^cannot write to .*cfg: ENOTDIR/);
    expect(readdirSync(dir)).toEqual(['in-the-way']);
  });

  it('without the notice (write commands) the same write is a clear WixqError, and fn never ran', async () => {
    const file = join(dir, 'in-the-way');
    writeFileSync(file, 'x');
    let ran = false;
    const store = new TokenStore(join(file, 'cfg'));
    await expect(
      store.update(KEY, async () => {
        ran = true;
        return session('1');
      }),
    ).rejects.toMatchObject({ name: 'WixqError', message: `cannot write to ${join(file, 'cfg')}: ENOTDIR (a file is in the way)`, hint: expect.stringContaining('WIXQ_CONFIG_DIR') });
    expect(ran).toBe(false);
    expect(store.inMemory).toBe(false);
  });

  it('checkConfigDirWritable refuses a folder it cannot create, and leaves no probe file in one it can', async () => {
    const file = join(dir, 'in-the-way');
    writeFileSync(file, 'x');
    expect(() => checkConfigDirWritable(join(file, 'cfg'), ['tokens.json'])).toThrowError(/^cannot write to .*cfg: ENOTDIR/);
    const ok = join(dir, 'ok');
    checkConfigDirWritable(ok, ['tokens.json']);
    expect(readdirSync(ok)).toEqual([]);
  });
});

describe('sessions keyed by their API (issue 20 item 3)', () => {
  it('Wix\'s hosts are one API; any other base URL is its own', () => {
    for (const url of [undefined, 'https://www.wixapis.com', 'https://edge.wixapis.com', 'https://WWW.wixapis.com/', 'https://www.wixapis.com/some/prefix']) {
      expect(sessionApi(url), String(url)).toBe(WIX_API);
    }
    expect(sessionApi('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(sessionApi('http://127.0.0.1:8788')).toBe('http://127.0.0.1:8788');
    // The same names on another scheme or port are another server: its tokens are not Wix's.
    expect(sessionApi('http://www.wixapis.com')).toBe('http://www.wixapis.com');
    expect(sessionApi('https://www.wixapis.com:8443')).toBe('https://www.wixapis.com:8443');
    expect(sessionApi('https://www.wixapis.com.example.net')).toBe('https://www.wixapis.com.example.net');
    expect(sessionApi('https://proxy.example.net/wix/')).toBe('https://proxy.example.net/wix');
  });

  it('the home API keeps the key of older files; another API has its own key', () => {
    expect(sessionKey('default', 'cid')).toBe('default:cid');
    expect(sessionKey('default', 'cid', WIX_API)).toBe('default:cid');
    expect(sessionKey('default', 'cid', 'http://127.0.0.1:8787')).toBe('default:cid http://127.0.0.1:8787');
    expect(new TokenStore(dir).keyFor('p', 'cid', 'http://127.0.0.1:1')).toBe('p:cid http://127.0.0.1:1');
    const demo = new TokenStore(dir, { homeApi: DEMO_API });
    expect(demo.keyFor('demo', 'cid', DEMO_API)).toBe('demo:cid');
    expect(demo.keyFor('demo', 'cid', WIX_API)).toBe(`demo:cid ${WIX_API}`);
  });

  it('a file of the format before (sessions without an API) is read as the home API\'s, and written down on the next write', async () => {
    const old = session('old');
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ version: 1, sessions: { [KEY]: old } }), { mode: 0o600 });
    const store = new TokenStore(dir);
    expect(await store.read(KEY)).toEqual({ ...old, api: WIX_API });
    const otherKey = store.keyFor('default', 'cid', 'http://127.0.0.1:8787');
    expect(await store.read(otherKey)).toBeUndefined();
    await store.update(otherKey, async () => session('local', { api: 'http://127.0.0.1:8787' }));
    expect(readTokenFile().sessions).toEqual({ [KEY]: { ...old, api: WIX_API }, [otherKey]: session('local', { api: 'http://127.0.0.1:8787' }) });
    // In the demo's own store, the sessions of an older file are the demo's.
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ version: 1, sessions: { 'demo:cid': old } }), { mode: 0o600 });
    expect(await new TokenStore(dir, { homeApi: DEMO_API }).read('demo:cid')).toEqual({ ...old, api: DEMO_API });
  });

  it('a session whose api is not a string is malformed', async () => {
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ version: 1, sessions: { [KEY]: { ...session('x'), api: 5 } } }));
    const warnings: string[] = [];
    expect(await new TokenStore(dir, { onWarning: (line) => warnings.push(line) }).read(KEY)).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/malformed/)]);
  });
});

describe('a config dir on a read-only file system (issue 20 item 2; the real mount, as root: test/e2e/read-only.test.ts)', () => {
  /** node:fs as a read-only mount at `mount` answers: EROFS for a plain mkdir or chmod, ENOENT for Node's recursive mkdir. */
  function readOnlyFs(mount: string): DirFs & { mkdirs: string[] } {
    const under = (path: string): boolean => path === mount || path.startsWith(`${mount}/`);
    const fail = (code: string, path: string): never => {
      throw Object.assign(new Error(`${code}: '${path}'`), { code, path });
    };
    const fs = {
      mkdirs: [] as string[],
      mkdirSync(path: string, options?: { mode?: number; recursive?: boolean }) {
        fs.mkdirs.push(path);
        if (!under(path)) return mkdirSync(path, options);
        if (existsSync(path)) fail('EEXIST', path);
        // What Node's own `mkdir -p` reports there, which names the wrong reason.
        return fail(options?.recursive ? 'ENOENT' : 'EROFS', path);
      },
      statSync: (path: string) => statSync(path),
      chmodSync: (path: string, mode: number) => (under(path) ? fail('EROFS', path) : chmodSync(path, mode)),
    };
    return fs;
  }

  it('a missing config dir is the system\'s EROFS, one mkdir per missing level, never "ENOENT"', () => {
    const mount = join(dir, 'mnt');
    mkdirSync(join(mount, 'home'), { recursive: true });
    const target = join(mount, 'home', '.config', 'wixq', 'demo');
    const fs = readOnlyFs(mount);
    expect(() => ensureConfigDir(target, fs)).toThrowError(`cannot write to ${target}: EROFS (read-only file system)`);
    expect(fs.mkdirs).toEqual([join(mount, 'home', '.config')]);
    expect(existsSync(join(mount, 'home', '.config'))).toBe(false);
    // Read commands take that as a folder they cannot write (in memory, one warning), write commands fail with it.
    let error: unknown;
    try {
      ensureConfigDir(target, fs);
    } catch (caught) {
      error = caught;
    }
    expect(isUnwritable(error)).toBe(true);
    const warnings: string[] = [];
    new UnwritableConfigNotice((line) => warnings.push(line)).report(target, error);
    expect(warnings).toEqual([
      `Warning: cannot write to ${target}: EROFS (read-only file system); this run keeps its session in memory and saves nothing. Set WIXQ_CONFIG_DIR to a folder you can write to.`,
    ]);
  });

  it('an existing config dir on it is used as it is (its mode cannot change), with no mkdir', () => {
    const mount = join(dir, 'mnt');
    mkdirSync(join(mount, 'cfg'), { recursive: true });
    const fs = readOnlyFs(mount);
    expect(() => ensureConfigDir(join(mount, 'cfg'), fs)).not.toThrow();
    expect(fs.mkdirs).toEqual([]);
  });

  it('creates missing levels 0700 on a writable file system, and a file in the way is still named as one', () => {
    const target = join(dir, 'a', 'b', 'c');
    ensureConfigDir(target);
    expect(statSync(target).isDirectory()).toBe(true);
    expect(statSync(join(dir, 'a')).mode & 0o077).toBe(0);
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => ensureConfigDir(join(dir, 'file'))).toThrowError(/: EEXIST \(a file is in the way\)$/);
    expect(() => ensureConfigDir(join(dir, 'file', 'cfg'))).toThrowError(/: ENOTDIR \(a file is in the way\)$/);
  });
});
