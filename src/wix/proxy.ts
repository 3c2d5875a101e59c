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
  const loaded = await import('undici');
  // undici is CommonJS: in the bundle (esbuild) its exports sit on `default`; under Node's own loader they are named too.
  const undici = ('EnvHttpProxyAgent' in loaded ? loaded : (loaded as unknown as { default: typeof loaded }).default) as typeof loaded;
  const dispatcher = new undici.EnvHttpProxyAgent({
    // Empty strings (not undefined) so undici does not fall back to process.env behind the injected env.
    httpProxy: settings.httpProxy ?? '',
    httpsProxy: settings.httpsProxy ?? '',
    noProxy: settings.noProxy,
  });
  // Never undici's own redirect handling: the transport follows a redirect, or refuses it when it leaves the origin.
  const proxyFetch = (input: string | URL, init: RequestInit = {}) => undici.fetch(input, { ...(init as object), redirect: 'manual', dispatcher } as never);
  return proxyFetch as unknown as typeof fetch;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** The proxy a request to url goes through under these settings (undici EnvHttpProxyAgent's rules), or undefined: direct. */
export function proxyFor(url: string, settings: ProxySettings | undefined): string | undefined {
  if (!settings) return undefined;
  const target = new URL(url);
  const proxy = target.protocol === 'https:' ? (settings.httpsProxy ?? settings.httpProxy) : settings.httpProxy;
  if (!proxy) return undefined;
  const hostname = target.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(target.port, 10) || DEFAULT_PORTS[target.protocol] || 0;
  const entries = settings.noProxy.split(/[,\s]/).filter(Boolean);
  if (entries.length === 0) return proxy;
  if (settings.noProxy === '*') return undefined;
  for (const entry of entries) {
    const parsed = /^(.+):(\d+)$/.exec(entry);
    const host = (parsed ? parsed[1]! : entry).replace(/^\*?\./, '').toLowerCase();
    if (parsed && Number.parseInt(parsed[2]!, 10) !== port) continue;
    if (hostname === host || hostname.endsWith(`.${host}`)) return undefined;
  }
  return proxy;
}
