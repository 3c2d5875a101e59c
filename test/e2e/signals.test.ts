import { readFileSync } from 'node:fs';
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
