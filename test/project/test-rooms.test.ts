import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * test/unit is for functions tested on their own: a file there that starts a server or the emulator belongs in
 * test/emulator or test/wire. (A few unit tests start child processes to contend for a file lock; that stays.)
 */
describe('the test folders', () => {
  const unit = resolve(__dirname, '../unit');
  const impure = /\bfrom ['"](node:)?(http|https|net)['"]|helpers\/(emulator|cli|project|relay|redirector)\.js|startEmulator|\.listen\(/;

  it('no test/unit file starts a server or the emulator (those live in test/emulator, test/wire, test/commands, test/e2e)', () => {
    const files = readdirSync(unit).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => impure.test(readFileSync(join(unit, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the rule sees a server when there is one', () => {
    expect(impure.test("import { createServer } from 'node:http';")).toBe(true);
    expect(impure.test("import { startTestEmulator } from '../helpers/emulator.js';")).toBe(true);
    expect(impure.test("import { parseFilter } from '../../src/wix/filter.js';")).toBe(false);
  });
});
