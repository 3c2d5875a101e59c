import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/index.js';
import { runWixq } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * The thin end-to-end layer: one or two runs of the built binary per command, so that what test/commands shows
 * in-process also holds for bin/wixq.cjs with real argv, real streams (pipes, not TTYs), the real environment and exit.
 */
const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
const ANSI = '\u001b[';

describe('the built binary', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());

  it('--version prints the version the build stamped from package.json; an unknown flag exits 2', async () => {
    const version = await runWixq(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const bad = await runWixq(['--frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain("unknown option '--frobnicate'");
  });

  it('products list and get: JSON on a pipe, the notice on stderr, one session stored', async () => {
    const list = await p.runBinary(['products', 'list', '--limit', '2']);
    expect(list.code, list.stderr).toBe(0);
    const items = JSON.parse(list.stdout) as Array<{ _id: string; slug: string }>;
    expect(items).toHaveLength(2);
    expect(list.stderr).toMatch(/^Showing 2 of \d+ products/m);
    expect(p.session().role).toBe('visitor');
    const get = await p.runBinary(['products', 'get', items[1]!.slug]);
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout)._id).toBe(items[1]!._id);
  });

  it('colour: FORCE_COLOR from the real environment colours a table, NO_COLOR wins', async () => {
    const forced = await p.runBinary(['products', 'list', '-o', 'table', '--limit', '2'], { env: { FORCE_COLOR: '1' } });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(ANSI);
    const plain = await p.runBinary(['products', 'list', '-o', 'table', '--limit', '2'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain(ANSI);
  });

  it('collections list and categories list', async () => {
    const collections = await p.runBinary(['collections', 'list', '--limit', '1']);
    expect(collections.code, collections.stderr).toBe(0);
    expect(JSON.parse(collections.stdout)).toHaveLength(1);
    const categories = await p.runBinary(['categories', 'list', '--limit', '1']);
    expect(categories.code, categories.stderr).toBe(0);
    expect(categories.stderr).toMatch(/Catalog V1, which groups products in collections/);
  });

  it('data items list, get and count: the built bundle runs the Data Items SDK; a members-only collection is exit 4', async () => {
    const list = await p.runBinary(['data', 'items', 'list', 'team', '--limit', '2']);
    expect(list.code, list.stderr).toBe(0);
    const items = JSON.parse(list.stdout) as Array<{ _id: string; _createdDate: string }>;
    expect(items).toHaveLength(2);
    expect(items[0]!._createdDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(list.stderr).toMatch(/^Showing 2 of \d+ items/m);
    const get = await p.runBinary(['data', 'items', 'get', 'team', items[1]!._id]);
    expect(JSON.parse(get.stdout)._id).toBe(items[1]!._id);
    const count = await p.runBinary(['data', 'items', 'count', 'events-log']);
    expect(count).toMatchObject({ code: 0, stdout: '15000\n' });
    const members = await p.runBinary(['data', 'items', 'list', 'members-news']);
    expect(members.code).toBe(4);
    expect(members.stderr).toMatch(/^Error: permission denied \(403\)/);
  });

  it('services list and slots', async () => {
    const services = await p.runBinary(['services', 'list', '--filter', 'type=APPOINTMENT', '--limit', '1']);
    expect(services.code, services.stderr).toBe(0);
    const [service] = JSON.parse(services.stdout) as Array<{ _id: string }>;
    const slots = await p.runBinary(['slots', service!._id, '--from', 'today', '--to', '+7d', '--tz', 'UTC']);
    expect(slots.code, slots.stderr).toBe(0);
    expect((JSON.parse(slots.stdout) as Array<{ serviceId: string }>).every((s) => s.serviceId === service!._id)).toBe(true);
  });

  it('check prints its JSON report and exits 0; a failed --min exits 6', async () => {
    const ok = await p.runBinary(['check']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, exitCode: 0 });
    const short = await p.runBinary(['check', '--min', 'products=100000']);
    expect(short.code).toBe(6);
    expect(JSON.parse(short.stdout)).toMatchObject({ ok: false, exitCode: 6 });
  });

  it('api sends a request with the stored session and prints the answer', async () => {
    p.reset();
    const r = await p.runBinary(['api', 'GET', '/stores/v3/provision/version']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ catalogVersion: 'V1_CATALOG' });
    expect(p.requests().map((x) => `${x.method} ${x.path} ${x.headers.authorization === p.session().accessToken.value}`)).toEqual([
      'GET /stores/v3/provision/version true',
    ]);
  });

  it('auth login with the password on a piped stdin, status, token, logout', async () => {
    const ada = DEMO_MEMBERS[0]!;
    const login = await p.runBinary(['auth', 'login', '--email', ada.email, '--password-stdin'], { input: `${ada.password}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stderr).toContain(`Logged in as ${ada.email}`);
    const status = await p.runBinary(['auth', 'status']);
    expect(JSON.parse(status.stdout)).toMatchObject({ role: 'member', memberId: p.session().memberId });
    const token = await p.runBinary(['auth', 'token']);
    expect(token).toMatchObject({ code: 0, stdout: `${p.session().accessToken.value}\n`, stderr: '' });
    const logout = await p.runBinary(['auth', 'logout']);
    expect(logout.code, logout.stderr).toBe(0);
    expect(p.session()).toBeUndefined();
  });

  it('init and config write config.json; config get reads it back', async () => {
    const env = { WIXQ_CLIENT_ID: undefined };
    expect((await p.runBinary(['init', '--client-id', p.emulator.clientId], { env })).code).toBe(0);
    expect((await p.runBinary(['config', 'set', 'retries', '5'], { env })).code).toBe(0);
    const get = await p.runBinary(['config', 'get', 'client-id'], { env });
    expect(get).toMatchObject({ code: 0, stdout: `${p.emulator.clientId}\n` });
    const profile = JSON.parse(readFileSync(join(p.configDir, 'config.json'), 'utf8')).profiles.default;
    expect(profile).toMatchObject({ 'client-id': p.emulator.clientId, retries: 5 });
  });

  it('completion bash prints the script', async () => {
    const r = await runWixq(['completion', 'bash']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/_wixq\(\)/);
    expect(r.stdout).toContain('complete -F _wixq wixq');
  });
});
