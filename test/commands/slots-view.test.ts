import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/output/table.js';
import { startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';
import { tempConfigDir } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

/**
 * `wixq slots` for people (issue 12, item 3): a table whose date and time cells stay whole at 80 columns, the zone
 * named once on stderr, JSON and CSV unchanged, and `--week` grids (golden output at a fixed clock and width).
 */
const ZONE = 'Europe/Berlin';
// The emulator serves slots from its `now` on: a fixed clock and fixed dates make the grid the same on every run.
const NOW = Date.UTC(2026, 11, 1, 9, 0, 0);
const RANGE = ['--from', '2026-12-07', '--to', '+7d'];

let emulator: RunningEmulator;
let config: ReturnType<typeof tempConfigDir>;
const run = (args: string[], opts: { tty?: boolean; columns?: number; env?: Record<string, string> } = {}) =>
  runInProcess(args, {
    env: { WIXQ_API_URL: emulator.url, WIXQ_CLIENT_ID: emulator.clientId, WIXQ_CONFIG_DIR: config.dir, ...opts.env },
    tty: opts.tty ?? true,
    columns: opts.columns ?? 80,
  });
const slotRequests = () => emulator.requests().filter((r) => r.path.includes('/time-slots'));

beforeAll(async () => {
  emulator = await startTestEmulator({ now: () => NOW });
  config = tempConfigDir();
});
afterAll(async () => {
  await emulator.close();
  config.cleanup();
});
beforeEach(() => emulator.reset());

type Slot = { localStartDate: string; localEndDate: string; start: string; end: string };

/** `Mon 7 Dec` as en-GB writes a wall-clock date: an independent spelling of what the table should show. */
const dateOf = (local: string): string =>
  new Date(`${local.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).replace(',', '');
const cellsOf = (line: string): string[] => line.split('│').slice(1, -1).map((c) => c.trim());

describe('the slots table', () => {
  it('at 80 columns every date and time is whole, beside Service, Location and Staff; the zone is named once on stderr', async () => {
    for (const extra of [[], ['--include-full']]) {
      const services = ['deep-tissue-massage', 'morning-yoga-flow', 'pilates-mat-class'];
      const json = await run(['slots', ...services, ...RANGE, '--tz', ZONE, '--json', ...extra], { tty: false });
      expect(json.code, json.stderr).toBe(0);
      const slots = JSON.parse(json.stdout) as Slot[];
      expect(slots.length).toBeGreaterThan(10);

      const r = await run(['slots', ...services, ...RANGE, '--tz', ZONE, ...extra]);
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
      const [header, ...rows] = lines.filter((l) => l.startsWith('│')).map(cellsOf);
      expect(header).toEqual(['Service', 'When', 'Location', ...(extra.length ? ['Open'] : []), 'Spots', 'Staff']);
      expect(rows).toHaveLength(slots.length);
      const when = header!.indexOf('When');
      rows.forEach((row, i) => {
        const s = slots[i]!;
        const endDay = s.localEndDate.slice(0, 10) === s.localStartDate.slice(0, 10) ? '' : `${dateOf(s.localEndDate).slice(0, 3)} `;
        expect(row[when]).toBe(`${dateOf(s.localStartDate)}  ${s.localStartDate.slice(11, 16)}–${endDay}${s.localEndDate.slice(11, 16)}`);
      });
      expect(r.stderr.split(ZONE)).toHaveLength(2);
      expect(r.stdout).not.toContain(ZONE);
    }
  });

  it('JSON and CSV keep the full ISO start and end', async () => {
    const json = await run(['slots', 'morning-yoga-flow', ...RANGE, '--tz', ZONE, '--json'], { tty: false });
    const slots = JSON.parse(json.stdout) as Slot[];
    expect(slots.length).toBeGreaterThan(0);
    for (const s of slots) expect(s.start).toBe(`${s.localStartDate.slice(0, 19)}+01:00`);
    const csv = await run(['slots', 'morning-yoga-flow', ...RANGE, '--tz', ZONE, '-o', 'csv'], { tty: false });
    expect(csv.code, csv.stderr).toBe(0);
    const [head, ...lines] = csv.stdout.trimEnd().split('\n');
    const columns = head!.split(',');
    expect(columns).toEqual(expect.arrayContaining(['start', 'end']));
    expect(lines.map((l) => l.split(',')[columns.indexOf('start')])).toEqual(slots.map((s) => s.start));
    expect(lines.map((l) => l.split(',')[columns.indexOf('end')])).toEqual(slots.map((s) => s.end));
  });
});

describe('--week', () => {
  it('draws a grid per service and week at 80 columns (golden)', async () => {
    const r = await run(['slots', 'morning-yoga-flow', 'deep-tissue-massage', ...RANGE, '--tz', 'UTC', '--week', '--include-full']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.endsWith('Open spots per start time, local to UTC.\n')).toBe(true);
    expect(r.stdout).toBe(GOLDEN_80);
  });

  it('splits a week that does not fit the width, each part no wider than the terminal (golden)', async () => {
    const r = await run(['slots', 'pilates-mat-class', ...RANGE, '--tz', 'UTC', '--week', '--include-full'], { columns: 50 });
    expect(r.code, r.stderr).toBe(0);
    for (const line of r.stdout.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(50);
    expect(r.stdout).toBe(GOLDEN_50);
  });

  it('a range longer than a week gives one grid per week, the last one ending with the range', async () => {
    const r = await run(['slots', 'deep-tissue-massage', '--from', '2026-12-07', '--to', '+10d', '--tz', 'UTC', '--week']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Deep'))).toEqual(['Deep Tissue Massage: Mon 7 Dec – Sun 13 Dec', 'Deep Tissue Massage: Mon 14 Dec – Wed 16 Dec']);
    expect(r.stdout).toContain('│ Time  │ Mon 14 │ Tue 15 │ Wed 16 │\n');
  });

  it('colours the cells when colour is allowed, and none otherwise', async () => {
    const args = ['slots', 'deep-tissue-massage', ...RANGE, '--tz', 'UTC', '--week', '--include-full'];
    const plain = await run(args);
    const coloured = await run(args, { env: { FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(coloured.stdout).toContain('\u001b[32m3\u001b[39m'); // open spots in green
    expect(coloured.stdout).toContain('\u001b[2mfull\u001b[22m'); // full slots dimmed
    expect(coloured.stdout.replace(/\u001b\[\d+m/g, '')).toBe(plain.stdout);
  });

  it('with -o table it draws also when piped', async () => {
    const r = await run(['slots', 'deep-tissue-massage', ...RANGE, '--tz', 'UTC', '--week', '-o', 'table', '--include-full'], { tty: false });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(GOLDEN_80.slice(GOLDEN_80.indexOf('Deep Tissue Massage')));
  });

  it('with another output (or piped without -o table) is a usage error before any request', async () => {
    for (const [flags, tty] of [[['-o', 'json'], true], [['--json'], true], [['-o', 'csv'], true], [['-o', 'ndjson'], true], [[], false]] as const) {
      const r = await run(['slots', 'deep-tissue-massage', '--week', ...flags], { tty });
      expect(r.code, `${flags.join(' ')} tty=${tty}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/--week/);
      expect(r.stderr).toMatch(/-o table/);
    }
    const fields = await run(['slots', 'deep-tissue-massage', '--week', '--fields', 'start']);
    expect(fields.code).toBe(2);
    expect(emulator.requests()).toHaveLength(0);
  });
});

