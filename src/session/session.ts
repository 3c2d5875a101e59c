import { AuthError } from '../errors.js';
import type { SdkTokens } from '../wix/client.js';
import { isSendableToken, RefreshRejectedError, type OAuthClient, type TokenResponse } from '../wix/oauth.js';
import { WIX_API, type Role, type StoredSession, type TokenStore } from './token-store.js';

/** An access token with less than this left is renewed first, so it does not expire in the middle of a command. */
export const EXPIRY_MARGIN_MS = 60_000;
/**
 * A token another process renewed while this one waited for the lock is taken unless it expires within this. Renewing
 * it again could only bring a token of the same lifetime, and with short-lived tokens (under the 60 s margin) every
 * waiter would otherwise renew in turn: 16 processes, 16 refresh grants.
 */
export const RENEWED_ELSEWHERE_MARGIN_MS = 5_000;

/** Told to the user when a visitor's refresh token no longer works. */
export const VISITOR_RESTARTED_NOTICE =
  'Your previous visitor session could not be renewed, so a new one was started (a cart from the old session is not carried over).';

export interface EnsureSessionOptions {
  store: TokenStore;
  key: string;
  clientId: string;
  /** The API the session belongs to (`sessionApi`); default Wix's. A stored session of another API is none for this one. */
  api?: string;
  oauth: OAuthClient;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** After a 401: renew even though the token looks valid (unless another process already replaced it). */
  forceRenew?: boolean;
  /** The access token the API rejected; forceRenew only renews if this is still the stored one. */
  rejectedAccessToken?: string;
}

export interface SessionResult {
  session: StoredSession;
  /** Lines for stderr. */
  notices: string[];
  /** Token requests made (0 when the stored token was reused). */
  tokenRequests: number;
}

export type { SdkTokens };

/**
 * Whether the access token has more than the margin (60 s unless given) left, and can be sent at all: a stored token
 * that cannot go in a header (a line break, non-ASCII) is treated as expired, so it is renewed, never sent.
 */
export function isAccessTokenUsable(session: StoredSession, nowMs: number, marginMs = EXPIRY_MARGIN_MS): boolean {
  return session.accessToken.value !== '' && session.accessToken.expiresAt * 1000 - marginMs > nowMs && isSendableToken(session.accessToken.value);
}

/** Returns a session whose access token is usable: reused, renewed with the refresh token, or a new visitor session; written to disk. */
export async function ensureSession(opts: EnsureSessionOptions): Promise<SessionResult> {
  const now = opts.now ?? Date.now;
  const { store, key, clientId, oauth } = opts;
  const owner: SessionOwner = { clientId, api: opts.api ?? WIX_API };

  // Fast path: one read, no lock, no request.
  let seen: StoredSession | undefined;
  if (!opts.forceRenew) {
    seen = belongsTo(await store.read(key), owner);
    if (seen && isAccessTokenUsable(seen, now())) return { session: seen, notices: [], tokenRequests: 0 };
  }
  // The token this process found wanting (none: no session); after a 401, the one the API rejected.
  const found = opts.forceRenew ? opts.rejectedAccessToken : (seen?.accessToken.value ?? '');

  const notices: string[] = [];
  let tokenRequests = 0;
  const session = await store.update(key, async (onDisk) => {
    const current = belongsTo(onDisk, owner);
    if (current && isAccessTokenUsable(current, now()) && !mustRenew(current, opts)) return undefined;
    if (current && renewedElsewhere(current, found) && isAccessTokenUsable(current, now(), RENEWED_ELSEWHERE_MARGIN_MS)) return undefined;

    if (current && current.refreshToken.value !== '') {
      try {
        tokenRequests++;
        const renewed = await oauth.refresh(current.refreshToken.value, clientId);
        return renewedSession(current, renewed, now());
      } catch (error) {
        if (!(error instanceof RefreshRejectedError)) throw error;
        if (current.role === 'member') {
          // Throwing inside update() leaves tokens.json untouched: `auth status` still shows what expired.
          throw new AuthError('member session expired, run wixq auth login', {
            requestId: error.requestId,
            hint: 'Run: wixq auth login (or wixq auth logout to continue as a visitor)',
            cause: error,
          });
        }
        notices.push(VISITOR_RESTARTED_NOTICE);
      }
    }

    tokenRequests++;
    const fresh = await oauth.anonymous(clientId);
    return newSession(owner, 'visitor', fresh, now());
  });
  // update() returns what is on disk when nothing had to change; it is never empty here.
  return { session: session!, notices, tokenRequests };
}

