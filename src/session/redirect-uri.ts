import { UsageError } from '../errors.js';

/** wixq's default loopback redirect URI for member login; it must be registered in the project's Headless Settings. */
export const DEFAULT_REDIRECT_URI = 'http://localhost:53682/callback';

/** Checks a loopback redirect URI (http on localhost, 127.0.0.1 or [::1], no query); `what` names where it came from. */
export function parseRedirectUri(text: string, what = '--redirect-uri'): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${what} is not an absolute URL: ${text}`, { hint: `For example: ${DEFAULT_REDIRECT_URI}` });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'http:' || !['localhost', '127.0.0.1', '::1'].includes(host)) {
    throw new UsageError(`${what} must be http://localhost, http://127.0.0.1 or http://[::1] (wixq listens there for the login), got ${text}`, {
      hint: `For example: ${DEFAULT_REDIRECT_URI} (register the same URI in the project's Headless Settings)`,
    });
  }
  if (url.search || url.hash) throw new UsageError(`${what} must not have a query or fragment: ${text}`);
  return url;
}
