import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

/**
 * Test helpers around the Wix API emulator.
 *
 *   const emu = await startTestEmulator();            // free loopback port, demo site (seed 1)
 *   const restore = redirectFetch(emu.url);           // the SDK's https://www.wixapis.com calls now reach emu
 *   ...
 *   restore(); await emu.close();
 */

export type { RunningEmulator, EmulatorOptions };

/** Starts an emulator for a test: 127.0.0.1, a free port, the demo site unless `data` is given. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ host: '127.0.0.1', port: 0, ...options });
}

const WIX_HOSTS = new Set(['www.wixapis.com', 'edge.wixapis.com']);

/** Where a request for a Wix host should go instead, or undefined when it is not for Wix. */
function rewrite(url: string, baseUrl: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || !WIX_HOSTS.has(parsed.hostname)) return undefined;
  return `${baseUrl.replace(/\/$/, '')}${parsed.pathname}${parsed.search}`;
}

/**
 * Replaces `globalThis.fetch` so that requests to https://www.wixapis.com and https://edge.wixapis.com go to
 * `baseUrl` (the SDK calls the global fetch at call time, tokens included). Returns a function that restores it.
 */
export function redirectFetch(baseUrl: string): () => void {
  const original = globalThis.fetch;
  const redirected: typeof fetch = (input, init) => {
    if (input instanceof Request) {
      const target = rewrite(input.url, baseUrl);
      return original(target ? new Request(target, input) : input, init);
    }
    const target = rewrite(String(input), baseUrl);
    return original(target ?? input, init);
  };
  globalThis.fetch = redirected;
  return () => {
    if (globalThis.fetch === redirected) globalThis.fetch = original;
  };
}

/**
 * The one emulator-control helper: calls `/__emulator/<path>` with the given method (no default: GET reads, POST sets,
 * DELETE clears) and returns its JSON; throws on a non-200 answer.
 */
export async function emulatorControl(baseUrl: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> {
  const res = await fetch(new URL(`/__emulator/${path}`, baseUrl), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`control ${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
