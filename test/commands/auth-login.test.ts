import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/emulator/index.js';
import { USER_AGENT } from '../../src/wix/transport.js';
import { tempConfigDir } from '../helpers/cli.js';
import { startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';

/** Headless member login when Wix's authorize step answers a page instead of a 302, and who the requests say they are. */
let emu: RunningEmulator;
let config: ReturnType<typeof tempConfigDir>;
const ada = DEMO_MEMBERS[0]!;

beforeAll(async () => {
  emu = await startTestEmulator();
  config = tempConfigDir();
});
afterAll(async () => {
  await emu.close();
  config.cleanup();
});

const login = () =>
  runInProcess(['auth', 'login', '--email', ada.email, '--password-stdin'], {
    env: { WIXQ_API_URL: emu.url, WIXQ_CLIENT_ID: emu.clientId, WIXQ_CONFIG_DIR: config.dir },
    input: ada.password,
  });

async function setAuthorizeRedirect(mode: string): Promise<void> {
  const res = await fetch(new URL('/__emulator/config', emu.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ authorizeRedirect: mode }) });
  expect(res.status).toBe(200);
}

describe('auth login --email without a browser', () => {
  it.each(['302', 'meta-refresh', 'script'])('completes when the authorize step answers with %s', async (mode) => {
    await setAuthorizeRedirect(mode);
    emu.reset();
    const r = await login();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`Logged in as ${ada.email}`));
    // The authorization code came back to the redirect URI: it was exchanged for member tokens.
    expect(emu.requests('/oauth2/token').map((x) => x.grantType)).toContain('authorization_code');
  });

  it('keeps the browser fallback and its message when the page redirects nowhere', async () => {
    await setAuthorizeRedirect('none');
    const r = await login();
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/instead of redirecting to the redirect URI/);
    expect(r.stderr).toMatch(/Log in with the browser instead: wixq auth login/);
    await setAuthorizeRedirect('302');
  });

  it(`every request carries User-Agent ${USER_AGENT}`, async () => {
    emu.reset();
    expect((await login()).code).toBe(0);
    const recorded = emu.requests();
    expect(recorded.length).toBeGreaterThan(2);
    expect(new Set(recorded.map((x) => x.headers['user-agent']))).toEqual(new Set([USER_AGENT]));
  });
});
