import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWixq } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };

describe('wixq basics', () => {
  it('--version prints the package version and exits 0', async () => {
    const r = await runWixq(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
    expect(r.stderr).toBe('');
  });

  it('--help lists the commands with an example', async () => {
    const r = await runWixq(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: wixq');
    expect(r.stdout).toContain('emulator');
    expect(r.stdout).toContain('Examples:');
  });

  it('an unknown flag is a usage error with exit 2', async () => {
    const r = await runWixq(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
    expect(r.stdout).toBe('');
  });
});
