import { createInterface } from 'node:readline/promises';
import type { CommandContext } from '../../context.js';
import { UsageError, WixqError, ExitCode } from '../../errors.js';
import { createListWriter } from '../../output/render.js';
import { DEFAULT_API_URL } from '../../wix/hosts.js';
import { SETTING_KEYS, parseSettingValue, type SettingKey } from '../../session/settings/values.js';

function checkKey(key: string): SettingKey {
  if (!(SETTING_KEYS as readonly string[]).includes(key)) {
    throw new UsageError(`unknown setting "${key}"; the settings are: ${SETTING_KEYS.join(', ')}`);
  }
  return key as SettingKey;
}

/** `wixq init`: stores the client ID for the profile; asks for it only on a terminal and never with --no-input. */
export async function runInit(options: { input: boolean }, ctx: CommandContext): Promise<void> {
  const s = ctx.settings();
  if (s.demo) throw new UsageError('init stores settings for your own project; --demo needs none');
  ctx.requireWritableConfig('config.json');
  // What --client-id and --api-url gave (resolved and checked by the settings); the environment's are not stored.
  let clientId = s.sources.clientId.from === 'flag' ? s.clientId : undefined;
  if (clientId === undefined) {
    if (!options.input || !ctx.io.stdinIsTTY) {
      throw new UsageError('no client ID given: run wixq init --client-id <ID>', {
        hint: 'Find it in your Wix project: Settings > Headless Settings > OAuth apps (Client ID).',
      });
    }
    const rl = createInterface({ input: ctx.io.stdin, output: ctx.io.err });
    try {
      clientId = (await rl.question('Client ID of your Wix OAuth app (Headless Settings > OAuth apps): ')).trim();
    } finally {
      rl.close();
    }
  }
  const value = parseSettingValue('client-id', clientId, '--client-id') as string;
  await s.settings.set(s.profile, 'client-id', value);
  if (s.sources.apiUrl.from === 'flag' && s.apiUrl !== undefined) await s.settings.set(s.profile, 'api-url', s.apiUrl);
  ctx.warn(`Saved client ID ${value} for profile "${s.profile}" in ${s.settings.path}.`);
  ctx.warn('Next: wixq products list   (or wixq check to verify the whole set-up)');
}

/** The keys `config list` shows and `config get` takes, in that order. */
export const LISTED_KEYS = ['profile', 'client-id', 'api-url', 'output', 'retries', 'timeout', 'redirect-uri', 'config-dir'] as const;
type ListedKey = (typeof LISTED_KEYS)[number];

interface SettingRow {
  key: ListedKey;
  /** The value as resolved; undefined when it is set nowhere (only the client ID has no default). */
  value: string | number | undefined;
  /** `--client-id`, `WIXQ_CLIENT_ID`, `profiles.default.client-id`, `default` ... */
  source: string;
}

/** Every setting as this run resolved it (flag > env > profile > default), with where it came from. */
function settingRows(ctx: CommandContext): SettingRow[] {
  const s = ctx.settings();
  return [
    { key: 'profile', value: s.profile, source: s.sources.profile.name },
    { key: 'client-id', value: s.clientId, source: s.sources.clientId.name },
    { key: 'api-url', value: s.apiUrl ?? DEFAULT_API_URL, source: s.sources.apiUrl.name },
    { key: 'output', value: s.output ?? s.format, source: s.sources.output.name },
    { key: 'retries', value: s.retries, source: s.sources.retries.name },
    { key: 'timeout', value: s.timeoutMs / 1000, source: s.sources.timeout.name },
    { key: 'redirect-uri', value: s.redirectUri, source: s.sources.redirectUri.name },
    { key: 'config-dir', value: s.configDir, source: ctx.io.env.WIXQ_CONFIG_DIR ? 'WIXQ_CONFIG_DIR' : 'default' },
  ];
}

/** `wixq config list`: every setting, its resolved value and its source. */
export async function runConfigList(ctx: CommandContext): Promise<void> {
  ctx.readsOnly();
  const s = ctx.settings();
  const writer = createListWriter(ctx.io, s.format, {
    columns: [
      { header: 'Key', path: 'key' },
      { header: 'Value', path: 'value' },
      { header: 'Source', path: 'source' },
    ],
    noun: 'settings',
  });
  for (const row of settingRows(ctx)) {
    // An output format no one asked for is the terminal's choice: say so.
    await writer.write(row.key === 'output' && s.output === undefined ? { ...row, value: `${s.format} (by terminal)` } : { ...row });
  }
  await writer.close();
}

/**
 * `wixq config get KEY`: the value as resolved, alone on stdout (for `$(wixq config get client-id)`); with --json or
 * -o, the row `config list` shows (key, value, source). Exit 1 when it is set nowhere (a client ID), 2 for an unknown key.
 */
export async function runConfigGet(key: string, ctx: CommandContext): Promise<void> {
  ctx.readsOnly();
  if (!(LISTED_KEYS as readonly string[]).includes(key)) {
    throw new UsageError(`unknown setting "${key}"; config get takes: ${LISTED_KEYS.join(', ')}`);
  }
  const s = ctx.settings();
  const row = settingRows(ctx).find((r) => r.key === key)!;
  if (row.value === undefined) {
    throw new WixqError(`${key} is not set for profile "${s.profile}"`, ExitCode.ERROR, { hint: `Set it with: wixq config set ${key} <value>` });
  }
  // A format from the profile or the terminal does not turn the bare value into a record: only a flag asks for one.
  if (s.sources.output.from !== 'flag') {
    ctx.io.out.write(`${row.value}\n`);
    return;
  }
  const { writeItem } = await import('../../output/render.js');
  await writeItem(ctx.io, s.format, { ...row }, { columns: [] });
}

/** `wixq config set KEY VALUE`. */
export async function runConfigSet(key: string, value: string, ctx: CommandContext): Promise<void> {
  const k = checkKey(key);
  const s = ctx.settings();
  ctx.requireWritableConfig('config.json');
  await s.settings.set(s.profile, k, value);
  ctx.warn(`Set ${k} for profile "${s.profile}".`);
}

/** `wixq config unset KEY`. */
export async function runConfigUnset(key: string, ctx: CommandContext): Promise<void> {
  const k = checkKey(key);
  const s = ctx.settings();
  ctx.requireWritableConfig('config.json');
  const removed = await s.settings.unset(s.profile, k);
  ctx.warn(removed ? `Removed ${k} from profile "${s.profile}".` : `${k} was not set for profile "${s.profile}".`);
}

/** `wixq config path`: the config dir. */
export async function runConfigPath(ctx: CommandContext): Promise<void> {
  ctx.readsOnly();
  const s = ctx.settings();
  ctx.io.out.write(`${s.configDir}\n`);
}
