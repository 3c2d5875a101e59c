import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BOOKINGS_APP_ID } from '../../src/emulator/site/types.js';
import { startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';
import { tempConfigDir } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';

/**
 * `services list` shows what a site's visitors can book through Wix Bookings: hidden services and services of
 * other apps (Wix Meetings) are left out by the query itself, as Wix's own templates do.
 */
let emulator: RunningEmulator;
let config: ReturnType<typeof tempConfigDir>;
const run = (args: string[], tty = false) =>
  runInProcess(args, { env: { WIXQ_API_URL: emulator.url, WIXQ_CLIENT_ID: emulator.clientId, WIXQ_CONFIG_DIR: config.dir }, tty, columns: 200 });
const queryBodies = () => emulator.requests().filter((r) => r.path.endsWith('/bookings/v2/services/query')).map((r) => r.body as { query: { filter?: unknown } });

type Service = (typeof emulator.site.services)[number];
const ids = (services: Array<{ id?: string; _id?: string }>) => services.map((s) => s._id ?? s.id).sort();
let bookable: Service[];
let hidden: Service[];
let otherApps: Service[];

beforeAll(async () => {
  emulator = await startTestEmulator();
  config = tempConfigDir();
  const services = emulator.site.services;
  bookable = services.filter((s) => s.appId === BOOKINGS_APP_ID && s.hidden !== true);
  hidden = services.filter((s) => s.appId === BOOKINGS_APP_ID && s.hidden === true);
  otherApps = services.filter((s) => s.appId !== BOOKINGS_APP_ID);
  // The demo site must hold all three kinds, or these tests prove nothing.
  expect([bookable.length > 0, hidden.length > 0, otherApps.length > 0]).toEqual([true, true, true]);
});
afterAll(async () => {
  await emulator.close();
  config.cleanup();
});
beforeEach(() => emulator.reset());

describe('services list', () => {
  it('leaves out hidden services and services of other apps by asking Wix for Bookings\' visible ones', async () => {
    const r = await run(['services', 'list', '--all', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(ids(JSON.parse(r.stdout))).toEqual(ids(bookable));
    expect(queryBodies().map((b) => b.query.filter)).toEqual([{ hidden: false, appId: BOOKINGS_APP_ID }]);
  });

  it('ANDs the scope with --filter and --query', async () => {
    const r = await run(['services', 'list', '--json', '--filter', 'type=CLASS', '--query', '{"filter":{"category.name":"Fitness"}}']);
    expect(r.code, r.stderr).toBe(0);
    const expected = bookable.filter((s) => s.type === 'CLASS' && (s.category as { name?: string }).name === 'Fitness');
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(JSON.parse(r.stdout))).toEqual(ids(expected));
    expect(queryBodies()[0]!.query.filter).toEqual({ hidden: false, appId: BOOKINGS_APP_ID, $and: [{ type: 'CLASS' }, { 'category.name': 'Fitness' }] });
  });

  it('--include-hidden adds the hidden services and still leaves out other apps', async () => {
    const r = await run(['services', 'list', '--all', '--json', '--include-hidden']);
    expect(r.code, r.stderr).toBe(0);
    expect(ids(JSON.parse(r.stdout))).toEqual(ids([...bookable, ...hidden]));
    expect(queryBodies().map((b) => b.query.filter)).toEqual([{ appId: BOOKINGS_APP_ID }]);
  });

  it('a filter that names hidden or appId decides that field itself', async () => {
    const onlyHidden = await run(['services', 'list', '--json', '--filter', 'hidden=true']);
    expect(onlyHidden.code, onlyHidden.stderr).toBe(0);
    expect(ids(JSON.parse(onlyHidden.stdout))).toEqual(ids(hidden));
    const meetings = await run(['services', 'list', '--json', '--filter', `appId=${otherApps[0]!.appId}`]);
    expect(meetings.code, meetings.stderr).toBe(0);
    expect(ids(JSON.parse(meetings.stdout))).toEqual(ids(otherApps.filter((s) => s.appId === otherApps[0]!.appId && s.hidden !== true)));
    expect(queryBodies().map((b) => b.query.filter)).toEqual([
      { appId: BOOKINGS_APP_ID, hidden: true },
      { hidden: false, appId: otherApps[0]!.appId },
    ]);
  });

  it('the table shows the visible services only', async () => {
    const r = await run(['services', 'list', '-o', 'table'], true);
    expect(r.code, r.stderr).toBe(0);
    for (const s of bookable) expect(r.stdout).toContain(s.name);
    for (const s of [...hidden, ...otherApps]) expect(r.stdout).not.toContain(s.name);
  });
});

describe('services get', () => {
  it('still finds a hidden service by ID and by slug', async () => {
    const service = hidden[0]!;
    const byId = await run(['services', 'get', service.id, '--json']);
    expect(byId.code, byId.stderr).toBe(0);
    expect(JSON.parse(byId.stdout)).toMatchObject({ _id: service.id, hidden: true });
    const bySlug = await run(['services', 'get', (service.mainSlug as { name: string }).name, '--json']);
    expect(bySlug.code, bySlug.stderr).toBe(0);
    expect(JSON.parse(bySlug.stdout)).toMatchObject({ _id: service.id, hidden: true });
  });
});

describe('check', () => {
  it('counts services as services list shows them', async () => {
    const r = await run(['check', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const services = (JSON.parse(r.stdout) as { checks: Array<{ name: string; count?: number }> }).checks.find((c) => c.name === 'services');
    expect(services?.count).toBe(bookable.length);
    expect(queryBodies().map((b) => b.query.filter)).toEqual([{ hidden: false, appId: BOOKINGS_APP_ID }]);
  });
});
