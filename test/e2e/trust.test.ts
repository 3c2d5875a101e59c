import { chmodSync, chownSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isStoredSession } from '../../src/session/token-store.js';
import { startProject, type TestProject } from '../helpers/project.js';

/**
 * A config dir (or a token file) others can write is never used silently: wixq makes what it owns private, and warns
 * once, before using the tokens, about what it cannot (docs/reference.md 2.3). Real modes, a real process.
 */
describe('a config dir others could write', () => {
  let p: TestProject;
  const mode = (name = ''): number => statSync(join(p.configDir, name)).mode & 0o777;
  beforeAll(async () => {
    p = await startProject({ products: 20 });
  });
  afterAll(async () => p.close());
  beforeEach(async () => {
    // A warm session (tokens.json and config.json written), then the modes others could use.
    chownSync(p.configDir, process.getuid!(), process.getgid!());
    chmodSync(p.configDir, 0o700);
    const r = await p.runBinary(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('0777 folder, 0644 tokens.json and config.json of this user: made 0700 and 0600, without a word, and the session is used', async () => {
    const before = p.session();
    chmodSync(p.configDir, 0o777);
    chmodSync(join(p.configDir, 'tokens.json'), 0o644);
    chmodSync(join(p.configDir, 'config.json'), 0o666);
    // A read that renews nothing: nothing is rewritten, so only the tightening can change the modes.
    const r = await p.runBinary(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Warning/);
    expect(mode()).toBe(0o700);
    expect(mode('tokens.json')).toBe(0o600);
    expect(mode('config.json')).toBe(0o600);
    expect(p.session().accessToken.value).toBe(before.accessToken.value);
  });

  it('a folder made read-only by its owner keeps the owner\'s bits (only group and others lose theirs)', async () => {
    chmodSync(p.configDir, 0o555);
    chmodSync(join(p.configDir, 'tokens.json'), 0o444);
    try {
      const r = await p.runBinary(['products', 'list', '--json', '--limit', '1']);
      expect(r.code, r.stderr).toBe(0);
      expect(mode()).toBe(0o500);
      expect(mode('tokens.json')).toBe(0o400);
    } finally {
      chmodSync(join(p.configDir, 'tokens.json'), 0o600);
    }
  });

  it('as root: a folder another user owns (0777) is one warning, naming it, before its tokens are used', async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip('needs root to give the folder to another uid (chown)');
    chownSync(p.configDir, 65534, 65534);
    chmodSync(p.configDir, 0o777);
    chownSync(join(p.configDir, 'tokens.json'), 65534, 65534);
    chmodSync(join(p.configDir, 'tokens.json'), 0o666);
    const r = await p.runBinary(['products', 'list', '--json', '--limit', '1', '--verbose']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    const warnings = lines.filter((l) => l.startsWith('Warning:'));
    expect(warnings).toEqual([
      `Warning: ${p.configDir} belongs to another user (uid 65534, mode 0777); ${join(p.configDir, 'tokens.json')} belongs to another user (uid 65534, mode 0666): another local user could replace the session tokens or settings wixq uses from ${p.configDir}. Make it yours and private (chmod 700 the folder, 600 its files), or set WIXQ_CONFIG_DIR to a folder you own.`,
    ]);
    // Said before the first request goes out with the tokens.
    expect(lines.indexOf(warnings[0]!)).toBeLessThan(lines.findIndex((l) => l.startsWith('→ ')));
    // Not another user's to change: the modes are left as they are.
    expect(mode()).toBe(0o777);
    expect(mode('tokens.json')).toBe(0o666);
  });
});

describe('malformed notices', () => {
  let p: TestProject;
  beforeAll(async () => {
    p = await startProject({ products: 20 });
  });
  afterAll(async () => p.close());

  it('a malformed stored session is named once in a run that reads it and then replaces it', async () => {
    expect((await p.runBinary(['products', 'list', '--json', '--limit', '1'])).code).toBe(0);
    const path = join(p.configDir, 'tokens.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.sessions[p.sessionKey()] = { accessToken: 'not a session' };
    writeFileSync(path, JSON.stringify(file));
    const r = await p.runBinary(['products', 'list', '--json', '--limit', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/is malformed/g)).toHaveLength(1);
    expect(isStoredSession(p.session())).toBe(true);
  });
});
