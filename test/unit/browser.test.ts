import { describe, expect, it } from 'vitest';
import { canOpenBrowser } from '../../src/session/login/browser.js';

/** The one rule for "can a browser be opened", shared by `auth login` and `get --web` (both tested end to end too). */
describe('canOpenBrowser', () => {
  it('a named browser always can; macOS and Windows without a display; other systems only with one', () => {
    expect(canOpenBrowser({}, 'linux')).toBe(false);
    expect(canOpenBrowser({ DISPLAY: '' }, 'linux')).toBe(false);
    expect(canOpenBrowser({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(canOpenBrowser({ WAYLAND_DISPLAY: 'wayland-0' }, 'freebsd')).toBe(true);
    expect(canOpenBrowser({ WIXQ_BROWSER: 'firefox' }, 'linux')).toBe(true);
    expect(canOpenBrowser({ BROWSER: 'w3m' }, 'linux')).toBe(true);
    expect(canOpenBrowser({ BROWSER: '  ' }, 'linux')).toBe(false);
    expect(canOpenBrowser({}, 'darwin')).toBe(true);
    expect(canOpenBrowser({}, 'win32')).toBe(true);
  });
});
