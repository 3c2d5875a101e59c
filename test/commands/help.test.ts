import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { commandsOf } from '../helpers/help-pages.js';
import { runInProcess } from '../helpers/in-process.js';

/** Version, help pages and usage errors: no emulator, no config, no request. */

describe('wixq basics', () => {
  // The binary prints package.json's version (the build stamps it in): test/e2e/commands.test.ts.
  it('--version and -V print the version and exit 0', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runInProcess([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${VERSION}\n`);
      expect(r.stderr).toBe('');
    }
  });

  it('--help lists the commands with an example', async () => {
    const r = await runInProcess(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: wixq');
    expect(r.stdout).toContain('emulator');
    expect(r.stdout).toContain('Examples:');
  });

  it('an unknown flag is a usage error with exit 2', async () => {
    const r = await runInProcess(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
    expect(r.stdout).toBe('');
  });

  it('an unknown subcommand is a usage error with exit 2', async () => {
    const r = await runInProcess(['products', 'frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it("commander's usage errors start with Error: like every other error line", async () => {
    for (const args of [['products', 'lst'], ['--frobnicate'], ['products', 'list', '--limit']]) {
      const r = await runInProcess(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^Error: /);
      expect(r.stderr, args.join(' ')).not.toMatch(/^error:/m);
    }
    expect((await runInProcess(['products', 'lst'])).stderr).toBe("Error: unknown command 'lst'\n(Did you mean one of list, ls?)\n");
  });

  it('init --help lists the flags init takes (the global --client-id, --api-url and --profile)', async () => {
    const r = await runInProcess(['init', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--client-id <id>', '--api-url <url>', '--profile <name>']) expect(r.stdout).toContain(flag);
  });
});

describe('help pages', () => {
  it("every command's --help has an Examples: block that runs wixq", async () => {
    // Walk the real help pages level by level: each "Commands:" section gives the next paths.
    let level: string[][] = [[]];
    const seen: string[] = [];
    while (level.length > 0) {
      const next: string[][] = [];
      for (const path of level) {
        const r = await runInProcess([...path, '--help']);
        const name = ['wixq', ...path].join(' ');
        seen.push(name);
        expect(r.code, name).toBe(0);
        expect(r.stdout, `${name} --help`).toMatch(/\nExamples:\n {2}\$ \S/);
        expect(r.stdout.split('\nExamples:\n')[1], `${name} --help`).toMatch(/\bwixq /);
        for (const sub of commandsOf(r.stdout)) if (sub !== 'help') next.push([...path, sub]);
      }
      level = next;
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        'wixq check', 'wixq api', 'wixq completion', 'wixq init', 'wixq emulator', 'wixq slots',
        'wixq products', 'wixq products list', 'wixq products get', 'wixq collections list', 'wixq collections get',
        'wixq services list', 'wixq services get', 'wixq config', 'wixq config list', 'wixq config get', 'wixq config set',
        'wixq config unset', 'wixq config path', 'wixq auth', 'wixq auth login', 'wixq auth logout', 'wixq auth status',
        'wixq auth token',
      ]),
    );
    expect(seen.length).toBeGreaterThan(20);
  });
});

describe('help references', () => {
  it('every docs reference in a help page names a file that exists (the package ships docs/), with its section', async () => {
    let level: string[][] = [[]];
    const refs: string[] = [];
    while (level.length > 0) {
      const next: string[][] = [];
      for (const path of level) {
        const r = await runInProcess([...path, '--help'], { columns: 200 });
        // A reference is a path ending in docs/<name>.md; on one line, never a bare relative "docs/…".
        for (const m of r.stdout.matchAll(/(\S*)docs\/([\w-]+\.md)/g)) refs.push(m[0]);
        for (const sub of commandsOf(r.stdout)) if (sub !== 'help') next.push([...path, sub]);
      }
      level = next;
    }
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      expect(isAbsolute(ref), ref).toBe(true);
      expect(existsSync(ref), ref).toBe(true);
    }
  });
});