/** Writes the SDK's tokens back under the lock if they differ from what is stored (role none: nothing to keep); returns what it wrote. */
export async function persistSdkTokens(
  store: TokenStore,
  key: string,
  clientId: string,
  sdkTokens: SdkTokens,
  options: { now?: () => number; given?: SdkTokens | StoredSession; /** The session's API; default Wix's. */ api?: string } = {},
): Promise<StoredSession | undefined> {
  const role = sdkTokens.refreshToken.role;
  if ((role !== 'visitor' && role !== 'member') || sdkTokens.accessToken.value === '') return undefined;
  // Tokens the SDK did not change need no lock at all.
  if (options.given && sameTokens(options.given, sdkTokens)) return undefined;
  const now = options.now ?? Date.now;
  const api = options.api ?? WIX_API;
  let written: StoredSession | undefined;
  await store.update(key, async (onDisk) => {
    const current = belongsTo(onDisk, { clientId, api });
    if (current && sameTokens(current, sdkTokens)) return undefined;
    // Another process renewed the same session meanwhile: its later token wins over ours.
    if (current && current.refreshToken.value === sdkTokens.refreshToken.value && current.accessToken.expiresAt >= sdkTokens.accessToken.expiresAt) {
      return undefined;
    }
    const stamp = new Date(now()).toISOString();
    const keepsMember = current?.role === 'member' && role === 'member' && current.refreshToken.value === sdkTokens.refreshToken.value;
    written = {
      clientId,
      api,
      role,
      accessToken: { ...sdkTokens.accessToken },
      refreshToken: { value: sdkTokens.refreshToken.value, role },
      ...(keepsMember && current?.memberId ? { memberId: current.memberId } : {}),
      createdAt: current?.createdAt ?? stamp,
      updatedAt: stamp,
    };
    return written;
  });
  return written;
}

/** Converts a stored session to the SDK's token shape for `OAuthStrategy({ tokens })`. */
export function toSdkTokens(session: StoredSession): SdkTokens {
  return { accessToken: { ...session.accessToken }, refreshToken: { ...session.refreshToken } };
}

/** Whose a session is: the client ID (the site) and the API that issued its tokens. */
export interface SessionOwner {
  clientId: string;
  /** `sessionApi(apiUrl)`, or `DEMO_API`. */
  api: string;
}

/** A fresh session from a token response, for the client ID and API whose token endpoint gave it. */
export function newSession(owner: SessionOwner, role: Role, tokens: TokenResponse, nowMs: number, memberId?: string): StoredSession {
  const stamp = new Date(nowMs).toISOString();
  return {
    clientId: owner.clientId,
    api: owner.api,
    role,
    accessToken: { value: tokens.accessToken, expiresAt: expiresAtSeconds(tokens.expiresIn, nowMs) },
    refreshToken: { value: tokens.refreshToken, role },
    ...(memberId ? { memberId } : {}),
    createdAt: stamp,
    updatedAt: stamp,
  };
}

function renewedSession(current: StoredSession, renewed: TokenResponse, nowMs: number): StoredSession {
  return {
    ...current,
    accessToken: { value: renewed.accessToken, expiresAt: expiresAtSeconds(renewed.expiresIn, nowMs) },
    // Wix keeps refresh tokens valid on use (docs/wix-api.md 1.2); switch only if it hands out a different one.
    refreshToken: renewed.refreshToken && renewed.refreshToken !== current.refreshToken.value ? { value: renewed.refreshToken, role: current.role } : current.refreshToken,
    updatedAt: new Date(nowMs).toISOString(),
  };
}

/** Unix seconds, the way the SDK computes them (tokenHelpers.createAccessToken). */
function expiresAtSeconds(expiresIn: number, nowMs: number): number {
  return Math.floor(nowMs / 1000) + Math.floor(expiresIn);
}

/** Whether another process replaced the token this one found (so renewing it again would be a wasted grant). */
function renewedElsewhere(current: StoredSession, found: string | undefined): boolean {
  // forceRenew without the rejected token cannot tell whose token is stored: renew.
  return found !== undefined && current.accessToken.value !== found;
}

function mustRenew(current: StoredSession, opts: EnsureSessionOptions): boolean {
  if (!opts.forceRenew) return false;
  return opts.rejectedAccessToken === undefined || opts.rejectedAccessToken === current.accessToken.value;
}

/** A stored session made for another client ID or by another API is no session for this one (its tokens stay home). */
export function belongsTo(session: StoredSession | undefined, owner: SessionOwner): StoredSession | undefined {
  return session && session.clientId === owner.clientId && (session.api ?? WIX_API) === owner.api ? session : undefined;
}

/** Whether two token sets are the same (access token, its expiry, refresh token and role). */
export function sameTokens(a: SdkTokens | StoredSession, b: SdkTokens): boolean {
  return (
    a.accessToken.value === b.accessToken.value &&
    a.accessToken.expiresAt === b.accessToken.expiresAt &&
    a.refreshToken.value === b.refreshToken.value &&
    a.refreshToken.role === b.refreshToken.role
  );
}
