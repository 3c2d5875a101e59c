import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempConfigDir } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

/**
 * `--demo` runs an emulator on a new port every run, but it is always the same site: its answers are cached under the
 * demo's own key, a warm run is one request and leaves config.json alone; --api-url does not mix with it, and the
 * environment's API URL and client ID (common in CI) are ignored with a note.
 */

/** The requests a `--verbose` run sent: the transport traces each one as `→ METHOD url`. */
function requestsOf(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('→ '));
}

describe('--demo warm', () => {
  it('the second --demo products list is one request and does not rewrite config.json', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const env = { WIXQ_CONFIG_DIR: dir };
      const cold = await runInProcess(['--demo', 'products', 'list', '--json', '--limit', '2', '--verbose'], { env });
      expect(cold.code, cold.stderr).toBe(0);
      // Cold: a visitor token, the catalog detection, the list.
      expect(requestsOf(cold.stderr).length).toBeGreaterThanOrEqual(3);
      const config = join(dir, 'demo', 'config.json');
      const before = readFileSync(config, 'utf8');
      // An old mtime: a rewrite, even of the same bytes, shows.
      utimesSync(config, new Date(2000, 0, 1), new Date(2000, 0, 1));
      const mtime = statSync(config).mtimeMs;

      const warm = await runInProcess(['--demo', 'products', 'list', '--json', '--limit', '2', '--verbose'], { env });
      expect(warm.code, warm.stderr).toBe(0);
      expect(JSON.parse(warm.stdout)).toEqual(JSON.parse(cold.stdout));
      const requests = requestsOf(warm.stderr);
      expect(requests, warm.stderr).toHaveLength(1);
      expect(requests[0]).toMatch(/^→ (GET|POST) http:\/\/127\.0\.0\.1:\d+\/stores(-reader)?\/v[13]\/products/);
      expect(readFileSync(config, 'utf8')).toBe(before);
      expect(statSync(config).mtimeMs).toBe(mtime);
    } finally {
      cleanup();
    }
  });

  it('--api-url with --demo is a usage error (exit 2), and so is --client-id: nothing started or written', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const r = await runInProcess(['--demo', '--api-url', 'http://127.0.0.1:1', 'products', 'list'], { env: { WIXQ_CONFIG_DIR: dir } });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Error: --api-url cannot be used with --demo/);
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('Error:'))).toHaveLength(1);
      const clientId = await runInProcess(['--demo', '--client-id', 'mine', 'products', 'list'], { env: { WIXQ_CONFIG_DIR: dir } });
      expect(clientId.code).toBe(2);
      expect(clientId.stderr).toMatch(/^Error: --client-id cannot be used with --demo/);
      expect(existsSync(join(dir, 'demo'))).toBe(false);
    } finally {
      cleanup();
    }
  });

  it('WIXQ_API_URL and WIXQ_CLIENT_ID in the environment are ignored under --demo, with one note', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const env = { WIXQ_CONFIG_DIR: dir, WIXQ_API_URL: 'http://127.0.0.1:1', WIXQ_CLIENT_ID: 'someone-elses-client' };
      const r = await runInProcess(['--demo', 'products', 'list', '--json', '--limit', '1'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toHaveLength(1);
      const notes = r.stderr.split('\n').filter((l) => /WIXQ_API_URL|WIXQ_CLIENT_ID/.test(l));
      expect(notes).toEqual(['Note: --demo ignores WIXQ_API_URL and WIXQ_CLIENT_ID from the environment (it runs its own emulator and site).']);
      // Without them, no note.
      const quiet = await runInProcess(['--demo', 'products', 'list', '--json', '--limit', '1'], { env: { WIXQ_CONFIG_DIR: dir } });
      expect(quiet.stderr).not.toMatch(/ignores/);
    } finally {
      cleanup();
    }
  });
});

describe('settings sources on --demo', () => {
  it('auth status and check say the client ID and API come from the demo, not a flag', async () => {
    const { dir, cleanup } = tempConfigDir();
    try {
      const env = { WIXQ_CONFIG_DIR: dir };
      const status = await runInProcess(['--demo', 'auth', 'status', '--json'], { env });
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ clientIdSource: '--demo' });
      const text = await runInProcess(['--demo', 'auth', 'status', '-o', 'table'], { env });
      expect(text.stdout).toMatch(/\(from --demo\)/);
      const check = await runInProcess(['--demo', 'check', '--json'], { env });
      const settings = (JSON.parse(check.stdout).checks as Array<{ name: string; details: string }>).find((c) => c.name === 'settings')!;
      expect(settings.details).toMatch(/client ID \S+ \(demo\)/);
      expect(settings.details).toMatch(/API http:\/\/127\.0\.0\.1:\d+ \(demo\)/);
      expect(settings.details).not.toMatch(/flag/);
      const config = await runInProcess(['--demo', 'config', 'list', '--json'], { env });
      const rows = JSON.parse(config.stdout) as Array<{ key: string; source: string }>;
      expect(rows.find((r) => r.key === 'client-id')?.source).toBe('--demo');
      expect(rows.find((r) => r.key === 'api-url')?.source).toBe('--demo');
    } finally {
      cleanup();
    }
  });
});
