import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCacheFolder } from '../../src/compile-cache.js';
import { runWixq, tempConfigDir, type RunResult } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';

// The compile cache (src/compile-cache.ts) is a property of a process: these tests run the built binary. Whether V8
// accepted a file is seen from outside: a file it rejected is written again (a rename: a new inode), one it accepted
// is left as it was.

const DIST = resolve(__dirname, '../../dist');
const LIST = ['products', 'list', '--json', '--catalog', 'v1', '--limit', '3'];

/** Each cache file's inode and bytes, by name. */
function filesOf(folder: string): Map<string, { ino: number; bytes: Buffer }> {
  return new Map(readdirSync(folder).map((name) => [name, { ino: statSync(join(folder, name)).ino, bytes: readFileSync(join(folder, name)) }]));
}

describe('the compile cache of the bundle', () => {
  let p: TestProject;
  let env: Record<string, string>;
  let dirs: Array<() => void> = [];
  beforeAll(async () => {
    p = await startProject();
    env = { WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId };
  });
  afterAll(async () => {
    for (const cleanup of dirs) cleanup();
    dirs = [];
    await p.close();
  });

  /** A fresh config dir, removed after the file. */
  function configDir(): string {
    const { dir, cleanup } = tempConfigDir();
    dirs.push(cleanup);
    return dir;
  }
  const run = (dir: string, args = LIST, extra: Record<string, string> = {}): Promise<RunResult> =>
    runWixq(args, { env: { WIXQ_CONFIG_DIR: dir, ...env, ...extra } });

  it('a run writes the code of each chunk it compiled into the config dir, and the next run takes every file as it is', async () => {
    const dir = configDir();
    const first = await run(dir);
    expect(first.code, first.stderr).toBe(0);
    const folder = compileCacheFolder(dir);
    const written = filesOf(folder);
    // The chunks a list needs, each by its name in dist/, written whole (no temp file left) and readable only by the owner.
    expect(written.size).toBeGreaterThan(10);
    const chunks = new Set(readdirSync(DIST));
    for (const [name, { bytes }] of written) {
      expect(name).toMatch(/^[\w-]+\.cjs\.bin$/);
      expect(chunks.has(name.slice(0, -4)), name).toBe(true);
      expect(bytes.length, name).toBeGreaterThan(0);
      if (process.platform !== 'win32') expect(statSync(join(folder, name)).mode & 0o777, name).toBe(0o600);
    }
    expect(statSync(folder).mode & 0o777).toBe(0o700);

    const second = await run(dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
    // Every file accepted: none written again, none added.
    expect(filesOf(folder)).toEqual(written);
  });

  it('the output is the same with the cache, without it (NODE_DISABLE_COMPILE_CACHE=1: no file read or written) and from damaged files', async () => {
    const dir = configDir();
    const plain = await run(dir, LIST, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(plain.code, plain.stderr).toBe(0);
    expect(existsSync(join(dir, 'compile-cache'))).toBe(false);

    const cached = await run(dir);
    const folder = compileCacheFolder(dir);
    const good = filesOf(folder);
    expect(good.size).toBeGreaterThan(10);
    // Damage every file: garbage, a file cut in half, an empty one, another chunk's data.
    const names = [...good.keys()];
    names.forEach((name, i) => {
      const bytes = good.get(name)!.bytes;
      const other = good.get(names[(i + 1) % names.length]!)!.bytes;
      const damaged = [Buffer.from('not V8 data at all'), bytes.subarray(0, bytes.length >> 1), Buffer.alloc(0), other][i % 4]!;
      writeFileSync(join(folder, name), damaged);
    });
    const damaged = filesOf(folder);
    const repaired = await run(dir);
    for (const r of [cached, repaired]) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(plain.stdout);
      expect(r.stderr).toBe(plain.stderr);
    }
    // Each damaged file was rejected and written again: a new file, with good data that the next run takes as it is.
    const now = filesOf(folder);
    for (const name of names) expect(now.get(name)!.ino, name).not.toBe(damaged.get(name)!.ino);
    await run(dir);
    expect(filesOf(folder)).toEqual(now);
  });

  it.skipIf(process.platform === 'win32')('reads no file that others may write or that another user owns: it compiles past it and replaces it', async () => {
    const dir = configDir();
    expect((await run(dir)).code).toBe(0);
    const folder = compileCacheFolder(dir);
    const good = filesOf(folder);
    const [writable, foreign] = [...good.keys()];
    // Good data (V8 would take it), but others may write the one file, and the other is not this user's.
    chmodSync(join(folder, writable!), 0o666);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(join(folder, foreign!), 4321, 4321);
    const r = await run(dir);
    expect(r.code, r.stderr).toBe(0);
    const now = filesOf(folder);
    expect(now.get(writable!)!.ino).not.toBe(good.get(writable!)!.ino);
    expect(statSync(join(folder, writable!)).mode & 0o777).toBe(0o600);
    if (asRoot) {
      expect(now.get(foreign!)!.ino).not.toBe(good.get(foreign!)!.ino);
      expect(statSync(join(folder, foreign!)).uid).toBe(0);
    }
    // The rest were taken as they were.
    for (const [name, file] of good) if (name !== writable && !(asRoot && name === foreign)) expect(now.get(name), name).toEqual(file);
  });

  it('makes no config dir for the cache alone, and a folder it cannot write (a file in the way) is no cache, no message', async () => {
    const parent = configDir();
    const missing = join(parent, 'not-yet');
    const help = await run(missing, ['products', '--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(existsSync(missing)).toBe(false);

    const dir = configDir();
    writeFileSync(join(dir, 'compile-cache'), 'in the way\n');
    const first = await run(dir);
    expect(first.code, first.stderr).toBe(0);
    const second = await run(dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
    expect(readFileSync(join(dir, 'compile-cache'), 'utf8')).toBe('in the way\n');
  });

  it('removes the files of chunks that are no longer in dist/ when it writes, and leaves other Node.js versions alone', async () => {
    const dir = configDir();
    expect((await run(dir)).code).toBe(0);
    const folder = compileCacheFolder(dir);
    const [one] = [...filesOf(folder).keys()];
    rmSync(join(folder, one!));
    writeFileSync(join(folder, 'chunk-GONE1234.cjs.bin'), 'an earlier build');
    const otherNode = join(dir, 'compile-cache', 'v0.0.0-x64');
    mkdirSync(otherNode);
    writeFileSync(join(otherNode, 'chunk-OLD.cjs.bin'), 'another Node.js');
    expect((await run(dir)).code).toBe(0);
    const names = [...filesOf(folder).keys()];
    expect(names).toContain(one);
    expect(names).not.toContain('chunk-GONE1234.cjs.bin');
    expect(readFileSync(join(otherNode, 'chunk-OLD.cjs.bin'), 'utf8')).toBe('another Node.js');
  });

  it('two processes that write it at once both answer, and leave files the next run takes as they are', async () => {
    const dir = configDir();
    // The session first, so that both runs below only read the token store.
    expect((await run(dir, LIST, { NODE_DISABLE_COMPILE_CACHE: '1' })).code).toBe(0);
    const [a, b] = await Promise.all([run(dir), run(dir)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const folder = compileCacheFolder(dir);
    const after = filesOf(folder);
    expect([...after.keys()].filter((n) => !n.endsWith('.bin'))).toEqual([]);
    expect((await run(dir)).code).toBe(0);
    expect(filesOf(folder)).toEqual(after);
  });
});
