import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, runWixq, WIXQ_BIN, type RunResult } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';

// A config dir on a read-only file system (a container's read-only home): a real read-only mount, a tmpfs mounted
// read-only in a private mount namespace (`unshare -m`, as root). The mount lives only as long as that one command, so
// every case sets its files up on the tmpfs, remounts it read-only, runs the built binary there, and lists the mount
// after. Unprivileged checks of the same rules: test/commands/read-only.test.ts.

const MOUNT_SCRIPT = `
set -e
mount -t tmpfs -o mode=0755 tmpfs "$MNT"
eval "$SETUP"
mount -o remount,ro "$MNT"
set +e
"$NODE" "$WIXQ" "$@"
code=$?
find "$MNT" -mindepth 1 | sort > "$OUT/after"
exit $code
`;

describe('a config dir on a read-only file system', () => {
  let p: TestProject;
  let work: string;
  /** Why these tests cannot run here, or undefined when they can. */
  let unavailable: string | undefined;

  beforeAll(async () => {
    p = await startProject({ tokenTtl: 14_400 });
    work = mkdtempSync(join(tmpdir(), 'wixq-erofs-'));
    chmodSync(work, 0o755);
    if (process.getuid?.() !== 0) unavailable = 'not root: mounting a read-only tmpfs in a private mount namespace needs root';
    else if (spawnSync('unshare', ['--version'], { stdio: 'ignore' }).error) unavailable = 'unshare (util-linux) is not installed';
    else {
      const probe = await inMount('', ['--version']);
      if (probe.code !== 0) unavailable = `unshare -m could not mount a read-only tmpfs here: ${probe.stderr.trim()}`;
    }
  });
  afterAll(async () => {
    await p.close();
    rmSync(work, { recursive: true, force: true });
  });

  let runs = 0;
  /** Runs `wixq args` in a private mount namespace with a read-only tmpfs at MNT, after `setup` (bash) made its files. */
  async function inMount(setup: string, args: string[], options: { env?: Record<string, string | undefined>; input?: string } = {}): Promise<RunResult & { mnt: string; after: string[] }> {
    const run = join(work, `run-${++runs}`);
    const mnt = join(run, 'mnt');
    const out = join(run, 'out');
    mkdirSync(mnt, { recursive: true });
    mkdirSync(out, { recursive: true });
    const r = await runCommand('unshare', ['-m', '--propagation', 'private', 'bash', '-c', MOUNT_SCRIPT, 'bash', ...args], {
      env: { ...options.env, MNT: mnt, OUT: out, SETUP: setup, NODE: process.execPath, WIXQ: WIXQ_BIN },
      input: options.input,
    });
    let after: string[] = [];
    try {
      after = readFileSync(join(out, 'after'), 'utf8').split('\n').filter(Boolean).map((path) => path.slice(mnt.length));
    } catch {
      // The mount itself failed: the probe reports it.
    }
    return { ...r, mnt, after };
  }

  function skipUnlessAvailable(ctx: { skip(note: string): never }): void {
    if (unavailable) ctx.skip(unavailable);
  }

  const warning = (dir: string): string =>
    `Warning: cannot write to ${dir}: EROFS (read-only file system); this run keeps its session in memory and saves nothing. Set WIXQ_CONFIG_DIR to a folder you can write to.`;

  it('HOME on a read-only mount with no config folder yet: --demo products list works, with one warning naming EROFS', async (ctx) => {
    skipUnlessAvailable(ctx);
    // HOME names the mount, which only the script knows.
    const r = await inMount('mkdir -p "$MNT/home"; export HOME="$MNT/home"', ['--demo', 'products', 'list', '--json', '--limit', '2'], { env: { XDG_CONFIG_HOME: undefined } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(warning(join(r.mnt, 'home', '.config', 'wixq', 'demo')));
    expect(r.stderr.match(/cannot write/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/ENOENT/);
    expect(r.after).toEqual(['/home']);
  });

  it('WIXQ_CONFIG_DIR at a missing and at an existing folder on a read-only mount: --demo check passes its token row', async (ctx) => {
    skipUnlessAvailable(ctx);
    for (const [setup, dir, before] of [
      ['true', 'missing/wixq', []],
      ['mkdir -p "$MNT/cfg/demo"', 'cfg', ['/cfg', '/cfg/demo']],
    ] as Array<[string, string, string[]]>) {
      const r = await inMount(`${setup}; export WIXQ_CONFIG_DIR="$MNT/${dir}"`, ['--demo', 'check', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.checks.find((c: { name: string }) => c.name === 'token')).toMatchObject({ status: 'pass', details: expect.stringMatching(/^visitor session new/) });
      expect(r.stderr.trimEnd().split('\n')[0]).toBe(warning(join(r.mnt, dir, 'demo')));
      expect(r.stderr.match(/cannot write/g)).toHaveLength(1);
      expect(r.after).toEqual(before);
    }
  });

  it('a session stored on the read-only mount is used (no new visitor), with the one warning for the cache it cannot save', async (ctx) => {
    skipUnlessAvailable(ctx);
    const source = join(work, 'rw');
    const made = await runWixq(['products', 'list', '--json', '--limit', '1'], { env: { ...p.env, WIXQ_CONFIG_DIR: source } });
    expect(made.code, made.stderr).toBe(0);
    p.reset();
    const r = await inMount(`mkdir "$MNT/cfg"; cp ${JSON.stringify(join(source, 'tokens.json'))} "$MNT/cfg/"; export WIXQ_CONFIG_DIR="$MNT/cfg"`, ['products', 'list', '--json', '--limit', '1'], {
      env: { WIXQ_API_URL: p.env.WIXQ_API_URL, WIXQ_CLIENT_ID: p.env.WIXQ_CLIENT_ID },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(p.tokenRequests()).toEqual([]);
    // The catalog version it detected cannot be cached: the run's one warning.
    expect(r.stderr.trimEnd().split('\n')[0]).toBe(warning(join(r.mnt, 'cfg')));
    expect(r.stderr.match(/cannot write/g)).toHaveLength(1);
    expect(r.after).toEqual(['/cfg', '/cfg/tokens.json']);
  });

  it('write commands there fail with exit 1 naming the read-only file system, and write nothing', async (ctx) => {
    skipUnlessAvailable(ctx);
    for (const [args, input] of [
      [['config', 'set', 'output', 'json']],
      [['config', 'unset', 'output']],
      [['init', '--client-id', 'abc']],
      [['auth', 'login', '--email', 'ada@example.com', '--password-stdin'], 'secret'],
      [['auth', 'logout']],
      // The cart commands that change the cart: a cart no later run could see (docs/reference.md 3.12).
      [['cart', 'add', 'premium-wool-rug']],
      [['cart', 'clear']],
    ] as Array<[string[], string?]>) {
      for (const [setup, dir, before] of [
        ['mkdir "$MNT/cfg"', 'cfg', ['/cfg']],
        ['true', 'missing/wixq', []],
      ] as Array<[string, string, string[]]>) {
        const r = await inMount(`${setup}; export WIXQ_CONFIG_DIR="$MNT/${dir}"`, args, {
          env: { WIXQ_API_URL: p.env.WIXQ_API_URL, WIXQ_CLIENT_ID: p.env.WIXQ_CLIENT_ID },
          input,
        });
        expect({ args, dir, code: r.code, stdout: r.stdout, stderr: r.stderr.trimEnd().split('\n'), after: r.after }).toEqual({
          args,
          dir,
          code: 1,
          stdout: '',
          stderr: [`Error: cannot write to ${join(r.mnt, dir)}: EROFS (read-only file system)`, 'Fix the folder permissions, or set WIXQ_CONFIG_DIR to a folder you can write to.'],
          after: before,
        });
      }
    }
  });
});
