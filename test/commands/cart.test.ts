import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/index.js';
import { productVariants } from '../../src/emulator/site/catalog.js';
import type { V1Product } from '../../src/emulator/site/types.js';
import { startProject, type Recorded, type TestProject } from '../helpers/project.js';

/**
 * `wixq cart` end to end: in-process runs against the emulator's carts (per identity, in memory), on a Catalog V1 and
 * a Catalog V3 site, with the requests the emulator recorded. A later run sees the cart through the session on disk;
 * another profile has its own.
 */

const STORES = '215238eb-22a5-4c36-9e7b-e7c08025e04e';
const SHIRT = 'premium-cotton-shirt';
const RUG = 'premium-wool-rug';
const CLOCK = 'coastal-stoneware-wall-clock';
const ada = DEMO_MEMBERS[0]!;

/** The requests since `mark`, as `METHOD path`, the token endpoint left out. */
function since(p: TestProject, mark: number): string[] {
  return p.requests().slice(mark).filter((r) => r.path !== '/oauth2/token').map((r) => `${r.method} ${r.path}`);
}
const adds = (p: TestProject, mark: number): Recorded[] => p.requests().slice(mark).filter((r) => r.path === '/ecom/v1/carts/current/add-to-cart');

for (const catalog of ['v1', 'v3'] as const) {
  describe(`wixq cart on a Catalog ${catalog.toUpperCase()} site`, () => {
    let p: TestProject;
    let shirt: V1Product;
    let rug: V1Product;
    const lookup = (slug: string): string => (catalog === 'v1' ? 'GET /stores-reader/v1/products/query-platformized' : `GET /stores/v3/products/slug/${slug}`);
    const cartJson = async (args: string[] = []): Promise<any> => {
      const r = await p.run(['cart', '--json', ...args]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };

    beforeAll(async () => {
      p = await startProject({ catalog });
      shirt = p.emulator.site.products.find((x) => x.slug === SHIRT)!;
      rug = p.emulator.site.products.find((x) => x.slug === RUG)!;
      expect(shirt && rug).toBeTruthy();
      // The catalog version is detected once and cached: later runs count only their own requests.
      expect((await p.run(['products', 'list', '--limit', '1'])).code).toBe(0);
    });
    afterAll(() => p.close());

    it('no cart yet is an empty cart, exit 0, in one request (estimate totals answers 404 OWNED_CART_NOT_FOUND)', async () => {
      const mark = p.requests().length;
      const r = await p.run(['cart', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ lineItems: [] });
      expect(since(p, mark)).toEqual(['POST /ecom/v1/carts/current/estimate-totals']);
      const table = await p.run(['cart'], { tty: true });
      expect({ code: table.code, stdout: table.stdout, stderr: table.stderr }).toEqual({ code: 0, stdout: '', stderr: 'The cart is empty.\n' });
    });

    it(`adds with options (${catalog === 'v3' ? 'the variant of the choices' : 'the choices, variants not managed'}), in the slug lookup and the add`, async () => {
      const mark = p.requests().length;
      const r = await p.run(['cart', 'add', SHIRT, '--option', 'size=m', '--option', 'Color=charcoal', '--quantity', '2']);
      expect(r.code, r.stderr).toBe(0);
      expect(since(p, mark)).toEqual([lookup(SHIRT), 'POST /ecom/v1/carts/current/add-to-cart']);
      const variant = productVariants(shirt).find((v) => (v.choices as Record<string, string>).Size === 'M' && (v.choices as Record<string, string>).Color === 'Charcoal')!;
      const options = catalog === 'v3' ? { variantId: variant.id } : { options: { Size: 'M', Color: 'Charcoal' } };
      expect(adds(p, mark).map((a) => a.body)).toEqual([{ lineItems: [{ catalogReference: { appId: STORES, catalogItemId: shirt.id, options }, quantity: 2 }] }]);
      // stdout is the cart Wix answered; stderr says what was added.
      const cart = JSON.parse(r.stdout);
      expect(cart.lineItems.map((l: any) => [l.catalogReference.catalogItemId, l.quantity])).toEqual([[shirt.id, 2]]);
      expect(r.stderr).toBe('Added 2 × Premium Cotton Shirt (Size: M, Color: Charcoal): the line has 2. The cart has 1 line, 2 items.\n');
    });

    it('a later run sees the cart, and a warm cart is one request; another profile has its own (empty) cart', async () => {
      const mark = p.requests().length;
      const cart = await cartJson();
      expect(p.requests().slice(mark).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /ecom/v1/carts/current/estimate-totals']);
      expect(cart.lineItems.map((l: any) => [l.catalogReference.catalogItemId, l.quantity])).toEqual([[shirt.id, 2]]);
      expect(cart.buyerInfo.visitorId).toBe(p.requests(`/ecom/v1/carts/current/estimate-totals`).at(-1)!.identity.visitorId);
      expect(await cartJson(['--profile', 'other'])).toEqual({ lineItems: [] });
      expect(p.session('other').accessToken.value).not.toBe(p.session().accessToken.value);

      const table = await p.run(['cart'], { tty: true, columns: 120 });
      expect(table.code, table.stderr).toBe(0);
      const unit = (shirt.priceData as { discountedPrice: number }).discountedPrice;
      const money = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
      expect(table.stdout).toMatch(new RegExp(`│ Premium Cotton Shirt │ Size: M, Color: Charcoal │ +2 │ +\\${money(unit)} │ +\\${money(unit * 2)} │`));
      expect(table.stdout.trimEnd().split('\n').at(-1)).toBe(`Subtotal: ${money(unit * 2)}`);
      const csv = await p.run(['cart', '-o', 'csv']);
      expect(csv.stdout).toBe(`Product,Options,quantity,Price,Line total\nPremium Cotton Shirt,"Size: M, Color: Charcoal",2,${money(unit)},${money(unit * 2)}\n`);
    });

    it('update and remove name a line by the product slug or its line ID; clear empties the cart', async () => {
      expect((await p.run(['cart', 'add', RUG])).code).toBe(0);
      let mark = p.requests().length;
      const updated = await p.run(['cart', 'update', RUG, '--quantity', '3']);
      expect(updated.code, updated.stderr).toBe(0);
      expect(since(p, mark)).toEqual(['GET /ecom/v1/carts/current', 'POST /ecom/v1/carts/current/update-line-items-quantity']);
      const lines = (await cartJson()).lineItems;
      expect(lines.map((l: any) => [l.catalogReference.catalogItemId, l.quantity])).toEqual([[shirt.id, 2], [rug.id, 3]]);

      mark = p.requests().length;
      const removed = await p.run(['cart', 'remove', lines[0]._id]);
      expect(removed.code, removed.stderr).toBe(0);
      expect(p.requests('/ecom/v1/carts/current/remove-line-items').at(-1)!.body).toEqual({ lineItemIds: [lines[0]._id] });
      expect(since(p, mark)).toEqual(['GET /ecom/v1/carts/current', 'POST /ecom/v1/carts/current/remove-line-items']);
      expect((await cartJson()).lineItems.map((l: any) => l.catalogReference.catalogItemId)).toEqual([rug.id]);

      const cleared = await p.run(['cart', 'clear']);
      expect({ code: cleared.code, stdout: cleared.stdout, stderr: cleared.stderr }).toEqual({ code: 0, stdout: '', stderr: 'Cleared the cart.\n' });
      expect(await cartJson()).toEqual({ lineItems: [] });
      expect((await p.run(['cart', 'clear'])).stderr).toBe('The cart is already empty.\n');
    });

    it('a product that matches several lines is exit 2 listing them, nothing removed; a product not in the cart is exit 3', async () => {
      expect((await p.run(['cart', 'add', SHIRT, '--option', 'Size=S', '--option', 'Color=Mustard'])).code).toBe(0);
      expect((await p.run(['cart', 'add', SHIRT, '--option', 'Size=L', '--option', 'Color=Mustard'])).code).toBe(0);
      const lines = (await cartJson()).lineItems;
      const mark = p.requests().length;
      const r = await p.run(['cart', 'remove', SHIRT]);
      expect(r.code).toBe(2);
      const [error, hint] = r.stderr.trimEnd().split('\n');
      expect(error).toBe(`Error: "${SHIRT}" matches 2 lines of the cart: name one by its line ID`);
      for (const line of lines) expect(hint).toContain(line._id);
      const missing = await p.run(['cart', 'update', RUG, '--quantity', '2']);
      expect(missing.code).toBe(3);
      expect(missing.stderr.split('\n')[0]).toBe(`Error: no line of the cart is "${RUG}"`);
      expect(since(p, mark).filter((x) => !x.startsWith('GET '))).toEqual([]);
      expect((await p.run(['cart', 'clear'])).code).toBe(0);
    });

    it('cart checkout creates the checkout, then its redirect session, and prints the hosted checkout URL', async () => {
      expect((await p.run(['cart', 'add', RUG])).code).toBe(0);
      const mark = p.requests().length;
      const r = await p.run(['cart', 'checkout']);
      expect(r.code, r.stderr).toBe(0);
      expect(since(p, mark)).toEqual(['POST /ecom/v1/carts/current/create-checkout', 'POST /_api/redirects-api/v1/redirect-session']);
      const [create, redirect] = p.requests().slice(mark).filter((x) => x.path !== '/oauth2/token');
      expect(create!.body).toEqual({ channelType: 'WEB' });
      const checkoutId = redirect!.body.ecomCheckout.checkoutId;
      // No redirect URI set for the profile: no callbacks, Wix's own pages after the payment.
      expect(redirect!.body).toEqual({ ecomCheckout: { checkoutId: expect.any(String) } });
      const url = r.stdout.trim();
      expect(r.stdout).toBe(`${url}\n`);
      expect(url.startsWith(`${p.emulator.site.siteUrl}/checkout?`)).toBe(true);
      expect(new URL(url).searchParams.get('checkoutId')).toBe(checkoutId);
      expect(r.stderr).toMatch(/^Checkout \S+ created: pay at the URL above\. It stays on the site as an abandoned checkout/);

      const json = await p.run(['cart', 'checkout', '--json']);
      expect(JSON.parse(json.stdout)).toMatchObject({ checkoutId: expect.any(String), url: expect.stringMatching(/\/checkout\?/), redirectSession: { fullUrl: expect.any(String) } });

      // With a redirect URI of the profile's own, Wix sends the buyer back there.
      expect((await p.run(['config', 'set', 'redirect-uri', 'http://localhost:9911/done'])).code).toBe(0);
      expect((await p.run(['cart', 'checkout'])).code).toBe(0);
      expect(p.requests('/_api/redirects-api/v1/redirect-session').at(-1)!.body.callbacks).toEqual({ postFlowUrl: 'http://localhost:9911/done' });
      expect((await p.run(['config', 'unset', 'redirect-uri'])).code).toBe(0);
      expect((await p.run(['cart', 'clear'])).code).toBe(0);
    });

    it('cart checkout --web opens the URL with WIXQ_BROWSER, or prints it with --no-browser', async () => {
      expect((await p.run(['cart', 'add', RUG])).code).toBe(0);
      const printed = await p.run(['cart', 'checkout', '--web', '--no-browser']);
      expect(printed.code, printed.stderr).toBe(0);
      expect(printed.stdout).toMatch(/^https:\/\/\S+\/checkout\?checkoutId=\S+\n$/);
      // Without a display and no browser named, the rule of get --web: the URL is printed.
      const headless = await p.run(['cart', 'checkout', '--web'], { env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined, BROWSER: undefined, WIXQ_BROWSER: undefined } });
      expect(headless.code, headless.stderr).toBe(0);
      expect(headless.stdout).toMatch(/^https:\/\/\S+\/checkout\?checkoutId=\S+\n$/);
      // The "browser" reports its argument to a loopback server: the test waits for that event, not for time.
      const dir = mkdtempSync(join(tmpdir(), 'wixq-browser-'));
      let resolveUrl: (url: string) => void = () => {};
      const received = new Promise<string>((resolve) => (resolveUrl = resolve));
      const server: Server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += String(chunk)));
        req.on('end', () => {
          res.end();
          resolveUrl(body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const script = join(dir, 'browser.mjs');
        writeFileSync(script, `await fetch('http://127.0.0.1:${(server.address() as { port: number }).port}/', { method: 'POST', body: process.argv[2] ?? '' });\n`);
        const opened = await p.run(['cart', 'checkout', '--web'], { env: { WIXQ_BROWSER: `"${process.execPath}" "${script}"` } });
        expect(opened.code, opened.stderr).toBe(0);
        expect(opened.stdout).toBe('');
        const url = /^Opening (\S+) in your browser\.$/m.exec(opened.stderr)![1]!;
        expect(url).toMatch(/\/checkout\?checkoutId=/);
        expect(await received).toBe(url);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        rmSync(dir, { recursive: true, force: true });
      }
      expect((await p.run(['cart', 'checkout', '--no-browser'])).code).toBe(2);
      expect((await p.run(['cart', 'clear'])).code).toBe(0);
    });

    it('an empty cart has nothing to check out: exit 2, and no redirect session', async () => {
      expect((await p.run(['cart', 'clear'])).code).toBe(0);
      const mark = p.requests().length;
      const r = await p.run(['cart', 'checkout']);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
        code: 2,
        stdout: '',
        stderr: 'Error: the cart is empty: there is nothing to check out\nAdd a product first: wixq cart add <product ID or slug>\n',
      });
      expect(since(p, mark)).not.toContain('POST /_api/redirects-api/v1/redirect-session');
    });

    it('refuses before sending: no choice, an unknown option or choice, a bad quantity, an unknown variant or product (zero add requests)', async () => {
      const mark = p.requests().length;
      const cases: Array<[string[], number, string, RegExp?]> = [
        [['cart', 'add', SHIRT], 2, `Error: "Premium Cotton Shirt" needs a choice for Size, Color: add --option NAME=VALUE for each (or --variant ID)`, /^"Premium Cotton Shirt" offers: --option Size=S\|M\|L\|XL {2}--option Color=Mustard\|Charcoal$/],
        [['cart', 'add', SHIRT, '--option', 'Size=M'], 2, `Error: "Premium Cotton Shirt" needs a choice for Color: add --option NAME=VALUE for each (or --variant ID)`],
        [['cart', 'add', SHIRT, '--option', 'Fit=Slim', '--option', 'Size=M', '--option', 'Color=Charcoal'], 2, 'Error: "Premium Cotton Shirt" has no option named "Fit"'],
        [['cart', 'add', SHIRT, '--option', 'Size=XXL', '--option', 'Color=Charcoal'], 2, 'Error: "Premium Cotton Shirt" has no choice "XXL" for Size (its choices: S, M, L, XL)'],
        [['cart', 'add', RUG, '--option', 'Size=M'], 2, 'Error: "Premium Wool Rug" has no option named "Size" (it has no options)'],
        [['cart', 'add', RUG, '--text', 'Note=hi'], 2, 'Error: "Premium Wool Rug" has no text field named "Note" (it takes no text)'],
        [['cart', 'add', RUG, '--quantity', '0'], 2, 'Error: --quantity must be a whole number from 1 to 100,000 (Wix\'s limits for a line), got "0"'],
        [['cart', 'add', RUG, '--quantity', '100001'], 2, 'Error: --quantity must be a whole number from 1 to 100,000 (Wix\'s limits for a line), got "100001"'],
        [['cart', 'add', RUG, '--quantity', '1.5'], 2, 'Error: --quantity must be a whole number from 1 to 100,000 (Wix\'s limits for a line), got "1.5"'],
        [['cart', 'add', RUG, '--option', 'Size'], 2, 'Error: --option takes NAME=VALUE, got "Size"'],
        [['cart', 'update', RUG, '--quantity', '-2'], 2, 'Error: --quantity must be a whole number from 1 to 100,000 (Wix\'s limits for a line), got "-2"'],
        [['cart', 'add', 'no-such-product'], 3, 'Error: '],
      ];
      if (catalog === 'v3') cases.push([['cart', 'add', SHIRT, '--variant', '00000000-0000-0000-0000-000000000001'], 2, 'Error: "Premium Cotton Shirt" has no variant 00000000-0000-0000-0000-000000000001']);
      for (const [args, code, error, hint] of cases) {
        const r = await p.run(args);
        const lines = r.stderr.trimEnd().split('\n');
        expect({ args, code: r.code, stdout: r.stdout, error: lines[0]!.startsWith(error) }).toEqual({ args, code, stdout: '', error: true });
        expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
        if (hint) expect(lines[1]).toMatch(hint);
      }
      expect(adds(p, mark)).toEqual([]);
      expect(since(p, mark).filter((x) => x.includes('/ecom/'))).toEqual([]);
    });

    it('as a member after auth login: the member’s own cart, added, shown and checked out; logout goes back to a visitor’s', async () => {
      expect((await p.run(['cart', 'add', RUG])).code).toBe(0);
      const login = await p.run(['auth', 'login', '--email', ada.email, '--password-stdin'], { input: ada.password });
      expect(login.code, login.stderr).toBe(0);
      expect(await cartJson()).toEqual({ lineItems: [] });
      const added = await p.run(['cart', 'add', SHIRT, '--option', 'Size=XL', '--option', 'Color=Mustard', '--quantity', '4']);
      expect(added.code, added.stderr).toBe(0);
      const cart = await cartJson();
      expect(cart.lineItems.map((l: any) => [l.catalogReference.catalogItemId, l.quantity])).toEqual([[shirt.id, 4]]);
      expect(cart.buyerInfo.memberId).toEqual(expect.any(String));
      expect(p.requests('/ecom/v1/carts/current/add-to-cart').at(-1)!.identity).toMatchObject({ role: 'member' });
      const checkout = await p.run(['cart', 'checkout']);
      expect(checkout.code, checkout.stderr).toBe(0);
      expect(checkout.stdout).toMatch(/\/checkout\?checkoutId=/);
      const mark = p.requests().length;
      expect((await p.run(['cart', 'update', SHIRT, '--quantity', '5'])).code).toBe(0);
      expect((await cartJson()).lineItems.map((l: any) => l.quantity)).toEqual([5]);
      expect((await p.run(['cart', 'remove', SHIRT])).code).toBe(0);
      expect((await cartJson()).lineItems).toEqual([]);
      expect((await p.run(['cart', 'add', RUG])).code).toBe(0);
      expect((await p.run(['cart', 'clear'])).code).toBe(0);
      const cartCalls = p.requests().slice(mark).filter((x) => x.path.startsWith('/ecom/'));
      expect(cartCalls.length).toBeGreaterThan(6);
      expect(cartCalls.every((x) => x.identity?.role === 'member')).toBe(true);
      expect((await p.run(['auth', 'logout'])).code).toBe(0);
      // A new visitor after logout: neither the member's cart nor the earlier visitor's.
      expect((await cartJson()).lineItems).toEqual([]);
    });

    if (catalog === 'v1') {
      it('a product that manages its variants is added by the variant ID of its choices, never the choices too', async () => {
        const clock = p.emulator.site.products.find((x) => x.slug === CLOCK)!;
        expect(clock.manageVariants).toBe(true);
        const variant = productVariants(clock).find((v) => (v.choices as Record<string, string>).Color === 'Forest')!;
        const mark = p.requests().length;
        const r = await p.run(['cart', 'add', CLOCK, '--option', 'Color=Forest']);
        expect(r.code, r.stderr).toBe(0);
        expect(since(p, mark)).toEqual([lookup(CLOCK), `POST /stores-reader/v1/products/${clock.id}/variants/query`, 'POST /ecom/v1/carts/current/add-to-cart']);
        expect(adds(p, mark)[0]!.body.lineItems[0].catalogReference.options).toEqual({ variantId: variant.id });
        const byId = await p.run(['cart', 'add', CLOCK, '--variant', String(variant.id)]);
        expect(byId.code, byId.stderr).toBe(0);
        expect(adds(p, mark)[1]!.body.lineItems[0].catalogReference.options).toEqual({ variantId: variant.id });
        expect((await p.run(['cart', 'clear'])).code).toBe(0);
      });
    }
  });
}

