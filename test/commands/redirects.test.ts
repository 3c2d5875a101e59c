import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/index.js';
import { MAX_REDIRECTS } from '../../src/wix/transport.js';
import { startProject, type TestProject } from '../helpers/project.js';
import { startProxy } from '../helpers/proxy.js';
import { startRedirector, type Answer, type Arrived, type RedirectStatus, type Redirector } from '../helpers/redirector.js';

// No credential crosses hosts (issue 19, item 1): wixq's API URL is a redirector on loopback in front of the emulator;
// it sends chosen requests on to another loopback origin (the sink, a different port), which must receive nothing.

const PRODUCTS_PATH = '/stores-reader/v1/products/query-platformized';
const LOGIN_PATH = '/_api/iam/authentication/v2/login';
const REDIRECTS: RedirectStatus[] = [301, 302, 303, 307, 308];
const ada = DEMO_MEMBERS[0]!;

let p: TestProject;
/** The API URL of every run: forwards to the emulator unless `plan` says otherwise. */
let front: Redirector;
/** Another origin: answers 200 {} to anything, as a server that collects credentials would. */
let sink: Redirector;
let plan: (req: Arrived) => Answer | undefined = () => undefined;

beforeAll(async () => {
  p = await startProject();
  sink = await startRedirector(() => ({ status: 200, json: {} }));
  front = await startRedirector((req) => plan(req) ?? { forward: p.emulator.url });
});
afterAll(async () => {
  await Promise.all([front.close(), sink.close()]);
  await p.close();
});
beforeEach(() => {
  plan = () => undefined;
  front.arrived.length = 0;
  sink.arrived.length = 0;
  p.reset();
});

const env = (): Record<string, string> => ({ WIXQ_API_URL: front.url });
const run = (args: string[], options: { env?: Record<string, string>; input?: string } = {}) => p.run(args, { ...options, env: { ...env(), ...options.env } });

/** Sends requests whose path starts with `prefix` to the sink, with this status. */
function redirectToSink(prefix: string, status: RedirectStatus): void {
  plan = (req) => (req.path.startsWith(prefix) ? { redirect: `${sink.url}${req.path}`, status } : undefined);
}

/** Exactly one error line (and maybe a hint), naming both origins, no stack trace. */
function expectCrossHostError(stderr: string): void {
  expect(stderr).toMatch(/^Error: /);
  expect(stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).toContain(front.host);
  expect(stderr).toContain(sink.host);
}

/** Rewrites every stored session in tokens.json. */
function editSessions(edit: (session: any) => void): void {
  const file = join(p.configDir, 'tokens.json');
  const data = JSON.parse(readFileSync(file, 'utf8'));
  for (const session of Object.values(data.sessions)) edit(session);
  writeFileSync(file, JSON.stringify(data, null, 2));
}

