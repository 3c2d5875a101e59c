import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';
import { startRedirector, type Answer, type Arrived, type Redirector } from '../helpers/redirector.js';

// What comes back, and what goes out (issue 19, items 3 and 5 and the small ones of `wixq api`): a front server on
// loopback before the emulator answers chosen requests itself.

const PRODUCTS_PATH = '/stores-reader/v1/products/query-platformized';
const VERSION_PATH = '/stores/v3/provision/version';

let p: TestProject;
let front: Redirector;
let plan: (req: Arrived) => Answer | undefined = () => undefined;

beforeAll(async () => {
  p = await startProject();
  front = await startRedirector((req) => plan(req) ?? { forward: p.emulator.url });
});
afterAll(async () => {
  await front.close();
  await p.close();
});
beforeEach(() => {
  plan = () => undefined;
  front.arrived.length = 0;
  p.reset();
});

const run = (args: string[], options: { input?: string } = {}) => p.run(args, { ...options, env: { WIXQ_API_URL: front.url } });
const tokensFile = () => join(p.configDir, 'tokens.json');

/** Answers requests whose path starts with `prefix` with this status, body and content type. */
function answer(prefix: string, body: string, type?: string, status = 200): void {
  const headers: Record<string, string> = type ? { 'content-type': type } : {};
  plan = (req) => (req.path.startsWith(prefix) ? { status, body, headers } : undefined);
}

function expectOneError(stderr: string): void {
  expect(stderr).toMatch(/^Error: /);
  expect(stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/System error occurred|unexpected failure/);
}

describe('a 200 must parse', () => {
  it.each([
    ['an HTML page', '<html><body>Sign in to the Wi-Fi</body></html>', 'text/html; charset=utf-8', '46 bytes (text/html; charset=utf-8)'],
    ['a cut-off body', '{"products":[{"id":"p', 'application/json', '21 bytes (application/json)'],
    ['nothing', '', undefined, 'an empty body (no content type)'],
  ])('an SDK call answered with %s is exit 5 with its size and content type', async (_what, body, type, described) => {
    answer(PRODUCTS_PATH, body, type);
    const r = await run(['products', 'list', '--json', '--limit', '2']);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expectOneError(r.stderr);
    expect(r.stderr).toContain(`the answer to GET ${front.host}${PRODUCTS_PATH} was HTTP 200 with ${described}, which is not JSON`);
  });

  it('so is any other SDK call (Bookings services)', async () => {
    plan = (req) => (req.path.includes('/services/query') ? { status: 200, body: '<html>portal</html>', headers: { 'content-type': 'text/html' } } : undefined);
    const r = await run(['services', 'list', '--json', '--limit', '2']);
    expect(r.code).toBe(5);
    expectOneError(r.stderr);
    expect(r.stderr).toMatch(/services\/query was HTTP 200 with 19 bytes \(text\/html\), which is not JSON/);
  });

  it('--verbose shows the start of the body', async () => {
    answer(PRODUCTS_PATH, '<html><body>Sign in to the Wi-Fi</body></html>', 'text/html');
    const r = await run(['products', 'list', '--json', '--limit', '2', '--verbose']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('  body (not JSON): <html><body>Sign in to the Wi-Fi</body></html>');
  });

  it('the token endpoint answering a page is exit 5 too, and nothing is stored', async () => {
    rmSync(tokensFile(), { force: true });
    answer('/oauth2/token', '<html>portal</html>', 'text/html');
    const r = await run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code).toBe(5);
    expectOneError(r.stderr);
    expect(r.stderr).toContain(`the answer to POST ${front.host}/oauth2/token was HTTP 200 with 19 bytes (text/html), which is not JSON`);
    expect(existsSync(tokensFile())).toBe(false);
  });

  it.each([
    ['a cut-off body', '{"catalogVersio', 'application/json', '15 bytes (application/json)'],
    ['an HTML page', '<html>portal</html>\n', 'text/html', '20 bytes (text/html)'],
    ['nothing', '', undefined, 'an empty body (no content type)'],
  ])('wixq api answered with %s prints what it got and exits 5', async (_what, body, type, described) => {
    answer(VERSION_PATH, body, type);
    const r = await run(['api', 'GET', VERSION_PATH]);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe(body === '' ? '' : body.endsWith('\n') ? body : `${body}\n`);
    expectOneError(r.stderr);
    expect(r.stderr).toContain(`the answer to GET ${VERSION_PATH} was HTTP 200 with ${described}, which is not JSON`);
  });
});

