import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, TemporaryError } from '../../src/errors.js';
import {
  ensureSession,
  isAccessTokenUsable,
  persistSdkTokens,
  VISITOR_RESTARTED_NOTICE,
  type SdkTokens,
} from '../../src/session/session.js';
import { sessionKey, TokenStore, WIX_API, type StoredSession } from '../../src/session/token-store.js';
import { RefreshRejectedError, type OAuthClient, type TokenResponse } from '../../src/wix/oauth.js';

const CLIENT = 'client-1';
const KEY = sessionKey('default', CLIENT);
const T0 = Date.UTC(2025, 0, 1, 0, 0, 0); // ms
const T0s = T0 / 1000;

/** An OAuthClient that records each call and answers from a script. */
class FakeOAuth implements OAuthClient {
  calls: Array<{ grant: string; clientId: string; refreshToken?: string }> = [];
  refreshAnswer: () => TokenResponse = () => ({ accessToken: `at-refreshed-${this.calls.length}`, refreshToken: '', expiresIn: 14_400 });
  anonymousAnswer: () => TokenResponse = () => ({ accessToken: `at-anon-${this.calls.length}`, refreshToken: `rt-anon-${this.calls.length}`, expiresIn: 14_400 });
  onRefresh?: () => Promise<void>;

  async anonymous(clientId: string): Promise<TokenResponse> {
    this.calls.push({ grant: 'anonymous', clientId });
    return this.anonymousAnswer();
  }
  async refresh(refreshToken: string, clientId: string): Promise<TokenResponse> {
    this.calls.push({ grant: 'refresh_token', clientId, refreshToken });
    await this.onRefresh?.();
    return this.refreshAnswer();
  }
  async authorizationCode(): Promise<TokenResponse> {
    throw new Error('not used');
  }
}

let dir: string;
let store: TokenStore;
let warnings: string[];
let clock: number;
const now = () => clock;

function stored(extra: Partial<StoredSession> = {}): StoredSession {
  return {
    clientId: CLIENT,
    api: WIX_API,
    role: 'visitor',
    accessToken: { value: 'at-stored', expiresAt: T0s + 3600 },
    refreshToken: { value: 'rt-stored', role: 'visitor' },
    createdAt: '2024-12-31T00:00:00.000Z',
    updatedAt: '2024-12-31T00:00:00.000Z',
    ...extra,
  };
}

