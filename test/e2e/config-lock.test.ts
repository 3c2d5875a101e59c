import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFileLock, releaseFileLock } from '../../src/session/lock.js';
import { runWixq, tempConfigDir } from '../helpers/cli.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempConfigDir()));
afterEach(() => cleanup());

const wixq = (args: string[]) => runWixq(args, { env: { WIXQ_CONFIG_DIR: dir } });

function profile(name = 'default'): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).profiles[name];
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

/** What the config dir holds besides the compile cache (a folder of wixq's own code, docs/ARCHITECTURE.md "Start-up"): no lock, no temp file. */
function leftovers(): string[] {
  const cache = join(dir, 'compile-cache');
  const cacheTemps = existsSync(cache) ? readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.tmp')) : [];
  return [...readdirSync(dir).filter((f) => f !== 'compile-cache'), ...cacheTemps];
}

describe('config.json shared by concurrent wixq processes', () => {
  it('two processes running `config set` of different keys at the same time, 20 rounds: no write is lost', async () => {
    for (let round = 1; round <= 20; round++) {
      const runs = await Promise.all([wixq(['config', 'set', 'client-id', `client-${round}`]), wixq(['config', 'set', 'retries', String(round % 11)])]);
      for (const r of runs) expect(r.code, r.stderr).toBe(0);
      // A lost update shows as the other key still holding the previous round's value (or missing).
      expect(profile(), `round ${round}`).toEqual({ 'client-id': `client-${round}`, retries: round % 11 });
    }
    expect(leftovers()).toEqual(['config.json']);
  }, 120_000);

  it("a writer's crash (its lock and a half-written temp file left behind) blocks nothing and loses nothing", async () => {
    expect((await wixq(['config', 'set', 'client-id', 'abc'])).code).toBe(0);
    // Killed holding the lock: the lock names a process that is gone.
    writeFileSync(join(dir, 'config.json.lock'), JSON.stringify({ pid: deadPid(), host: hostname(), createdAt: new Date().toISOString(), nonce: 'crashed' }));
    // Killed mid-write: conf's temp file, half of a config.json, never renamed into place.
    const temp = join(dir, 'config.json.tmp-1700000000abc123');
    writeFileSync(temp, '{"profiles":{"default":{"client-id":"ab');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(temp, anHourAgo, anHourAgo);

    const get = await wixq(['config', 'get', 'client-id']);
    expect([get.code, get.stdout, get.stderr]).toEqual([0, 'abc\n', '']);
    const set = await wixq(['config', 'set', 'output', 'csv']);
    expect([set.code, set.stderr]).toEqual([0, 'Set output for profile "default".\n']);
    expect(profile()).toEqual({ 'client-id': 'abc', output: 'csv' });
    expect(leftovers()).toEqual(['config.json']);
  });

  it('reading settings never waits for the lock a writer holds', async () => {
    expect((await wixq(['config', 'set', 'output', 'tsv'])).code).toBe(0);
    expect((await wixq(['config', 'set', 'retries', '4'])).code).toBe(0);
    const held = await acquireFileLock(join(dir, 'config.json.lock'));
    try {
      const list = await wixq(['config', 'list', '-o', 'json']);
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout)).toContainEqual({ key: 'retries', value: 4, source: 'profiles.default.retries' });
      const get = await wixq(['config', 'get', 'output']);
      expect([get.code, get.stdout]).toEqual([0, 'tsv\n']);
    } finally {
      await releaseFileLock(held);
    }
    expect(existsSync(join(dir, 'config.json.lock'))).toBe(false);
  });
});
