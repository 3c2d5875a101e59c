import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * One clock (IO.clock): the commands take time only from the run's clock, so a test that moves it moves what they
 * read (the day `slots` starts on, whether `auth status` calls the token valid).
 */

const HOUR = 3_600_000;

describe('the run clock', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());

  it('slots: today is the clock\'s day', async () => {
    const services = JSON.parse((await p.run(['services', 'list', '--json', '--limit', '1'])).stdout) as { _id: string }[];
    p.clock.nowMs = Date.UTC(2031, 4, 20, 15, 0, 0);
    p.reset();
    const r = await p.run(['slots', services[0]!._id, '--tz', 'UTC', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const bodies = p.requests().filter((q) => q.path.includes('/time-slots')).map((q) => q.body);
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies[0]).toMatchObject({ fromLocalDate: '2031-05-20T00:00:00', toLocalDate: '2031-05-27T00:00:00' });
  });

  it('auth status reads the token\'s expiry against the clock', async () => {
    p.clock.nowMs = Date.now();
    expect((await p.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
    const fresh = JSON.parse((await p.run(['auth', 'status', '--json'])).stdout);
    expect(fresh.accessTokenValid).toBe(true);
    // The emulator's tokens live four hours: five hours on, by the run's clock, the stored one has expired.
    p.clock.nowMs += 5 * HOUR;
    const later = JSON.parse((await p.run(['auth', 'status', '--json'])).stdout);
    expect(later.accessTokenValid).toBe(false);
  });
});
