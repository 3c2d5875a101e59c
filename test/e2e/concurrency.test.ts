import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The emulator's seeded PRNG, so a failing kill schedule can be replayed from the seed in the message.
import { createRandom } from '../../src/emulator/site/random.js';
import { withFileLock } from '../../src/session/lock.js';
import { isStoredSession } from '../../src/session/token-store.js';
import type { RunResult } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';

/** Reads tokens.json and checks it is a whole, valid token file; returns why not, or undefined when it is. */
function tokenFileProblem(configDir: string, sessionKey: string): string | undefined {
  const path = join(configDir, 'tokens.json');
  if (!existsSync(path)) return 'tokens.json is missing';
  const text = readFileSync(path, 'utf8');
  let data: any;
  try {
    data = JSON.parse(text);
  } catch {
    return `tokens.json is not JSON (${text.length} bytes): ${JSON.stringify(text.slice(-80))}`;
  }
  if (data?.version !== 1 || typeof data.sessions !== 'object') return `tokens.json has the wrong shape: ${text.slice(0, 120)}`;
  if (!isStoredSession(data.sessions[sessionKey])) return `the session ${sessionKey} is not a valid stored session`;
  return undefined;
}

/** Resolves once the emulator has recorded what `done` looks for (a condition with no event to wait on; the test's timeout bounds it). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

// Many wixq processes share one tokens.json: the lock and atomic writes keep it whole and the session single.
describe('concurrent wixq processes', () => {
  let p: TestProject;
  let key: string;
  beforeAll(async () => {
    // 30 s tokens are inside wixq's 60 s renewal margin: every run after the first finds its token expired.
    p = await startProject({ tokenTtl: 30, products: 30 });
    key = p.sessionKey();
    const first = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(async () => p.close());

  it('16 processes started at once on an expired session: all succeed with one refresh grant and the same visitor', async () => {
    const before = p.session();
    // The stored token is expired for wixq; the one the refresh brings is long-lived (as Wix's are), so processes that
    // start after it was written reuse it, and those already waiting for the lock find it there when they get it.
    await p.control('POST', 'config', { tokenTtl: 14_400 });
    p.reset();
    const runs = await Promise.all(Array.from({ length: 16 }, () => p.runBinary(['products', 'list', '--json', '--limit', '2'])));
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toHaveLength(2);
      expect(r.stderr).not.toMatch(/lock|could not|Error/i);
    }
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);

    expect(tokenFileProblem(p.configDir, key)).toBeUndefined();
    // The one refresh happened (the stored token had expired), and the visitor kept its refresh token.
    expect(p.tokenRequests().map((t) => t.grantType)).toEqual(['refresh_token']);
    const after = p.session();
    expect(after.refreshToken.value).toBe(before.refreshToken.value);
    expect(after.accessToken.value).not.toBe(before.accessToken.value);
    const api = p.apiRequests();
    expect(api).toHaveLength(16);
    const visitors = new Set(api.map((r) => r.identity?.visitorId));
    expect(visitors.size).toBe(1);
    expect(visitors.has(undefined)).toBe(false);
    // No lock or temp file is left behind.
    expect(readdirSync(p.configDir).filter((f) => f.startsWith('tokens.json') && f !== 'tokens.json')).toEqual([]);
  });

  it('tokens shorter than the renewal margin: processes that waited for the lock take the token renewed meanwhile', async () => {
    // 30 s tokens are "expiring" for wixq from the start; still, renewing one another process just renewed is a waste.
    await p.control('POST', 'config', { tokenTtl: 30 });
    // The long-lived token stored above is cut off: each run meets a 401 and must renew.
    await p.control('POST', 'expire-tokens');
    p.reset();
    let started: Array<Promise<RunResult>> = [];
    // The lock is held here until all four runs met their 401: they all queue for it with the old token in hand.
    await withFileLock(join(p.configDir, 'tokens.json.lock'), async () => {
      started = Array.from({ length: 4 }, () => p.runBinary(['products', 'list', '--json', '--limit', '1']));
      await until(() => p.apiRequests().filter((r) => r.status === 401).length === 4);
      expect(p.tokenRequests()).toEqual([]);
    });
    const results = await Promise.all(started);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    // The first to get the lock renewed; the three others took what it wrote.
    expect(p.tokenRequests().map((t) => t.grantType)).toEqual(['refresh_token']);
    expect(tokenFileProblem(p.configDir, key)).toBeUndefined();
  });

  it('SIGKILL at chosen points of 24 runs: tokens.json is always whole and valid, and the next run recovers the lock', async () => {
    const seed = Number(process.env.WIXQ_KILL_SEED ?? Date.now() % 1_000_000);
    const random = createRandom(seed);
    const where = `(replay with WIXQ_KILL_SEED=${seed})`;
    // Latency on every response widens each window; 30 s tokens and the long one above cut off: every run refreshes.
    await p.control('POST', 'config', { latencyMs: 40, tokenTtl: 30 });
    await p.control('POST', 'expire-tokens');
    // Points of a run that must refresh, seen in its --verbose trace; the kill lands there plus 0–20 ms.
    const points: Array<{ name: string; trace?: RegExp; holdsLock?: boolean }> = [
      { name: 'at start' },
      // The token answer is held back for this run: the kill surely lands while it holds the lock.
      { name: 'refreshing, lock held', trace: /^→ POST \S+\/oauth2\/token$/m, holdsLock: true },
      { name: 'token answered, being written', trace: /\/oauth2\/token\n(?: {2}.*\n)*← 200/ },
      { name: 'query sent', trace: /^→ GET \S+\/query-platformized/m },
    ];
    const problems: string[] = [];
    let killedHoldingLock = 0;
    for (let i = 0; i < 24; i++) {
      const point = points[i % points.length]!;
      if (point.holdsLock) await p.control('POST', 'faults', { path: '/oauth2/token', delayMs: 600_000, count: 1 });
      const wixq = p.startBinary(['products', 'list', '--json', '--limit', '1', '--verbose']);
      const reached = point.trace ? await wixq.waitFor(point.trace).then(() => true, () => false) : true;
      if (reached) {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 20)));
        wixq.kill('SIGKILL');
      }
      const r = await wixq.done;
      if (r.signal === 'SIGKILL' && point.holdsLock) {
        const owner = JSON.parse(readFileSync(join(p.configDir, 'tokens.json.lock'), 'utf8')) as { pid: number };
        if (owner.pid === wixq.pid) killedHoldingLock++;
      }
      if (r.signal !== 'SIGKILL' && r.code !== 0) problems.push(`run ${i} (${point.name}) was not killed and exited ${r.code}: ${r.stderr.slice(-300)} ${where}`);
      const problem = tokenFileProblem(p.configDir, key);
      if (problem) problems.push(`after a kill ${point.name} (run ${i}): ${problem} ${where}`);
      await p.control('DELETE', 'faults');
    }
    expect(problems).toEqual([]);
    expect(killedHoldingLock, where).toBe(24 / points.length);

    // Whatever the kills left (a dead holder's lock, temp files), the next run takes the lock over and cleans up.
    await p.control('POST', 'config', { latencyMs: 0 });
    const after = await p.runBinary(['products', 'list', '--json', '--limit', '1']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).not.toMatch(/lock/i);
    expect(tokenFileProblem(p.configDir, key)).toBeUndefined();
    expect(readdirSync(p.configDir).filter((f) => f.startsWith('tokens.json.') && !f.startsWith('tokens.json.corrupt'))).toEqual([]);
    expect(readdirSync(p.configDir).filter((f) => f.startsWith('tokens.json.corrupt'))).toEqual([]);
    // 25 processes one after the other: the hang guard is sized for a machine whose cores are all busy.
  }, 300_000);
});
