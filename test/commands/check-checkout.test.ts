import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * `wixq check --checkout`: the purchase flow with a throwaway visitor of its own, on a healthy site (V1 and V3), with
 * the cart endpoint failing, and on a site with nothing to buy. The profile's own cart and tokens.json stay exactly
 * as they were.
 */

const STEPS = ['checkout:visitor', 'checkout:product', 'checkout:add', 'checkout:create', 'checkout:url', 'checkout:cleanup'];

interface Report {
  ok: boolean;
  exitCode: number;
  checks: Array<{ name: string; status: string; details: string; error?: { message: string; exitCode: number; hint?: string } }>;
  hints: string[];
}

/** What the profile owns: its tokens.json, byte for byte, and its cart's lines. */
async function profileState(p: TestProject): Promise<{ tokens: string; lines: unknown }> {
  const tokens = readFileSync(join(p.configDir, 'tokens.json'), 'utf8');
  const cart = await p.run(['cart', '--json']);
  expect(cart.code, cart.stderr).toBe(0);
  const lines = JSON.parse(cart.stdout).lineItems.map((l: any) => ({ id: l._id, product: l.catalogReference.catalogItemId, quantity: l.quantity }));
  // Reading the cart renews nothing: the file is the same after it.
  expect(readFileSync(join(p.configDir, 'tokens.json'), 'utf8')).toBe(tokens);
  return { tokens, lines };
}

