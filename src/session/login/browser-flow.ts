/** The browser login: the loopback server on the redirect URI, Wix's login page opened (or its URL printed), the code exchanged. */
import type { OAuthClient } from '../../wix/oauth.js';
import { parseRedirectUri } from '../redirect-uri.js';
import { memberIdFromToken, oauthData, type LoginResult, type SdkAuth } from './authorization.js';
import { listenForCallback, page } from './loopback.js';
import { createPkce, type Pkce } from './pkce.js';

/** How long the browser flow waits for the callback by default. */
export const DEFAULT_LOGIN_TIMEOUT_SECONDS = 300;

export interface BrowserLoginOptions {
  auth: SdkAuth;
  oauth: OAuthClient;
  clientId: string;
  redirectUri: string;
  timeoutMs: number;
  /** Opens the URL in a browser; undefined with --no-browser (the URL is printed instead). */
  openBrowser?: (url: string) => Promise<void>;
  /** A line for stderr. */
  notify(line: string): void;
  pkce?: Pkce;
}

/** The browser flow: a loopback server on the redirect URI, the Wix login page in the browser, the code exchanged. */
export async function browserLogin(o: BrowserLoginOptions): Promise<LoginResult> {
  const target = parseRedirectUri(o.redirectUri);
  const pkce = o.pkce ?? createPkce();
  // Listen before anything is sent: a port in use fails at once, not after the user has logged in.
  const server = await listenForCallback(target);
  try {
    const { authUrl } = await o.auth.getAuthUrl(oauthData(o.redirectUri, pkce), { prompt: 'login', responseMode: 'query' });
    // Waiting starts before the browser does, so even an instant callback finds the server ready.
    const waiting = server.waitForCallback(pkce.state, o.timeoutMs);
    waiting.catch(() => {});
    if (o.openBrowser) {
      try {
        await o.openBrowser(authUrl);
        o.notify('Opened the Wix login page in your browser. If it did not open, visit:');
      } catch (error) {
        o.notify(`Could not open a browser (${error instanceof Error ? error.message : String(error)}). Open this URL to log in:`);
      }
    } else {
      o.notify('Open this URL in a browser to log in:');
    }
    o.notify(`  ${authUrl}`);
    o.notify(`Waiting for the login (up to ${Math.round(o.timeoutMs / 1000)} s; Ctrl-C cancels)...`);
    const callback = await waiting;
    try {
      const tokens = await o.oauth.authorizationCode({ clientId: o.clientId, code: callback.code, codeVerifier: pkce.codeVerifier, redirectUri: o.redirectUri });
      callback.respond(200, page('Logged in', 'You are logged in to wixq. You can close this window and return to the terminal.'));
      return { tokens, memberId: memberIdFromToken(tokens.accessToken) };
    } catch (error) {
      callback.respond(400, page('Login failed', `wixq could not finish the login: ${error instanceof Error ? error.message : String(error)}`));
      throw error;
    }
  } finally {
    await server.close();
  }
}
