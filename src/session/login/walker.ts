/**
 * The redirect walker of the headless flow and logout: follows Wix's redirects by hand (a Location, or a page that
 * redirects by markup or script) with a cookie jar per host, up to the redirect URI, which it never visits.
 */
import { AuthError } from '../../errors.js';

/** Redirects the headless flow follows before it gives up (Wix needs one or two). */
export const MAX_REDIRECT_HOPS = 10;

export interface FollowOptions {
  /** A page that answers without redirecting ends the walk (logout) instead of failing it (login). */
  acceptPage?: boolean;
  maxHops?: number;
}

/**
 * Follows redirects by hand (`redirect: 'manual'`) until a Location satisfies isTarget, which is returned unvisited:
 * the redirect URI is a loopback address nobody listens on in the headless flow. Cookies set on the way are sent back.
 */
export async function followRedirects(fetchFn: typeof fetch, start: string, isTarget: (url: URL) => boolean, options: FollowOptions = {}): Promise<URL> {
  const maxHops = options.maxHops ?? MAX_REDIRECT_HOPS;
  const cookies = new Map<string, Map<string, string>>();
  let url = new URL(start);
  for (let hop = 0; hop <= maxHops; hop++) {
    if (isTarget(url)) return url;
    const jar = cookies.get(url.host);
    const headers: Record<string, string> = {};
    if (jar && jar.size > 0) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetchFn(url.href, { method: 'GET', redirect: 'manual', headers });
    rememberCookies(cookies, url.host, response.headers);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel().catch(() => {});
      url = new URL(location, url);
      continue;
    }
    if (options.acceptPage && response.status >= 200 && response.status < 300) {
      await response.body?.cancel().catch(() => {});
      return url;
    }
    // A headless client may get a page that redirects by markup or script instead of a 302: follow that hop too.
    const hop = response.status >= 200 && response.status < 300 ? pageRedirect(await readPage(response)) : undefined;
    if (hop !== undefined) {
      url = new URL(hop, url);
      continue;
    }
    await response.body?.cancel().catch(() => {});
    throw new AuthError(`Wix answered ${url.origin}${url.pathname} with HTTP ${response.status} instead of redirecting to the redirect URI`, {
      requestId: response.headers.get('x-wix-request-id') ?? undefined,
      hint: 'Log in with the browser instead: wixq auth login',
    });
  }
  throw new AuthError(`Wix redirected more than ${maxHops} times without reaching the redirect URI`, { hint: 'Log in with the browser instead: wixq auth login' });
}

/** Pages worth reading for a redirect are small; a larger body is cut there. */
const MAX_PAGE_CHARS = 256 * 1024;

async function readPage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  return text.slice(0, MAX_PAGE_CHARS);
}

/**
 * Where a page sends the browser, if it does: `<meta http-equiv="refresh" content="0;url=…">`, or a script that assigns
 * `location` / `location.href` or calls `location.replace|assign(…)`. Undefined when the page does neither.
 */
export function pageRedirect(html: string): string | undefined {
  const meta = /<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*>/i.exec(html)?.[0];
  const metaUrl = meta && /content\s*=\s*["']?\s*\d*\s*;?\s*url\s*=\s*['"]?([^"'>\s]+)/i.exec(meta)?.[1];
  if (metaUrl) return decodeHtml(metaUrl);
  const script =
    /\blocation(?:\.href)?\s*=\s*(["'])((?:\\.|(?!\1).)+)\1/.exec(html) ?? /\blocation\.(?:replace|assign)\(\s*(["'])((?:\\.|(?!\1).)+)\1\s*\)/.exec(html);
  if (script) return decodeJsString(script[2]!);
  return undefined;
}

function decodeHtml(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&#x2F;/gi, '/').replace(/&#47;/g, '/').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

function decodeJsString(text: string): string {
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\(.)/g, '$1');
}

function rememberCookies(cookies: Map<string, Map<string, string>>, host: string, headers: Headers): void {
  const setCookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
  for (const line of setCookies) {
    const pair = line.split(';', 1)[0]!;
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    let jar = cookies.get(host);
    if (!jar) cookies.set(host, (jar = new Map()));
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}
