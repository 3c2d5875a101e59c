import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built binary every end-to-end test runs. */
export const WIXQ_BIN = resolve(__dirname, '../../bin/wixq.js');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Extra environment; merged over a clean base (no WIXQ_*, no proxies, no colour forcing). */
  env?: Record<string, string | undefined>;
  /** Written to stdin, then stdin is closed. */
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** A clean environment: the parent's, minus anything that would change wixq's behaviour. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(WIXQ_|WIX_|HTTPS?_PROXY$|NO_PROXY$|ALL_PROXY$|FORCE_COLOR$|NO_COLOR$)/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

/** Runs the built `wixq` as a subprocess and collects stdout, stderr and the exit code. */
export function runWixq(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const env = { ...baseEnv(), ...options.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [WIXQ_BIN, ...args], {
      env: env as NodeJS.ProcessEnv,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 25_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** A fresh temporary config dir; call the returned cleanup when done. */
export function tempConfigDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wixq-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
