import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * `wixq snapshot` against an emulator (A), then an emulator started with the file (B): every list and a sample of
 * gets answer byte for byte the same from both (docs/reference.md 3.11).
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wixq-snapshot-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs each command against both projects and expects the same exit code and stdout. */
async function expectSame(a: TestProject, b: TestProject, commands: string[][]): Promise<void> {
  for (const args of commands) {
    const x = await a.run(args);
    const y = await b.run(args);
    expect(x.code, `${args.join(' ')} on the original: ${x.stderr}`).toBe(0);
    expect(y.code, `${args.join(' ')} on the copy: ${y.stderr}`).toBe(0);
    expect(y.stdout, args.join(' ')).toBe(x.stdout);
  }
}

/** Takes a snapshot of `a` into a file and starts B with it. */
async function snapshotOf(a: TestProject, name: string, extra: string[] = []): Promise<{ file: string; b: TestProject; stderr: string }> {
  const file = join(dir, name);
  const r = await a.run(['snapshot', '--out', file, ...extra]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toBe('');
  return { file, b: await startProject({ data: file }), stderr: r.stderr };
}

function sampleIds(stdout: string, n: number): string[] {
  const items = JSON.parse(stdout) as { _id?: string; id?: string }[];
  const step = Math.max(1, Math.floor(items.length / n));
  return items.filter((_, i) => i % step === 0).slice(0, n).map((x) => String(x._id ?? x.id));
}

describe('snapshot round trip: demo Catalog V1', () => {
  let a: TestProject;
  let b: TestProject;
  let file: string;
  let stderr: string;
  beforeAll(async () => {
    a = await startProject({ products: 60 });
    ({ file, b, stderr } = await snapshotOf(a, 'v1.json'));
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('writes a versioned file with its source, never a token, and says what it read', () => {
    const text = readFileSync(file, 'utf8');
    const json = JSON.parse(text);
    expect(json.wixqSnapshot).toBe(1);
    expect(json.catalogVersion).toBe('V1_CATALOG');
    expect(json.source).toEqual({ clientId: a.emulator.clientId, date: expect.any(String), role: 'visitor' });
    expect(json.clientIds).toEqual([a.emulator.clientId]);
    expect(json.products).toHaveLength(a.emulator.site.products.filter((p) => p.visible).length);
    expect(json.productsV3).toBeUndefined();
    // No token of the session that read it, in any form.
    const stored = a.session();
    expect(stored).toBeDefined();
    for (const secret of [stored.accessToken?.value, stored.refreshToken?.value].filter(Boolean)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/"(accessToken|refreshToken|access_token|refresh_token)"/);
    expect(stderr).toMatch(/Note: Wix does not let a visitor or member list the CMS collections; name each one to include it: --include data:<collection ID>/);
    expect(stderr).toMatch(/\nSnapshot written to .*v1\.json \(visitor session\): 5\d products, \d+ collections, \d+ services\.\n$/);
    // Nothing left behind but the file.
    expect(readdirSync(dir).filter((f) => f.startsWith('.v1.json'))).toEqual([]);
  });

  it('lists and gets the same bytes from the copy', async () => {
    const products = await a.run(['products', 'list', '--all', '--json']);
    const collections = await a.run(['collections', 'list', '--all', '--json']);
    const services = await a.run(['services', 'list', '--all', '--include-hidden', '--json']);
    await expectSame(a, b, [
      ['products', 'list', '--all', '--json'],
      ['products', 'list', '--filter', 'price>20', '--sort', '-price', '--limit', '7', '-o', 'csv'],
      ['collections', 'list', '--all', '--json'],
      ['categories', 'list', '--all', '--json'],
      ['services', 'list', '--all', '--include-hidden', '--json'],
      ['services', 'list', '--all', '-o', 'ndjson'],
      ...sampleIds(products.stdout, 5).map((id) => ['products', 'get', id, '--json']),
      ...sampleIds(collections.stdout, 3).map((id) => ['collections', 'get', id, '--json']),
      ...sampleIds(services.stdout, 3).map((id) => ['services', 'get', id, '--json']),
      // By slug too (a query on the V1 products endpoint, the collections slug route, a services query).
      ['products', 'get', JSON.parse(products.stdout)[4].slug, '--json'],
      ['collections', 'get', JSON.parse(collections.stdout)[2].slug, '--json'],
      ['services', 'get', JSON.parse(services.stdout)[1].mainSlug.name, '--json'],
      ['api', 'POST', '/stores-reader/v1/products/query-platformized', '--data', '{"query":{"filter":{"priceData.price":{"$gt":30}},"sort":[{"fieldName":"name","order":"DESC"}],"paging":{"limit":5,"offset":3}}}'],
    ]);
  });

  it('answers 404 for what is not in it, as the site does', async () => {
    const hidden = a.emulator.site.products.find((p) => !p.visible)!;
    const x = await a.run(['products', 'get', hidden.id, '--json']);
    const y = await b.run(['products', 'get', hidden.id, '--json']);
    expect(x.code).toBe(3);
    expect(y.code).toBe(3);
  });

  it('serves time slots for the copied services (generated from their schedules)', async () => {
    const service = JSON.parse((await b.run(['services', 'list', '--json', '--limit', '1'])).stdout)[0];
    const r = await b.run(['slots', service._id, '--json']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('snapshot round trip: demo Catalog V3 with categories', () => {
  let a: TestProject;
  let b: TestProject;
  let file: string;
  beforeAll(async () => {
    a = await startProject({ products: 60, catalog: 'v3' });
    ({ file, b } = await snapshotOf(a, 'v3.json'));
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('holds the V3 wire products and the category tree, hidden categories too', () => {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.catalogVersion).toBe('V3_CATALOG');
    expect(json.products).toBeUndefined();
    expect(json.productsV3.length).toBeGreaterThan(40);
    // The wire shape (`id`, not the SDK's `_id`), with the fields returned only on request.
    expect(json.productsV3[0]).toMatchObject({ id: expect.any(String), url: expect.any(Object), plainDescription: expect.any(String) });
    expect(json.productsV3[0]._id).toBeUndefined();
    expect(json.categories.some((c: any) => c.visible === false)).toBe(true);
    expect(json.collections).toBeUndefined();
  });

  it('lists and gets the same bytes from the copy', async () => {
    const products = await a.run(['products', 'list', '--all', '--json']);
    const categories = await a.run(['categories', 'list', '--all', '--json']);
    await expectSame(a, b, [
      ['products', 'list', '--all', '--json'],
      ['products', 'list', '--search', 'premium', '--sort', 'name', '--json'],
      ['products', 'list', '--category', 'apparel', '--all', '-o', 'csv'],
      ['categories', 'list', '--all', '--json'],
      ['collections', 'list', '--all', '--json'],
      ['services', 'list', '--all', '--include-hidden', '--json'],
      ...sampleIds(products.stdout, 5).map((id) => ['products', 'get', id, '--json']),
      ['products', 'get', JSON.parse(products.stdout)[3].slug, '--json'],
      ...sampleIds(categories.stdout, 3).map((id) => ['categories', 'get', id, '--json']),
    ]);
  });

  it('keeps every variant: `products get` of every product (each has at least one variant) is byte-identical on the copy', async () => {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    for (const p of json.productsV3) expect(p.variantsInfo.variants.length, p.id).toBe(p.variantSummary.variantCount);
    const ids = (JSON.parse((await a.run(['products', 'list', '--all', '--json', '--fields', '_id'])).stdout) as { _id: string }[]).map((p) => p._id);
    expect(ids.length).toBe(json.productsV3.length);
    let withOptions = 0;
    for (const id of ids) {
      const x = await a.run(['products', 'get', id, '--json']);
      const y = await b.run(['products', 'get', id, '--json']);
      expect(x.code, x.stderr).toBe(0);
      expect(y.stdout, id).toBe(x.stdout);
      const variants = JSON.parse(x.stdout).variantsInfo.variants;
      expect(variants.length).toBeGreaterThan(0);
      if (variants.length > 1) withOptions++;
    }
    expect(withOptions).toBeGreaterThan(5);
  });

  it('reads the variants in bulk: one Query Variants walk per page of products, no Get Product', async () => {
    a.reset();
    const r = await a.run(['snapshot', '--include', 'products']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    const variants = json.productsV3.reduce((n: number, p: any) => n + p.variantsInfo.variants.length, 0);
    expect(r.stderr).toMatch(new RegExp(`: ${json.productsV3.length} products with ${variants} variants\\.\\n$`));
    const queries = a.requests('/stores/v3/products/query');
    expect(queries.filter((q) => q.path === '/stores/v3/products/query')).toHaveLength(1);
    const variantQueries = queries.filter((q) => q.path === '/stores/v3/products/query-variants');
    expect(variantQueries).toHaveLength(1);
    expect(variantQueries[0]!.body).toEqual({
      query: { filter: { 'productData.productId': { $in: json.productsV3.map((p: any) => p.id) } }, cursorPaging: { limit: 1000 } },
      fields: ['CURRENCY', 'SUBSCRIPTION_PRICES_INFO', 'WEIGHT_MEASUREMENT_UNIT_INFO'],
    });
    expect(a.apiRequests().filter((q) => q.method === 'GET' && q.path.startsWith('/stores/v3/products/'))).toEqual([]);
    // What the product query asks for: DISCOUNT_INFO, and not PRODUCT_CHOICES_MEDIA_REFERENCES (it empties linkedMedia).
    const fields = (queries[0]!.body as { fields: string[] }).fields;
    expect(fields).toContain('DISCOUNT_INFO');
    expect(fields).not.toContain('PRODUCT_CHOICES_MEDIA_REFERENCES');
    expect(fields).not.toContain('MERCHANT_DATA');
  });

  it('reads a product with automatic discounts through Get Product, so its prices after discount survive', async () => {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const target = json.productsV3.find((p: any) => p.variantsInfo.variants.length > 1);
    target.discountInfo = { discountRuleNames: ['Summer sale'] };
    for (const v of target.variantsInfo.variants) v.price.priceAfterDiscount = { amount: '1.00', formattedAmount: '$1.00' };
    const discounted = join(dir, 'v3-discount.json');
    writeFileSync(discounted, JSON.stringify(json));
    const site = await startProject({ data: discounted });
    try {
      const r = await site.run(['snapshot', '--include', 'products']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/ products with \d+ variants \(1 product read one by one\)\.\n$/);
      expect(site.apiRequests().filter((q) => q.method === 'GET' && q.path.startsWith('/stores/v3/products/')).map((q) => q.path)).toEqual([`/stores/v3/products/${target.id}`]);
      const copyFile = join(dir, 'v3-discount-copy.json');
      writeFileSync(copyFile, r.stdout);
      const copy = await startProject({ data: copyFile });
      try {
        const get = ['api', 'GET', `/stores/v3/products/${target.id}?fields=CURRENCY&fields=DISCOUNT_INFO&fields=VARIANT_OPTION_CHOICE_NAMES`];
        const x = await site.run(get);
        const y = await copy.run(get);
        expect(x.code, x.stderr).toBe(0);
        expect(y.stdout).toBe(x.stdout);
        expect(JSON.parse(y.stdout).product.variantsInfo.variants[0].price.priceAfterDiscount.amount).toBe('1.00');
        // Without DISCOUNT_INFO neither answer has them.
        expect(JSON.parse((await copy.run(['products', 'get', target.id, '--json'])).stdout).variantsInfo.variants[0].price.priceAfterDiscount).toBeUndefined();
      } finally {
        await copy.close();
      }
    } finally {
      await site.close();
    }
  });

  it('a session refused Query Variants still gets every variant, one Get Product per product, and says so', async () => {
    a.reset();
    await a.control('POST', 'faults', { path: '/stores/v3/products/query-variants', status: 403, count: 1 });
    const r = await a.run(['snapshot', '--include', 'products']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Note: this session may not read variants in bulk \(Query Variants answered 403\); each product is read one by one/);
    const json = JSON.parse(r.stdout);
    expect(r.stderr).toMatch(new RegExp(`\\(${json.productsV3.length} products read one by one\\)\\.\\n$`));
    expect(a.requests('/stores/v3/products/query-variants')).toHaveLength(1);
    expect(a.apiRequests().filter((q) => q.method === 'GET' && q.path.startsWith('/stores/v3/products/'))).toHaveLength(json.productsV3.length);
    // The same file as the bulk read gives.
    expect(json.productsV3).toEqual(JSON.parse(readFileSync(file, 'utf8')).productsV3);
  });

  it('refuses a file whose variants the routes could not serve (exit 2, naming the path)', async () => {
    const good = JSON.parse(readFileSync(file, 'utf8'));
    const cases: Array<[(p: any) => void, RegExp]> = [
      [(p) => (p.variantsInfo = []), /productsV3\[0\]\.variantsInfo: expected an object/],
      [(p) => delete p.variantsInfo.variants, /productsV3\[0\]\.variantsInfo\.variants: is required/],
      [(p) => (p.variantsInfo.variants[0] = 'v'), /productsV3\[0\]\.variantsInfo\.variants\[0\]: expected an object/],
      [(p) => delete p.variantsInfo.variants[0].id, /productsV3\[0\]\.variantsInfo\.variants\[0\]\.id: is required/],
      [(p) => (p.variantsInfo.variants[0].choices = 'Red'), /productsV3\[0\]\.variantsInfo\.variants\[0\]\.choices: expected an array of objects/],
      [(p) => (p.variantsInfo.variants[0].price = 5), /productsV3\[0\]\.variantsInfo\.variants\[0\]\.price: expected an object/],
      [(p) => p.variantsInfo.variants.push(p.variantsInfo.variants[0]), /productsV3\[0\]\.variantsInfo\.variants\[\d+\]\.id: duplicate id/],
    ];
    const bad = join(dir, 'v3-bad.json');
    for (const [spoil, message] of cases) {
      const json = structuredClone(good);
      spoil(json.productsV3[0]);
      writeFileSync(bad, JSON.stringify(json));
      const r = await a.run(['emulator', '--data', bad, '--port', '0']);
      expect(r.code, String(message)).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('a session refused hidden categories gets the visible ones, and says so', async () => {
    a.reset();
    await a.control('POST', 'faults', { path: '/categories/v1/categories/query', status: 403, count: 1 });
    const r = await a.run(['snapshot', '--include', 'categories']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Note: this session may not read hidden categories; the snapshot holds the visible ones/);
    const json = JSON.parse(r.stdout);
    expect(json.categories.length).toBeGreaterThan(0);
    expect(json.categories.every((c: any) => c.visible === true)).toBe(true);
    expect(a.requests('/categories/v1/categories/query').map((q) => q.body.returnNonVisibleCategories)).toEqual([true, false]);
  });

  it('answers V1 requests as a V3 site does (428)', async () => {
    const x = await a.run(['api', 'POST', '/stores-reader/v1/products/query-platformized', '--data', '{"query":{}}']);
    const y = await b.run(['api', 'POST', '/stores-reader/v1/products/query-platformized', '--data', '{"query":{}}']);
    expect(x.code).toBe(1);
    expect(y.code).toBe(1);
    const withoutRequestId = (text: string) => text.replace(/ \(request ID [^)]*\)/, '');
    expect(withoutRequestId(y.stderr)).toBe(withoutRequestId(x.stderr));
    expect(y.stderr).toMatch(/428 CATALOG_V3_CALLING_CATALOG_V1_API/);
  });
});

describe('snapshot parts, output and sessions', () => {
  let a: TestProject;
  beforeAll(async () => {
    a = await startProject({ products: 12 });
  });
  afterAll(async () => a.close());

  it('writes to stdout without --out, only the parts asked for', async () => {
    const r = await a.run(['snapshot', '--include', 'services']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['wixqSnapshot', 'source', 'catalogVersion', 'clientIds', 'services', 'staff']);
    expect(json.services).toHaveLength(a.emulator.site.services.length);
    // Staff named from STAFF_MEMBER_DETAILS, which the snapshot takes off each service.
    expect(json.services.some((s: any) => 'staffMemberDetails' in s)).toBe(false);
    expect(json.staff).toEqual(expect.arrayContaining(a.emulator.site.staff.filter((s) => json.services.some((x: any) => x.staffMemberIds.includes(s.id))).map((s) => ({ id: s.id, name: s.name }))));
    expect(r.stderr).toMatch(/^Snapshot \(visitor session\): \d+ services\.\n$/);
  });

  it('--exclude leaves a part out; an unknown part is exit 2 before any request', async () => {
    const r = await a.run(['snapshot', '--exclude', 'services,collections']);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['wixqSnapshot', 'source', 'catalogVersion', 'clientIds', 'products']);
    a.reset();
    const bad = await a.run(['snapshot', '--include', 'products,orders']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--include: unknown part "orders"/);
    expect(a.apiRequests()).toEqual([]);
  });

  it('an --out it cannot write is exit 2 with one clear line, and no file is left behind', async () => {
    const missing = join(dir, 'no-such-dir', 'site.json');
    const r = await a.run(['snapshot', '--include', 'collections', '--out', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`Error: cannot write --out "${missing}": no such directory\nGive a file in a directory you can write to: --out site.json\n`);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
    const before = readdirSync(dir);
    const folder = await a.run(['snapshot', '--include', 'collections', '--out', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/^Error: cannot write --out ".*": it is a directory\n/);
    expect(readdirSync(dir)).toEqual(before);
    expect(readdirSync(join(dir, '..')).filter((f) => f.startsWith(`.${join(dir).split('/').pop()}.`))).toEqual([]);
  });

  it('--out a pipe or a device (/dev/stdout, a FIFO) is written to, not replaced by a file', async () => {
    const fifo = join(dir, 'snapshot.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    try {
      const r = await a.run(['snapshot', '--include', 'collections', '--out', fifo]);
      expect(r.code, r.stderr).toBe(0);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      await done;
      expect(JSON.parse(Buffer.concat(chunks).toString('utf8')).collections.length).toBeGreaterThan(0);
      expect(readdirSync(dir).filter((f) => f.startsWith('.snapshot.fifo.'))).toEqual([]);
    } finally {
      reader.kill();
      rmSync(fifo, { force: true });
    }
  });

  it('shows progress on a terminal (stderr), and a site without Wix Stores has no products to copy', async () => {
    const r = await a.run(['snapshot', '--include', 'products'], { tty: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Fetched \d+ of \d+ products…/);
    const none = join(dir, 'no-stores.json');
    writeFileSync(none, JSON.stringify({ catalogVersion: 'none', clientIds: [a.emulator.clientId] }));
    const b = await startProject({ data: none });
    try {
      const s = await b.run(['snapshot', '--include', 'products,services']);
      expect(s.code, s.stderr).toBe(0);
      expect(s.stderr).toMatch(/Note: Wix Stores is not installed on this site \(STORES_NOT_INSTALLED\)/);
      const json = JSON.parse(s.stdout);
      expect(json.catalogVersion).toBe('STORES_NOT_INSTALLED');
      expect(json.products).toBeUndefined();
      expect(json.services).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('pages like --all: offset pages in parallel after the first, one request per page', async () => {
    a.reset();
    const r = await a.run(['snapshot', '--include', 'products']);
    expect(r.code, r.stderr).toBe(0);
    const pages = a.requests('/stores-reader/v1/products/query-platformized');
    expect(pages.map((p) => p.body.query.paging)).toEqual([{ limit: 100, offset: 0 }]);
  });

  it('a member session reads as the member and says so; the copy logs in with the demo member', async () => {
    const login = await a.run(['auth', 'login', '--email', 'ada@example.com', '--password-stdin'], { input: 'demo-password\n' });
    expect(login.code, login.stderr).toBe(0);
    const file = join(dir, 'member.json');
    const r = await a.run(['snapshot', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\(member session\)/);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text).source.role).toBe('member');
    const session = a.session();
    expect(session.role).toBe('member');
    for (const secret of [session.accessToken?.value, session.refreshToken?.value].filter(Boolean)) expect(text).not.toContain(secret);
    const b = await startProject({ data: file });
    try {
      const bLogin = await b.run(['auth', 'login', '--email', 'ada@example.com', '--password-stdin'], { input: 'demo-password\n' });
      expect(bLogin.code, bLogin.stderr).toBe(0);
    } finally {
      await b.close();
    }
    await a.run(['auth', 'logout']);
  });
});

describe('snapshot files in the emulator: validation', () => {
  let a: TestProject;
  let good: any;
  beforeAll(async () => {
    a = await startProject({ products: 5 });
    good = JSON.parse((await a.run(['snapshot'])).stdout);
  });
  afterAll(async () => a.close());

  async function emulatorWith(json: unknown): Promise<{ code: number | null; stderr: string }> {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(json));
    return a.run(['emulator', '--data', file, '--port', '0']);
  }

  it('a bad field is exit 2 naming the file and the field path', async () => {
    const products = structuredClone(good.products);
    products[1].numericId = 'abc';
    const r = await emulatorWith({ ...good, products });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: data file .*bad\.json: products\[1\]\.numericId: expected a string of digits\n/);
    const services = structuredClone(good.services);
    services[0].staffMemberIds = ['nobody'];
    expect((await emulatorWith({ ...good, services })).stderr).toMatch(/services\[0\]\.staffMemberIds\[0\]: unknown staff member id nobody/);
    expect((await emulatorWith({ ...good, collections: [good.collections[0], good.collections[0]] })).stderr).toMatch(/collections\[1\]\.id: duplicate id/);
    expect((await emulatorWith({ ...good, wixqSnapshot: 'one' })).stderr).toMatch(/wixqSnapshot: expected a format version number such as 1/);
    expect((await emulatorWith({ ...good, source: { ...good.source, accessToken: 'x' } })).stderr).toMatch(/source\.accessToken: a snapshot must not hold credentials/);
  });

  it('--catalog does not apply to a snapshot (exit 2)', async () => {
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify(good));
    const r = await a.run(['emulator', '--data', file, '--catalog', 'v3', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--catalog does not apply to a snapshot: .*good\.json serves the catalog it was taken from \(V1_CATALOG\)/);
  });

  it('a newer format version is refused first, whatever else the file holds (exit 2)', async () => {
    const r = await emulatorWith({ wixqSnapshot: 2, products: 'changed in version 2' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wixqSnapshot: format version 2 is newer than this wixq reads \(1\); update wixq to serve this file/);
  });

  it('files without the version field load as before (hand-written shapes, defaults filled in)', async () => {
    const { wixqSnapshot: _v, source: _s, ...plain } = good;
    const file = join(dir, 'plain.json');
    writeFileSync(file, JSON.stringify(plain));
    const b = await startProject({ data: file });
    try {
      expect(b.emulator.site.snapshot).toBeUndefined();
      const r = await b.run(['products', 'list', '--json', '--fields', '_id']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toHaveLength(good.products.length);
    } finally {
      await b.close();
    }
  });
});

describe('snapshot of a bigger Catalog V3 site: the request count', () => {
  it('1,000 products: one product page of 100 and one Query Variants walk per page, no product read one by one', async () => {
    const site = await startProject({ products: 1000, catalog: 'v3' });
    try {
      const r = await site.run(['snapshot', '--include', 'products']);
      expect(r.code, r.stderr).toBe(0);
      const products = JSON.parse(r.stdout).productsV3 as { id: string; variantsInfo: { variants: unknown[] } }[];
      const visible = site.emulator.site.products.filter((p) => p.visible).length;
      expect(products).toHaveLength(visible);
      const pages = Math.ceil(visible / 100);
      const requests = site.apiRequests();
      expect(requests.filter((q) => q.path === '/stores/v3/products/query')).toHaveLength(pages);
      // Each page's variants fit one page of 1,000 here: one Query Variants request per page of products.
      const variantRequests = requests.filter((q) => q.path === '/stores/v3/products/query-variants');
      expect(variantRequests).toHaveLength(pages);
      for (const q of variantRequests) expect((q.body as any).query.filter['productData.productId'].$in.length).toBeLessThanOrEqual(100);
      // The version, the product pages, the variant pages: nothing per product.
      expect(requests).toHaveLength(1 + 2 * pages);
      expect(products.every((p) => p.variantsInfo.variants.length > 0)).toBe(true);
    } finally {
      await site.close();
    }
  });
});

describe('snapshot of a bulk import (CMS items sharing one _createdDate)', () => {
  it('pages in parallel by _createdDate then _id: every item once, in one order', async () => {
    // 2,500 items with one timestamp, stored out of _id order: three offset pages of 1,000, read in parallel.
    const ids = Array.from({ length: 2500 }, (_, i) => `item-${String((i * 7919) % 2500).padStart(4, '0')}`);
    const file = join(dir, 'bulk.json');
    const date = { $date: '2026-01-02T03:04:05.000Z' };
    writeFileSync(file, JSON.stringify({ clientIds: ['11111111-2222-4333-8444-555555555555'], dataCollections: [{ id: 'bulk', items: ids.map((_id, n) => ({ _id, _createdDate: date, n })) }] }));
    const site = await startProject({ data: file });
    try {
      const r = await site.run(['snapshot', '--include', 'data:bulk', '--concurrency', '3']);
      expect(r.code, r.stderr).toBe(0);
      const items = JSON.parse(r.stdout).dataCollections[0].items as { _id: string }[];
      expect(items.map((i) => i._id)).toEqual([...ids].sort());
      const sorts = site.requests('/wix-data/v2/items/query').map((q) => (q.body as any).query.sort);
      expect(sorts.length).toBe(3);
      for (const sort of sorts) expect(sort).toEqual([{ fieldName: '_createdDate', order: 'ASC' }, { fieldName: '_id', order: 'ASC' }]);
    } finally {
      await site.close();
    }
  });
});

describe('snapshot of the CMS (data:<collection ID>)', () => {
  let a: TestProject;
  beforeAll(async () => {
    a = await startProject({ products: 5 });
  });
  afterAll(async () => a.close());

  /** Every item of a collection, as the Data API pages them (cursor pages of 100, default order, as --paginate prints them). */
  const allItems = (collection: string): string[] => ['api', 'POST', '/wix-data/v2/items/query', '--data', JSON.stringify({ dataCollectionId: collection, query: { cursorPaging: { limit: 100 } } }), '--paginate'];
  const withTags = (collection: string): string[] => ['api', 'POST', '/wix-data/v2/items/query', '--data', JSON.stringify({ dataCollectionId: collection, includeReferences: [{ field: 'tags' }, { field: 'author' }], query: { sort: [{ fieldName: 'views', order: 'DESC' }], paging: { limit: 7, offset: 2 } }, returnTotalCount: true })];

  it('a visitor: the collection, the ones its references point at, the same items from the copy', async () => {
    const file = join(dir, 'cms.json');
    const r = await a.run(['snapshot', '--include', 'data:articles', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.dataCollections.map((c: any) => c.id)).toEqual(['articles', 'team', 'tags']);
    const articles = json.dataCollections[0];
    // The format of docs/reference.md 7.3: the collection's own fields, no permissions from a visitor's view, items as `data`.
    expect(articles.permissions).toBeUndefined();
    expect(articles.fields.map((f: any) => f.key)).toEqual(['title', 'slug', 'excerpt', 'author', 'tags', 'publishedDate', 'views', 'featured']);
    expect(articles.items[0]).toMatchObject({ _id: expect.any(String), _createdDate: { $date: expect.any(String) }, author: expect.any(String) });
    // Multi-references are read (queries leave them out) and written as ids.
    expect(articles.items.some((it: any) => Array.isArray(it.tags) && it.tags.length > 0 && it.tags.every((t: unknown) => typeof t === 'string'))).toBe(true);
    expect(r.stderr).toMatch(/Snapshot written to .*\(visitor session\): \d+ items of articles, \d+ items of team, \d+ items of tags\.\n$/);
    const b = await startProject({ data: file });
    try {
      await expectSame(a, b, [
        allItems('articles'),
        allItems('team'),
        allItems('tags'),
        withTags('articles'),
        ['api', 'POST', '/wix-data/v2/items/count', '--data', '{"dataCollectionId":"articles","filter":{"featured":true}}'],
        // wixq data, as a storefront's developer reads the copy.
        ['data', 'items', 'list', 'articles', '--all', '--json'],
        ['data', 'items', 'list', 'articles', '--include-referenced', 'author', '--include-referenced', 'tags', '--sort', '-views', '--limit', '5', '--json'],
        ['data', 'items', 'list', 'team', '--all', '-o', 'csv'],
        ['data', 'items', 'count', 'articles', '--filter', 'featured=true'],
        ['data', 'items', 'get', 'articles', articles.items[2]._id, '--json'],
      ]);
      const id = articles.items[3]._id;
      await expectSame(a, b, [['api', 'GET', `/wix-data/v2/items/${id}?dataCollectionId=articles`]]);
      // What is not in the copy answers as the site does: Wix's 404 body.
      const missing = await b.run(['api', 'POST', '/wix-data/v2/items/query', '--data', '{"dataCollectionId":"events-log"}']);
      expect(missing.code).toBe(3);
      expect(missing.stderr).toMatch(/WDE0025/);
    } finally {
      await b.close();
    }
  });

  it('a visitor leaves members-only collections out and says so; a reference to a left-out collection is an error', async () => {
    const r = await a.run(['snapshot', '--include', 'data:tags,data:members-news,data:staff-notes']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).dataCollections.map((c: any) => c.id)).toEqual(['tags']);
    expect(r.stderr).toMatch(/Left out data:members-news: a visitor may not read it \(members-only or admin\)\. Log in \(wixq auth login\) to include a members-only collection\./);
    expect(r.stderr).toMatch(/Left out data:staff-notes/);
    expect(r.stdout).not.toMatch(/members-news/);
    const file = join(dir, 'refused.json');
    const excluded = await a.run(['snapshot', '--include', 'data:articles', '--exclude', 'data:team', '--out', file]);
    expect(excluded.code).toBe(1);
    expect(excluded.stderr).toMatch(/data:articles references data:team \(field author\), but it is excluded/);
    // Excluded by the user: logging in would not bring it back, so the hint does not say to.
    expect(excluded.stderr).toContain('Leave data:articles out too (--exclude data:articles), or keep data:team in (drop --exclude data:team).');
    expect(excluded.stderr).not.toContain('auth login');
    expect(existsSync(file)).toBe(false);
    const unknown = await a.run(['snapshot', '--include', 'data:nope']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/no CMS collection "nope" on this site/);
  });

  it("a member's session writes members-only collections and says so; the copy serves them to members only", async () => {
    const login = await a.run(['auth', 'login', '--email', 'ada@example.com', '--password-stdin'], { input: 'demo-password\n' });
    expect(login.code, login.stderr).toBe(0);
    const file = join(dir, 'members.json');
    const r = await a.run(['snapshot', '--include', 'data:members-news,data:member-notes,data:staff-notes', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Note: data:members-news is readable by members only; it is in the snapshot because this is a member's session/);
    expect(r.stderr).toMatch(/Note: data:member-notes is readable by each member for their own items/);
    expect(r.stderr).toMatch(/Left out data:staff-notes: a member may not read it \(admin only\)\./);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.source.role).toBe('member');
    expect(json.dataCollections.map((c: any) => [c.id, c.permissions?.read])).toEqual([
      ['members-news', 'SITE_MEMBER'],
      ['member-notes', 'SITE_MEMBER_AUTHOR'],
    ]);
    const b = await startProject({ data: file });
    try {
      const visitor = await b.run(allItems('members-news'));
      expect(visitor.code).toBe(4);
      expect(visitor.stderr).toMatch(/WDE0027/);
      const bLogin = await b.run(['auth', 'login', '--email', 'ada@example.com', '--password-stdin'], { input: 'demo-password\n' });
      expect(bLogin.code, bLogin.stderr).toBe(0);
      await expectSame(a, b, [allItems('members-news'), allItems('member-notes')]);
    } finally {
      await b.close();
      await a.run(['auth', 'logout']);
    }
  });
});

describe('snapshot round trip: a --data CMS file with references', () => {
  it('the copy of a hand-written CMS answers data items list/get/count with the same bytes', async () => {
    const source = join(dir, 'cms-source.json');
    const clientId = '11111111-2222-4333-8444-555555555555';
    writeFileSync(
      source,
      JSON.stringify({
        catalogVersion: 'none',
        clientIds: [clientId],
        dataCollections: [
          { id: 'authors', displayName: 'Authors', fields: [{ key: 'name', type: 'TEXT' }], items: [{ _id: 'a1', name: 'Ada' }, { _id: 'a2', name: 'Grace' }] },
          { id: 'labels', fields: [{ key: 'title', type: 'TEXT' }], items: [{ _id: 'l1', title: 'News' }, { _id: 'l2', title: 'Tips' }, { _id: 'l3', title: 'Guides' }] },
          {
            id: 'posts',
            fields: [
              { key: 'title', type: 'TEXT' },
              { key: 'author', type: 'REFERENCE', typeMetadata: { reference: { referencedCollectionId: 'authors' } } },
              { key: 'labels', type: 'MULTI_REFERENCE', typeMetadata: { multiReference: { referencedCollectionId: 'labels' } } },
              { key: 'published', type: 'DATETIME' },
              { key: 'score', type: 'NUMBER' },
            ],
            items: [
              { _id: 'p1', title: 'Hello', author: 'a1', labels: ['l1', 'l2'], published: '2024-05-01T09:00:00Z', score: 3, _createdDate: '2024-05-01T09:00:00Z' },
              { _id: 'p2', title: 'Again', author: 'a2', labels: ['l3'], published: '2024-05-02T09:00:00Z', score: 7, _createdDate: '2024-05-02T09:00:00Z' },
              { _id: 'p3', title: 'Third', author: 'a1', published: '2024-05-03T09:00:00Z', score: 5, extra: 'not in the fields', _createdDate: '2024-05-03T09:00:00Z' },
            ],
          },
        ],
      }),
    );
    const a = await startProject({ data: source });
    const file = join(dir, 'cms-copy.json');
    try {
      const r = await a.run(['snapshot', '--include', 'data:posts', '--out', file]);
      expect(r.code, r.stderr).toBe(0);
      const json = JSON.parse(readFileSync(file, 'utf8'));
      expect(json.dataCollections.map((c: any) => c.id)).toEqual(['posts', 'authors', 'labels']);
      expect(json.dataCollections[0].items.map((it: any) => it.labels)).toEqual([['l1', 'l2'], ['l3'], undefined]);
      const b = await startProject({ data: file });
      try {
        await expectSame(a, b, [
          ['data', 'items', 'list', 'posts', '--all', '--json'],
          ['data', 'items', 'list', 'posts', '--include-referenced', 'author', '--include-referenced', 'labels', '--sort', 'score', '--json'],
          ['data', 'items', 'list', 'posts', '--filter', 'score>4', '-o', 'csv'],
          ['data', 'items', 'count', 'posts', '--filter', 'author=a1'],
          ['data', 'items', 'get', 'posts', 'p3', '--json'],
          ['data', 'items', 'list', 'authors', '--all', '--json'],
        ]);
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
    }
  });
});
