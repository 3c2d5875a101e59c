import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { applicationError, bodyObject, HttpError, type EmulatorRequest, type Reply } from '../http.js';
import type { Router } from '../router.js';
import type { EmulatorState } from '../state.js';
import type { SiteClient, SiteMember } from '../site/types.js';
import type { TokenClaims } from '../tokens.js';
import { ecomCheckoutTarget } from './redirects.js';

/**
 * OAuth and member login (docs/wix-api.md 1): the token endpoint, custom login, redirect sessions,
 * and the authorize/logout pages a redirect session's `fullUrl` points at.
 */

const SESSION_TTL_MS = 10 * 60_000;
const CODE_TTL_MS = 10 * 60_000;

// Error codes of Wix's authentication service as the SDK maps them (@wix/api-client auth/oauth2/constants.js).
const INVALID_PASSWORD = '-19976';
const MISSING_CAPTCHA = '-19971';
const UNKNOWN_EMAIL = '-19999';

/**
 * HTTP status of each login failure: no such member is a 404, a wrong password a 401 (the Login V2 page lists a 401
 * Unauthenticated error: https://dev.wix.com/docs/rest/business-management/headless-authentication/authentication/login-v-2).
 */
const LOGIN_FAILURE_STATUS: Record<string, number> = { [UNKNOWN_EMAIL]: 404, [INVALID_PASSWORD]: 401 };
const LOGIN_FAILURE_MESSAGE: Record<string, string> = { [UNKNOWN_EMAIL]: 'Member not found', [INVALID_PASSWORD]: 'Wrong email or password' };

/** RFC 6749 section 5.2 error answer of the token endpoint. */
function oauthError(error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type', description: string): HttpError {
  return new HttpError(400, { error, error_description: description });
}

/** Reads a token-endpoint parameter under its camelCase (SDK) or snake_case (RFC, forms) name. */
function param(body: Record<string, unknown>, camel: string, snake: string): string | undefined {
  const v = body[camel] ?? body[snake];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Whether a client may use this redirect URI (exact list, else any loopback http URI). */
export function redirectUriAllowed(client: SiteClient, uri: string | undefined): boolean {
  if (!uri) return false;
  if (client.redirectUris) return client.redirectUris.includes(uri);
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
  } catch {
    return false;
  }
}

function tokenResponse(state: EmulatorState, claims: Omit<TokenClaims, 'kind' | 'iat' | 'exp' | 'iid' | 'seq'>, refreshToken: string): Reply {
  const accessToken = state.tokens.issue({ ...claims, kind: 'access' }, state.accessTtlMs);
  return {
    json: { access_token: accessToken, refresh_token: refreshToken, expires_in: state.settings.tokenTtlSeconds, token_type: 'Bearer' },
  };
}

function tokenEndpoint(state: EmulatorState, req: EmulatorRequest): Reply {
  const body = bodyObject(req);
  const grantType = param(body, 'grantType', 'grant_type');
  const clientId = param(body, 'clientId', 'client_id');
  if (!grantType) throw oauthError('invalid_request', 'grantType is required');
  if (clientId !== undefined && !state.clients.has(clientId)) throw oauthError('invalid_client', `Unknown client ID ${clientId}`);

  if (grantType === 'anonymous') {
    if (!clientId) throw oauthError('invalid_request', 'clientId is required');
    const claims = { clientId, role: 'visitor' as const, visitorId: state.tokens.newVisitorId() };
    return tokenResponse(state, claims, state.tokens.issue({ ...claims, kind: 'refresh' }));
  }

  if (grantType === 'refresh_token') {
    const refreshToken = param(body, 'refreshToken', 'refresh_token');
    if (!refreshToken) throw oauthError('invalid_request', 'refreshToken is required');
    const checked = state.tokens.verify(refreshToken, 'refresh');
    if (!checked.ok) throw oauthError('invalid_grant', 'Refresh token is invalid or revoked');
    const { claims } = checked;
    // @wix/api-client 1.14.1 omits clientId on refresh (docs/wix-api.md 1.1); when sent it must match.
    if (clientId !== undefined && clientId !== claims.clientId) throw oauthError('invalid_grant', 'Refresh token was issued to another client');
    if (!state.clients.has(claims.clientId)) throw oauthError('invalid_client', `Unknown client ID ${claims.clientId}`);
    const { clientId: cid, role, visitorId, memberId } = claims;
    // The same refresh token comes back: the SDK keeps using the original one (docs/wix-api.md 1.2).
    return tokenResponse(state, { clientId: cid, role, visitorId, ...(memberId && { memberId }) }, refreshToken);
  }

  if (grantType === 'authorization_code') {
    if (!clientId) throw oauthError('invalid_request', 'clientId is required');
    const code = param(body, 'code', 'code');
    const verifier = param(body, 'codeVerifier', 'code_verifier');
    if (!code) throw oauthError('invalid_request', 'code is required');
    if (!verifier) throw oauthError('invalid_request', 'codeVerifier is required');
    const grant = state.authorizationCodes.get(code);
    // Single use: a code is gone after its first redemption attempt (RFC 6749 4.1.2).
    state.authorizationCodes.delete(code);
    if (!grant || grant.expiresAt <= state.now()) throw oauthError('invalid_grant', 'Authorization code is invalid, expired or already used');
    if (grant.clientId !== clientId) throw oauthError('invalid_grant', 'Authorization code was issued to another client');
    const redirectUri = param(body, 'redirectUri', 'redirect_uri');
    if (redirectUri !== grant.redirectUri) throw oauthError('invalid_grant', 'redirectUri does not match the authorization request');
    if (s256(verifier) !== grant.codeChallenge) throw oauthError('invalid_grant', 'codeVerifier does not match the code challenge (PKCE S256)');
    const claims = { clientId, role: 'member' as const, visitorId: grant.visitorId, memberId: grant.memberId };
    return tokenResponse(state, claims, state.tokens.issue({ ...claims, kind: 'refresh' }));
  }

  throw oauthError('unsupported_grant_type', `Grant type ${grantType} is not supported by the emulator`);
}

