import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';
import { cursorOf, emptyList, ignoreOffset, offsetOf, startRelay, truncateList, withNextCursor, type RelayHooks, type RunningRelay } from '../helpers/relay.js';

/**
 * Every page accounted for (docs/reference.md 4.2): a walk whose pages do not add up (a short or empty page although
 * the total or the page said more follow, a cursor seen again, the same page again) is never exit 0. It is exit 5,
 * naming how many of how many were written, with a JSON list left unterminated and no snapshot file written. The
 * broken server is a relay on loopback in front of the emulator (test/helpers/relay.ts).
 */

const V1_PRODUCTS = '/stores-reader/v1/products/query-platformized';
const V3_PRODUCTS = '/stores/v3/products/query';
const DATA_ITEMS = '/wix-data/v2/items/query';

/** Exactly one error line, maybe a hint line, and no stack trace. */
function expectOneClearError(stderr: string): void {
  expect(stderr).toMatch(/^Error: /);
  expect(stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
  expect(stderr).not.toMatch(/^\s+at /m);
}

/** Whether stdout is a whole JSON document (an incomplete walk must leave it unparseable). */
function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

let relay: RunningRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

/** Runs wixq through a relay with these hooks in front of the project's emulator. */
async function through(p: TestProject, hooks: RelayHooks, args: string[]) {
  // Bounded: a walk that would never end meets the relay's 400 after 60 requests (today's code did loop).
  relay = await startRelay(p.emulator.url, hooks, { maxRequests: 60 });
  const r = await p.run(args, { env: { WIXQ_API_URL: relay.url } });
  const seen = relay.seen;
  await relay.close();
  relay = undefined;
  return { ...r, seen };
}

describe('Catalog V1 --all (offset pages with a total)', () => {
  let p: TestProject;
  let visible: number;
  beforeAll(async () => {
    p = await startProject({ products: 140 });
    visible = p.emulator.site.products.filter((x: any) => x.visible !== false).length;
    expect(visible).toBeGreaterThan(100);
    expect(visible).toBeLessThan(200);
    expect((await p.run(['products', 'list', '--limit', '1'])).code).toBe(0);
  });
  afterAll(async () => p.close());

  const page2 = (req: { path: string; json: any }) => req.path === V1_PRODUCTS && offsetOf(req as never) === 100;

  it('page 2 one item short every time: exit 5, 100 of the total written, the JSON left unterminated', async () => {
    const r = await through(p, { response: (req, res) => (page2(req) ? { json: truncateList(res.json, 1) } : undefined) }, ['products', 'list', '--all', '--json']);
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toContain(`100 of ${visible} products`);
    expect(parses(r.stdout)).toBe(false);
    expect(r.stdout.startsWith('[\n')).toBe(true);
    // Retried once, then given up.
    expect(r.seen.filter((x) => x.path === V1_PRODUCTS && offsetOf(x as never) === 100)).toHaveLength(2);
  });

  it('page 2 short once: the retry answers it whole, and every product comes back once, exit 0', async () => {
    let cut = false;
    const r = await through(
      p,
      {
        response: (req, res) => {
          if (!page2(req) || cut) return undefined;
          cut = true;
          return { json: truncateList(res.json, 1) };
        },
      },
      ['products', 'list', '--all', '-o', 'ndjson', '--fields', '_id'],
    );
    expect(r.code, r.stderr).toBe(0);
    const ids = r.stdout.trimEnd().split('\n').map((line) => JSON.parse(line)._id);
    expect(ids).toHaveLength(visible);
    expect(new Set(ids).size).toBe(visible);
  });

  it('an empty page 2: exit 5 (NDJSON keeps the whole lines it wrote; the exit code says they are not all)', async () => {
    const r = await through(p, { response: (req, res) => (page2(req) ? { json: emptyList(res.json) } : undefined) }, ['products', 'list', '--all', '-o', 'ndjson', '--fields', '_id']);
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toContain(`100 of ${visible} products`);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(100);
  });

  it('a server that ignores offset (the first page again): exit 5 at page 2, not the first page over and over', async () => {
    const r = await through(p, { request: (req) => (req.path === V1_PRODUCTS ? ignoreOffset(req.json) : undefined) }, ['products', 'list', '--all', '--json']);
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toMatch(/same/);
    expect(r.stderr).toContain(`100 of ${visible} products`);
    expect(parses(r.stdout)).toBe(false);
  });

  it('--limit past a short page is exit 5 too; --limit within the list stays exit 0 with its notice', async () => {
    const short = await through(p, { response: (req, res) => (page2(req) ? { json: truncateList(res.json, 1) } : undefined) }, ['products', 'list', '--limit', '150', '--json']);
    expect(short.code, short.stderr).toBe(5);
    const fine = await p.run(['products', 'list', '--limit', '50']);
    expect(fine.code, fine.stderr).toBe(0);
    expect(fine.stderr).toBe(`Showing 50 of ${visible} products (use --all or --limit).\n`);
  });
});

describe('the V1 offset ceiling', () => {
  let p: TestProject;
  let visible: number;
  beforeAll(async () => {
    p = await startProject({ products: 10_400 });
    visible = p.emulator.site.products.filter((x: any) => x.visible !== false).length;
    expect(visible).toBeGreaterThan(10_000);
    expect((await p.run(['products', 'list', '--limit', '1'])).code).toBe(0);
  });
  afterAll(async () => p.close());

  it('--all --sort name cannot list them all: exit 2 after the first page, nothing written, with what works', async () => {
    p.reset();
    const r = await p.run(['products', 'list', '--all', '--sort', 'name', '--json']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expectOneClearError(r.stderr);
    expect(r.stderr).toContain(`all ${visible.toLocaleString('en-US')} products`);
    expect(r.stderr).toMatch(/--sort/);
    expect(r.stderr).toMatch(/--filter/);
    expect(p.requests(V1_PRODUCTS)).toHaveLength(1);
  });

  it('--limit past the ceiling with a sort is refused the same way; --limit within it is exit 0', async () => {
    p.reset();
    const past = await p.run(['products', 'list', '--limit', '10050', '--sort', 'name', '-o', 'ndjson', '--fields', '_id']);
    expect(past.code, past.stderr).toBe(2);
    expect(past.stdout).toBe('');
    expect(p.requests(V1_PRODUCTS)).toHaveLength(1);
    const within = await p.run(['products', 'list', '--limit', '120', '--sort', 'name', '-o', 'ndjson', '--fields', '_id']);
    expect(within.code, within.stderr).toBe(0);
    expect(within.stderr).toContain(`Showing 120 of ${visible.toLocaleString('en-US')} products`);
  });

  it('--offset past the ceiling is exit 2 before any request, and says nothing of --sort when none was given', async () => {
    p.reset();
    const r = await p.run(['products', 'list', '--offset', '10001', '--json']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expectOneClearError(r.stderr);
    expect(r.stderr).not.toMatch(/--sort/);
    expect(r.stderr).toMatch(/--filter/);
    expect(p.requests(V1_PRODUCTS)).toHaveLength(0);
  });
});

describe('Catalog V3 --all (cursor pages)', () => {
  let p: TestProject;
  let total: number;
  beforeAll(async () => {
    p = await startProject({ catalog: 'v3', products: 250 });
    const all = await p.run(['products', 'list', '--all', '-o', 'ndjson', '--fields', '_id']);
    expect(all.code, all.stderr).toBe(0);
    total = all.stdout.trimEnd().split('\n').length;
    expect(total).toBeGreaterThan(200);
  });
  afterAll(async () => p.close());

  it('an empty page that still names a next cursor: retried once, then exit 5', async () => {
    const r = await through(
      p,
      { response: (req, res) => (req.path === V3_PRODUCTS && cursorOf(req) !== undefined && res.json?.pagingMetadata?.cursors?.next ? { json: emptyList(res.json) } : undefined) },
      ['products', 'list', '--all', '--json'],
    );
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toContain('100 products');
    expect(parses(r.stdout)).toBe(false);
    expect(r.seen.filter((x) => x.path === V3_PRODUCTS)).toHaveLength(3);
  });

  it('a server that hands back the cursor it was given: exit 5 at once, not an endless walk', async () => {
    const r = await through(
      p,
      { response: (req, res) => (req.path === V3_PRODUCTS && cursorOf(req) !== undefined ? { json: withNextCursor(res.json, cursorOf(req)!) } : undefined) },
      ['products', 'list', '--all', '-o', 'ndjson', '--fields', '_id'],
    );
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toMatch(/cursor/);
    expect(r.seen.filter((x) => x.path === V3_PRODUCTS).length).toBeLessThanOrEqual(3);
  });
});

describe('CMS items --all (offset pages of 1,000 with the total)', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
    expect((await p.run(['data', 'items', 'count', 'team'])).code).toBe(0);
  });
  afterAll(async () => p.close());

  it('an empty page 2 of the 15,000-item collection: exit 5, 1,000 of 15,000 written', async () => {
    const r = await through(
      p,
      { response: (req, res) => (req.path === DATA_ITEMS && req.json?.query?.paging?.offset === 1000 ? { json: emptyList(res.json) } : undefined) },
      ['data', 'items', 'list', 'events-log', '--all', '--json', '--fields', '_id'],
    );
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toContain('1,000 of 15,000 items');
    expect(parses(r.stdout)).toBe(false);
  });

  it('a search (no total): an empty page that still says hasNext is exit 5; a short last page is the end', async () => {
    const search = ['data', 'items', 'list', 'events-log', '--search', 'info', '--all', '-o', 'ndjson', '--fields', '_id'];
    const whole = await p.run(search);
    expect(whole.code, whole.stderr).toBe(0);
    const n = whole.stdout.trimEnd().split('\n').length;
    expect(n).toBeGreaterThan(2_000);
    const r = await through(
      p,
      { response: (req, res) => (req.path === '/wix-data/v2/items/search' && req.json?.search?.paging?.offset === 1000 ? { json: emptyList(res.json) } : undefined) },
      search,
    );
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toContain('1,000 items');
    expect(r.seen.filter((x) => x.path === '/wix-data/v2/items/search')).toHaveLength(3);
  });

  it('a server that ignores offset: exit 5, not the first page fifteen times', async () => {
    const r = await through(p, { request: (req) => (req.path === DATA_ITEMS ? ignoreOffset(req.json) : undefined) }, ['data', 'items', 'list', 'events-log', '--all', '-o', 'ndjson', '--fields', '_id']);
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    const ids = r.stdout.trimEnd().split('\n');
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('snapshot', () => {
  let p: TestProject;
  let dir: string;
  beforeAll(async () => {
    p = await startProject({ products: 140 });
    dir = mkdtempSync(join(tmpdir(), 'wixq-pages-'));
  });
  afterAll(async () => {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a short page 2 of the products: exit 5, no file written, the old one kept', async () => {
    const file = join(dir, 'site.json');
    writeFileSync(file, 'the old snapshot\n');
    const r = await through(
      p,
      { response: (req, res) => (req.path === V1_PRODUCTS && offsetOf(req) === 100 ? { json: truncateList(res.json, 1) } : undefined) },
      ['snapshot', '--out', file],
    );
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toMatch(/^Error: the snapshot stopped: .*100 of \d+ products/m);
    expect(r.stderr).toContain('No file was written');
    expect(readFileSync(file, 'utf8')).toBe('the old snapshot\n');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('on stdout, a short page leaves the file unterminated, so that no emulator would load it', async () => {
    const r = await through(
      p,
      { response: (req, res) => (req.path === V1_PRODUCTS && offsetOf(req) === 100 ? { json: emptyList(res.json) } : undefined) },
      ['snapshot'],
    );
    expect(r.code, r.stderr).toBe(5);
    expect(r.stdout.startsWith('{')).toBe(true);
    expect(parses(r.stdout)).toBe(false);
  });
});

describe('api --paginate', () => {
  let p: TestProject;
  let visible: number;
  beforeAll(async () => {
    p = await startProject({ products: 140 });
    visible = p.emulator.site.products.filter((x: any) => x.visible !== false).length;
    expect((await p.run(['products', 'list', '--limit', '1'])).code).toBe(0);
  });
  afterAll(async () => p.close());

  const args = ['api', 'POST', V1_PRODUCTS, '--data', '{"query":{"paging":{"limit":100}}}', '--paginate'];

  it('an empty page although the total says more: exit 5, the JSON left unterminated', async () => {
    const r = await through(p, { response: (req, res) => (req.path === V1_PRODUCTS && offsetOf(req) === 100 ? { json: emptyList(res.json) } : undefined) }, args);
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toContain(`100 of ${visible} products`);
    expect(parses(r.stdout)).toBe(false);
  });

  it('a server that ignores offset: exit 5 at the second page', async () => {
    const r = await through(p, { request: (req) => (req.path === V1_PRODUCTS ? ignoreOffset(req.json) : undefined) }, args);
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toMatch(/same/);
    expect(r.seen.filter((x) => x.path === V1_PRODUCTS)).toHaveLength(2);
  });

  it('a short page is no loss (the next offset follows what came), and the walk ends whole, exit 0', async () => {
    const r = await through(p, { response: (req, res) => (req.path === V1_PRODUCTS && offsetOf(req) === 0 ? { json: truncateList(res.json, 1) } : undefined) }, args);
    expect(r.code, r.stderr).toBe(0);
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id);
    expect(ids).toHaveLength(visible);
    expect(new Set(ids).size).toBe(visible);
  });
});

describe('api --paginate by cursor', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject({ catalog: 'v3', products: 250 });
    expect((await p.run(['products', 'list', '--limit', '1'])).code).toBe(0);
  });
  afterAll(async () => p.close());

  const args = ['api', 'POST', V3_PRODUCTS, '--data', '{"query":{"cursorPaging":{"limit":100}}}', '--paginate'];

  it('an empty page that names a next cursor: exit 5', async () => {
    const r = await through(p, { response: (req, res) => (req.path === V3_PRODUCTS && cursorOf(req) !== undefined ? { json: emptyList(res.json) } : undefined) }, args);
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(parses(r.stdout)).toBe(false);
  });

  it('a repeated cursor is the incomplete walk too: exit 5, naming how many were written', async () => {
    const r = await through(p, { response: (req, res) => (req.path === V3_PRODUCTS && cursorOf(req) !== undefined ? { json: withNextCursor(res.json, cursorOf(req)!) } : undefined) }, args);
    expect(r.code, r.stderr).toBe(5);
    expectOneClearError(r.stderr);
    expect(r.stderr).toMatch(/cursor/);
    expect(r.stderr).toMatch(/\b100 products\b/);
  });
});

describe('the relay itself', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => p.close());

  it('passes answers through unchanged, answers what a hook says (non-JSON too), and is bounded', async () => {
    relay = await startRelay(p.emulator.url, { response: (req) => (req.path === '/stores/v3/provision/version' && req.index === 1 ? { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>portal</html>' } : undefined) }, { maxRequests: 3 });
    const direct = await fetch(`${p.emulator.url}/stores/v3/provision/version`);
    const a = await fetch(`${relay.url}/stores/v3/provision/version`);
    expect(a.status).toBe(direct.status);
    expect(await a.text()).toBe(await direct.text());
    const b = await fetch(`${relay.url}/stores/v3/provision/version`);
    expect(b.headers.get('content-type')).toBe('text/html');
    expect(await b.text()).toBe('<html>portal</html>');
    await fetch(`${relay.url}/stores/v3/provision/version`);
    const past = await fetch(`${relay.url}/stores/v3/provision/version`);
    expect(past.status).toBe(400);
    expect(((await past.json()) as any).details.applicationError.code).toBe('RELAY_BOUND');
    expect(relay.seen.map((x) => x.status)).toEqual([direct.status, 200, direct.status, 400]);
    expect(p.requests('/stores/v3/provision/version')).toHaveLength(4);
  });
});
