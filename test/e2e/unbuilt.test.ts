import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand, WIXQ_BIN } from '../helpers/cli.js';

describe('a checkout that was never built (npm ci builds nothing)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wixq-unbuilt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bin/wixq.cjs says to run npm run build, in one line, exit 1: no stack trace', async () => {
    mkdirSync(join(dir, 'bin'));
    cpSync(WIXQ_BIN, join(dir, 'bin', 'wixq.cjs'));
    cpSync(join(WIXQ_BIN, '../../package.json'), join(dir, 'package.json'));
    const r = await runCommand(process.execPath, [join(dir, 'bin', 'wixq.cjs'), '--demo', 'products', 'list']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Error: wixq is not built yet (no dist/cli.cjs). Run: npm run build (in ${dir}/)\n`);
  });
});