interface LoginOutcome {
  member?: SiteMember;
  /** `status` overrides the code's usual status (a missing email is a bad request, not an unknown member). */
  error?: { code: string; description: string; status?: number };
}

/** Checks credentials the way the login endpoint does; shared with the login form. */
function checkCredentials(state: EmulatorState, email: string | undefined, password: string | undefined, hasCaptcha: boolean): LoginOutcome {
  if (!email) return { error: { code: UNKNOWN_EMAIL, description: 'loginId.email is required', status: 400 } };
  const member = state.membersByEmail.get(email.toLowerCase());
  if (!member) return { error: { code: UNKNOWN_EMAIL, description: `No member with email ${email}` } };
  if ((state.site.captchaRequired || member.captchaRequired) && !hasCaptcha) {
    return { error: { code: MISSING_CAPTCHA, description: 'A captcha token is required to log in' } };
  }
  if (password !== member.password) return { error: { code: INVALID_PASSWORD, description: 'Wrong password' } };
  return { member };
}

function hasCaptchaToken(tokens: unknown): boolean {
  if (!Array.isArray(tokens)) return false;
  return tokens.some((t) => typeof t === 'object' && t !== null && Object.values(t).some((v) => typeof v === 'string' && v !== ''));
}

function login(state: EmulatorState, req: EmulatorRequest): Reply {
  const claims = state.authenticate(req);
  const body = bodyObject(req);
  const loginId = (body.loginId ?? {}) as { email?: unknown };
  const email = typeof loginId.email === 'string' ? loginId.email : undefined;
  const password = typeof body.password === 'string' ? body.password : undefined;
  const outcome = checkCredentials(state, email, password, hasCaptchaToken(body.captchaTokens));
  // Always an applicationError: auth.login reads e.details.applicationError.code unguarded.
  if (outcome.error) {
    const { code, description, status } = outcome.error;
    const message = LOGIN_FAILURE_MESSAGE[code];
    throw applicationError(status ?? LOGIN_FAILURE_STATUS[code] ?? 400, code, description, message ? { message: `${message}: ${description}` } : {});
  }
  const member = outcome.member!;
  const identity = { id: member.id, identityProfile: { emails: [member.email] } };
  if (member.status === 'PENDING_EMAIL_VERIFICATION') {
    const stateToken = state.tokens.issue(
      { kind: 'state', clientId: claims.clientId, role: 'member', visitorId: claims.visitorId, memberId: member.id },
      SESSION_TTL_MS,
    );
    return { json: { state: 'REQUIRE_EMAIL_VERIFICATION', stateToken, identity } };
  }
  if (member.status === 'PENDING_OWNER_APPROVAL') return { json: { state: 'REQUIRE_OWNER_APPROVAL', identity } };
  const sessionToken = issueSession(state, claims.clientId, claims.visitorId, member.id);
  return { json: { state: 'SUCCESS', sessionToken, identity } };
}