describe('wixq cart: mandatory texts and the session on disk', () => {
  let p: TestProject;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wixq-cart-data-'));
    const data = join(dataDir, 'site.json');
    writeFileSync(
      data,
      JSON.stringify({
        catalogVersion: 'V1_CATALOG',
        clientIds: ['11111111-2222-4333-8444-555555555555'],
        products: [
          { id: '11111111-1111-4111-8111-111111111111', name: 'Engraved Mug', slug: 'engraved-mug', price: 12, customTextFields: [{ title: 'Engraving', maxLength: 12, mandatory: true }] },
        ],
      }),
    );
    p = await startProject({ data });
  });
  afterAll(async () => {
    await p.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a missing mandatory text is exit 2 naming it, with zero add requests; with --text the line carries it', async () => {
    const mark = p.requests().length;
    const r = await p.run(['cart', 'add', 'engraved-mug']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('Error: "Engraved Mug" needs a text for "Engraving": add --text NAME=VALUE\n"Engraved Mug" offers: --text Engraving=<text> (mandatory, up to 12 characters)\n');
    const long = await p.run(['cart', 'add', 'engraved-mug', '--text', 'Engraving=Happy birthday!']);
    expect(long.code).toBe(2);
    expect(adds(p, mark)).toEqual([]);
    const ok = await p.run(['cart', 'add', 'engraved-mug', '--text', 'engraving=For Ada']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(adds(p, mark)[0]!.body.lineItems[0].catalogReference.options).toEqual({ customTextFields: { Engraving: 'For Ada' } });
  });

  it('where the session cannot be saved, the commands that change the cart fail with exit 1 before any request', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wixq-cart-ro-'));
    try {
      const file = join(root, 'not-a-folder');
      writeFileSync(file, 'x');
      const dir = join(file, 'wixq');
      const mark = p.requests().length;
      for (const args of [['cart', 'add', 'engraved-mug', '--text', 'Engraving=x'], ['cart', 'remove', 'engraved-mug'], ['cart', 'update', 'engraved-mug', '--quantity', '2'], ['cart', 'clear']]) {
        const r = await p.run(args, { env: { WIXQ_CONFIG_DIR: dir } });
        expect({ args, code: r.code, stdout: r.stdout, stderr: r.stderr.trimEnd().split('\n') }).toEqual({
          args,
          code: 1,
          stdout: '',
          stderr: [`Error: cannot write to ${dir}: ENOTDIR (a file is in the way)`, 'Fix the folder permissions, or set WIXQ_CONFIG_DIR to a folder you can write to.'],
        });
      }
      expect(p.requests().slice(mark)).toEqual([]);
      expect(readFileSync(file, 'utf8')).toBe('x');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('wixq cart checks what Wix answered: a refusal, or a 200 that does not hold what was asked (docs/wix-api.md 15.3)', () => {
  let p: TestProject;
  let tracked: V1Product;
  beforeAll(async () => {
    p = await startProject();
    // A product without options whose stock is tracked: its one variant has 10 (the demo catalog's rule).
    tracked = p.emulator.site.products.find((x) => x.visible && ((x.productOptions ?? []) as unknown[]).length === 0 && (x.stock as any)?.inventoryStatus === 'IN_STOCK' && (x.stock as any)?.trackInventory === true)!;
    expect(productVariants(tracked)[0]!.stock).toMatchObject({ trackQuantity: true, quantity: 10 });
  });
  afterAll(() => p.close());

  it('a 404 without OWNED_CART_NOT_FOUND is an error (exit 3), never an empty cart', async () => {
    await p.control('POST', 'faults', { path: '/ecom/v1/carts/current/estimate-totals', status: 404, body: { message: 'Not Found', details: {} } });
    const r = await p.run(['cart', '--json']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 3, stdout: '' });
    expect(r.stderr).toMatch(/^Error: not found: could not read the cart/);
  });

  for (const mode of ['error', 'silent'] as const) {
    it(`an out-of-stock variant, and a quantity above the stock, are never exit 0 (cartLineRefusals: ${mode})`, async () => {
      await p.control('POST', 'config', { cartLineRefusals: mode });
      const soldOut = await p.run(['cart', 'add', CLOCK, '--option', 'Color=Black']);
      const [error, hint] = soldOut.stderr.trimEnd().split('\n');
      if (mode === 'error') {
        expect(soldOut.code).toBe(2);
        expect(error).toMatch(/^Error: Wix rejected the request to add "Coastal Stoneware Wall Clock" to the cart: .*exceeds available inventory/);
      } else {
        // Added, but not buyable: the cart is printed, and the run fails saying so.
        expect(soldOut.code).toBe(1);
        expect(JSON.parse(soldOut.stdout).lineItems.map((l: any) => l.availability.status)).toEqual(['NOT_AVAILABLE']);
        expect(error).toBe(`Error: "Coastal Stoneware Wall Clock" is in the cart but NOT_AVAILABLE (Wix's availability of the line): it cannot be bought as it is`);
        expect(hint).toMatch(/^Take it out with: wixq cart remove \S+$/);
      }
      expect((await p.run(['cart', 'add', tracked.slug, '--quantity', '2'])).code).toBe(0);
      const over = await p.run(['cart', 'update', tracked.slug, '--quantity', '11']);
      if (mode === 'error') {
        expect(over.code).toBe(2);
        expect(over.stderr).toMatch(/exceeds available inventory \(10\)/);
      } else {
        expect(over.code).toBe(1);
        expect(over.stderr.split('\n')[0]).toBe(`Error: Wix set "${tracked.name}" to 10, not 11 (the stock left?)`);
      }
      expect((await p.run(['cart', 'clear'])).code).toBe(0);
    });
  }
});

describe('a site that accepts no payments (the emulator switch acceptsPayments: false)', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject();
    await p.control('POST', 'config', { acceptsPayments: false });
  });
  afterAll(() => p.close());

  it('cart checkout is exit 1 with Wix\u2019s refusal and what to do; check --checkout fails its create step (exit 6) and still deletes its cart', async () => {
    expect((await p.run(['cart', 'add', RUG])).code).toBe(0);
    const r = await p.run(['cart', 'checkout']);
    expect(r.code).toBe(1);
    const [error, hint] = r.stderr.trimEnd().split('\n');
    expect(error).toMatch(/^Error: Wix refused to create a checkout from the cart \(428 SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT\): Site must accept payments/);
    expect(hint).toBe('The site accepts no payments yet: connect a payment method in its dashboard (Settings > Accept Payments), then try again.');
    expect(r.stdout).toBe('');
    const check = await p.run(['check', '--checkout', '--json']);
    expect(check.code).toBe(6);
    const rows = JSON.parse(check.stdout).checks.filter((c: any) => c.name.startsWith('checkout:'));
    expect(rows.map((c: any) => [c.name, c.status])).toEqual([
      ['checkout:visitor', 'pass'],
      ['checkout:product', 'pass'],
      ['checkout:add', 'pass'],
      ['checkout:create', 'fail'],
      ['checkout:url', 'skip'],
      ['checkout:cleanup', 'pass'],
    ]);
    expect(rows[3].error.hint).toMatch(/connect a payment method/);
  });
});
