import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWixq, tempConfigDir } from '../helpers/cli.js';

/** The command names of a `--help` page's "Commands:" section. */
function commandsOf(help: string): string[] {
  const section = help.split(/\nCommands:\n/)[1]?.split(/\n\n/)[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined)
    .map((name) => name.split('|')[0]!);
}

const hasShell = (shell: string): boolean => spawnSync(shell, ['-c', 'exit 0']).status === 0;

describe('wixq completion', () => {
  let dir: { dir: string; cleanup: () => void };
  let script: string;
  let topLevel: string[];

  beforeAll(async () => {
    dir = tempConfigDir();
    const r = await runWixq(['completion', 'bash']);
    expect(r.code, r.stderr).toBe(0);
    script = join(dir.dir, 'wixq.bash');
    writeFileSync(script, r.stdout);
    topLevel = commandsOf((await runWixq(['--help'])).stdout);
  });
  afterAll(() => dir.cleanup());

  /** Sources the script in bash, sets COMP_WORDS/COMP_CWORD as bash would, calls the function, returns COMPREPLY. */
  function complete(...words: string[]): string[] {
    const program = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _wixq; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program, 'bash', script, ...words], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  }

  it('the bash script, sourced in bash, completes "wixq pro" to "products"', () => {
    expect(complete('wixq', 'pro')).toEqual(['products']);
  });

  it('completes every top-level command, subcommands and aliases, after global options too', () => {
    expect(topLevel).toEqual(expect.arrayContaining(['products', 'collections', 'services', 'slots', 'check', 'api', 'completion', 'config', 'init', 'emulator']));
    expect(complete('wixq', '')).toEqual(expect.arrayContaining(topLevel));
    expect(complete('wixq', 'products', 'l')).toEqual(['list', 'ls']);
    expect(complete('wixq', '--profile', 'staging', '-o', 'json', 'col')).toEqual(['collections']);
    expect(complete('wixq', 'config', '')).toEqual(expect.arrayContaining(['list', 'get', 'set', 'unset', 'path']));
  });

  it('completes options per command, global ones included', () => {
    const list = complete('wixq', 'products', 'ls', '--');
    expect(list).toEqual(expect.arrayContaining(['--limit', '--all', '--filter', '--catalog', '--output', '--profile', '--help']));
    expect(complete('wixq', 'api', 'GET', '/x', '--pa')).toEqual(['--paginate']);
    expect(complete('wixq', 'check', '--re')).toEqual(['--require', '--retries']);
  });

  it('completes the values of -o/--output, --catalog and the completion shell', () => {
    const formats = ['table', 'json', 'ndjson', 'csv', 'tsv'];
    expect(complete('wixq', 'products', 'list', '--output', '')).toEqual(formats);
    expect(complete('wixq', '-o', 'n')).toEqual(['ndjson']);
    expect(complete('wixq', 'products', 'list', '--output=c')).toEqual(['--output=csv']);
    // With "=" in COMP_WORDBREAKS, bash hands over --output = c as three words.
    expect(complete('wixq', 'services', 'list', '--output', '=', 't')).toEqual(['table', 'tsv']);
    expect(complete('wixq', 'products', 'get', '--catalog', '')).toEqual(['v1', 'v3']);
    expect(complete('wixq', 'check', '--catalog', 'v')).toEqual(['v1', 'v3']);
    expect(complete('wixq', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    // The value of an option is not taken for a subcommand.
    expect(complete('wixq', '--profile', 'products', '')).toEqual(expect.arrayContaining(topLevel));
  });

  it('zsh and fish scripts generate and mention every top-level command', async () => {
    const zsh = await runWixq(['completion', 'zsh']);
    expect(zsh.code, zsh.stderr).toBe(0);
    expect(zsh.stdout.startsWith('#compdef wixq\n')).toBe(true);
    expect(zsh.stdout).toContain('compdef _wixq wixq');
    const fish = await runWixq(['completion', 'fish']);
    expect(fish.code, fish.stderr).toBe(0);
    expect(fish.stdout).toContain("complete -c wixq -s o -l output -x -a 'table json ndjson csv tsv'");
    for (const name of topLevel) {
      expect(zsh.stdout, name).toMatch(new RegExp(`'${name}:`));
      expect(fish.stdout, name).toContain(`-a '${name}'`);
    }
  });

  it.skipIf(!hasShell('zsh'))('the zsh script parses in zsh', async () => {
    const file = join(dir.dir, '_wixq');
    writeFileSync(file, (await runWixq(['completion', 'zsh'])).stdout);
    expect(spawnSync('zsh', ['-n', file]).status).toBe(0);
  });

  it.skipIf(!hasShell('fish'))('the fish script parses in fish', async () => {
    const file = join(dir.dir, 'wixq.fish');
    writeFileSync(file, (await runWixq(['completion', 'fish'])).stdout);
    expect(spawnSync('fish', ['--no-execute', file]).status).toBe(0);
  });

  it('an unknown shell is a usage error (exit 2)', async () => {
    const r = await runWixq(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('bash, zsh, fish');
  });

  it('every command\'s --help has an Examples: block', async () => {
    // Walk the real help pages level by level: each "Commands:" section gives the next paths.
    let level: string[][] = [[]];
    const seen: string[] = [];
    while (level.length > 0) {
      const pages = await Promise.all(level.map(async (path) => ({ path, r: await runWixq([...path, '--help']) })));
      level = [];
      for (const { path, r } of pages) {
        const name = ['wixq', ...path].join(' ');
        seen.push(name);
        expect(r.code, name).toBe(0);
        expect(r.stdout, `${name} --help`).toMatch(/\nExamples:\n {2}\$ \S/);
        for (const sub of commandsOf(r.stdout)) if (sub !== 'help') level.push([...path, sub]);
      }
    }
    expect(seen).toEqual(expect.arrayContaining(['wixq check', 'wixq api', 'wixq completion', 'wixq products list', 'wixq config set']));
    expect(seen.length).toBeGreaterThan(20);
  });
});