function issueSession(state: EmulatorState, clientId: string, visitorId: string, memberId: string): string {
  return state.tokens.issue({ kind: 'session', clientId, role: 'member', visitorId, memberId }, SESSION_TTL_MS);
}

/** The authorize parameters carried in a redirect session's URL (and the login form's hidden fields). */
interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  responseType: string;
  responseMode: string;
  scope: string;
  state: string;
  codeChallenge: string;
  codeChallengeMethod: string;
  prompt: string;
  sessionToken?: string;
}

const AUTHORIZE_KEYS: [keyof AuthorizeParams, string][] = [
  ['clientId', 'client_id'],
  ['redirectUri', 'redirect_uri'],
  ['responseType', 'response_type'],
  ['responseMode', 'response_mode'],
  ['scope', 'scope'],
  ['state', 'state'],
  ['codeChallenge', 'code_challenge'],
  ['codeChallengeMethod', 'code_challenge_method'],
  ['prompt', 'prompt'],
  ['sessionToken', 'sessionToken'],
];

function redirectSession(state: EmulatorState, req: EmulatorRequest, shortUrls: Map<string, string>): Reply {
  const claims = state.authenticate(req);
  const body = bodyObject(req);
  const id = randomUUID();
  const endpointBase = `${req.origin}/oauth2`;
  let endpoint: string;
  let searchParams: Record<string, string>;
  let sessionToken = '';
  if (body.auth && typeof body.auth === 'object') {
    const auth = body.auth as { authRequest?: Record<string, unknown>; prompt?: unknown };
    const request = auth.authRequest ?? {};
    const str = (k: string, fallback = '') => (typeof request[k] === 'string' ? (request[k] as string) : fallback);
    const clientId = str('clientId');
    const client = state.clients.get(clientId);
    if (!client) throw applicationError(400, 'INVALID_CLIENT_ID', `Unknown client ID ${clientId || '(none)'}`);
    if (clientId !== claims.clientId) throw applicationError(400, 'INVALID_CLIENT_ID', 'authRequest.clientId differs from the client of the access token');
    const redirectUri = str('redirectUri');
    if (!redirectUriAllowed(client, redirectUri)) {
      throw applicationError(400, 'INVALID_REDIRECT_URI', `Redirect URI ${redirectUri || '(none)'} is not allowed for this client`);
    }
    if (str('responseType', 'code') !== 'code') throw applicationError(400, 'INVALID_RESPONSE_TYPE', 'Only responseType "code" is supported');
    if (!str('codeChallenge')) throw applicationError(400, 'MISSING_CODE_CHALLENGE', 'authRequest.codeChallenge is required (PKCE)');
    if (str('codeChallengeMethod', 'S256') !== 'S256') throw applicationError(400, 'INVALID_CODE_CHALLENGE_METHOD', 'Only S256 is supported');
    const params: AuthorizeParams = {
      clientId,
      redirectUri,
      responseType: 'code',
      responseMode: str('responseMode', 'fragment'),
      scope: str('scope', 'offline_access'),
      state: str('state'),
      codeChallenge: str('codeChallenge'),
      codeChallengeMethod: 'S256',
      prompt: typeof auth.prompt === 'string' ? auth.prompt.toLowerCase() : 'login',
      ...(str('sessionToken') && { sessionToken: str('sessionToken') }),
    };
    sessionToken = params.sessionToken ?? '';
    endpoint = `${endpointBase}/authorize`;
    searchParams = {};
    for (const [key, name] of AUTHORIZE_KEYS) if (params[key]) searchParams[name] = params[key]!;
  } else if (body.logout && typeof body.logout === 'object') {
    const clientId = String((body.logout as { clientId?: unknown }).clientId ?? '');
    if (!state.clients.has(clientId)) throw applicationError(400, 'INVALID_CLIENT_ID', `Unknown client ID ${clientId || '(none)'}`);
    const postFlowUrl = (body.callbacks as { postFlowUrl?: unknown } | undefined)?.postFlowUrl;
    endpoint = `${endpointBase}/logout`;
    searchParams = { client_id: clientId };
    if (typeof postFlowUrl === 'string' && postFlowUrl !== '') {
      try {
        new URL(postFlowUrl);
      } catch {
        throw applicationError(400, 'INVALID_POST_FLOW_URL', `callbacks.postFlowUrl is not an absolute URL: ${postFlowUrl}`);
      }
      searchParams.post_flow_url = postFlowUrl;
    }
  } else if (body.ecomCheckout !== undefined) {
    ({ endpoint, searchParams } = ecomCheckoutTarget(state, body));
  } else {
    throw applicationError(400, 'UNSUPPORTED_REDIRECT_INTENT', 'The emulator supports redirect sessions for "auth", "logout" and "ecomCheckout" only');
  }
  const fullUrl = `${endpoint}?${new URLSearchParams(searchParams).toString()}`;
  shortUrls.set(id, fullUrl);
  const shortUrl = `${req.origin}/r/${id}`;
  return { json: { redirectSession: { id, fullUrl, urlDetails: { endpoint, searchParams }, sessionToken, shortUrl } } };
}

