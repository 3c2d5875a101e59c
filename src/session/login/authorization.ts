/**
 * Member login (docs/wix-api.md 1.3), what both flows and logout share: the parts of the SDK's `OAuthStrategy` they
 * are handed (nothing in `session/login/` imports the SDK), the authorization request's data, and reading the
 * authorization response (the redirect URI reached, the state checked, the code, the member ID in the token).
 */
import { AuthError } from '../../errors.js';
import type { TokenResponse } from '../../wix/oauth.js';
import type { Pkce } from './pkce.js';

/** The `oauthData` object `auth.getAuthUrl` takes. */
export interface OAuthData extends Pkce {
  redirectUri: string;
  originalUri: string;
}

/** What `auth.login` returns (docs/wix-api.md 1.3a). */
export interface SdkLoginResult {
  loginState: string;
  data?: { sessionToken?: string; stateToken?: string };
  error?: string;
  errorCode?: string;
}

/** The parts of the SDK's `OAuthStrategy` the login flows use. */
export interface SdkAuth {
  login(params: { email: string; password: string }): Promise<SdkLoginResult>;
  getAuthUrl(oauthData: OAuthData, opts: { prompt: string; responseMode: string; sessionToken?: string }): Promise<{ authUrl: string }>;
  logout(postFlowUrl: string): Promise<{ logoutUrl: string }>;
}

/** A completed login: the member's tokens and, when the token says, the member ID. */
export interface LoginResult {
  tokens: TokenResponse;
  memberId?: string;
}

/** Whether a URL is the redirect URI with the authorization response attached (same origin and path). */
export function isRedirectTarget(url: URL, redirectUri: URL): boolean {
  return url.origin === redirectUri.origin && url.pathname === redirectUri.pathname;
}

/** The authorization code of a redirect to the redirect URI, after the state check (`getMemberTokens` semantics). */
export function readCallback(url: URL, expectedState: string): string {
  const params = url.searchParams;
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description');
    throw new AuthError(`Wix did not complete the login: ${description ? `${description} (${error})` : error}`, { hint: 'Run: wixq auth login' });
  }
  const state = params.get('state');
  if (state !== expectedState) {
    throw new AuthError('the login response does not belong to this login (its state does not match); it was ignored', {
      hint: 'Run wixq auth login again, and finish it in the browser tab it opens.',
    });
  }
  const code = params.get('code');
  if (!code) throw new AuthError('the login response has no authorization code', { hint: 'Run: wixq auth login' });
  return code;
}

/** The member ID inside a Wix access token (`data.instance.siteMemberId`, or the emulator's `memberId`); undefined when absent. */
export function memberIdFromToken(accessToken: string): string | undefined {
  // Wix tokens are `OauthNG.JWS.<header>.<payload>.<signature>`; only the payload is read, never trusted for access.
  const parts = accessToken.replace(/^OauthNG\.JWS\./, '').split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof payload.memberId === 'string' && payload.memberId) return payload.memberId;
    if (typeof payload.data === 'string') {
      const data = JSON.parse(payload.data) as { instance?: { siteMemberId?: unknown } };
      const id = data.instance?.siteMemberId;
      if (typeof id === 'string' && id) return id;
    }
  } catch {
    // Not a token wixq can read: the member ID stays unknown.
  }
  return undefined;
}

export function oauthData(redirectUri: string, pkce: Pkce): OAuthData {
  return { redirectUri, originalUri: '', codeVerifier: pkce.codeVerifier, codeChallenge: pkce.codeChallenge, state: pkce.state };
}
