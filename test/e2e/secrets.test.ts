import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quote, runShell, runWixq, WIXQ_BIN, type RunResult } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';
import { runtimeLockEntries } from '../helpers/lockfile.js';

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
      // Every folder in it (the compile cache's) 0700 too, every file 0600.
      const all = files.flatMap((f) => [f, ...(statSync(join(dir, f)).isDirectory() ? readdirSync(join(dir, f), { recursive: true, encoding: 'utf8' }).map((g) => join(f, g)) : [])]);
      expect(all.some((f) => f.startsWith('compile-cache/') && f.endsWith('.bin'))).toBe(true);
      for (const f of all) {
        const want = statSync(join(dir, f)).isDirectory() ? '700' : '600';
        expect(`${f} ${(statSync(join(dir, f)).mode & 0o777).toString(8)}`).toBe(`${f} ${want}`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  describe('a config dir wixq cannot write (run as an unprivileged user)', () => {
    let root: string;
    let asUser: ((args: string[], dir: string, input?: string) => Promise<RunResult>) | undefined;

    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'wixq-unwritable-'));
      chmodSync(root, 0o755);
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    beforeAll(() => {
      if (process.getuid?.() !== 0) {
        asUser = (args, dir, input) => runShell(`${quote(process.execPath)} ${quote(WIXQ_BIN)} ${args.map(quote).join(' ')}${input ? ` <<'EOF'\n${input}\nEOF` : ''}`, { env: { ...p.env, WIXQ_CONFIG_DIR: dir } });
        return;
      }
      const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
      // Without setpriv, root cannot drop privileges: the tests below skip.
      if (!setpriv) return;
      // The checkout may sit in a folder only root can enter (CI clones into one): give nobody a readable copy of
      // the build: bin, dist and package.json, and the installed run-time dependencies that dist/ imports instead of
      // bundling them (the lockfile's entries not flagged dev; the pack test installs the same tree).
      const app = join(root, 'app');
      const checkout = join(WIXQ_BIN, '..', '..');
      for (const part of ['bin', 'dist', 'package.json']) cpSync(join(checkout, part), join(app, part), { recursive: true });
      for (const [path] of runtimeLockEntries(checkout)) {
        if (/^node_modules\/(@[^/]+\/)?[^/]+$/.test(path)) cpSync(join(checkout, path), join(app, path), { recursive: true });
      }
      const wixq = `${quote(process.execPath)} ${quote(join(app, 'bin', 'wixq.cjs'))}`;
      asUser = (args, dir, input) =>
        runShell(`exec ${setpriv} --reuid=65534 --regid=65534 --clear-groups ${wixq} ${args.map(quote).join(' ')}${input ? ` <<'EOF'\n${input}\nEOF` : ''}`, {
          env: { ...p.env, WIXQ_CONFIG_DIR: dir },
        });
    });

    /** A folder (0555) the user may enter and read but not write; with `files`, copied in first (0444). */
    function readOnlyDir(name: string, files: Record<string, string> = {}): string {
      const dir = join(root, name);
      mkdirSync(dir);
      for (const [file, text] of Object.entries(files)) {
        writeFileSync(join(dir, file), text);
        chmodSync(join(dir, file), 0o444);
      }
      chmodSync(dir, 0o555);
      return dir;
    }

    /** Runs wixq as the unprivileged user, or skips the test when that is not possible here. */
    async function runAsUser(ctx: { skip(note: string): never }, args: string[], dir: string, input?: string): Promise<RunResult> {
      if (!asUser) ctx.skip('running as root and setpriv is not installed: cannot drop to an unprivileged user');
      const r = await asUser(args, dir, input);
      if (/setpriv: /.test(r.stderr)) ctx.skip(`setpriv could not switch user: ${r.stderr.trim()}`);
      return r;
    }

    const warning = (dir: string): string =>
      `Warning: cannot write to ${dir}: EACCES (permission denied); this run keeps its session in memory and saves nothing. Set WIXQ_CONFIG_DIR to a folder you can write to.`;

    it('read commands answer with one warning naming the folder, the reason and WIXQ_CONFIG_DIR; nothing is written', async (ctx) => {
      const dir = readOnlyDir('ro-empty');
      const missing = join(dir, 'wixq');
      const list = await runAsUser(ctx, ['products', 'list', '--json', '--limit', '1'], dir);
      expect(list.code, list.stderr).toBe(0);
      expect(JSON.parse(list.stdout)).toHaveLength(1);
      expect(list.stderr.trimEnd().split('\n')).toEqual([warning(dir), expect.stringMatching(/^Showing 1 of \d+ products/)]);
      // A folder that is missing and cannot be created (its parent is read-only) is the same case.
      const services = await runAsUser(ctx, ['services', 'list', '--json', '--limit', '1'], missing);
      expect(services.code, services.stderr).toBe(0);
      expect(services.stderr.split('\n')[0]).toBe(warning(missing));
      expect(services.stderr.match(/cannot write/g)).toHaveLength(1);
      const token = await runAsUser(ctx, ['auth', 'token'], dir);
      expect(token.code, token.stderr).toBe(0);
      expect(token.stdout).toMatch(/^\S{16,}\n$/);
      expect(token.stderr).toBe(`${warning(dir)}\n`);
      // A command's own exit code stays its own: a product that does not exist is still exit 3.
      const absent = await runAsUser(ctx, ['products', 'get', 'no-such-product'], dir);
      expect(absent.code).toBe(3);
      expect(absent.stderr.match(/cannot write/g)).toHaveLength(1);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('write commands fail with exit 1 and the clear message, leaving no file behind', async (ctx) => {
      const dir = readOnlyDir('ro-write');
      const missing = join(dir, 'wixq');
      for (const [args, input] of [
        [['config', 'set', 'output', 'json']],
        [['config', 'unset', 'output']],
        [['init', '--client-id', 'abc']],
        [['auth', 'login', '--email', 'ada@example.com', '--password-stdin'], 'secret'],
        [['auth', 'logout']],
      ] as Array<[string[], string?]>) {
        // The missing-and-uncreatable folder once is enough: the check is the same for every command.
        for (const target of args[0] === 'config' && args[1] === 'set' ? [dir, missing] : [dir]) {
          const r = await runAsUser(ctx, args, target, input);
          expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr.trimEnd().split('\n') }).toEqual({
            args,
            code: 1,
            stdout: '',
            stderr: [`Error: cannot write to ${target}: EACCES (permission denied)`, 'Fix the folder permissions, or set WIXQ_CONFIG_DIR to a folder you can write to.'],
          });
        }
      }
      expect(readdirSync(dir)).toEqual([]);
    });

    it('a tokens.json that can be read but not written is used and left byte for byte', async (ctx) => {
      // A session made the ordinary way, then handed to a folder the user can only read.
      const source = join(root, 'rw');
      const first = p.requests().length;
      const made = await runWixq(['products', 'list', '--json', '--limit', '1'], { env: { ...p.env, WIXQ_CONFIG_DIR: source } });
      expect(made.code, made.stderr).toBe(0);
      expect(p.requests().slice(first).filter((r) => r.grantType === 'anonymous')).toHaveLength(1);
      const tokens = readFileSync(join(source, 'tokens.json'), 'utf8');
      const dir = readOnlyDir('ro-tokens', { 'tokens.json': tokens });
      const before = p.requests().length;
      const list = await runAsUser(ctx, ['products', 'list', '--json', '--limit', '1'], dir);
      expect(list.code, list.stderr).toBe(0);
      // The stored session was used: no new visitor session was asked for.
      const grants = p.requests().slice(before).filter((r) => r.grantType === 'anonymous');
      expect(grants).toEqual([]);
      const status = await runAsUser(ctx, ['auth', 'status', '--json'], dir);
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ role: 'visitor' });
      expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).toBe(tokens);
      expect(readdirSync(dir)).toEqual(['tokens.json']);
    });

    it('another user\'s folder that this user cannot write either: one warning says both, before the tokens are used', async (ctx) => {
      if (process.getuid?.() !== 0) ctx.skip('needs root to give the folder to a third uid (chown)');
      const dir = join(root, 'other-owner');
      mkdirSync(dir);
      chownSync(dir, 65533, 65533);
      chmodSync(dir, 0o755);
      const list = await runAsUser(ctx, ['products', 'list', '--json', '--limit', '1'], dir);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stderr.trimEnd().split('\n')).toEqual([
        `Warning: ${dir} belongs to another user (uid 65533, mode 0755): another local user could replace the session tokens or settings wixq uses from ${dir}. This user cannot write to it either: this run keeps its session in memory and saves nothing. Make it yours and private (chmod 700 the folder, 600 its files), or set WIXQ_CONFIG_DIR to a folder you own.`,
        expect.stringMatching(/^Showing 1 of \d+ products/),
      ]);
      expect(readdirSync(dir)).toEqual([]);
      expect(statSync(dir).mode & 0o777).toBe(0o755);
    });

    it('a corrupt tokens.json it cannot set aside is left alone, with still the one warning', async (ctx) => {
      const dir = readOnlyDir('ro-corrupt', { 'tokens.json': '{ not json' });
      const list = await runAsUser(ctx, ['products', 'list', '--json', '--limit', '1'], dir);
      expect(list.code, list.stderr).toBe(0);
      expect(list.stderr.trimEnd().split('\n')).toEqual([warning(dir), expect.stringMatching(/^Showing 1 of \d+ products/)]);
      expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).toBe('{ not json');
      expect(readdirSync(dir)).toEqual(['tokens.json']);
    });
  });
});