function readAuthorizeParams(source: (name: string) => string | undefined): AuthorizeParams {
  const out: Record<string, string> = {};
  for (const [key, name] of AUTHORIZE_KEYS) {
    const v = source(name);
    if (v !== undefined && v !== '') out[key] = v;
  }
  return {
    responseType: 'code',
    responseMode: 'fragment',
    scope: 'offline_access',
    state: '',
    codeChallengeMethod: 'S256',
    prompt: 'login',
    clientId: '',
    redirectUri: '',
    codeChallenge: '',
    ...out,
  } as AuthorizeParams;
}

/** Problems that make redirecting unsafe: shown as a page instead (RFC 6749 4.1.2.1). */
function authorizeProblem(state: EmulatorState, p: AuthorizeParams): string | undefined {
  const client = state.clients.get(p.clientId);
  if (!client) return `Unknown client ID ${p.clientId || '(none)'}`;
  if (!redirectUriAllowed(client, p.redirectUri)) return `Redirect URI ${p.redirectUri || '(none)'} is not allowed for this client`;
  if (p.responseType !== 'code') return 'Only response_type=code is supported';
  if (!p.codeChallenge || p.codeChallengeMethod !== 'S256') return 'A PKCE S256 code challenge is required';
  return undefined;
}

/** The redirect URL of an authorization response in query or fragment mode. */
function redirectTarget(p: AuthorizeParams, values: Record<string, string>): string {
  const params = new URLSearchParams({ ...values, ...(p.state && { state: p.state }) }).toString();
  if (p.responseMode === 'query') {
    const url = new URL(p.redirectUri);
    for (const [k, v] of new URLSearchParams(params)) url.searchParams.set(k, v);
    return url.toString();
  }
  return `${p.redirectUri.split('#')[0]}#${params}`;
}

/**
 * The `prompt=none` answer in the site's chosen form: a 302, or a 200 page that moves on by meta refresh, by script,
 * or not at all (a browser-less client may meet any of these; Wix does not document which).
 */
function redirectPage(state: EmulatorState, p: AuthorizeParams, values: Record<string, string>): Reply {
  const mode = state.settings.authorizeRedirect;
  if (p.responseMode === 'web_message' || mode === '302') return redirectWith(p, values);
  const target = redirectTarget(p, values);
  const head = '<meta charset="utf-8"><title>Signing in…</title>';
  if (mode === 'meta-refresh') {
    return { html: `<!doctype html><html><head>${head}<meta http-equiv="refresh" content="0;url=${escapeHtml(target)}"></head><body><p>Signing you in…</p></body></html>` };
  }
  if (mode === 'script') {
    const literal = JSON.stringify(target).replace(/</g, '\\u003c');
    return { html: `<!doctype html><html><head>${head}</head><body><p>Signing you in…</p><script>window.location.href = ${literal};</script></body></html>` };
  }
  return { html: `<!doctype html><html><head>${head}</head><body><p>Continue in your browser to finish signing in.</p></body></html>` };
}

/** Sends the authorization response to the redirect URI in the requested response mode. */
function redirectWith(p: AuthorizeParams, values: Record<string, string>): Reply {
  if (p.responseMode === 'web_message') {
    const message = JSON.stringify({ ...values, state: p.state }).replace(/</g, '\\u003c');
    return { html: `<!doctype html><html><body><script>window.parent.postMessage(${message}, '*');</script></body></html>` };
  }
  return { redirect: redirectTarget(p, values) };
}

