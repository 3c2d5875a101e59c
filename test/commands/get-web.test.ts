import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * `products get X --web` and `services get X --web`: the item's page on the site, opened with WIXQ_BROWSER (a script
 * that reports its argument to a loopback server, so the test waits for the event, not for time) or printed.
 */

interface Recorder {
  /** The WIXQ_BROWSER command line. */
  command: string;
  /** The next URL a "browser" was started with. */
  next(): Promise<string>;
  close(): Promise<void>;
}

async function browserRecorder(): Promise<Recorder> {
  const dir = mkdtempSync(join(tmpdir(), 'wixq-web-'));
  const waiting: Array<(url: string) => void> = [];
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    req.on('end', () => {
      res.end();
      const resolve = waiting.shift();
      if (resolve) resolve(body);
      else received.push(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const script = join(dir, 'browser.mjs');
  writeFileSync(script, `await fetch('http://127.0.0.1:${port}/', { method: 'POST', body: process.argv[2] ?? '' });\n`);
  return {
    command: `"${process.execPath}" "${script}"`,
    next: () => (received.length ? Promise.resolve(received.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PRODUCT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const catalog of ['v1', 'v3'] as const) {
  describe(`--web on a Catalog ${catalog.toUpperCase()} site`, () => {
    let p: TestProject;
    let browser: Recorder;
    let product: { id: string; slug: string; pageUrl: string };
    beforeAll(async () => {
      p = await startProject({ catalog });
      browser = await browserRecorder();
      // On V1 the list carries the page URL (productPageUrl); V3 returns it only on request.
      const listed = await p.run(['products', 'list', '--limit', '1', '--fields', catalog === 'v1' ? '_id,slug,productPageUrl' : '_id,slug', '-o', 'json']);
      const [first] = JSON.parse(listed.stdout) as Array<Record<string, any>>;
      product = { id: first!._id, slug: first!.slug, pageUrl: catalog === 'v1' ? `${first!.productPageUrl.base}${first!.productPageUrl.path}` : '' };
      expect(product.id).toMatch(PRODUCT_ID);
    });
    afterAll(async () => {
      await browser.close();
      await p.close();
    });

    it('products get <slug> --web starts WIXQ_BROWSER with the product page URL; stdout stays empty', async () => {
      p.reset();
      const r = await p.run(['products', 'get', product.slug, '--web'], { env: { WIXQ_BROWSER: browser.command } });
      expect(r.code, r.stderr).toBe(0);
      const opened = await browser.next();
      expect(opened).toMatch(new RegExp(`^https://[^/]+/.*product-page/${product.slug}$`));
      if (catalog === 'v1') expect(opened).toBe(product.pageUrl);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`Opening ${opened} in your browser.\n`);
      // V3 returns the URL only when asked for it (fields=URL).
      if (catalog === 'v3') {
        const get = p.apiRequests().at(-1)!;
        expect(get.path).toMatch(/\/stores\/v3\/products\/slug\//);
        expect([get.query.fields].flat()).toEqual(['URL']);
      }
    });

    it('products get <id> --web --no-browser prints the URL on stdout and starts no browser', async () => {
      const r = await p.run(['products', 'get', product.id, '--web', '--no-browser'], { env: { WIXQ_BROWSER: browser.command } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^https://[^/]+/.*product-page/${product.slug}\\n$`));
      expect(r.stderr).toBe('');
    });

    it('without a display or a named browser the URL is printed, as gh does', async () => {
      if (process.platform === 'darwin' || process.platform === 'win32') return;
      const r = await p.run(['products', 'get', product.slug, '--web'], { env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/product-page\/.+\n$/);
    });
  });
}

describe('services get --web', () => {
  let p: TestProject;
  let browser: Recorder;
  beforeAll(async () => {
    p = await startProject();
    browser = await browserRecorder();
  });
  afterAll(async () => {
    await browser.close();
    await p.close();
  });

  it('opens urls.servicePage, by slug and by ID, and prints it with --no-browser', async () => {
    const list = await p.run(['services', 'list', '--limit', '1', '-o', 'json']);
    const [service] = JSON.parse(list.stdout) as Array<Record<string, any>>;
    const slug = service!.mainSlug.name as string;
    const expected = service!.urls.servicePage as string;
    expect(expected).toMatch(/^https:\/\//);

    const bySlug = await p.run(['services', 'get', slug, '--web'], { env: { WIXQ_BROWSER: browser.command } });
    expect(bySlug.code, bySlug.stderr).toBe(0);
    expect(await browser.next()).toBe(expected);

    const byId = await p.run(['services', 'get', service!._id ?? service!.id, '--web'], { env: { BROWSER: browser.command } });
    expect(byId.code, byId.stderr).toBe(0);
    expect(await browser.next()).toBe(expected);

    const printed = await p.run(['services', 'get', slug, '--web', '--no-browser']);
    expect(printed.stdout).toBe(`${expected}\n`);
  });

  it('a browser command that cannot start: a warning and the URL on stdout; usage errors and a missing service keep their exit codes', async () => {
    const r = await p.run(['services', 'get', 'morning-yoga-flow', '--web'], { env: { WIXQ_BROWSER: join(tmpdir(), 'no-such-browser-wixq') } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^https:\/\/.+\n$/);
    expect(r.stderr).toContain('could not open a browser');

    p.reset();
    expect((await p.run(['services', 'get', 'morning-yoga-flow', '--no-browser'])).code).toBe(2);
    expect((await p.run(['services', 'get', 'morning-yoga-flow', '--web', '--fields', 'name'])).code).toBe(2);
    expect(p.requests()).toHaveLength(0);
    const missing = await p.run(['services', 'get', 'no-such-service', '--web', '--no-browser']);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe('');
  });
});
