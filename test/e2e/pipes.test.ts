import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isStoredSession } from '../../src/session/token-store.js';
import { runShell } from '../helpers/cli.js';
import { startProject, type TestProject } from '../helpers/project.js';

/** Runs a bash script in which `wixq` is the built binary, pointed at the project. */
const shell = (p: TestProject, script: string) => runShell(script, { env: p.env });

const PRODUCTS_PATH = '/stores-reader/v1/products/query-platformized';

// wixq in shell pipelines: a reader that leaves early is how pipes end, not an error.
describe('pipes', () => {
  let p: TestProject;
  let key: string;
  beforeAll(async () => {
    // 2,000 products are far more than a pipe buffer; 30 s tokens make each run renew (and so write) the session.
    p = await startProject({ products: 2000, tokenTtl: 30 });
    key = p.sessionKey();
    const first = await p.run(['products', 'list', '--json', '--limit', '1']);
    expect(first.code, first.stderr).toBe(0);
  });
  afterAll(async () => p.close());
  beforeEach(() => p.reset());

  it('products list --all -o ndjson | head -1: one line, nothing on stderr, exit 0, session saved', async () => {
    const before = p.session();
    const r = await shell(p, 'set -o pipefail; wixq products list --all -o ndjson | head -1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(JSON.parse(lines[0]!)._id).toEqual(expect.any(String));

    // The renewed session was written, and is whole.
    const after = p.session();
    expect(isStoredSession(after)).toBe(true);
    expect(after.accessToken.value).not.toBe(before.accessToken.value);
    expect(after.refreshToken.value).toBe(before.refreshToken.value);
    expect(p.tokenRequests().map((t) => t.grantType)).toEqual(['refresh_token']);
    // It stopped fetching once the reader left: 20 pages exist, the first and those already in flight were asked for.
    const pages = p.requests(PRODUCTS_PATH).length;
    expect(pages).toBeGreaterThanOrEqual(1);
    expect(pages).toBeLessThan(20);
  });

  it('every list format ends quietly with exit 0 under head', async () => {
    const r = await shell(
      p,
      [
        'set -o pipefail',
        'wixq products list --all --json | head -c 100 > /dev/null || echo "json $?"',
        'wixq products list --all -o csv | head -2 > /dev/null || echo "csv $?"',
        'wixq products list --all -o tsv | head -1 > /dev/null || echo "tsv $?"',
        'wixq products list --all -o table --fields _id,name | head -3 > /dev/null || echo "table $?"',
      ].join('\n'),
    );
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(isStoredSession(p.tokens()?.sessions[key])).toBe(true);
  });

  it('a full disk on stdout is one clear error and exit 1', async () => {
    const r = await shell(p, 'wixq products list --all -o ndjson > /dev/full');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: cannot write the output: ENOSPC/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(2);
    expect(r.stderr).not.toMatch(/unexpected failure|^\s+at /m);
  });

  it('a full disk is exit 1 for every command that writes stdout, its last small write too: auth token, --version, --help, get', async () => {
    const id = p.emulator.site.products.find((x) => x.visible !== false)!.id;
    for (const command of ['wixq auth token', 'wixq --version', 'wixq --help', `wixq products get ${id} --json`, 'wixq config path']) {
      const r = await shell(p, `${command} > /dev/full`);
      expect(r.code, `${command}: ${r.stderr}`).toBe(1);
      expect(r.stderr, command).toMatch(/^Error: cannot write the output: ENOSPC/);
      expect(r.stderr.trimEnd().split('\n'), command).toHaveLength(2);
    }
  });

  it('snapshot --out /dev/full: exit 1 and one clear line, every time (every write of the file sink is checked)', async () => {
    // Three runs: a write failure that went unchecked was a race the process usually won with exit 0.
    for (let run = 0; run < 3; run++) {
      const r = await shell(p, 'wixq snapshot --include products --out /dev/full');
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^Error: cannot write --out "\/dev\/full": ENOSPC$/m);
      expect(r.stderr).not.toMatch(/Snapshot written|unexpected failure|^\s+at /m);
    }
  });

  it('stdin closed and stdout a file: the data is all there', async () => {
    const r = await shell(p, 'out=$(mktemp); wixq products list --all -o ndjson <&- > "$out"; code=$?; wc -l < "$out"; rm -f "$out"; exit $code');
    expect(r.code, r.stderr).toBe(0);
    expect(Number(r.stdout.trim())).toBe(p.emulator.site.products.filter((x) => x.visible !== false).length);
  });
});
