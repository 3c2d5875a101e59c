import { createInterface } from 'node:readline/promises';
import type { CommandContext } from '../../context.js';
import { UsageError, WixqError, ExitCode } from '../../errors.js';
import { createListWriter } from '../../output/render.js';
import { DEFAULT_API_URL } from '../../wix/hosts.js';
import { SETTING_KEYS, parseSettingValue, type SettingKey } from '../../session/settings.js';

function checkKey(key: string): SettingKey {
  if (!(SETTING_KEYS as readonly string[]).includes(key)) {
    throw new UsageError(`unknown setting "${key}"; the settings are: ${SETTING_KEYS.join(', ')}`);
  }
  return key as SettingKey;
}

/** `wixq init`: stores the client ID for the profile; asks for it only on a terminal and never with --no-input. */
export async function runInit(ctx: CommandContext): Promise<void> {
  const s = ctx.settings();
  if (s.demo) throw new UsageError('init stores settings for your own project; --demo needs none');
  ctx.requireWritableConfig('config.json');
  let clientId = ctx.globals.clientId;
  if (clientId === undefined) {
    if (ctx.globals.input === false || !ctx.io.stdinIsTTY) {
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
  if (ctx.globals.apiUrl !== undefined) await s.settings.set(s.profile, 'api-url', ctx.globals.apiUrl);
  ctx.warn(`Saved client ID ${value} for profile "${s.profile}" in ${s.settings.path}.`);
  ctx.warn('Next: wixq products list   (or wixq check to verify the whole set-up)');
}

/** `wixq config list`: every setting, its resolved value and its source. */
export async function runConfigList(ctx: CommandContext): Promise<void> {
  const s = ctx.settings();
  const rows: Array<{ key: string; value: unknown; source: string }> = [
    { key: 'profile', value: s.profile, source: s.sources.profile.name },
    { key: 'client-id', value: s.clientId, source: s.sources.clientId.name },
    { key: 'api-url', value: s.apiUrl ?? DEFAULT_API_URL, source: s.sources.apiUrl.name },
    { key: 'output', value: s.output ?? `${s.format} (by terminal)`, source: s.sources.output.name },
    { key: 'retries', value: s.retries, source: s.sources.retries.name },
    { key: 'timeout', value: s.timeoutMs / 1000, source: s.sources.timeout.name },
    { key: 'redirect-uri', value: s.redirectUri, source: s.sources.redirectUri.name },
    { key: 'config-dir', value: s.configDir, source: ctx.io.env.WIXQ_CONFIG_DIR ? 'WIXQ_CONFIG_DIR' : 'default' },
  ];
  const writer = createListWriter(ctx.io, s.format, {
    columns: [
      { header: 'Key', path: 'key' },
      { header: 'Value', path: 'value' },
      { header: 'Source', path: 'source' },
    ],
    noun: 'settings',
  });
  for (const row of rows) await writer.write(row);
  await writer.close();
}

/** `wixq config get KEY`: the resolved value on stdout; exit 1 when it is not set anywhere. */
export async function runConfigGet(key: string, ctx: CommandContext): Promise<void> {
  const k = checkKey(key);
  const s = ctx.settings();
  const value = { 'client-id': s.clientId, 'api-url': s.apiUrl, output: s.output, retries: s.retries, timeout: s.timeoutMs / 1000, 'redirect-uri': s.sources.redirectUri.from === 'default' ? undefined : s.redirectUri }[k];
  if (value === undefined) {
    throw new WixqError(`${k} is not set for profile "${s.profile}"`, ExitCode.ERROR, { hint: `Set it with: wixq config set ${k} <value>` });
  }
  ctx.io.out.write(`${value}\n`);
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
  const s = ctx.settings();
  ctx.io.out.write(`${s.configDir}\n`);
}
