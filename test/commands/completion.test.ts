import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasProgram, runCommand, tempConfigDir } from '../helpers/cli.js';
import { commandsOf } from '../helpers/help-pages.js';
import { runInProcess } from '../helpers/in-process.js';

/** The scripts are generated in-process; bash, zsh and fish then read them as a user's shell would. */

describe('wixq completion', () => {
  let dir: { dir: string; cleanup: () => void };
  let script: string;
  let topLevel: string[];

  beforeAll(async () => {
    dir = tempConfigDir();
    const r = await runInProcess(['completion', 'bash']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    script = join(dir.dir, 'wixq.bash');
    writeFileSync(script, r.stdout);
    topLevel = commandsOf((await runInProcess(['--help'])).stdout);
  });
  afterAll(() => dir.cleanup());

  /**
   * Sources the script in bash and, for each case, sets COMP_WORDS/COMP_CWORD as bash would, calls the function and
   * collects COMPREPLY. One bash process answers every case of a test.
   */
  async function complete(...cases: string[][]): Promise<string[][]> {
    const quoted = (words: string[]) => words.map((w) => `'${w.replaceAll("'", "'\\''")}'`).join(' ');
    const program = [
      'source "$1"',
      ...cases.map((words) => `(COMP_WORDS=(${quoted(words)}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _wixq; printf '%s\\n' "\${COMPREPLY[@]}"); echo '--end--'`),
    ].join('\n');
    const r = await runCommand('bash', ['--norc', '--noprofile', '-c', program, 'bash', script]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const answers = r.stdout.split('--end--\n').slice(0, cases.length);
    expect(answers).toHaveLength(cases.length);
    return answers.map((answer) => answer.split('\n').filter(Boolean));
  }

  it('the bash script, sourced in bash, completes "wixq pro" to "products"', async () => {
    expect(await complete(['wixq', 'pro'])).toEqual([['products']]);
  });

  it('completes every top-level command, subcommands and aliases, after global options too', async () => {
    expect(topLevel).toEqual(expect.arrayContaining(['products', 'collections', 'services', 'slots', 'check', 'api', 'completion', 'config', 'init', 'emulator']));
    const [all, products, afterGlobals, config] = await complete(['wixq', ''], ['wixq', 'products', 'l'], ['wixq', '--profile', 'staging', '-o', 'json', 'col'], ['wixq', 'config', '']);
    expect(all).toEqual(expect.arrayContaining(topLevel));
    expect(products).toEqual(['list', 'ls']);
    expect(afterGlobals).toEqual(['collections']);
    expect(config).toEqual(expect.arrayContaining(['list', 'get', 'set', 'unset', 'path']));
  });

  it('completes options per command, global ones included', async () => {
    const [list, api, check] = await complete(['wixq', 'products', 'ls', '--'], ['wixq', 'api', 'GET', '/x', '--pa'], ['wixq', 'check', '--re']);
    expect(list).toEqual(expect.arrayContaining(['--limit', '--all', '--filter', '--catalog', '--output', '--profile', '--help']));
    expect(api).toEqual(['--paginate']);
    expect(check).toEqual(['--require', '--retries']);
  });

  it('completes the values of -o/--output, --catalog and the completion shell', async () => {
    const formats = ['table', 'json', 'ndjson', 'csv', 'tsv'];
    const cases: Array<[string[], string[] | ReturnType<typeof expect.arrayContaining>]> = [
      [['wixq', 'products', 'list', '--output', ''], formats],
      [['wixq', '-o', 'n'], ['ndjson']],
      [['wixq', 'products', 'list', '--output=c'], ['--output=csv']],
      // With "=" in COMP_WORDBREAKS, bash hands over --output = c as three words.
      [['wixq', 'services', 'list', '--output', '=', 't'], ['table', 'tsv']],
      [['wixq', 'products', 'get', '--catalog', ''], ['v1', 'v3']],
      [['wixq', 'check', '--catalog', 'v'], ['v1', 'v3']],
      [['wixq', 'completion', ''], ['bash', 'zsh', 'fish']],
      // The value of an option is not taken for a subcommand.
      [['wixq', '--profile', 'products', ''], expect.arrayContaining(topLevel)],
    ];
    const answers = await complete(...cases.map(([words]) => words));
    for (const [i, [words, expected]] of cases.entries()) expect(answers[i], words.join(' ')).toEqual(expected);
  });

  it('completes the cart commands, their alias and their options (check --checkout too)', async () => {
    const [cart, add, checkout, check, catalog] = await complete(['wixq', 'cart', ''], ['wixq', 'cart', 'add', '--o'], ['wixq', 'cart', 'checkout', '--'], ['wixq', 'check', '--ch'], ['wixq', 'cart', 'add', '--catalog', '']);
    expect(cart).toEqual(['get', 'add', 'remove', 'rm', 'update', 'clear', 'checkout', 'help']);
    expect(add).toEqual(['--option', '--output']);
    expect(checkout).toEqual(expect.arrayContaining(['--web', '--no-browser']));
    expect(check).toEqual(['--checkout']);
    expect(catalog).toEqual(['v1', 'v3']);
  });

  it('zsh and fish scripts generate and mention every top-level command', async () => {
    const zsh = await runInProcess(['completion', 'zsh']);
    expect(zsh.code, zsh.stderr).toBe(0);
    expect(zsh.stdout.startsWith('#compdef wixq\n')).toBe(true);
    expect(zsh.stdout).toContain('compdef _wixq wixq');
    const fish = await runInProcess(['completion', 'fish']);
    expect(fish.code, fish.stderr).toBe(0);
    expect(fish.stdout).toContain("complete -c wixq -s o -l output -x -a 'table json ndjson csv tsv'");
    for (const name of topLevel) {
      expect(zsh.stdout, name).toMatch(new RegExp(`'${name}:`));
      expect(fish.stdout, name).toContain(`-a '${name}'`);
    }
  });

  it.skipIf(!hasProgram('zsh'))('the zsh script parses in zsh', async () => {
    const file = join(dir.dir, '_wixq');
    writeFileSync(file, (await runInProcess(['completion', 'zsh'])).stdout);
    expect((await runCommand('zsh', ['-n', file])).code).toBe(0);
  });

  it.skipIf(!hasProgram('fish'))('the fish script parses in fish', async () => {
    const file = join(dir.dir, 'wixq.fish');
    writeFileSync(file, (await runInProcess(['completion', 'fish'])).stdout);
    expect((await runCommand('fish', ['--no-execute', file])).code).toBe(0);
  });

  it('an unknown shell is a usage error (exit 2)', async () => {
    const r = await runInProcess(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('bash, zsh, fish');
  });
});