describe('tokens are checked when they arrive', () => {
  /** The token endpoint hands out a real grant whose access token is spoiled by `spoil`. */
  async function spoiledGrant(spoil: (token: string) => string): Promise<void> {
    const res = await fetch(new URL('/oauth2/token', p.emulator.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: p.emulator.clientId, grantType: 'anonymous' }),
    });
    const grant = (await res.json()) as Record<string, unknown>;
    answer('/oauth2/token', JSON.stringify({ ...grant, access_token: spoil(String(grant.access_token)) }), 'application/json');
  }

  it.each([
    ['a line break', (t: string) => `${t}\nX-Injected: 1`],
    ['a character that is not ASCII', (t: string) => `${t}é`],
  ])('a grant whose access token contains %s fails with a clear message and stores nothing', async (what, spoil) => {
    rmSync(tokensFile(), { force: true });
    await spoiledGrant(spoil);
    const r = await run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code).toBe(1);
    expectOneError(r.stderr);
    expect(r.stderr).toContain(`Wix answered the token request with an access token that cannot be sent in an HTTP header (it contains ${what}); it was not used or stored`);
    expect(existsSync(tokensFile())).toBe(false);
    expect(front.arrived.filter((x) => x.path.startsWith(PRODUCTS_PATH))).toEqual([]);
  });

  it('a stored token that cannot be sent is dropped and renewed, and auth status agrees', async () => {
    rmSync(tokensFile(), { force: true });
    expect((await run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
    const data = JSON.parse(readFileSync(tokensFile(), 'utf8'));
    for (const session of Object.values<any>(data.sessions)) session.accessToken.value += '\n';
    writeFileSync(tokensFile(), JSON.stringify(data, null, 2));

    const status = await run(['auth', 'status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).accessTokenValid).toBe(false);

    p.reset();
    const r = await run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(p.tokenRequests().map((x) => x.grantType)).toEqual(['refresh_token']);
    const renewed = JSON.parse(readFileSync(tokensFile(), 'utf8'));
    for (const session of Object.values<any>(renewed.sessions)) expect(session.accessToken.value).toMatch(/^[\x21-\x7e]+$/);
    expect(JSON.parse((await run(['auth', 'status', '--json'])).stdout).accessTokenValid).toBe(true);
  });
});

describe('wixq api checks what it sends', () => {
  it.each([
    ['X-Note: a\nb', 'bad header X-Note: its value contains a line break'],
    ['Accept-Language: €', 'bad header Accept-Language: its value contains a character that is not ASCII'],
    ['Content-Length: 5', '-H Content-Length cannot be set: wixq sets it from the body it sends'],
    ['Transfer-Encoding: chunked', '-H Transfer-Encoding cannot be set'],
  ])('-H %j is exit 2 before any request', async (header, message) => {
    const r = await p.run(['api', 'GET', VERSION_PATH, '-H', header, '--timeout', '1', '--retries', '0'], { env: { WIXQ_API_URL: front.url } });
    expect(r.code).toBe(2);
    expectOneError(r.stderr);
    expect(r.stderr).toContain(message);
    expect(front.arrived.filter((x) => x.path.startsWith(VERSION_PATH))).toEqual([]);
  });

  it('a --data file or stdin that is not JSON is named, never quoted', async () => {
    const file = join(p.configDir, 'secret.txt');
    writeFileSync(file, 'root:$6$SECRETHASH:19000:0:99999:7:::\n');
    const fromFile = await run(['api', 'POST', PRODUCTS_PATH, '--data', `@${file}`]);
    expect(fromFile.code).toBe(2);
    expectOneError(fromFile.stderr);
    expect(fromFile.stderr).toContain(`the file ${file} is not valid JSON`);
    expect(fromFile.stderr).not.toMatch(/root|SECRET|\$6/);

    const fromStdin = await run(['api', 'POST', PRODUCTS_PATH, '--data', '-'], { input: '{"query": SECRET-VALUE}' });
    expect(fromStdin.code).toBe(2);
    expect(fromStdin.stderr).toContain('stdin is not valid JSON');
    expect(fromStdin.stderr).not.toMatch(/SECRET/);

    // What was typed on the command line is the user's own: its parse error stays as detailed as JSON.parse makes it.
    const inline = await run(['api', 'POST', PRODUCTS_PATH, '--data', '{"query":']);
    expect(inline.code).toBe(2);
    expect(inline.stderr).toMatch(/--data is not valid JSON: /);
  });
});
