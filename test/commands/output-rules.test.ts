import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator } from '../helpers/emulator.js';
import { tempConfigDir } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

/**
 * Every command that prints data picks its format the same way: -o, then --json, then the profile's `output`
 * setting, then a table on a terminal and JSON elsewhere.
 */
let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
let config: ReturnType<typeof tempConfigDir>;
const env = (): Record<string, string> => ({ WIXQ_API_URL: emulator.url, WIXQ_CLIENT_ID: emulator.clientId, WIXQ_CONFIG_DIR: config.dir });
const run = (args: string[], tty = false) => runInProcess(args, { env: env(), tty });

beforeAll(async () => {
  emulator = await startTestEmulator();
  config = tempConfigDir();
});
afterAll(async () => {
  await emulator.close();
  config.cleanup();
});

const COMMANDS: Array<[string, string[]]> = [
  ['auth status', ['auth', 'status']],
  ['config list', ['config', 'list']],
  ['api --paginate', ['api', 'POST', '/bookings/v2/services/query', '--data', '{"query":{"paging":{"limit":5}}}', '--paginate']],
  ['check', ['check']],
  ['products list', ['products', 'list', '--limit', '3']],
];

/** What a format looks like on stdout. */
function shapeOf(stdout: string): 'json' | 'ndjson' | 'csv' | 'table' | 'text' {
  const text = stdout.trim();
  try {
    JSON.parse(text);
    return 'json';
  } catch {
    // not one JSON document
  }
  const lines = text.split('\n');
  if (lines.length > 0 && lines.every((l) => l.startsWith('{') && JSON.parse(l))) return 'ndjson';
  if (/[┌─│]/.test(text)) return 'table';
  if (lines[0]!.includes(',') && !lines[0]!.includes(': ')) return 'csv';
  return 'text';
}

describe.each(COMMANDS)('%s follows -o, --json, the configured output and the terminal', (_name, args) => {
  it('piped: JSON', async () => {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(0);
    expect(shapeOf(r.stdout)).toBe('json');
  });

  it('on a terminal: a table or text, never JSON', async () => {
    const r = await run(args, true);
    expect(r.code, r.stderr).toBe(0);
    expect(['table', 'text']).toContain(shapeOf(r.stdout));
  });

  it('-o csv, --json on a terminal, -o ndjson', async () => {
    expect(shapeOf((await run([...args, '-o', 'csv'])).stdout)).toBe('csv');
    expect(shapeOf((await run([...args, '--json'], true)).stdout)).toBe('json');
    const ndjson = (await run([...args, '-o', 'ndjson'], true)).stdout.trim().split('\n');
    expect(ndjson.every((line) => line.startsWith('{') && typeof JSON.parse(line) === 'object')).toBe(true);
  });

  it('the configured output, on a terminal too; -o still wins', async () => {
    expect((await run(['config', 'set', 'output', 'csv'])).code).toBe(0);
    try {
      expect(shapeOf((await run(args, true)).stdout)).toBe('csv');
      expect(shapeOf((await run([...args, '-o', 'json'], true)).stdout)).toBe('json');
    } finally {
      await run(['config', 'unset', 'output']);
    }
  });
});
