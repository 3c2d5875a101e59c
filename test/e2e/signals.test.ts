import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoredSession } from '../../src/session/token-store.js';
import { startProject, type TestProject } from '../helpers/project.js';

/** Ctrl-C needs a real process: the signal, cli.ts's exit 130, and the tokens already on disk. */
const V1_QUERY = '/stores-reader/v1/products/query-platformized';

describe('signals', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
    // Warm: session stored and catalog cached, so the interrupted run writes nothing before its request.
    expect((await p.run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
  });
  afterAll(async () => p.close());

  it('130: SIGINT while a request is in flight ends the run with "Interrupted." and leaves the session whole', async () => {
    // The answer never comes in time: the run is waiting on it when the signal arrives.
    await p.control('POST', 'faults', { path: V1_QUERY, delayMs: 60_000, count: 1 });
    const wixq = p.startBinary(['products', 'list', '--json', '--verbose']);
    // --verbose traces each request as it goes out: once the query is traced, the run is inside its work.
    await wixq.waitFor(/^→ GET \S+\/query-platformized\?/m);
    wixq.kill('SIGINT');
    const r = await wixq.done;
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\nInterrupted\.\n$/);
    expect(isStoredSession(p.session())).toBe(true);
  });

  it('130 too after the run wrote config.json (nothing it loads to write settings takes over Ctrl-C)', async () => {
    const fresh = await startProject();
    try {
      // A first run detects the catalog and writes it to config.json before its list request.
      await fresh.control('POST', 'faults', { path: V1_QUERY, delayMs: 60_000, count: 1 });
      const wixq = fresh.startBinary(['products', 'list', '--json', '--verbose']);
      await wixq.waitFor(/^→ GET \S+\/query-platformized\?/m);
      expect(JSON.parse(readFileSync(join(fresh.configDir, 'config.json'), 'utf8')).profiles.default.catalog).toBeDefined();
      wixq.kill('SIGINT');
      const r = await wixq.done;
      expect(r.code).toBe(130);
      expect(r.stderr).toMatch(/\nInterrupted\.\n$/);
    } finally {
      await fresh.close();
    }
  });
});

describe('signals while a lock is held', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${code}: ${signal} during the token request (tokens.json's lock held) leaves no lock behind`, async () => {
      const p = await startProject();
      try {
        // No session yet: the run takes tokens.json's lock and asks for a visitor token, which never comes in time.
        await p.control('POST', 'faults', { path: '/oauth2/token', delayMs: 60_000, count: 1 });
        const wixq = p.startBinary(['products', 'list', '--json', '--verbose']);
        await wixq.waitFor(/^→ POST \S+\/oauth2\/token/m);
        expect(readdirSync(p.configDir)).toContain('tokens.json.lock');
        wixq.kill(signal);
        const r = await wixq.done;
        expect(r.code).toBe(code);
        expect(readdirSync(p.configDir).filter((f) => f.includes('.lock') || f.includes('.tmp'))).toEqual([]);
      } finally {
        await p.close();
      }
    });
  }
});
