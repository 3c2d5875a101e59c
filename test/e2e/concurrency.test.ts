import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoredSession } from '../../src/session/token-store.js';
import { baseEnv, WIXQ_BIN } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';
// The emulator's seeded PRNG, so a failing kill schedule can be replayed from the seed in the message.
import { createRandom } from '../../src/emulator/site/random.js';

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


// Issue 7: many wixq processes share one tokens.json; the lock and atomic writes must keep it whole and the session single.
describe('concurrent wixq processes', () => {
  let p: TestProject;
  let key: string;
  beforeAll(async () => {
    // 30 s tokens are inside wixq's 60 s renewal margin: every run after the first finds its token expired.
    p = await startProject({ tokenTtl: 30, products: 30 });
    key = `default:${p.emulator.clientId}`;
    const first = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(async () => p.close());

  it('16 processes started at once on an expired session: all succeed with one refresh grant and the same visitor', async () => {
    const before = p.session();
    // The stored token is expired for wixq; the one the refresh brings is long-lived (as Wix's are), so processes that
    // start after it was written reuse it, and those already waiting for the lock find it there when they get it.
    await p.control('config', { tokenTtl: 14_400 });
    await p.control('reset');
    const runs = await Promise.all(Array.from({ length: 16 }, () => p.run(['products', 'list', '--json', '--limit', '2'], { timeoutMs: 40_000 })));
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toHaveLength(2);
      expect(r.stderr).not.toMatch(/lock|could not|Error/i);
    }
    expect(new Set(runs.map((r) => r.stdout)).size).toBe(1);

    expect(tokenFileProblem(p.configDir, key)).toBeUndefined();
    const grants = (await p.tokenRequests()).map((t) => t.grantType);
    expect(grants.filter((g) => g === 'anonymous')).toEqual([]);
    expect(grants.filter((g) => g === 'refresh_token').length).toBeLessThanOrEqual(1);
    // The one refresh happened (the stored token had expired), and the visitor kept its refresh token.
    expect(grants).toEqual(['refresh_token']);
    const after = p.session();
    expect(after.refreshToken.value).toBe(before.refreshToken.value);
    expect(after.accessToken.value).not.toBe(before.accessToken.value);
    const api = await p.apiRequests();
    expect(api).toHaveLength(16);
    const visitors = new Set(api.map((r) => r.identity?.visitorId));
    expect(visitors.size).toBe(1);
    expect(visitors.has(undefined)).toBe(false);
    // No lock or temp file is left behind.
    expect(readdirSync(p.configDir).filter((f) => f.startsWith('tokens.json') && f !== 'tokens.json')).toEqual([]);
  }, 60_000);

  it('tokens shorter than the renewal margin: processes that waited for the lock take the token renewed meanwhile', async () => {
    // 30 s tokens are "expiring" for wixq from the start; still, renewing one another process just renewed is a waste.
    await p.control('config', { tokenTtl: 30 });
    await p.control('expire-tokens');
    await p.control('reset');
    // The first refresh answers slowly, so the others start, find the old token and queue for the lock meanwhile.
    await p.control('faults', { path: '/oauth2/token', delayMs: 2_500, count: 1 });
    const first = p.run(['products', 'list', '--json', '--limit', '1']);
    for (let i = 0; i < 200 && (await p.tokenRequests()).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await p.tokenRequests()).toHaveLength(1);
    const rest = await Promise.all(Array.from({ length: 3 }, () => p.run(['products', 'list', '--json', '--limit', '1'])));
    for (const r of [await first, ...rest]) expect(r.code, r.stderr).toBe(0);
    // Each run met a 401 (the long-lived token above was cut off); the first renewed, the other three took what it wrote.
    expect((await p.tokenRequests()).map((t) => t.grantType)).toEqual(['refresh_token']);
    expect(tokenFileProblem(p.configDir, key)).toBeUndefined();
  });

  it('SIGKILL at random points, 50 times: tokens.json is always whole and valid, and the next run recovers the lock', async () => {
    const seed = Number(process.env.WIXQ_KILL_SEED ?? Date.now() % 1_000_000);
    const random = createRandom(seed);
    const where = `(replay with WIXQ_KILL_SEED=${seed})`;
    // Latency on every response keeps the lock held across the refresh for a while, widening the window a kill can hit.
    // 30 s tokens again, and the long one from the test above cut off: from the probe on, every run must refresh.
    await p.control('config', { latencyMs: 40, tokenTtl: 30 });
    await p.control('expire-tokens');
    await p.control('reset');

    // How long one run that must refresh takes here: kills are spread over that.
    const started = performance.now();
    const probe = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(probe.code, probe.stderr).toBe(0);
    const runMs = performance.now() - started;
    expect((await p.tokenRequests()).map((t) => t.grantType)).toEqual(['refresh_token']);

    const env = { ...baseEnv(), WIXQ_API_URL: p.emulator.url, WIXQ_CLIENT_ID: p.emulator.clientId, WIXQ_CONFIG_DIR: p.configDir };
    const kills = 50;
    const workers = 3;
    const deadline = performance.now() + 45_000;
    let next = 0;
    let killed = 0;
    let finished = 0;
    let killedHoldingLock = 0;
    const problems: string[] = [];

    const once = (): Promise<void> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [WIXQ_BIN, 'products', 'list', '--json', '--limit', '1'], { env, stdio: 'ignore' });
        // Over the whole life of a run and a bit beyond (parallel runs are slower), so some finish and write at exit.
        const delay = Math.floor(random() * runMs * 1.5);
        const timer = setTimeout(() => child.kill('SIGKILL'), delay);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (signal === 'SIGKILL') {
            killed++;
            try {
              const owner = JSON.parse(readFileSync(join(p.configDir, 'tokens.json.lock'), 'utf8'));
              if (owner.pid === child.pid) killedHoldingLock++;
            } catch {
              // No lock, or another process's half-written one.
            }
          } else if (code === 0) finished++;
          else problems.push(`a run that was not killed exited ${code} ${where}`);
          const problem = tokenFileProblem(p.configDir, key);
          if (problem) problems.push(`after a kill at ${delay} ms: ${problem} ${where}`);
          resolve();
        });
      });

    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < kills && performance.now() < deadline) {
          next++;
          await once();
        }
      }),
    );
    expect(problems).toEqual([]);
    expect(next, `ran out of time ${where}`).toBe(kills);
    // The schedule really interrupted runs (not only before start or after the end).
    expect(killed, `killed ${killed}, finished ${finished} ${where}`).toBeGreaterThanOrEqual(15);

    // Whatever the kills left (a dead holder's lock, temp files), the next run recovers at once and cleans up.
    await p.control('config', { latencyMs: 0 });
    const t0 = performance.now();
    const after = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).not.toMatch(/lock/i);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(tokenFileProblem(p.configDir, key)).toBeUndefined();
    expect(readdirSync(p.configDir).filter((f) => f.startsWith('tokens.json.') && !f.startsWith('tokens.json.corrupt'))).toEqual([]);
    expect(readdirSync(p.configDir).filter((f) => f.startsWith('tokens.json.corrupt'))).toEqual([]);
    console.log(`SIGKILL loop ${where}: ${killed} killed (${killedHoldingLock} holding the lock), ${finished} finished; run ${Math.round(runMs)} ms`);
  }, 80_000);
});
