import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestEmulator } from './emulator.js';
import { runWixq, tempConfigDir, type RunOptions, type RunResult } from './cli.js';

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>;
type StartOptions = Parameters<typeof startTestEmulator>[0];

/** An emulator on a free loopback port plus a temp config dir: the world one end-to-end test runs wixq in. */
export interface TestProject {
  emulator: Emulator;
  configDir: string;
  /** Runs the built wixq against the emulator with the demo client ID and the temp config dir. */
  run(args: string[], options?: RunOptions): Promise<RunResult>;
  /** The parsed tokens.json, or undefined when there is none. */
  tokens(): { version: number; sessions: Record<string, any> } | undefined;
  /** The one stored session of the default profile. */
  session(profile?: string): any;
  /** Requests the emulator recorded, optionally only those whose path starts with a prefix. */
  requests(prefix?: string): Promise<any[]>;
  /** Token requests (POST /oauth2/token) with their grant types. */
  tokenRequests(): Promise<any[]>;
  /** API requests: everything but token requests. */
  apiRequests(): Promise<any[]>;
  control(path: string, body?: unknown, method?: string): Promise<any>;
  close(): Promise<void>;
}

/** Starts an emulator and a temp config dir for a test file (call close in afterAll). */
export async function startProject(options: StartOptions = {}): Promise<TestProject> {
  const emulator = await startTestEmulator(options);
  const { dir, cleanup } = tempConfigDir();
  const tokensPath = join(dir, 'tokens.json');
  const requests = async (prefix?: string): Promise<any[]> => {
    const url = new URL('/__emulator/requests', emulator.url);
    if (prefix) url.searchParams.set('path', prefix);
    const res = await fetch(url);
    return ((await res.json()) as { requests: any[] }).requests;
  };
  const control = async (path: string, body?: unknown, method = 'POST'): Promise<any> => {
    const res = await fetch(new URL(`/__emulator/${path}`, emulator.url), {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status !== 200) throw new Error(`control ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  const tokens = (): ReturnType<TestProject['tokens']> => (existsSync(tokensPath) ? JSON.parse(readFileSync(tokensPath, 'utf8')) : undefined);
  return {
    emulator,
    configDir: dir,
    run: (args, runOptions = {}) =>
      runWixq(args, {
        ...runOptions,
        env: { WIXQ_API_URL: emulator.url, WIXQ_CLIENT_ID: emulator.clientId, WIXQ_CONFIG_DIR: dir, ...runOptions.env },
      }),
    tokens,
    session: (profile = 'default') => tokens()?.sessions?.[`${profile}:${emulator.clientId}`],
    requests,
    tokenRequests: async () => (await requests('/oauth2/token')),
    apiRequests: async () => (await requests()).filter((r) => r.path !== '/oauth2/token'),
    control,
    close: async () => {
      await emulator.close();
      cleanup();
    },
  };
}