const GOLDEN_80 = [
  'Morning Yoga Flow: Mon 7 Dec – Sun 13 Dec',
  '┌───────┬────────┬────────┬────────┬────────┬────────┬────────┬────────┐',
  '│ Time  │  Mon 7 │  Tue 8 │  Wed 9 │ Thu 10 │ Fri 11 │ Sat 12 │ Sun 13 │',
  '├───────┼────────┼────────┼────────┼────────┼────────┼────────┼────────┤',
  '│ 12:00 │     10 │        │     10 │        │      2 │        │        │',
  '└───────┴────────┴────────┴────────┴────────┴────────┴────────┴────────┘',
  '',
  'Deep Tissue Massage: Mon 7 Dec – Sun 13 Dec',
  '┌───────┬────────┬────────┬────────┬────────┬────────┬────────┬────────┐',
  '│ Time  │  Mon 7 │  Tue 8 │  Wed 9 │ Thu 10 │ Fri 11 │ Sat 12 │ Sun 13 │',
  '├───────┼────────┼────────┼────────┼────────┼────────┼────────┼────────┤',
  '│ 13:00 │   full │   full │      3 │      3 │      3 │      3 │        │',
  '│ 14:15 │      3 │   full │   full │      3 │      3 │      3 │        │',
  '│ 15:30 │   full │      3 │      3 │      3 │   full │      3 │        │',
  '│ 16:45 │      3 │      3 │      3 │   full │      3 │      3 │        │',
  '│ 17:00 │      3 │      3 │   full │      3 │   full │      3 │        │',
  '│ 18:00 │   full │      3 │      3 │      3 │      3 │      3 │        │',
  '│ 18:15 │      3 │   full │      3 │      3 │   full │      3 │        │',
  '│ 19:15 │      3 │      3 │      3 │      3 │      3 │      3 │        │',
  '│ 19:30 │   full │      3 │      3 │      3 │      3 │   full │        │',
  '│ 20:45 │      3 │      3 │      3 │   full │   full │      3 │        │',
  '│ 22:00 │      3 │      3 │      3 │      3 │   full │      3 │        │',
  '│ 23:15 │   full │      3 │   full │      3 │      3 │      3 │        │',
  '└───────┴────────┴────────┴────────┴────────┴────────┴────────┴────────┘',
  '',
].join('\n');
const GOLDEN_50 = [
  'Pilates Mat Class: Mon 7 Dec – Sun 13 Dec',
  '┌───────┬────────┬────────┬────────┬────────┐',
  '│ Time  │  Mon 7 │  Tue 8 │  Wed 9 │ Thu 10 │',
  '├───────┼────────┼────────┼────────┼────────┤',
  '│ 00:00 │        │        │   full │        │',
  '│ 17:00 │        │      4 │        │      1 │',
  '└───────┴────────┴────────┴────────┴────────┘',
  '┌───────┬────────┬────────┬────────┐',
  '│ Time  │ Fri 11 │ Sat 12 │ Sun 13 │',
  '├───────┼────────┼────────┼────────┤',
  '│ 00:00 │     10 │        │        │',
  '└───────┴────────┴────────┴────────┘',
  '',
].join('\n');