async function seed(session: StoredSession): Promise<void> {
  await store.update(KEY, async () => session);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wixq-session-'));
  warnings = [];
  store = new TokenStore(dir, { onWarning: (line) => warnings.push(line), now });
  clock = T0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('isAccessTokenUsable', () => {
  it('needs more than 60 s left', () => {
    const s = stored({ accessToken: { value: 'x', expiresAt: T0s + 61 } });
    expect(isAccessTokenUsable(s, T0)).toBe(true);
    expect(isAccessTokenUsable(s, T0 + 1000)).toBe(false);
    expect(isAccessTokenUsable(stored({ accessToken: { value: '', expiresAt: T0s + 3600 } }), T0)).toBe(false);
  });
});

describe('ensureSession', () => {
  it('starts an anonymous visitor session when there is none, and writes it', async () => {
    const oauth = new FakeOAuth();
    const result = await ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now });
    expect(oauth.calls).toEqual([{ grant: 'anonymous', clientId: CLIENT }]);
    expect(result.tokenRequests).toBe(1);
    expect(result.notices).toEqual([]);
    expect(result.session).toMatchObject({
      clientId: CLIENT,
      role: 'visitor',
      accessToken: { value: 'at-anon-1', expiresAt: T0s + 14_400 },
      refreshToken: { value: 'rt-anon-1', role: 'visitor' },
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    expect(await store.read(KEY)).toEqual(result.session);
  });

  it('reuses a usable token with no request and no lock', async () => {
    await seed(stored());
    const oauth = new FakeOAuth();
    // A lock held by this live process would make any locked path wait and time out.
    const guarded = new TokenStore(dir, { lockTimeoutMs: 50 });
    writeFileSync(guarded.lockPath, JSON.stringify({ pid: process.pid, host: hostname(), createdAt: '', nonce: 'n' }));
    const result = await ensureSession({ store: guarded, key: KEY, clientId: CLIENT, oauth, now });
    expect(result).toEqual({ session: stored(), notices: [], tokenRequests: 0 });
    expect(oauth.calls).toEqual([]);
  });

  it('renews an expiring token with the refresh grant, keeping the visitor and the refresh token', async () => {
    await seed(stored({ accessToken: { value: 'at-old', expiresAt: T0s + 30 } }));
    const oauth = new FakeOAuth();
    const result = await ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now });
    expect(oauth.calls).toEqual([{ grant: 'refresh_token', clientId: CLIENT, refreshToken: 'rt-stored' }]);
    expect(result.tokenRequests).toBe(1);
    expect(result.session).toMatchObject({
      role: 'visitor',
      accessToken: { value: 'at-refreshed-1', expiresAt: T0s + 14_400 },
      refreshToken: { value: 'rt-stored', role: 'visitor' },
      createdAt: '2024-12-31T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
    });
    expect(await store.read(KEY)).toEqual(result.session);
  });

  it('adopts a different refresh token when Wix hands one out, and keeps a member a member', async () => {
    await seed(stored({ role: 'member', memberId: 'm1', refreshToken: { value: 'rt-m', role: 'member' }, accessToken: { value: 'a', expiresAt: T0s - 10 } }));
    const oauth = new FakeOAuth();
    oauth.refreshAnswer = () => ({ accessToken: 'at-new', refreshToken: 'rt-rotated', expiresIn: 100 });
    const { session } = await ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now });
    expect(session).toMatchObject({ role: 'member', memberId: 'm1', refreshToken: { value: 'rt-rotated', role: 'member' } });
  });

  it('uses the token another process renewed while this one waited for the lock (0 requests)', async () => {
    await seed(stored({ accessToken: { value: 'at-old', expiresAt: T0s + 10 } }));
    const oauth = new FakeOAuth();
    // Stale fast-path read, then the "other process" renews before this one's locked re-read.
    const racing = new TokenStore(dir);
    const originalRead = racing.read.bind(racing);
    racing.read = async (key) => {
      const value = await originalRead(key);
      await store.update(KEY, async (cur) => ({ ...cur!, accessToken: { value: 'at-other', expiresAt: T0s + 7200 } }));
      return value;
    };
    const result = await ensureSession({ store: racing, key: KEY, clientId: CLIENT, oauth, now });
    expect(oauth.calls).toEqual([]);
    expect(result.tokenRequests).toBe(0);
    expect(result.session.accessToken.value).toBe('at-other');
  });

  it('starts a new visitor session with a notice when Wix rejects a visitor refresh token', async () => {
    await seed(stored({ accessToken: { value: 'at-old', expiresAt: T0s - 1 } }));
    const oauth = new FakeOAuth();
    oauth.refreshAnswer = () => {
      throw new RefreshRejectedError('Wix rejected the stored refresh token: invalid_grant.', { requestId: 'req-1' });
    };
    const result = await ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now });
    expect(oauth.calls.map((c) => c.grant)).toEqual(['refresh_token', 'anonymous']);
    expect(result.tokenRequests).toBe(2);
    expect(result.notices).toEqual([VISITOR_RESTARTED_NOTICE]);
    expect(result.session).toMatchObject({ role: 'visitor', accessToken: { value: 'at-anon-2' }, refreshToken: { value: 'rt-anon-2' } });
    expect((await store.read(KEY))?.refreshToken.value).toBe('rt-anon-2');
  });

  it('throws AuthError for a rejected member refresh token and leaves tokens.json byte for byte', async () => {
    await seed(stored({ role: 'member', memberId: 'm1', refreshToken: { value: 'rt-m', role: 'member' }, accessToken: { value: 'a', expiresAt: T0s - 1 } }));
    const before = readFileSync(store.path);
    const oauth = new FakeOAuth();
    oauth.refreshAnswer = () => {
      throw new RefreshRejectedError('rejected', { requestId: 'req-9' });
    };
    const error = await ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).not.toBeInstanceOf(RefreshRejectedError);
    expect((error as AuthError).message).toBe('member session expired, run wixq auth login');
    expect((error as AuthError).requestId).toBe('req-9');
    expect((error as AuthError).exitCode).toBe(4);
    expect(oauth.calls.map((c) => c.grant)).toEqual(['refresh_token']);
    expect(readFileSync(store.path).equals(before)).toBe(true);
  });

  it('passes a network failure of the refresh through without replacing the session', async () => {
    await seed(stored({ accessToken: { value: 'a', expiresAt: T0s - 1 } }));
    const before = readFileSync(store.path);
    const oauth = new FakeOAuth();
    oauth.refreshAnswer = () => {
      throw new TemporaryError('could not reach Wix');
    };
    await expect(ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now })).rejects.toBeInstanceOf(TemporaryError);
    expect(oauth.calls.map((c) => c.grant)).toEqual(['refresh_token']);
    expect(readFileSync(store.path).equals(before)).toBe(true);
  });

  it('sets a corrupt tokens.json aside with a warning and starts a new session', async () => {
    writeFileSync(store.path, '{"version":1,"sessions":{"default:client-1":{"clientId":');
    const oauth = new FakeOAuth();
    const result = await ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('tokens.json.corrupt-2025-01-01T00-00-00-000Z');
    expect(result.session.role).toBe('visitor');
    expect(oauth.calls.map((c) => c.grant)).toEqual(['anonymous']);
    expect(JSON.parse(readFileSync(store.path, 'utf8')).sessions[KEY].accessToken.value).toBe('at-anon-1');
  });

  it('forceRenew renews a token that still looks valid when it is the one the API rejected', async () => {
    await seed(stored());
    const oauth = new FakeOAuth();
    const result = await ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now, forceRenew: true, rejectedAccessToken: 'at-stored' });
    expect(oauth.calls.map((c) => c.grant)).toEqual(['refresh_token']);
    expect(result.session.accessToken.value).toBe('at-refreshed-1');
  });

  it('forceRenew uses the token another process already put in place of the rejected one', async () => {
    await seed(stored({ accessToken: { value: 'at-newer', expiresAt: T0s + 3600 } }));
    const oauth = new FakeOAuth();
    const result = await ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now, forceRenew: true, rejectedAccessToken: 'at-stored' });
    expect(oauth.calls).toEqual([]);
    expect(result.session.accessToken.value).toBe('at-newer');
  });

  it('ignores a session stored for another client ID', async () => {
    await seed(stored({ clientId: 'someone-else' }));
    const oauth = new FakeOAuth();
    const result = await ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now });
    expect(oauth.calls).toEqual([{ grant: 'anonymous', clientId: CLIENT }]);
    expect(result.session.clientId).toBe(CLIENT);
  });

  it('ignores a session stored for another API: never refreshes it there, starts that API\'s own visitor', async () => {
    // A member of Wix's hosts under the key another API's session would have (a hand-edited file, or a key collision).
    const other = 'http://127.0.0.1:8787';
    const key = sessionKey('default', CLIENT, other);
    await store.update(key, async () => stored({ role: 'member', memberId: 'm1', accessToken: { value: 'at-wix', expiresAt: T0s + 30 }, refreshToken: { value: 'rt-wix', role: 'member' } }));
    const oauth = new FakeOAuth();
    const result = await ensureSession({ store, key, clientId: CLIENT, api: other, oauth, now });
    expect(oauth.calls).toEqual([{ grant: 'anonymous', clientId: CLIENT }]);
    expect(result.session).toMatchObject({ api: other, role: 'visitor', accessToken: { value: 'at-anon-1' } });
    expect(await store.read(key)).toEqual(result.session);
  });

  it('makes one refresh for two concurrent callers with an expired token', async () => {
    await seed(stored({ accessToken: { value: 'a', expiresAt: T0s - 1 } }));
    const oauth = new FakeOAuth();
    const [a, b] = await Promise.all([
      ensureSession({ store, key: KEY, clientId: CLIENT, oauth, now }),
      ensureSession({ store: new TokenStore(dir), key: KEY, clientId: CLIENT, oauth, now }),
    ]);
    expect(oauth.calls).toHaveLength(1);
    expect(a.session.accessToken.value).toBe(b.session.accessToken.value);
    expect(a.tokenRequests + b.tokenRequests).toBe(1);
  });
});

