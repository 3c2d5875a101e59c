import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireBuild } from './build.js';

/**
 * The one place tests start processes. Most tests run wixq in-process (`in-process.ts`); a subprocess is for what only a
 * real process shows: pipes, signals, locks between processes, start-up, pack, dropped privileges.
 *
 *   runWixq(args, { env })            the built binary, to the end
 *   startWixq(args, { env })          the built binary, watched while it runs (signals, a login to play the browser for)
 *   runShell('wixq … | head -1', …)   a bash script in which `wixq` is the built binary
 *   runCommand('npm', ['pack'], …)    any other program (npm, bash, zsh)
 *
 * No wall-clock limit: a hung child fails its test by vitest's timeout, and is killed when the worker exits.
 */

// Every file that starts the built binary needs the build: say so once, with the fix, instead of a child's stack trace.
requireBuild();

/** The built binary every end-to-end test runs. */
export const WIXQ_BIN = resolve(__dirname, '../../bin/wixq.cjs');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Extra environment; merged over a clean base (no WIXQ_*, no proxies, no colour forcing). `undefined` removes a key. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, then stdin is closed (stdin is closed at once without it). */
  input?: string;
  cwd?: string;
  /** Options for node before the script (e.g. `--import` a module hook); wixq runs only. */
  nodeArgs?: string[];
}

/** A process that is still running: its output so far, a way to wait for a line, its end. */
export interface RunningProcess {
  pid: number | undefined;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in the stream's output so far or later; rejects if the process ends first. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  kill(signal?: NodeJS.Signals): void;
  done: Promise<RunResult>;
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

// Children still running when the worker exits (a test that timed out) are killed with it.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts any program with the clean environment and collects its output. */
export function startCommand(command: string, args: string[], options: RunOptions = {}): RunningProcess {
  const env: Record<string, string | undefined> = { ...baseEnv(), ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const child = spawn(command, args, { env: env as NodeJS.ProcessEnv, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const text = { stdout: '', stderr: '' };
  const watchers = new Set<() => void>();
  const onData = (stream: 'stdout' | 'stderr') => (chunk: string) => {
    text[stream] += chunk;
    for (const watch of watchers) watch();
  };
  child.stdout!.setEncoding('utf8').on('data', onData('stdout'));
  child.stderr!.setEncoding('utf8').on('data', onData('stderr'));
  const done = new Promise<RunResult>((resolvePromise, reject) => {
    child.on('error', (error) => {
      running.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      running.delete(child);
      for (const watch of watchers) watch();
      resolvePromise({ code, signal, stdout: text.stdout, stderr: text.stderr });
    });
  });
  // A reader that leaves early (a child that never reads stdin) is not the test's failure.
  child.stdin!.on('error', () => {});
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  return {
    pid: child.pid,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    waitFor: (pattern, stream = 'stderr') =>
      new Promise((resolvePromise, reject) => {
        const watch = (): void => {
          const match = pattern.exec(text[stream]);
          if (match) {
            watchers.delete(watch);
            resolvePromise(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            watchers.delete(watch);
            reject(new Error(`the process ended (${child.exitCode ?? child.signalCode}) before ${pattern} on ${stream}:\n${text[stream]}`));
          }
        };
        watchers.add(watch);
        watch();
      }),
    kill: (signal = 'SIGTERM') => {
      child.kill(signal);
    },
    done,
  };
}

/** Whether a program (a shell, a browser) is installed here: tests that need one skip without it. */
export function hasProgram(name: string): boolean {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** Runs any program to the end (npm, bash, zsh, fish). */
export function runCommand(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return startCommand(command, args, options).done;
}

/** Starts the built `wixq` as a subprocess; the caller watches it, signals it, and awaits `done`. */
export function startWixq(args: string[], options: RunOptions = {}): RunningProcess {
  return startCommand(process.execPath, [...(options.nodeArgs ?? []), WIXQ_BIN, ...args], options);
}

/** Runs the built `wixq` as a subprocess and collects stdout, stderr and the exit code. */
export function runWixq(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return startWixq(args, options).done;
}

/** Runs a bash script in which `wixq` is the built binary (pipelines, redirections, umask). */
export function runShell(script: string, options: RunOptions = {}): Promise<RunResult> {
  const wixq = `wixq() { ${quote(process.execPath)} ${quote(WIXQ_BIN)} "$@"; }`;
  return runCommand('bash', ['-c', `${wixq}\n${script}`], options);
}

/** A word for bash, whatever it holds. */
export function quote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** A fresh temporary config dir; call the returned cleanup when done. */
export function tempConfigDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wixq-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
