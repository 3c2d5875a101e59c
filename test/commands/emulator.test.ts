import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmulatorFlags } from '../../src/commands/emulator/run.js';
import { runInProcess } from '../helpers/in-process.js';

/** wixq emulator's flag and data-file errors, in-process: exit 2 and one line, before anything listens. */
describe('wixq emulator options', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wixq-emulator-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [['--port', 'abc'], /--port must be a whole number/],
    [['--port', '70000'], /--port must be a whole number from 0 to 65535/],
    [['--fail-rate', '1.5'], /--fail-rate must be a number from 0 to 1/],
    [['--token-ttl', '0'], /--token-ttl/],
    [['--latency', '-1'], /--latency/],
    [['--rate-limit', 'x'], /--rate-limit/],
    [['--seed', '1.5'], /--seed/],
    [['--products', '-3'], /--products/],
    [['--catalog', 'v9'], /v9/],
    [['--members-only-read', 'zero'], /zero/],
    [['--refuse-version-endpoint', '500'], /500/],
    [['--data', 'does-not-exist.json'], /cannot read data file does-not-exist\.json/],
  ])('rejects %j with exit 2 and one line', async (args, message) => {
    const r = await runInProcess(['emulator', '--port', '0', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('--members-only-read empty reaches the emulator options; 403 (Wix\'s observed answer) is the default', async () => {
    const { parseEmulatorFlags } = await import('../../src/commands/emulator/run.js');
    expect(parseEmulatorFlags({ membersOnlyRead: 'empty' }).membersOnlyRead).toBe('empty');
    expect(parseEmulatorFlags({}).membersOnlyRead).toBeUndefined();
    const help = await runInProcess(['emulator', '--help']);
    expect(help.stdout).toMatch(/--members-only-read <answer>[\s\S]*choices:\s+"403",\s+"empty"[\s\S]*default:\s+"403"/);
  });

  it('names the bad field of an invalid data file', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ clientIds: ['c'], products: [{ id: 'p1', name: 'A' }, { id: 'p2', name: 'B', price: 'cheap' }] }));
    const r = await runInProcess(['emulator', '--port', '0', '--data', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('products[1].price: expected a number or an object');
  });

  it('--cart-line-refusals and --no-payments become the cart switches; bad values are one line, exit 2', async () => {
    expect(parseEmulatorFlags({ cartLineRefusals: 'silent', payments: false })).toMatchObject({ cartLineRefusals: 'silent', acceptsPayments: false });
    const defaults = parseEmulatorFlags({ payments: true });
    expect(defaults).not.toHaveProperty('cartLineRefusals');
    expect(defaults).not.toHaveProperty('acceptsPayments');
    const r = await runInProcess(['emulator', '--port', '0', '--cart-line-refusals', 'maybe']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--cart-line-refusals/);
    const help = await runInProcess(['emulator', '--help']);
    expect(help.stdout).toMatch(/--cart-line-refusals <answer>[\s\S]*choices:\s+"error",\s+"silent"/);
    expect(help.stdout).toContain('--no-payments');
  });

  it('--v1-reader-shim and --refuse-version-endpoint become the catalog switches; a data file can set them too', async () => {
    expect(parseEmulatorFlags({ v1ReaderShim: true, refuseVersionEndpoint: '404' })).toMatchObject({ v1ReaderShim: true, refuseVersionEndpoint: 404 });
    expect(parseEmulatorFlags({})).not.toHaveProperty('v1ReaderShim');
    const file = join(dir, 'switches.json');
    writeFileSync(file, JSON.stringify({ catalogVersion: 'v3', clientIds: ['c'], v1ReaderShim: true, refuseVersionEndpoint: 403 }));
    expect(parseEmulatorFlags({ data: file }).data).toMatchObject({ v1ReaderShim: true, refuseVersionEndpoint: 403 });
    writeFileSync(file, JSON.stringify({ clientIds: ['c'], refuseVersionEndpoint: 418 }));
    const r = await runInProcess(['emulator', '--port', '0', '--data', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refuseVersionEndpoint: expected 403 or 404');
  });
});
