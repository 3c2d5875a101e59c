import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink, utimes } from 'node:fs/promises';
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { TemporaryError } from '../errors.js';
import { errorCode } from './config-dir.js';
import { removeOnExit } from '../output/files.js';

/** What a lock file holds: who took it, so waiters can tell a dead holder from a slow one. */
export interface LockOwner {
  pid: number;
  host: string;
  createdAt: string;
  /** Makes each lock file's content unique, so a waiter never mistakes a new lock for the stale one it saw. */
  nonce: string;
}

export interface FileLockOptions {
  /** Give up waiting after this long (default 15 s). */
  timeoutMs?: number;
  /** A lock not touched for this long is stale (default 10 s); the holder touches it every third of that. */
  staleMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Monotonic milliseconds for the wait timeout. */
  clock?: () => number;
  isProcessAlive?: (pid: number) => boolean;
  hostname?: string;
  pid?: number;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 15_000;
export const DEFAULT_STALE_LOCK_MS = 10_000;

interface HeldLock {
  path: string;
  content: string;
  /** Drops the exit hook that removes the lock if the process ends holding it (a signal). */
  forget?: () => void;
}

interface LockState {
  ino: number;
  content: string;
  owner?: LockOwner;
  stale: boolean;
}

/** Runs fn while holding a cross-process lock file (created with O_EXCL); always releases it, also on exceptions. */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_LOCK_MS;
  const held = await acquireFileLock(lockPath, options);
  // Touch the lock while fn runs (a slow token request) so waiters do not take it over from a live holder.
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => {});
  }, Math.max(50, Math.floor(staleMs / 3)));
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    await releaseFileLock(held);
  }
}

/** Waits for the lock file, taking over a stale one; throws TemporaryError naming the file after the timeout. */
export async function acquireFileLock(lockPath: string, options: FileLockOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const clock = options.clock ?? (() => performance.now());
  const start = clock();
  let lastSeen: LockState | undefined;
  for (let attempt = 0; ; attempt++) {
    const held = await tryCreateLock(lockPath, options);
    if (held) return held;
    const state = await inspectLock(lockPath, options);
    if (state?.stale) {
      await takeOverStaleLock(lockPath, state, options);
      continue;
    }
    if (state) lastSeen = state;
    if (clock() - start >= timeoutMs) throw lockTimeoutError(lockPath, timeoutMs, lastSeen?.owner);
    // Small jittered polls: many short waits keep a queue of wixq processes moving without a thundering herd.
    const ceiling = Math.min(100, 10 * 1.3 ** attempt);
    await sleep(ceiling / 2 + random() * (ceiling / 2));
  }
}

/** Removes the lock file if it is still the one this process created. */
export async function releaseFileLock(held: HeldLock): Promise<void> {
  held.forget?.();
  try {
    if ((await readFile(held.path, 'utf8')) === held.content) await unlink(held.path);
  } catch {
    // Already gone (taken over as stale): nothing of ours to remove.
  }
}