for (const catalog of ['v1', 'v3'] as const) {
  describe(`check --checkout on a healthy Catalog ${catalog.toUpperCase()} site`, () => {
    let p: TestProject;
    beforeAll(async () => {
      p = await startProject({ catalog });
      // The profile has a cart of its own, which the check must never touch.
      const added = await p.run(['cart', 'add', 'premium-cotton-shirt', '--option', 'Size=L', '--option', 'Color=Mustard', '--quantity', '2']);
      expect(added.code, added.stderr).toBe(0);
    });
    afterAll(() => p.close());

    it('passes one row per step as a new visitor, deletes that visitor\u2019s cart, and leaves the profile\u2019s cart and tokens as they were', async () => {
      const before = await profileState(p);
      const profileVisitor = p.requests('/ecom/v1/carts/current').at(-1)!.identity.visitorId;
      const mark = p.requests().length;
      const r = await p.run(['check', '--checkout', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      const rows = report.checks.filter((c) => c.name.startsWith('checkout:'));
      expect(rows.map((c) => [c.name, c.status])).toEqual(STEPS.map((name) => [name, 'pass']));
      expect(rows.find((c) => c.name === 'checkout:url')!.details.startsWith(`${p.emulator.site.siteUrl}/checkout?checkoutId=`)).toBe(true);
      expect(rows.find((c) => c.name === 'checkout:product')!.details).toMatch(/^"[^"]+" \([a-z0-9-]+\): the first visible, in-stock product that needs no choice or text$/);

      // One new anonymous token, used for every cart call of the check and never the profile's.
      const requests = p.requests().slice(mark);
      expect(requests.filter((x) => x.path === '/oauth2/token').map((x) => x.grantType)).toEqual(['anonymous']);
      const cartCalls = requests.filter((x) => x.path.startsWith('/ecom/') || x.path.startsWith('/_api/redirects-api/'));
      expect(cartCalls.map((x) => `${x.method} ${x.path}`)).toEqual([
        'POST /ecom/v1/carts/current/add-to-cart',
        'POST /ecom/v1/carts/current/create-checkout',
        'POST /_api/redirects-api/v1/redirect-session',
        'DELETE /ecom/v1/carts/current',
      ]);
      const throwaway = new Set(cartCalls.map((x) => x.identity.visitorId));
      expect(throwaway.size).toBe(1);
      expect(throwaway.has(profileVisitor)).toBe(false);
      expect(await profileState(p)).toEqual(before);
    });

    it('the table says each step, and the abandoned checkout it leaves', async () => {
      const r = await p.run(['check', '--checkout'], { tty: true, columns: 200 });
      expect(r.code, r.stderr).toBe(0);
      for (const step of STEPS) expect(r.stdout).toMatch(new RegExp(`│ ${step} +│ ok +│`));
      expect(r.stdout).toMatch(/abandoned checkout: a visitor cannot delete one/);
    });
  });
}

describe('check --checkout with faults', () => {
  let p: TestProject;
  let dir: string;
  beforeAll(async () => {
    p = await startProject();
    dir = mkdtempSync(join(tmpdir(), 'wixq-check-checkout-'));
    expect((await p.run(['cart', 'add', 'premium-wool-rug'])).code).toBe(0);
  });
  afterAll(async () => {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the cart endpoint failing is exit 6 with a hint, the later steps not run, in the JSON, the JUnit report and the job summary', async () => {
    const before = await profileState(p);
    await p.control('POST', 'faults', { path: '/ecom/v1/carts/current/add-to-cart', status: 500 });
    const junit = join(dir, 'report.xml');
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const mark = p.requests().length;
    const r = await p.run(['check', '--checkout', '--json', '--junit', junit], { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(6);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ ok: false, exitCode: 6 });
    const rows = report.checks.filter((c) => c.name.startsWith('checkout:'));
    expect(rows.map((c) => [c.name, c.status])).toEqual([
      ['checkout:visitor', 'pass'],
      ['checkout:product', 'pass'],
      ['checkout:add', 'fail'],
      ['checkout:create', 'skip'],
      ['checkout:url', 'skip'],
      ['checkout:cleanup', 'skip'],
    ]);
    const failed = rows[2]!;
    expect(failed.error).toMatchObject({ exitCode: 6, message: expect.stringMatching(/^Wix answered 500 to add a product to a new visitor's cart/) });
    expect(failed.error!.hint).toMatch(/^A new visitor could not add a product to the cart/);
    expect(report.hints).toContain(failed.error!.hint);
    expect(r.stderr).toContain(`Hint: ${failed.error!.hint}`);
    expect(r.stderr).toMatch(/^Error: check failed: checkout:add: Wix answered 500/m);
    expect(r.stderr).toContain('::error title=wixq check::checkout:add: Wix answered 500');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testcase name="checkout:add" classname="wixq check" time="[\d.]+">\n\s+<failure message="checkout:add: Wix answered 500/);
    expect(xml).toMatch(/<testcase name="checkout:create"[^>]*>\n\s+<skipped message="not run: checkout:add failed"\/>/);
    expect(readFileSync(summary, 'utf8')).toMatch(/\| checkout:add \| ❌ FAIL \| \d+ ms \| Wix answered 500/);
    // Nothing after the failed add was sent; the profile's own cart and tokens are as they were.
    expect(p.requests().slice(mark).filter((x) => x.path.startsWith('/ecom/') && x.path !== '/ecom/v1/carts/current/add-to-cart')).toEqual([]);
    expect(await profileState(p)).toEqual(before);
  });

  it('a checkout that cannot be created still deletes the new visitor\u2019s cart', async () => {
    const before = await profileState(p);
    await p.control('POST', 'faults', { path: '/ecom/v1/carts/current/create-checkout', status: 503 });
    const mark = p.requests().length;
    const r = await p.run(['check', '--checkout', '--json', '--retries', '0']);
    expect(r.code).toBe(6);
    const rows = (JSON.parse(r.stdout) as Report).checks.filter((c) => c.name.startsWith('checkout:'));
    expect(rows.map((c) => [c.name, c.status])).toEqual([
      ['checkout:visitor', 'pass'],
      ['checkout:product', 'pass'],
      ['checkout:add', 'pass'],
      ['checkout:create', 'fail'],
      ['checkout:url', 'skip'],
      ['checkout:cleanup', 'pass'],
    ]);
    const deleted = p.requests().slice(mark).filter((x) => x.method === 'DELETE' && x.path === '/ecom/v1/carts/current');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]!.identity.visitorId).toBe(p.requests().slice(mark).find((x) => x.path === '/ecom/v1/carts/current/add-to-cart')!.identity.visitorId);
    expect(await profileState(p)).toEqual(before);
  });
});

describe('check --checkout on a site with nothing to buy as it is', () => {
  let p: TestProject;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wixq-check-nothing-'));
    const file = join(dir, 'site.json');
    writeFileSync(
      file,
      JSON.stringify({
        catalogVersion: 'V1_CATALOG',
        clientIds: ['11111111-2222-4333-8444-555555555555'],
        products: [
          { id: '21111111-1111-4111-8111-111111111111', name: 'Sold Out Mug', slug: 'sold-out-mug', price: 9, stock: { inStock: false, inventoryStatus: 'OUT_OF_STOCK' } },
          { id: '31111111-1111-4111-8111-111111111111', name: 'Sized Shirt', slug: 'sized-shirt', price: 20, productOptions: [{ name: 'Size', choices: [{ description: 'M' }] }] },
          { id: '41111111-1111-4111-8111-111111111111', name: 'Engraved Pen', slug: 'engraved-pen', price: 5, customTextFields: [{ title: 'Name', maxLength: 10, mandatory: true }] },
        ],
      }),
    );
    p = await startProject({ data: file });
  });
  afterAll(async () => {
    await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is exit 6 at the product step, with a hint, and adds nothing', async () => {
    const mark = p.requests().length;
    const r = await p.run(['check', '--checkout', '--json']);
    expect(r.code).toBe(6);
    const rows = (JSON.parse(r.stdout) as Report).checks.filter((c) => c.name.startsWith('checkout:'));
    expect(rows.map((c) => [c.name, c.status])).toEqual([
      ['checkout:visitor', 'pass'],
      ['checkout:product', 'fail'],
      ['checkout:add', 'skip'],
      ['checkout:create', 'skip'],
      ['checkout:url', 'skip'],
      ['checkout:cleanup', 'skip'],
    ]);
    expect(rows[1]!.details).toBe('none of the 3 products read is visible, in stock and free of required choices and texts');
    expect(rows[1]!.error!.hint).toMatch(/needs a visible, in-stock product that needs no choice or text/);
    expect(rows[5]!.details).toBe('not run: no cart was made');
    expect(p.requests().slice(mark).filter((x) => x.path.startsWith('/ecom/'))).toEqual([]);
  });
});
