import { UsageError } from '../errors.js';

/** The proxy variables that apply, or undefined when none is set (then undici is never loaded). */
export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy: string;
}

/** Reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lower case first, as curl does) from the given environment. */
export function proxySettings(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = env[name]?.trim();
      if (value) return value;
    }
    return undefined;
  };
  const httpsProxy = pick('https_proxy', 'HTTPS_PROXY');
  const httpProxy = pick('http_proxy', 'HTTP_PROXY');
  if (!httpsProxy && !httpProxy) return undefined;
  return { httpsProxy, httpProxy, noProxy: pick('no_proxy', 'NO_PROXY') ?? '' };
}

/** A fetch that goes through the proxy the environment names (honouring NO_PROXY), or undefined when none is set. */
export async function createProxyFetch(env: NodeJS.ProcessEnv): Promise<typeof fetch | undefined> {
  const settings = proxySettings(env);
  if (!settings) return undefined;
  for (const [name, value] of [['HTTPS_PROXY', settings.httpsProxy], ['HTTP_PROXY', settings.httpProxy]] as const) {
    if (value === undefined) continue;
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      throw new UsageError(`${name} must be a proxy URL such as http://proxy.example:3128, got "${value}"`);
    }
  }
  // Loaded only here: undici is large and most runs have no proxy.
  const undici = await import('undici');
  const dispatcher = new undici.EnvHttpProxyAgent({
    // Empty strings (not undefined) so undici does not fall back to process.env behind the injected env.
    httpProxy: settings.httpProxy ?? '',
    httpsProxy: settings.httpsProxy ?? '',
    noProxy: settings.noProxy,
  });
  const proxyFetch = (input: string | URL, init: RequestInit = {}) => undici.fetch(input, { ...(init as object), dispatcher } as never);
  return proxyFetch as unknown as typeof fetch;
}