describe('persistSdkTokens', () => {
  const sdk = (at: string, expiresAt: number, rt = 'rt-stored', role = 'visitor'): SdkTokens => ({
    accessToken: { value: at, expiresAt },
    refreshToken: { value: rt, role },
  });

  it('writes tokens the SDK changed, keeping createdAt', async () => {
    await seed(stored());
    const written = await persistSdkTokens(store, KEY, CLIENT, sdk('at-sdk', T0s + 9000), { now });
    expect(written).toMatchObject({ api: WIX_API, role: 'visitor', accessToken: { value: 'at-sdk', expiresAt: T0s + 9000 }, createdAt: '2024-12-31T00:00:00.000Z' });
    expect((await store.read(KEY))?.accessToken.value).toBe('at-sdk');
  });

  it('does not write when nothing changed, when the role is none, or when the SDK returns what it was given', async () => {
    await seed(stored());
    const before = readFileSync(store.path);
    expect(await persistSdkTokens(store, KEY, CLIENT, sdk('at-stored', T0s + 3600))).toBeUndefined();
    expect(await persistSdkTokens(store, KEY, CLIENT, sdk('x', T0s + 1, 'y', 'none'))).toBeUndefined();
    const given = sdk('at-old', T0s + 100);
    expect(await persistSdkTokens(store, KEY, CLIENT, given, { given })).toBeUndefined();
    expect(readFileSync(store.path).equals(before)).toBe(true);
  });

  it('does not overwrite a later token another process wrote for the same session', async () => {
    await seed(stored({ accessToken: { value: 'at-later', expiresAt: T0s + 7200 } }));
    const before = readFileSync(store.path);
    await persistSdkTokens(store, KEY, CLIENT, sdk('at-earlier', T0s + 3600));
    expect(readFileSync(store.path).equals(before)).toBe(true);
  });

  it('records the SDK silently turning a member into a visitor', async () => {
    await seed(stored({ role: 'member', memberId: 'm1', refreshToken: { value: 'rt-m', role: 'member' } }));
    const written = await persistSdkTokens(store, KEY, CLIENT, sdk('at-v', T0s + 9000, 'rt-v', 'visitor'), { now });
    expect(written?.role).toBe('visitor');
    expect(written?.memberId).toBeUndefined();
  });
});
