#!/usr/bin/env node
// A newcomer's first minutes, as the README tells them: a fresh clone, the Install section's commands exactly as
// written, then every Quickstart command that runs against --demo. Offline: npm uses its cache, --demo its own
// emulator. `npm link` goes to a temporary prefix, so the machine's global packages are left alone.
//
//   node scripts/walkthrough.mjs        (from the project root; .ci/run calls it after npm test)
//
// Exits 1 at the first command that fails, naming the README line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8').split('\n');

/** The lines of the code blocks in a `## ` section of the README, with their line numbers. */
function sectionCommands(heading) {
  const start = readme.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const out = [];
  let inBlock = false;
  for (let i = start + 1; i < readme.length && !readme[i].startsWith('## '); i++) {
    const line = readme[i];
    if (line.startsWith('```')) inBlock = !inBlock;
    else if (inBlock && line.trim() !== '') out.push({ line: i + 1, text: line.replace(/\s{2,}#.*$/, '').trim() });
  }
  return out;
}

// npm test is CI's own step (it has just run in the clone CI made); the walkthrough is about getting wixq running.
const install = sectionCommands('Install').filter((c) => !/^npm test\b/.test(c.text));
// The Quickstart's demo commands; placeholders (<service ID>) and commands for your own project need a real site.
const quickstart = sectionCommands('Quickstart').filter((c) => c.text.startsWith('wixq --demo ') && !/<[^>]+>/.test(c.text));
if (install.length === 0 || quickstart.length === 0) throw new Error('README.md: no Install or Quickstart commands found');

const work = mkdtempSync(join(tmpdir(), 'wixq-walkthrough-'));
const clone = join(work, 'wixq');
const prefix = join(work, 'npm-global');
const env = {
  ...process.env,
  npm_config_prefix: prefix,
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
  WIXQ_CONFIG_DIR: join(work, 'config'),
};
for (const key of Object.keys(env)) if (/^(WIXQ_API_URL|WIXQ_CLIENT_ID|WIX_CLIENT_ID|WIXQ_PROFILE)$/.test(key)) delete env[key];

function run(text, cwd, origin) {
  process.stdout.write(`$ ${text}    (${origin})\n`);
  const r = spawnSync('bash', ['-c', text], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    process.stderr.write(`walkthrough: "${text}" (${origin}) exited ${r.status ?? r.signal}\n`);
    rmSync(work, { recursive: true, force: true });
    process.exit(1);
  }
  return r;
}

try {
  run(`git clone -q ${JSON.stringify(root)} ${JSON.stringify(clone)}`, work, 'a fresh clone');
  for (const c of install) run(c.text, clone, `README.md:${c.line}`);
  const which = run('command -v wixq', clone, 'wixq on the PATH');
  if (!which.stdout.startsWith(prefix)) throw new Error(`wixq on the PATH is ${which.stdout.trim()}, not the linked checkout`);
  for (const c of quickstart) {
    const r = run(c.text, clone, `README.md:${c.line}`);
    if (r.stdout.trim() === '' && !/auth login/.test(c.text)) throw new Error(`README.md:${c.line}: "${c.text}" printed nothing on stdout`);
  }
  process.stdout.write(`walkthrough: ${install.length} install and ${quickstart.length} Quickstart commands ran as written\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
