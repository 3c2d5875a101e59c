import { AuthError, TemporaryError, WixqError, type WixqErrorOptions } from '../errors.js';
import { parseWixErrorBody } from './error-body.js';
import { notWixApi } from './errors.js';
import { TOKEN_URL } from './hosts.js';
import { headerValueProblem } from './http-fetch.js';

export { TOKEN_URL };


/** A successful answer of the token endpoint, in wixq's names. */
export interface TokenResponse {
  accessToken: string;
  refreshToken: string;
  /** Seconds. */
  expiresIn: number;
}

/** The token requests wixq makes itself (not the SDK's), so failures can be reported clearly. */
export interface OAuthClient {
  anonymous(clientId: string): Promise<TokenResponse>;
  refresh(refreshToken: string, clientId: string): Promise<TokenResponse>;
  authorizationCode(p: { clientId: string; code: string; codeVerifier: string; redirectUri: string }): Promise<TokenResponse>;
}

/** Wix refused a refresh token (revoked, expired, from another client): the session decides what to do next. */
export class RefreshRejectedError extends AuthError {
  constructor(message: string, options: WixqErrorOptions = {}) {
    super(message, options);
  }
}

type Grant = 'anonymous' | 'refresh_token' | 'authorization_code';

/** An OAuthClient that POSTs docs/wix-api.md 1.1 JSON bodies to the token endpoint through fetchFn (the transport's fetch). */
export function createOAuthClient(fetchFn: typeof fetch): OAuthClient {
  async function requestTokens(grant: Grant, clientId: string, body: Record<string, string>): Promise<TokenResponse> {
    let response: Response;
    try {
      response = await fetchFn(TOKEN_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      if (error instanceof WixqError) throw error;
      throw new TemporaryError(`could not reach Wix to get a session token: ${networkCause(error)}`, {
        hint: 'Check your network connection (and HTTPS_PROXY), then try again.',
        cause: error,
      });
    }
    const requestId = response.headers.get('x-wix-request-id') ?? undefined;
    if (response.status === 200) {
      let parsed: unknown;
      try {
        // The transport's json() names a body that is not JSON (size, content type: exit 5).
        parsed = await response.json();
      } catch (error) {
        if (error instanceof WixqError) throw error;
      }
      return parseTokenResponse(parsed, requestId);
    }
    const text = await response.text().catch(() => '');
    // Wix's token endpoint answers a bad client or grant with 400 or 401, never 404: this is not Wix's API.
    if (response.status === 404) throw notWixApi(originOf(response.url), 'POST /oauth2/token answered 404');
    throw tokenError(grant, clientId, response.status, text, requestId);
  }

  return {
    anonymous: (clientId) => requestTokens('anonymous', clientId, { clientId, grantType: 'anonymous' }),
    // @wix/api-client omits clientId here, but the docs mark it required and @wix/sdk sends it (docs/wix-api.md 1.1).
    refresh: (refreshToken, clientId) => requestTokens('refresh_token', clientId, { clientId, refreshToken, grantType: 'refresh_token' }),
    authorizationCode: ({ clientId, code, codeVerifier, redirectUri }) =>
      requestTokens('authorization_code', clientId, { clientId, grantType: 'authorization_code', redirectUri, code, codeVerifier }),
  };
}

function parseTokenResponse(parsed: unknown, requestId: string | undefined): TokenResponse {
  const body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  const accessToken = body?.access_token;
  const expiresIn = Number(body?.expires_in);
  const refreshToken = body?.refresh_token;
  if (typeof accessToken !== 'string' || accessToken === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new WixqError('Wix answered the token request with something that is not a token response', undefined, {
      requestId,
      hint: 'If you set an API URL (wixq config get api-url), check that it points at a Wix API or the wixq emulator.',
    });
  }
  // Checked as it arrives: a token that cannot go in a header would be stored and fail every later run.
  for (const [name, value] of [['access token', accessToken], ['refresh token', refreshToken]] as const) {
    const problem = typeof value === 'string' && value !== '' ? tokenProblem(value) : undefined;
    if (problem === undefined) continue;
    throw new WixqError(`Wix answered the token request with ${name === 'access token' ? 'an' : 'a'} ${name} that cannot be sent in an HTTP header (it contains ${problem}); it was not used or stored`, undefined, {
      requestId,
      hint: 'If you set an API URL (wixq config get api-url), check that it points at a Wix API or the wixq emulator.',
    });
  }
  return { accessToken, refreshToken: typeof refreshToken === 'string' ? refreshToken : '', expiresIn };
}

/**
 * Why a token cannot be sent as it is, or undefined when it can: a token is one run of visible ASCII (Wix's are
 * `OauthNG.JWS.` and base64url parts). Whitespace would be trimmed on the way, anything else refused (ERR_INVALID_CHAR).
 */
export function tokenProblem(token: string): string | undefined {
  if (/^[\x21-\x7e]+$/.test(token)) return undefined;
  return headerValueProblem(token) ?? (token === '' ? 'nothing' : 'a space or a tab');
}

/** Whether a token can be sent in a header as it is. */
export function isSendableToken(token: string): boolean {
  return tokenProblem(token) === undefined;
}

/** Maps a failed token request to the error the user or the session needs. */
function tokenError(grant: Grant, clientId: string, status: number, text: string, requestId: string | undefined): WixqError {
  const { code, message, description: detail } = parseWixErrorBody(text);
  const description = detail ?? message;
  const because = description ?? code ?? `HTTP ${status}`;
  if (status === 429 || status >= 500) {
    return new TemporaryError(`Wix's token endpoint failed with HTTP ${status}${description ? `: ${description}` : ''}`, {
      requestId,
      status,
      hint: 'This is usually temporary; try again in a minute.',
    });
  }
  const clientRejected = code === 'invalid_client' && (status === 400 || status === 401);
  if (clientRejected || (grant === 'anonymous' && status >= 400 && status < 500)) {
    return new AuthError(`Wix rejected client ID ${shortId(clientId)}: ${because}.`, {
      requestId,
      status,
      hint: 'Check the ID in your Headless settings: wixq config set client-id <ID>',
    });
  }
  if (grant === 'refresh_token' && (status === 400 || status === 401 || status === 403)) {
    return new RefreshRejectedError(`Wix rejected the stored refresh token: ${because}.`, { requestId, status });
  }
  if (grant === 'authorization_code' && (status === 400 || status === 401 || status === 403)) {
    return new AuthError(`Wix rejected the login: ${because}.`, { requestId, status, hint: 'Run: wixq auth login' });
  }
  return new WixqError(`the token request failed with HTTP ${status}: ${because}`, undefined, { requestId, status });
}

/** The scheme, host and port a response came from (the API URL the transport sent it to). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return TOKEN_URL.replace(/\/oauth2\/token$/, '');
  }
}

/** Enough of the client ID to recognise it in a message. */
function shortId(clientId: string): string {
  return clientId.length > 12 ? `${clientId.slice(0, 8)}…` : clientId;
}

/** The system error code of a fetch failure (ECONNREFUSED ...), else its message. */
export function networkCause(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UNKNOWN') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}
