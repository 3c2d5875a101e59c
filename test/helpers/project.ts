import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedRequest } from '../../src/emulator/recording.js';
import { sessionApi, sessionKey } from '../../src/session/token-store.js';
import { runWixq, startWixq, tempConfigDir, type RunningProcess, type RunOptions, type RunResult } from './cli.js';
import { emulatorControl, startTestEmulator } from './emulator.js';
import { fakeClock, runInProcess, type InProcessOptions } from './in-process.js';

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>;
type StartOptions = Parameters<typeof startTestEmulator>[0];

/** A recorded request as tests read it: body and identity loosely typed, as JSON from the control route would be. */
export type Recorded = Omit<RecordedRequest, 'body' | 'identity'> & { body: any; identity: any };

/** What a run may add: environment (merged over the project's; `undefined` removes a key), stdin, a terminal, a clock. */
export type ProjectRunOptions = Omit<InProcessOptions, 'env'> & { env?: Record<string, string | undefined> };

/**
 * An emulator on a free loopback port plus a temp config dir: the world a command test runs wixq in.
 *
 *   const p = await startProject();                  // demo site, Catalog V1 (options as startTestEmulator's)
 *   const r = await p.run(['products', 'list']);     // in-process: main(argv) with fake streams
 *   const b = await p.runBinary(['products', 'list']); // the built binary, for what only a process shows
 *   await p.control('POST', 'faults', { path: '/stores-reader/', status: 503 });
 */
export interface TestProject {
  emulator: Emulator;
  configDir: string;
  /** The environment every run gets: the emulator's URL and client ID, the temp config dir. */
  env: Record<string, string>;
  /** The clock in-process runs retry with: waits take no time and are written down in `clock.sleeps`. */
  clock: ReturnType<typeof fakeClock>;
  /** Runs wixq in this process (the fast default), on `clock`. Await one run before starting the next. */
  run(args: string[], options?: ProjectRunOptions): Promise<RunResult>;
  /** Runs the built binary as a subprocess. */
  runBinary(args: string[], options?: RunOptions): Promise<RunResult>;
  /** Starts the built binary and hands it back while it runs (signals, a login waiting for its browser). */
  startBinary(args: string[], options?: RunOptions): RunningProcess;
  /** The parsed tokens.json, or undefined when there is none. */
  tokens(): { version: number; sessions: Record<string, any> } | undefined;
  /** The one stored session of a profile (default: "default") for this emulator's API. */
  session(profile?: string): any;
  /** The tokens.json key of a profile's session (default: "default") against this emulator. */
  sessionKey(profile?: string): string;
  /** Requests the emulator recorded since the last reset, optionally only those whose path starts with a prefix. */
  requests(prefix?: string): Recorded[];
  /** Token requests (POST /oauth2/token), each with its grant type. */
  tokenRequests(): Recorded[];
  /** API requests: everything but token requests. */
  apiRequests(): Recorded[];
  /** The one emulator-control call, over HTTP as any client would make it: method explicit. */
  control(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any>;
  /** Clears recorded requests and faults (as POST /__emulator/reset does) and the clock's recorded waits. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts an emulator and a temp config dir for a test file (call close in afterAll). */
export async function startProject(options: StartOptions = {}): Promise<TestProject> {
  const emulator = await startTestEmulator(options);
  const { dir, cleanup } = tempConfigDir();
  const tokensPath = join(dir, 'tokens.json');
  const clock = fakeClock(Date.now());
  const env = { WIXQ_API_URL: emulator.url, WIXQ_CLIENT_ID: emulator.clientId, WIXQ_CONFIG_DIR: dir };
  const tokens = (): ReturnType<TestProject['tokens']> => (existsSync(tokensPath) ? JSON.parse(readFileSync(tokensPath, 'utf8')) : undefined);
  const control: TestProject['control'] = (method, path, body) => emulatorControl(emulator.url, method, path, body);
  // Recorded requests are plain JSON over the control route; the in-process copy is the same data.
  const requests = (prefix?: string): Recorded[] => emulator.requests(prefix) as Recorded[];
  return {
    emulator,
    configDir: dir,
    env,
    clock,
    run: (args, runOptions = {}) => runInProcess(args, { clock, ...runOptions, env: { ...env, ...runOptions.env } }),
    runBinary: (args, runOptions = {}) => runWixq(args, { ...runOptions, env: { ...env, ...runOptions.env } }),
    startBinary: (args, runOptions = {}) => startWixq(args, { ...runOptions, env: { ...env, ...runOptions.env } }),
    tokens,
    session: (profile = 'default') => tokens()?.sessions?.[sessionKey(profile, emulator.clientId, sessionApi(emulator.url))],
    sessionKey: (profile = 'default') => sessionKey(profile, emulator.clientId, sessionApi(emulator.url)),
    requests,
    tokenRequests: () => requests('/oauth2/token'),
    apiRequests: () => requests().filter((r) => r.path !== '/oauth2/token'),
    control,
    reset: () => {
      emulator.reset();
      clock.sleeps.length = 0;
    },
    close: async () => {
      await emulator.close();
      cleanup();
    },
  };
}
