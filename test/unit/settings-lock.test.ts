import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemporaryError } from '../../src/errors.js';
import { acquireFileLock, releaseFileLock } from '../../src/session/lock.js';
import { Settings } from '../../src/session/settings/store.js';

let root: string;
let dir: string;
const fixedNow = () => Date.UTC(2025, 0, 2, 3, 4, 5, 6);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wixq-settings-lock-'));
  dir = join(root, 'cfg');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function readConfig(): { profiles: Record<string, Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
}

/** Backdates a file past any stale threshold. */
function makeOld(path: string): void {
  const anHourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(path, anHourAgo, anHourAgo);
}

describe('config.json writes under the lock', () => {
  it('a write waits for the lock another process holds (here: gives up at once and says which file)', async () => {
    const settings = new Settings(dir, { lockTimeoutMs: 0 });
    await settings.set('default', 'output', 'json');
    const held = await acquireFileLock(settings.lockPath);
    try {
      const error = await settings.set('default', 'retries', '5').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemporaryError);
      expect((error as Error).message).toContain(join(dir, 'config.json.lock'));
      expect(readConfig().profiles.default).toEqual({ output: 'json' });
      // Reads never wait for the lock: writes are atomic renames.
      expect(settings.get('default', 'output')).toBe('json');
    } finally {
      await releaseFileLock(held);
    }
    await settings.set('default', 'retries', '5');
    expect(readConfig().profiles.default).toEqual({ output: 'json', retries: 5 });
    expect(readdirSync(dir).sort()).toEqual(['config.json']);
  });

  it('a lock left by a writer that died is taken over: nothing blocks, nothing is lost', async () => {
    const settings = new Settings(dir, { lockTimeoutMs: 0 });
    await settings.set('default', 'client-id', 'abc');
    writeFileSync(settings.lockPath, JSON.stringify({ pid: deadPid(), host: hostname(), createdAt: new Date().toISOString(), nonce: 'x' }));
    await settings.set('default', 'output', 'csv');
    expect(readConfig().profiles.default).toEqual({ 'client-id': 'abc', output: 'csv' });
    expect(existsSync(settings.lockPath)).toBe(false);
  });

  it('an empty lock (a writer died before writing its name) is taken over once it is old', async () => {
    const settings = new Settings(dir, { lockTimeoutMs: 0 });
    await settings.set('default', 'client-id', 'abc');
    writeFileSync(settings.lockPath, '');
    makeOld(settings.lockPath);
    await settings.set('default', 'retries', '2');
    expect(readConfig().profiles.default).toEqual({ 'client-id': 'abc', retries: 2 });
    expect(existsSync(settings.lockPath)).toBe(false);
  });

  it("a half-written temp file from a crash changes nothing; old leftovers are removed, a live writer's is not", async () => {
    const settings = new Settings(dir);
    await settings.set('default', 'client-id', 'abc');
    const oldTemp = join(dir, 'config.json.tmp-1700000000abc123');
    const freshTemp = join(dir, 'config.json.tmp-1800000000def456');
    const oldLockAside = join(dir, `config.json.lock.stale-${process.pid}-0a1b2c3d`);
    const deadLockAside = join(dir, `config.json.lock.takeover.stale-${deadPid()}-0a1b2c3d`);
    for (const path of [oldTemp, freshTemp, oldLockAside, deadLockAside]) writeFileSync(path, '{"profiles":{"default":{"client-id":"ha');
    makeOld(oldTemp);
    makeOld(oldLockAside);
    expect(new Settings(dir).get('default', 'client-id')).toBe('abc');
    await settings.set('default', 'output', 'tsv');
    expect(readConfig().profiles.default).toEqual({ 'client-id': 'abc', output: 'tsv' });
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'config.json.tmp-1800000000def456']);
  });

  it('a config.json that went bad after the run started is set aside under the lock, with a warning, not overwritten', async () => {
    const settings = new Settings(dir, { now: fixedNow });
    await settings.set('default', 'client-id', 'abc');
    writeFileSync(join(dir, 'config.json'), '{ half');
    await settings.set('default', 'output', 'json');
    expect(readConfig().profiles.default).toEqual({ output: 'json' });
    const aside = 'config.json.corrupt-2025-01-02T03-04-05-006Z';
    expect(readFileSync(join(dir, aside), 'utf8')).toBe('{ half');
    expect(settings.warnings).toEqual([expect.stringContaining(`moved it to ${join(dir, aside)}`)]);
  });

  it('unset decides on the file as it is under the lock', async () => {
    const a = new Settings(dir);
    const b = new Settings(dir);
    await a.set('default', 'retries', '4');
    const results = await Promise.all([a.unset('default', 'retries'), b.unset('default', 'retries')]);
    // Both saw it set before taking the lock; only the one that removed it says so.
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(readConfig().profiles.default).toEqual({});
  });
});
