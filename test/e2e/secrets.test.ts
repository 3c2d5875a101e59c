import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote, runShell, runWixq, WIXQ_BIN, type RunResult } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';

// What only a process shows about the files that hold tokens: their modes under the process's umask, and a config
// dir the user cannot write to (as an unprivileged user). Secrets in outputs and files: test/commands/secrets.test.ts.
describe('secrets on disk', () => {
  let p: TestProject;
  beforeAll(async () => {
    // 30 s tokens: the second run renews, so tokens.json is rewritten.
    p = await startProject({ tokenTtl: 30, products: 20 });
  });
  afterAll(async () => p.close());

  it('under umask 000 the config dir is 0700 and every file in it 0600', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wixq-umask-'));
    try {
      const dir = join(root, 'nested', 'wixq');
      const r = await runShell(
        [
          'umask 000',
          'wixq products list --json --limit 1 > /dev/null || exit 11',
          // A second run renews the 30 s token: the rewrite must keep the mode too.
          'wixq products list --json --limit 1 > /dev/null || exit 12',
          'wixq config set output json || exit 13',
          'touch "$WIXQ_CONFIG_DIR/probe-umask"',
        ].join('\n'),
        { env: { ...p.env, WIXQ_CONFIG_DIR: dir } },
      );
      expect(r.code, r.stderr).toBe(0);
      // The probe file shows the umask really was 000 for that shell.
      expect(statSync(join(dir, 'probe-umask')).mode & 0o777).toBe(0o666);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(root, 'nested')).mode & 0o777).toBe(0o700);
      const files = readdirSync(dir).filter((f) => f !== 'probe-umask');
      expect(files).toEqual(expect.arrayContaining(['tokens.json', 'config.json']));
      for (const f of files) expect(`${f} ${(statSync(join(dir, f)).mode & 0o777).toString(8)}`).toBe(`${f} 600`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  describe('a config dir wixq cannot use', () => {
    const env = (dir: string) => ({ ...p.env, WIXQ_CONFIG_DIR: dir });

    it('is one clear error when it is not writable (run as an unprivileged user)', async (ctx) => {
      const root = mkdtempSync(join(tmpdir(), 'wixq-unwritable-'));
      try {
        const dir = join(root, 'cfg');
        mkdirSync(dir);
        chmodSync(root, 0o755);
        chmodSync(dir, 0o555);
        let r: RunResult;
        if (process.getuid?.() === 0) {
          const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
          if (!setpriv) ctx.skip('running as root and setpriv is not installed: cannot drop to an unprivileged user');
          // The checkout may sit in a folder only root can enter (CI clones into one): give nobody a readable copy of
          // the self-contained build (bin, dist and package.json are all it needs, as the pack test shows).
          const app = join(root, 'app');
          for (const part of ['bin', 'dist', 'package.json']) cpSync(join(WIXQ_BIN, '..', '..', part), join(app, part), { recursive: true });
          chmodSync(app, 0o755);
          const wixq = `${quote(process.execPath)} ${quote(join(app, 'bin', 'wixq.js'))}`;
          r = await runShell(`exec ${setpriv} --reuid=65534 --regid=65534 --clear-groups ${wixq} products list --json --limit 1`, { env: env(dir) });
          if (/setpriv: /.test(r.stderr)) ctx.skip(`setpriv could not switch user: ${r.stderr.trim()}`);
        } else {
          r = await runWixq(['products', 'list', '--json', '--limit', '1'], { env: env(dir) });
        }
        expect([1, 4]).toContain(r.code);
        expect(r.stdout).toBe('');
        const lines = r.stderr.trimEnd().split('\n');
        expect(lines[0]).toBe(`Error: cannot write to ${dir}: EACCES (permission denied)`);
        expect(lines.length).toBeLessThanOrEqual(2);
        expect(r.stderr).not.toMatch(/^\s+at |unexpected failure/m);
      } finally {
        chmodSync(root, 0o700);
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
