import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/** wixq api in-process against the emulator: what it sends (recorded requests), what it prints, paging, errors, retries (on the project's fake clock: no real back-off). */

type Item = Record<string, any>;
const V1_QUERY = '/stores-reader/v1/products/query-platformized';

describe('wixq api on a Catalog V1 site', () => {
  let p: TestProject;
  let visible: number;
  let first: Item;
  beforeAll(async () => {
    p = await startProject();
    visible = (await p.control('GET', 'site')).counts.visibleProducts;
    const r = await p.run(['api', 'POST', V1_QUERY, '--data', '{"query":{"paging":{"limit":1}}}']);
    expect(r.code, r.stderr).toBe(0);
    first = JSON.parse(r.stdout).products[0];
  });
  afterAll(async () => p.close());
  beforeEach(() => p.reset());

  it('GET of a product prints the response JSON (pretty), sent with the bare session token', async () => {
    const r = await p.run(['api', 'GET', `/stores-reader/v1/products/${first.id}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify({ product: first }, null, 2)}\n`);
    const [request] = p.apiRequests();
    expect(request).toMatchObject({ method: 'GET', path: `/stores-reader/v1/products/${first.id}`, status: 200 });
    expect(request.headers.authorization).toBe(p.session().accessToken.value);
    expect(request.body).toBeNull();
  });

  it('takes a full https://www.wixapis.com URL and a path without the leading slash', async () => {
    for (const target of ['https://www.wixapis.com/stores/v3/provision/version', 'stores/v3/provision/version']) {
      const r = await p.run(['api', 'get', target]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ catalogVersion: 'V1_CATALOG' });
    }
    expect(p.apiRequests().map((x) => x.path)).toEqual(['/stores/v3/provision/version', '/stores/v3/provision/version']);
  });

  it('POST with --data to a query path sends the body as given', async () => {
    const query = { query: { filter: { name: first.name }, paging: { limit: 5 } } };
    const r = await p.run(['api', 'POST', V1_QUERY, '--data', JSON.stringify(query)]);
    expect(r.code, r.stderr).toBe(0);
    const response = JSON.parse(r.stdout);
    expect(response.products.length).toBeGreaterThanOrEqual(1);
    expect(response.products.every((x: Item) => x.name === first.name)).toBe(true);
    expect(response.metadata.total).toBe(response.products.length);
    const [request] = p.apiRequests();
    expect(request).toMatchObject({ method: 'POST', path: V1_QUERY, body: query });
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('--data @file and --data - (stdin)', async () => {
    const file = join(p.configDir, 'query.json');
    writeFileSync(file, '{"query":{"paging":{"limit":3}}}\n');
    const fromFile = await p.run(['api', 'POST', V1_QUERY, '--data', `@${file}`]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout).products).toHaveLength(3);

    const fromStdin = await p.run(['api', 'POST', V1_QUERY, '--data', '-'], { input: '{"query":{"paging":{"limit":2,"offset":1}}}' });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(JSON.parse(fromStdin.stdout).metadata).toMatchObject({ count: 2, offset: 1, total: visible });
    expect(p.apiRequests().map((x) => x.body)).toEqual([{ query: { paging: { limit: 3 } } }, { query: { paging: { limit: 2, offset: 1 } } }]);
  });

  it('bad JSON, a missing file, a bad header, a body on GET and a foreign host are exit 2 before any request', async () => {
    const cases = [
      ['api', 'POST', V1_QUERY, '--data', '{"query":'],
      ['api', 'POST', V1_QUERY, '--data', '-'],
      ['api', 'POST', V1_QUERY, '--data', '@/no/such/file.json'],
      ['api', 'GET', '/stores/v3/provision/version', '-H', 'no-colon'],
      ['api', 'GET', V1_QUERY, '--data', '{}'],
      ['api', 'GET', 'https://example.com/steal-the-token'],
      ['api', 'FETCH', '/x'],
      ['api', 'GET', V1_QUERY, '--paginate'],
    ];
    for (const args of cases) {
      const r = await p.run(args, { input: 'not json' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect((await p.run(['api', 'POST', V1_QUERY, '--data', '{"query":'])).stderr).toMatch(/--data is not valid JSON/);
    expect(p.requests()).toHaveLength(0);
  });

  it('--paginate over offset paging prints one JSON array with every item once', async () => {
    const r = await p.run(['api', 'POST', V1_QUERY, '--data', '{"query":{"paging":{"limit":100}}}', '--paginate']);
    expect(r.code, r.stderr).toBe(0);
    const items = JSON.parse(r.stdout) as Item[];
    expect(items).toHaveLength(visible);
    expect(new Set(items.map((x) => x.id)).size).toBe(visible);
    const offsets = p.apiRequests().map((x) => x.body.query.paging);
    expect(offsets).toEqual([{ limit: 100 }, { limit: 100, offset: 100 }, { limit: 100, offset: 200 }]);

    // The same list through the product command, in the same order.
    const listed = JSON.parse((await p.run(['products', 'list', '--all', '--json', '--fields', '_id'])).stdout) as Item[];
    expect(items.map((x) => x.id)).toEqual(listed.map((x) => x._id));
  });

  it('--paginate keeps the filter and with -o ndjson prints one item per line', async () => {
    // `visible` is not a V1 filter field (ProductQuerySpec); productType is.
    const r = await p.run(['api', 'POST', V1_QUERY, '--data', '{"query":{"filter":{"productType":"physical"},"paging":{"limit":40}}}', '--paginate', '-o', 'ndjson']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(visible);
    expect(lines.every((line) => JSON.parse(line).productType === 'physical')).toBe(true);
    expect(p.apiRequests().every((x) => JSON.stringify(x.body.query.filter) === '{"productType":"physical"}')).toBe(true);
  });

  it('-i prints the status line and the response headers on stderr; stdout stays JSON', async () => {
    const r = await p.run(['api', 'GET', '/stores/v3/provision/version', '-i']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ catalogVersion: 'V1_CATALOG' });
    const [request] = p.apiRequests();
    expect(r.stderr).toMatch(/^HTTP 200 OK\n/);
    expect(r.stderr).toContain('content-type: application/json');
    expect(r.stderr).toContain(`x-wix-request-id: ${request.requestId}`);
  });

  it('-H adds request headers', async () => {
    const r = await p.run(['api', 'GET', '/stores/v3/provision/version', '-H', 'Accept-Language: de', '--header', 'x-test:1']);
    expect(r.code, r.stderr).toBe(0);
    const [request] = p.apiRequests();
    expect(request.headers).toMatchObject({ 'accept-language': 'de', 'x-test': '1' });
  });

  it('a 404 is exit 3 with Wix\'s message and the request ID', async () => {
    const r = await p.run(['api', 'GET', '/stores-reader/v1/products/no-such-product']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const [request] = p.apiRequests();
    expect(r.stderr).toContain('Wix answered 404 NOT_FOUND to GET /stores-reader/v1/products/no-such-product');
    expect(r.stderr).toContain(request.requestId);
  });

  it('a 400 validation error is exit 2 with the field Wix names', async () => {
    const r = await p.run(['api', 'POST', V1_QUERY, '--data', '{"query":{"paging":{"limit":1000}}}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/query\.paging\.limit: must not be greater than 100/);
  });

  it('a 401 renews the session once and sends the request again', async () => {
    expect((await p.run(['api', 'GET', '/stores/v3/provision/version'])).code).toBe(0);
    const before = p.session().accessToken.value;
    await p.control('POST', 'expire-tokens');
    p.reset();
    const r = await p.run(['api', 'POST', V1_QUERY, '--data', '{"query":{"paging":{"limit":1}}}']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).products).toHaveLength(1);
    const requests = p.requests();
    expect(requests.map((x) => `${x.status} ${x.path}`)).toEqual([`401 ${V1_QUERY}`, '200 /oauth2/token', `200 ${V1_QUERY}`]);
    expect(requests[2].headers.authorization).toBe(p.session().accessToken.value);
    expect(p.session().accessToken.value).not.toBe(before);
  });

  it('a read that keeps failing with 503 is retried, then exit 5', async () => {
    await p.control('POST', 'faults', { path: '/stores/v3/provision/version', status: 503, count: 5 });
    const r = await p.run(['api', 'GET', '/stores/v3/provision/version', '--retries', '2']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/Wix answered 503 .*\(still after retries\)/);
    expect(p.requests('/stores/v3/provision/version')).toHaveLength(3);
    // Two back-offs, waited on the fake clock.
    expect(p.clock.sleeps).toHaveLength(2);
  });

  it('a query POST is retried after a 503, but a POST that may change something is sent once', async () => {
    await p.control('POST', 'faults', { path: V1_QUERY, status: 503, count: 1 });
    const query = await p.run(['api', 'POST', V1_QUERY, '--data', '{"query":{"paging":{"limit":1}}}']);
    expect(query.code, query.stderr).toBe(0);
    expect(p.requests(V1_QUERY).map((x) => x.status)).toEqual([503, 200]);

    const write = `/stores-reader/v1/products/${first.id}/productOptionsAvailability`;
    await p.control('POST', 'faults', { path: write, status: 503, count: 5 });
    const r = await p.run(['api', 'POST', write, '--data', '{"options":{}}']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('sent once and not retried');
    expect(p.requests(write)).toHaveLength(1);

    await p.control('POST', 'faults', { path: '/stores-reader/v1/products/x', status: 503, count: 5 });
    const del = await p.run(['api', 'DELETE', '/stores-reader/v1/products/x']);
    expect(del.code).toBe(5);
    expect(p.requests('/stores-reader/v1/products/x')).toHaveLength(1);
  });

  it('an unknown route answers a loud 404 (exit 3)', async () => {
    const r = await p.run(['api', 'PATCH', '/stores/v1/no-such-endpoint', '--data', '{}']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/404/);
  });
});

describe('wixq api on a Catalog V3 site', () => {
  let p: TestProject;
  let visible: number;
  beforeAll(async () => {
    p = await startProject({ catalog: 'v3' });
    visible = (await p.control('GET', 'site')).counts.visibleProducts;
  });
  afterAll(async () => p.close());
  beforeEach(() => p.reset());

  it('--paginate follows cursor paging: every item once, next pages carry only the cursor', async () => {
    const r = await p.run(['api', 'POST', '/stores/v3/products/query', '--data', '{"query":{"cursorPaging":{"limit":100}},"fields":["CURRENCY"]}', '--paginate']);
    expect(r.code, r.stderr).toBe(0);
    const items = JSON.parse(r.stdout) as Item[];
    expect(items).toHaveLength(visible);
    expect(new Set(items.map((x) => x.id)).size).toBe(visible);
    const bodies = p.apiRequests().map((x) => x.body);
    expect(bodies).toHaveLength(Math.ceil(visible / 100));
    expect(bodies[0]).toEqual({ query: { cursorPaging: { limit: 100 } }, fields: ['CURRENCY'] });
    for (const body of bodies.slice(1)) {
      expect(Object.keys(body.query)).toEqual(['cursorPaging']);
      expect(body.query.cursorPaging).toEqual({ limit: 100, cursor: expect.any(String) });
      expect(body.fields).toEqual(['CURRENCY']);
    }
  });

  it('--paginate with a filter on search: the cursor keeps it', async () => {
    const all = JSON.parse((await p.run(['api', 'POST', '/stores/v3/products/query', '--paginate'])).stdout) as Item[];
    expect(all).toHaveLength(visible);
    const name = all[0]!.name as string;
    const prefix = name.split(' ')[0]!;
    const expected = all.filter((x) => (x.name as string).toLowerCase().startsWith(prefix.toLowerCase()));
    // More matches than one page of 2, so the filter has to survive in the cursor.
    expect(expected.length).toBeGreaterThan(2);
    // V3 filters on name only through search (V3ProductSearchSpec); query refuses it.
    const data = JSON.stringify({ search: { filter: { name: { $startsWith: prefix } }, cursorPaging: { limit: 2 } } });
    const r = await p.run(['api', 'POST', '/stores/v3/products/search', '--data', data, '--paginate']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Item[]).map((x) => x.id).sort()).toEqual(expected.map((x) => x.id).sort());
  });

  it('a 403 (merchant data as a visitor) is exit 4 and says visitors cannot', async () => {
    const all = JSON.parse((await p.run(['api', 'POST', '/stores/v3/products/query', '--data', '{"query":{"cursorPaging":{"limit":1}}}'])).stdout);
    const id = all.products[0].id as string;
    const r = await p.run(['api', 'GET', `/stores/v3/products/${id}?fields=MERCHANT_DATA`]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/Wix answered 403/);
    expect(r.stderr).toContain('Visitors cannot call this');
  });
});