describe('a redirect to another origin is refused, with nothing sent there', () => {
  it.each(REDIRECTS)('products list: %i', async (status) => {
    redirectToSink(PRODUCTS_PATH, status);
    const r = await run(['products', 'list', '--json', '--limit', '2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectCrossHostError(r.stderr);
    expect(sink.arrived).toEqual([]);
    // Not retried: a redirect is an answer, not a failure.
    expect(front.arrived.filter((x) => x.path.startsWith(PRODUCTS_PATH))).toHaveLength(1);
  });

  it.each(REDIRECTS)('auth login --email --password-stdin: %i, the password goes nowhere', async (status) => {
    redirectToSink(LOGIN_PATH, status);
    const r = await run(['auth', 'login', '--email', ada.email, '--password-stdin'], { input: ada.password });
    expect(r.code).toBe(1);
    expectCrossHostError(r.stderr);
    expect(r.stderr).not.toMatch(/Logged in/);
    expect(sink.arrived).toEqual([]);
    expect(front.arrived.filter((x) => x.path.startsWith(LOGIN_PATH))).toHaveLength(1);
  });

  it.each([307, 308] as const)('a refresh: %i, the refresh token goes nowhere and the stored session is kept', async (status) => {
    expect((await run(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
    editSessions((s) => (s.accessToken.expiresAt = 1));
    const before = readFileSync(join(p.configDir, 'tokens.json'), 'utf8');
    redirectToSink('/oauth2/token', status);
    const r = await run(['products', 'list', '--json', '--limit', '1']);
    expect(r.code).toBe(1);
    expectCrossHostError(r.stderr);
    expect(sink.arrived).toEqual([]);
    expect(readFileSync(join(p.configDir, 'tokens.json'), 'utf8')).toBe(before);
  });

  it.each(REDIRECTS)('wixq api GET and POST: %i', async (status) => {
    redirectToSink('/stores', status);
    const get = await run(['api', 'GET', '/stores/v3/provision/version']);
    expect(get.code).toBe(1);
    expect(get.stdout).toBe('');
    expectCrossHostError(get.stderr);
    const post = await run(['api', 'POST', PRODUCTS_PATH.replace('/stores-reader', '/stores'), '--data', '{"query":{"paging":{"limit":1}}}']);
    expect(post.code).toBe(1);
    expect(post.stdout).toBe('');
    expectCrossHostError(post.stderr);
    expect(sink.arrived).toEqual([]);
  });
});

describe('redirects within the origin', () => {
  /** /moved/<path> is <path> at the emulator. */
  const moved = (req: Arrived): Answer | undefined => (req.path.startsWith('/moved/') ? { forward: p.emulator.url, path: req.path.slice('/moved'.length) } : undefined);

  it.each([307, 308] as const)('a %i to the same origin is followed, with the token', async (status) => {
    plan = (req) => moved(req) ?? (req.path.startsWith(PRODUCTS_PATH) ? { redirect: `/moved${req.path}`, status } : undefined);
    const r = await run(['products', 'list', '--json', '--limit', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    const answered = p.requests(PRODUCTS_PATH);
    expect(answered).toHaveLength(1);
    expect(answered[0]!.identity?.role).toBe('visitor');
    expect(front.arrived.map((x) => x.path.split('?')[0])).toContain(`/moved${PRODUCTS_PATH}`);
  });

  it('a loop is named as one, exit 1, and not retried', async () => {
    // The products query, then /elsewhere, which sends it back to the very URL it came from.
    let first = '';
    plan = (req) => {
      if (req.path.startsWith(PRODUCTS_PATH)) return (first ||= req.path), { redirect: '/elsewhere', status: 307 };
      return req.path.startsWith('/elsewhere') ? { redirect: first, status: 307 } : undefined;
    };
    const r = await run(['products', 'list', '--json', '--limit', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^Error: redirect loop at ${front.url}: ${PRODUCTS_PATH} → /elsewhere → ${PRODUCTS_PATH};`));
    expect(r.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
    expect(front.arrived.filter((x) => x.path.startsWith(PRODUCTS_PATH) || x.path.startsWith('/elsewhere')).map((x) => x.path)).toEqual([first, '/elsewhere']);
  });

  it('an endless chain of new places stops at the bound, exit 1, not retried', async () => {
    let n = 0;
    plan = (req) => (req.path.startsWith(PRODUCTS_PATH) || req.path.startsWith('/hop') ? { redirect: `/hop${++n}`, status: 307 } : undefined);
    const r = await run(['products', 'list', '--json', '--limit', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^Error: ${front.url} redirected GET ${PRODUCTS_PATH} more than ${MAX_REDIRECTS} times`));
    // The query and MAX_REDIRECTS hops, once: not retried.
    expect(n).toBe(MAX_REDIRECTS + 1);
  });
});

describe('through a proxy', () => {
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    proxy = await startProxy();
  });
  afterAll(async () => proxy.close());
  const viaProxy = () => ({ env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } });

  it.each(REDIRECTS)('a %i to another origin is refused, with nothing sent there', async (status) => {
    redirectToSink(PRODUCTS_PATH, status);
    proxy.seen.length = 0;
    const r = await run(['products', 'list', '--json', '--limit', '2'], viaProxy());
    expect(r.code).toBe(1);
    expectCrossHostError(r.stderr);
    expect(sink.arrived).toEqual([]);
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(proxy.seen.some((line) => line.includes(sink.host))).toBe(false);
  });

  it('auth login: a 307 of the login is refused, the password goes nowhere', async () => {
    redirectToSink(LOGIN_PATH, 307);
    const r = await run(['auth', 'login', '--email', ada.email, '--password-stdin'], { ...viaProxy(), input: ada.password });
    expect(r.code).toBe(1);
    expectCrossHostError(r.stderr);
    expect(sink.arrived).toEqual([]);
  });

  it('a redirect within the origin is followed by wixq, not by the proxy agent', async () => {
    plan = (req) =>
      req.path.startsWith('/moved/') ? { forward: p.emulator.url, path: req.path.slice('/moved'.length) } : req.path.startsWith(PRODUCTS_PATH) ? { redirect: `/moved${req.path}`, status: 308 } : undefined;
    const r = await run(['products', 'list', '--json', '--limit', '2', '--verbose'], viaProxy());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    expect(r.stderr).toContain(`redirected to ${front.url}/moved${PRODUCTS_PATH}`);
  });
});

describe('the login walker crosses to the redirect URI by design', () => {
  it('sends no Authorization header and never fetches the redirect URI', async () => {
    const callback = await startRedirector(() => ({ status: 200, body: 'nobody should ask' }));
    try {
      const r = await run(['auth', 'login', '--email', ada.email, '--password-stdin', '--redirect-uri', `${callback.url}/callback`], { input: ada.password });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/Logged in as/);
      expect(callback.arrived).toEqual([]);
      const authorize = front.arrived.filter((x) => x.path.startsWith('/oauth2/authorize'));
      expect(authorize.length).toBeGreaterThan(0);
      for (const x of authorize) expect(x.headers.authorization).toBeUndefined();
    } finally {
      await callback.close();
      await run(['auth', 'logout']);
    }
  });
});
