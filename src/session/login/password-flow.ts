/** The headless email/password login (docs/wix-api.md 1.3): `auth.login`, the authorize redirects walked, the code exchanged; one clear error per way Wix refuses it. */
import { AuthError, TemporaryError, WixqError } from '../../errors.js';
import type { OAuthClient } from '../../wix/oauth.js';
import { parseRedirectUri } from '../redirect-uri.js';
import { isRedirectTarget, memberIdFromToken, oauthData, readCallback, type LoginResult, type SdkAuth, type SdkLoginResult } from './authorization.js';
import { createPkce, type Pkce } from './pkce.js';
import { followRedirects } from './walker.js';

/** The error for a failed `auth.login`: one clear message per Wix state, exit 4 (5 when Wix itself failed). */
export function loginFailure(result: SdkLoginResult, email: string): WixqError {
  switch (result.loginState) {
    case 'EMAIL_VERIFICATION_REQUIRED':
      return new AuthError(`${email} has not verified the email address yet, so Wix does not let this member log in.`, {
        hint: 'Open the verification email from the site, confirm the address, then run wixq auth login again.',
      });
    case 'OWNER_APPROVAL_REQUIRED':
      return new AuthError(`the membership of ${email} is waiting for the site owner's approval.`, {
        hint: 'Ask the site owner to approve the member (Wix dashboard > Contacts > Site Members), then log in again.',
      });
    case 'USER_CAPTCHA_REQUIRED':
    case 'SILENT_CAPTCHA_REQUIRED':
      return captchaError();
  }
  const wixCode = applicationErrorCode(result.error);
  if (typeof wixCode === 'number' && (wixCode === 429 || wixCode >= 500)) {
    return new TemporaryError(`Wix's login service failed with HTTP ${wixCode}`, { hint: 'This is usually temporary; try again in a minute.' });
  }
  if (typeof wixCode === 'number') return new AuthError(`Wix refused the login of ${email} with HTTP ${wixCode}.`, { hint: 'Log in with the browser instead: wixq auth login' });
  switch (result.errorCode) {
    case 'invalidPassword':
      return new AuthError(`wrong password for ${email}.`, { hint: 'Check the password; it is read from stdin (--password-stdin) or WIXQ_PASSWORD.' });
    case 'resetPassword':
      return new AuthError(`Wix requires a password reset for ${email} before it can log in.`, { hint: 'Reset the password from the site\'s login page, then log in again.' });
    case 'missingCaptchaToken':
    case 'invalidCaptchaToken':
      return captchaError();
    case 'invalidEmail':
      // The SDK calls every other code "invalidEmail"; only Wix's own negative codes (or none) really mean that.
      if (wixCode !== undefined && !/^-\d+$/.test(String(wixCode))) break;
      return new AuthError(`no member of this site has the email ${email}.`, {
        hint: 'Check the address (members sign up on the site), or log in with the browser: wixq auth login',
      });
  }
  if (result.loginState === 'SUCCESS') return new AuthError('Wix reported a successful login but sent no session token', { hint: 'Log in with the browser instead: wixq auth login' });
  return new AuthError(`Wix did not log ${email} in (${result.loginState}${wixCode !== undefined ? `, code ${wixCode}` : ''}).`, { hint: 'Log in with the browser instead: wixq auth login' });
}

function captchaError(): AuthError {
  return new AuthError('this site requires a captcha to log in, which a password login from the terminal cannot solve.', {
    hint: 'Log in with the browser instead (wixq auth login), or turn off the captcha for member login in the site settings.',
  });
}

/** Wix's applicationError.code inside the SDK's JSON-string error message (a string code, or a number for an HTTP status). */
function applicationErrorCode(message: string | undefined): string | number | undefined {
  if (!message) return undefined;
  try {
    const code = (JSON.parse(message) as { details?: { applicationError?: { code?: unknown } } }).details?.applicationError?.code;
    return typeof code === 'string' || typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}

export interface PasswordLoginOptions {
  auth: SdkAuth;
  oauth: OAuthClient;
  /** wixq's own fetch (the transport's), for the authorize redirects. */
  fetch: typeof fetch;
  clientId: string;
  /** Exactly as registered in the project: it is compared as a string by Wix. */
  redirectUri: string;
  email: string;
  password: string;
  pkce?: Pkce;
}

/**
 * The headless flow: `auth.login` gives a session token; a redirect session with it, `prompt: 'none'` and
 * `responseMode: 'query'` gives an authorize URL whose redirects end at the redirect URI with a code; then the
 * authorization_code grant. Never `getMemberTokensForDirectLogin`: it needs a DOM and crashes Node (docs/wix-api.md 1.3c).
 */
export async function passwordLogin(o: PasswordLoginOptions): Promise<LoginResult> {
  const target = parseRedirectUri(o.redirectUri);
  const result = await o.auth.login({ email: o.email, password: o.password });
  const sessionToken = result.data?.sessionToken;
  if (result.loginState !== 'SUCCESS' || !sessionToken) throw loginFailure(result, o.email);
  const pkce = o.pkce ?? createPkce();
  const { authUrl } = await o.auth.getAuthUrl(oauthData(o.redirectUri, pkce), { prompt: 'none', responseMode: 'query', sessionToken });
  const landing = await followRedirects(o.fetch, authUrl, (url) => isRedirectTarget(url, target));
  const code = readCallback(landing, pkce.state);
  const tokens = await o.oauth.authorizationCode({ clientId: o.clientId, code, codeVerifier: pkce.codeVerifier, redirectUri: o.redirectUri });
  return { tokens, memberId: memberIdFromToken(tokens.accessToken) };
}