function issueCode(state: EmulatorState, p: AuthorizeParams, memberId: string, visitorId: string): string {
  const code = randomBytes(24).toString('base64url');
  state.authorizationCodes.set(code, {
    clientId: p.clientId,
    redirectUri: p.redirectUri,
    codeChallenge: p.codeChallenge,
    memberId,
    visitorId,
    expiresAt: state.now() + CODE_TTL_MS,
  });
  return code;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function errorPage(message: string): Reply {
  return { status: 400, html: `<!doctype html><html><head><title>Login error</title></head><body><h1>Login error</h1><p>${escapeHtml(message)}</p></body></html>` };
}

function loginForm(p: AuthorizeParams, error?: string, email = ''): Reply {
  const hidden = AUTHORIZE_KEYS.filter(([key]) => key !== 'sessionToken' && p[key])
    .map(([key, name]) => `<input type="hidden" name="${name}" value="${escapeHtml(p[key]!)}">`)
    .join('\n      ');
  const html = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>Log in (Wix API emulator)</title></head>
  <body style="font-family: sans-serif; max-width: 24rem; margin: 4rem auto">
    <h1>Log in</h1>
    <p>Wix API emulator: member login for this site.</p>
    ${error ? `<p role="alert" style="color: #b91c1c">${escapeHtml(error)}</p>` : ''}
    <form method="post" action="/oauth2/authorize">
      ${hidden}
      <label>Email <input type="email" name="email" value="${escapeHtml(email)}" required autofocus></label><br><br>
      <label>Password <input type="password" name="password" required></label><br><br>
      <button type="submit">Log in</button>
    </form>
  </body>
</html>`;
  return { html };
}

function authorizeGet(state: EmulatorState, req: EmulatorRequest): Reply {
  const p = readAuthorizeParams((name) => req.query.get(name) ?? undefined);
  const problem = authorizeProblem(state, p);
  if (problem) return errorPage(problem);
  if (p.prompt === 'none') {
    const checked = p.sessionToken ? state.tokens.verify(p.sessionToken, 'session') : undefined;
    if (!checked?.ok || checked.claims.clientId !== p.clientId || !checked.claims.memberId) {
      return redirectPage(state, p, { error: 'login_required', error_description: 'No valid session token; log in first' });
    }
    return redirectPage(state, p, { code: issueCode(state, p, checked.claims.memberId, checked.claims.visitorId) });
  }
  return loginForm(p);
}

function authorizePost(state: EmulatorState, req: EmulatorRequest): Reply {
  const body = bodyObject(req);
  const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
  const p = readAuthorizeParams(field);
  p.sessionToken = undefined;
  const problem = authorizeProblem(state, p);
  if (problem) return errorPage(problem);
  const email = field('email') ?? '';
  const outcome = checkCredentials(state, email, field('password'), false);
  if (outcome.error) {
    const message = outcome.error.code === INVALID_PASSWORD ? 'Wrong email or password.' : outcome.error.code === MISSING_CAPTCHA ? 'This account needs a captcha, which the emulator form cannot show.' : 'Wrong email or password.';
    return { ...loginForm(p, message, email), status: 200 };
  }
  const member = outcome.member!;
  if (member.status === 'PENDING_EMAIL_VERIFICATION') return loginForm(p, 'Verify your email address before logging in.', email);
  if (member.status === 'PENDING_OWNER_APPROVAL') return loginForm(p, 'Your membership is waiting for the site owner to approve it.', email);
  return redirectWith(p, { code: issueCode(state, p, member.id, state.tokens.newVisitorId()) });
}

function logoutPage(req: EmulatorRequest): Reply {
  const postFlowUrl = req.query.get('post_flow_url');
  if (postFlowUrl) return { redirect: postFlowUrl };
  return { html: '<!doctype html><html><body><p>You are logged out.</p></body></html>' };
}

/** Registers the OAuth, login and redirect-session routes. */
export function registerOAuthRoutes(router: Router, state: EmulatorState): void {
  const shortUrls = new Map<string, string>();
  router.add('POST', '/oauth2/token', (req) => tokenEndpoint(state, req), 'oauth');
  router.add('GET', '/oauth2/authorize', (req) => authorizeGet(state, req), 'oauth');
  router.add('POST', '/oauth2/authorize', (req) => authorizePost(state, req), 'oauth');
  router.add('GET', '/oauth2/logout', (req) => logoutPage(req), 'oauth');
  router.add('GET', '/r/:id', (req) => {
    const target = shortUrls.get(req.params.id!);
    if (!target) throw applicationError(404, 'REDIRECT_SESSION_NOT_FOUND', `No redirect session ${req.params.id}`);
    return { redirect: target };
  }, 'oauth');
  for (const path of ['/_api/iam/authentication/v2/login', '/iam/authentication/v2/login']) {
    router.add('POST', path, (req) => login(state, req));
  }
  for (const path of ['/_api/redirects-api/v1/redirect-session', '/redirect-session/v1/redirect-session', '/headless/v1/redirect-session']) {
    router.add('POST', path, (req) => redirectSession(state, req, shortUrls));
  }
}
