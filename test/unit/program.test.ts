import { Command } from 'commander';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IO } from '../../src/output/io.js';
import { buildProgram, COMMAND_GROUPS, invokedGroup } from '../../src/program.js';

function quietIO(): IO {
  return { out: new PassThrough(), err: new PassThrough(), stdin: new PassThrough(), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false, columns: 80, color: false, env: {} };
}

const topLevel = (program: Command): string[] => program.commands.flatMap((c) => [c.name(), ...c.aliases()]).sort();

describe('the program registers only the command group an argument list runs', () => {
  it('each group registers exactly the top-level names the table gives it', () => {
    for (const [names, register] of COMMAND_GROUPS) {
      const program = new Command('wixq');
      register(program, quietIO());
      expect(topLevel(program), names.join(',')).toEqual([...names].sort());
    }
  });

  it('without arguments, and for anything uncertain, it builds every command', () => {
    const all = topLevel(buildProgram(quietIO()));
    expect(all).toEqual(COMMAND_GROUPS.flatMap(([names]) => names).sort());
    for (const argv of [[], ['--help'], ['help', 'products'], ['completion', 'bash'], ['prodcts', 'list'], ['--limit', '5', 'products'], ['--', 'products'], ['--profile'], ['--color', 'products']]) {
      expect(invokedGroup(argv), argv.join(' ')).toBeUndefined();
      expect(topLevel(buildProgram(quietIO(), argv)), argv.join(' ')).toEqual(all);
    }
  });

  it('skips the global options and their values to find the command', () => {
    const cases: Array<[string[], string]> = [
      [['products', 'list', '--json'], 'products'],
      [['--json', '--demo', 'products', 'list'], 'products'],
      [['--profile', 'products', 'collections', 'list'], 'collections'],
      [['-o', 'csv', '--retries', '2', '--timeout', '5', 'services', 'list'], 'services'],
      [['--api-url=http://127.0.0.1:1', '-ojson', '--client-id', 'x', '--no-color', '--verbose', '--no-input', 'data', 'items', 'list', 't'], 'data'],
      [['init', '--client-id', 'x'], 'init'],
    ];
    for (const [argv, group] of cases) {
      expect(invokedGroup(argv), argv.join(' ')).toBe(group);
      const names = COMMAND_GROUPS.find(([n]) => n.includes(group))![0];
      expect(topLevel(buildProgram(quietIO(), argv)), argv.join(' ')).toEqual([...names].sort());
    }
  });
});