/** Whether a process with this pid exists on this host (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

async function tryCreateLock(lockPath: string, options: FileLockOptions): Promise<HeldLock | undefined> {
  const owner: LockOwner = {
    pid: options.pid ?? process.pid,
    host: options.hostname ?? osHostname(),
    createdAt: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  };
  const content = JSON.stringify(owner);
  let handle;
  try {
    handle = await open(lockPath, 'wx', 0o600);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return undefined;
    throw error;
  }
  // A run ended by a signal while it holds the lock removes it as it exits (if it is still this one).
  const forget = removeOnExit(lockPath, content);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return { path: lockPath, content, forget };
}

/** Reads a lock file and decides whether it is stale; undefined when it is gone. */
async function inspectLock(lockPath: string, options: FileLockOptions): Promise<LockState | undefined> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_LOCK_MS;
  const alive = options.isProcessAlive ?? isProcessAlive;
  const host = options.hostname ?? osHostname();
  let info;
  let content;
  try {
    info = await stat(lockPath);
    content = await readFile(lockPath, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  const owner = parseOwner(content);
  // An empty or unreadable lock may be one being written right now: only its age can make it stale.
  const deadHolder = owner !== undefined && owner.host === host && !alive(owner.pid);
  const tooOld = Date.now() - info.mtimeMs > staleMs;
  return { ino: info.ino, content, owner, stale: deadHolder || tooOld };
}

/**
 * Removes a stale lock so waiters can compete for it again. Takers serialize on a guard file and re-check the lock
 * under it; the lock is renamed aside (atomic) and only deleted when the renamed file is the stale one seen.
 */
async function takeOverStaleLock(lockPath: string, seen: LockState, options: FileLockOptions): Promise<void> {
  const guardPath = `${lockPath}.takeover`;
  const guard = await tryCreateLock(guardPath, options);
  if (!guard) {
    const guardState = await inspectLock(guardPath, options);
    if (guardState?.stale) await removeIfUnchanged(guardPath, guardState);
    return;
  }
  try {
    const now = await inspectLock(lockPath, options);
    if (now && now.stale && now.ino === seen.ino && now.content === seen.content) await removeIfUnchanged(lockPath, now);
  } finally {
    await releaseFileLock(guard);
  }
}

/** Renames the file aside and deletes it if it is the one expected; otherwise puts it back without clobbering. */
async function removeIfUnchanged(path: string, expected: LockState): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    const [info, content] = await Promise.all([stat(aside), readFile(aside, 'utf8')]);
    if (info.ino !== expected.ino || content !== expected.content) {
      // Not the stale lock: a live holder's. link() fails rather than overwrite if yet another lock appeared.
      await link(aside, path).catch(() => {});
    }
  } finally {
    await unlink(aside).catch(() => {});
  }
}

function parseOwner(content: string): LockOwner | undefined {
  try {
    const value = JSON.parse(content) as Partial<LockOwner>;
    if (typeof value?.pid === 'number' && typeof value.host === 'string') return value as LockOwner;
  } catch {
    // Empty or half-written: the caller falls back to the file's age.
  }
  return undefined;
}

function lockTimeoutError(lockPath: string, timeoutMs: number, owner: LockOwner | undefined): TemporaryError {
  const holder = owner ? ` (held by process ${owner.pid} on ${owner.host} since ${owner.createdAt})` : '';
  return new TemporaryError(`timed out after ${formatSeconds(timeoutMs)} waiting for the lock ${lockPath}${holder}`, {
    hint: `Another wixq process is using the session; try again. If no wixq is running, delete ${lockPath}.`,
  });
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * What crashed writers of `file` may leave in its folder: temp files of the atomic writer (`<file>.tmp-<pid>-<hex>`,
 * output/files.ts) and locks set aside by a takeover (`<file>.lock[.takeover].stale-<pid>-<hex>`, above), plus
 * `extra` patterns of a file's own history. A pattern's `pid` group names the writer.
 */
export function leftoverPatterns(file: string, extra: readonly RegExp[] = []): RegExp[] {
  const name = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [new RegExp(`^${name}\\.tmp-(?<pid>\\d+)-[0-9a-f]+$`), new RegExp(`^${name}\\.lock(\\.takeover)?\\.stale-(?<pid>\\d+)-[0-9a-f]+$`), ...extra];
}

/**
 * Deletes the leftovers of crashed writers: names matching one of `patterns` whose writer (the `pid` group) is dead,
 * or, without a pid or while that pid lives (it may be another process by now), that are older than `staleMs`. Call
 * it holding the file's lock, so no live writer of ours is at work on them (this process's own count as alive).
 */
export function removeLeftovers(dir: string, patterns: readonly RegExp[], staleMs: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = patterns.map((pattern) => pattern.exec(name)).find((m) => m !== null);
    if (!match) continue;
    const pid = match.groups?.pid === undefined ? undefined : Number(match.groups.pid);
    const dead = pid !== undefined && pid !== process.pid && !isProcessAlive(pid);
    const path = join(dir, name);
    try {
      if (dead || Date.now() - statSync(path).mtimeMs > staleMs) unlinkSync(path);
    } catch {
      // Gone already.
    }
  }
}
