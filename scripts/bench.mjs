#!/usr/bin/env node
// `npm run bench`: times wixq against its physical floors and against the obvious SDK script, over real HTTP to the
// emulator (run as its own process, 50 ms latency on every response), and writes the tables to BENCHMARKS.md.
// The floors (issue 21) are scripts of their own, run in turn with wixq, run for run, so that the machine's load falls
// on both alike: a warm `products list --json --limit 50` against `scripts/floor-list.mjs` (one raw node:http request
// with the stored token, parse, print), `--version` against `node -e 0`, and `--all -o ndjson --concurrency 16` over
// 10,000 products against `scripts/floor-all.mjs` (the same pages, the first then the rest in parallel, NDJSON in order).
// Options: --runs N (start-up and warm-list repetitions, default 15), --all-runs N (default 3), --floor-runs N (the
// warm-list and --version floor pairs, default 21), --floor-all-runs N (the --all floor pairs, default 7), --no-write,
// --floors-only (only the floor pairs: a quick check; writes nothing),
// --before DIR: also time another build (a directory with its bin/wixq.cjs (or an older build's bin/wixq.js) and dist/, e.g. an unpacked tarball of an
// earlier version), interleaved with this one run for run, and write the two side by side; without it, the
// "Before/after" section already in BENCHMARKS.md is kept as it is, and so is every other "## " section of the file.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wixq = join(root, 'bin', 'wixq.cjs');
const baseline = join(root, 'scripts', 'baseline-products.mjs');
const floorList = join(root, 'scripts', 'floor-list.mjs');
const floorAll = join(root, 'scripts', 'floor-all.mjs');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const beforeDir = args.includes('--before') ? resolve(args[args.indexOf('--before') + 1]) : undefined;
const benchFile = join(root, 'BENCHMARKS.md');
const RUNS = option('--runs', 15);
const ALL_RUNS = option('--all-runs', 3);
const FLOOR_RUNS = option('--floor-runs', 21);
const FLOOR_ALL_RUNS = option('--floor-all-runs', 7);
const FLOORS_ONLY = args.includes('--floors-only');
const LATENCY = 50;
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

if (!existsSync(join(root, 'dist', 'cli.cjs'))) {
  process.stderr.write('No build: run npm run build first.\n');
  process.exit(1);
}

/** Runs a command once; returns wall time in ms, CPU time (user + system) in ms and peak RSS in KB (when measurable). */
function runOnce(command, commandArgs, env) {
  return new Promise((resolvePromise, reject) => {
    const wrapped = GNU_TIME ? [GNU_TIME, ['-f', '__RSS_KB=%M __CPU=%U+%S', command, ...commandArgs]] : [command, commandArgs];
    const start = process.hrtime.bigint();
    const child = spawn(wrapped[0], wrapped[1], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const rss = /__RSS_KB=(\d+)/.exec(stderr);
      const cpu = /__CPU=([\d.]+)\+([\d.]+)/.exec(stderr);
      if (code !== 0) reject(new Error(`${command} ${commandArgs.join(' ')} exited ${code}: ${stderr.slice(-500)}`));
      else resolvePromise({ ms, rssKb: rss ? Number(rss[1]) : undefined, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined });
    });
  });
}

async function measure(label, command, commandArgs, env, runs) {
  const results = [];
  await runOnce(command, commandArgs, env); // warm the file cache; not counted
  for (let i = 0; i < runs; i++) results.push(await runOnce(command, commandArgs, env));
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  const rss = results.map((r) => r.rssKb).filter((x) => x !== undefined);
  return {
    label,
    median: times[Math.floor(times.length / 2)],
    min: times[0],
    max: times[times.length - 1],
    rssMb: rss.length ? Math.max(...rss) / 1024 : undefined,
    runs,
  };
}

/**
 * Times two commands run for run in turn (so that the machine's load falls on both alike): medians of each one's wall
 * time and of its CPU time (user + system, which a busy machine disturbs far less than wall time).
 */
async function measurePair(label, a, b, runs) {
  await runOnce(...a);
  await runOnce(...b);
  const results = [[], []];
  for (let i = 0; i < runs; i++) {
    results[0].push(await runOnce(...a));
    results[1].push(await runOnce(...b));
  }
  const median = (xs) => (xs.includes(undefined) ? undefined : xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]);
  const [before, after] = results.map((rs) => ({ ms: median(rs.map((r) => r.ms)), cpuMs: median(rs.map((r) => r.cpuMs)) }));
  return { label, before, after, runs };
}

/**
 * Times several commands in turn, run for run (A B C A B C …, after one warm-up each), so that the machine's load falls
 * on all alike. Returns per command the medians of wall time, CPU time and peak RSS, and for each command against the
 * last one (its floor) the median of the run-for-run wall ratios, which holds when the machine's speed drifts.
 */
async function measureGroup(commands, runs) {
  for (const c of commands) await runOnce(...c.run);
  const results = commands.map(() => []);
  for (let i = 0; i < runs; i++) for (const [j, c] of commands.entries()) results[j].push(await runOnce(...c.run));
  const median = (xs) => (xs.includes(undefined) ? undefined : [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]);
  const floor = results.at(-1);
  return commands.map((c, j) => ({
    label: c.label,
    ms: median(results[j].map((r) => r.ms)),
    cpuMs: median(results[j].map((r) => r.cpuMs)),
    rssMb: median(results[j].map((r) => r.rssKb)) / 1024,
    maxRssMb: Math.max(...results[j].map((r) => r.rssKb ?? 0)) / 1024,
    // Run for run against the floor: the ratio, and the difference (what the --version target is stated in).
    ratio: median(results[j].map((r, i) => r.ms / floor[i].ms)),
    cpuRatio: median(results[j].map((r, i) => (r.cpuMs && floor[i].cpuMs ? r.cpuMs / floor[i].cpuMs : undefined))),
    overMs: median(results[j].map((r, i) => r.ms - floor[i].ms)),
    runs,
  }));
}

/** Starts `wixq emulator` as its own process and returns its URL and client ID. */
async function startEmulator(products) {
  const child = spawn(process.execPath, [wixq, 'emulator', '--port', '0', '--products', String(products), '--latency', String(LATENCY), '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolvePromise(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
  const site = await (await fetch(`${url}/__emulator/site`)).json();
  return { url, clientId: site.clientIds[0], stop: () => child.kill('SIGTERM') };
}

async function requestsSince(url, action) {
  await fetch(`${url}/__emulator/reset`, { method: 'POST' });
  await action();
  const { requests } = await (await fetch(`${url}/__emulator/requests`)).json();
  return requests.length;
}

/** The floor tables: each target, wixq's and the floor's medians, the run-for-run ratio, and (with --before) the earlier build's. */
function floorTables(f, withBefore) {
  const pick = (rows, label) => rows.find((r) => r.label === label);
  const x = (r) => `${r.ratio.toFixed(2)} ×`;
  const row = (what, rows, target, met, shown = x) => {
    const [w, fl, b] = [pick(rows, 'wixq'), pick(rows, 'floor'), pick(rows, 'before')];
    return `| ${what} | ${fmt(w.ms)} | ${fmt(fl.ms)} | ${shown(w)} | ${w.cpuRatio?.toFixed(2) ?? 'n/a'} × |${withBefore ? ` ${shown(b)} |` : ''} ${target} | ${met(w) ? 'yes' : 'no'} |`;
  };
  const plus = (r) => `+${fmt(r.overMs)}`;
  const [allW, allF, allB] = ['wixq', 'floor', 'before'].map((l) => pick(f.all, l));
  return [
    `Against the physical floors (issue 21), each run for run with its floor (${f.list[0].runs} pairs, ${f.all[0].runs} for \`--all\`), 10,000 products, medians; the ratio is the median of the pairs' wall-time ratios (CPU: of their CPU times):`,
    '',
    `| what | wixq | floor | ratio | CPU ratio |${withBefore ? ' before |' : ''} target | met |`,
    `|---|---|---|---|---|${withBefore ? '---|' : ''}---|---|`,
    row('warm `wixq products list --json --limit 50` against `scripts/floor-list.mjs`', f.list, '≤ 1.5 × (longer term 1.25 ×)', (w) => w.ratio <= 1.5),
    row('`wixq --version` against `node -e 0`', f.version, '≤ +15 ms', (w) => w.overMs <= 15, plus),
    row('`wixq products list --all -o ndjson --concurrency 16` against `scripts/floor-all.mjs`', f.all, '≤ 1.8 ×', (w) => w.ratio <= 1.8),
    `| peak RSS of that \`--all\` (median; largest) | ${allW.rssMb.toFixed(1)} MB; ${allW.maxRssMb.toFixed(1)} MB | ${allF.rssMb.toFixed(1)} MB | | |${withBefore ? ` ${allB.rssMb.toFixed(1)} MB; ${allB.maxRssMb.toFixed(1)} MB |` : ''} ${withBefore ? 'no higher than before' : 'no higher than before (BENCHMARKS.md, before/after)'} | ${withBefore ? (allW.rssMb <= allB.rssMb * 1.02 ? 'yes' : 'no') : 'n/a'} |`,
    '',
  ];
}

const fmt = (ms) => `${ms.toFixed(0)} ms`;
const row = (r, extra = '') => `| ${r.label} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${r.runs} |${extra}`;

// One config dir per emulator: the two sites share the demo client ID, and the catalog cache is keyed by API URL.
const configDirs = new Map();
const configDirFor = (emu) => {
  if (!configDirs.has(emu.url)) configDirs.set(emu.url, mkdtempSync(join(tmpdir(), 'wixq-bench-')));
  return configDirs.get(emu.url);
};
await main();

async function main() {
const ten = await startEmulator(10_000);
const big = FLOORS_ONLY ? undefined : await startEmulator(20_000);
const small = FLOORS_ONLY ? undefined : await startEmulator(5_000);
try {
  const env = (emu) => ({ WIXQ_CONFIG_DIR: configDirFor(emu), WIXQ_API_URL: emu.url, WIXQ_CLIENT_ID: emu.clientId, WIX_CLIENT_ID: emu.clientId });
  const node = process.execPath;

  // The floors (issue 21), each run for run with wixq (and with the --before build, which has its own config dir).
  process.stderr.write('the floors…\n');
  const old = beforeDir ? ['wixq.cjs', 'wixq.js'].map((name) => join(beforeDir, 'bin', name)).find((file) => existsSync(file)) : undefined;
  const oldTen = { ...env(ten), WIXQ_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'wixq-bench-')) };
  configDirs.set('before-10k', oldTen.WIXQ_CONFIG_DIR);
  const listArgs = ['products', 'list', '--json', '--limit', '50'];
  const allArgs = ['products', 'list', '--all', '-o', 'ndjson', '--concurrency', '16'];
  // A first run makes the session (the floors read it from tokens.json) and caches the catalog version.
  await runOnce(node, [wixq, ...listArgs], env(ten));
  if (old) await runOnce(node, [old, ...listArgs], oldTen);
  const group = (argv, floor, floorEnv, runs) =>
    measureGroup(
      [
        ...(old ? [{ label: 'before', run: [node, [old, ...argv], argv[0] === '--version' ? {} : oldTen] }] : []),
        { label: 'wixq', run: [node, [wixq, ...argv], argv[0] === '--version' ? {} : env(ten)] },
        { label: 'floor', run: [node, floor, floorEnv] },
      ],
      runs,
    );
  const floors = {
    list: await group(listArgs, [floorList, '50'], env(ten), FLOOR_RUNS),
    version: await group(['--version'], ['-e', '0'], {}, FLOOR_RUNS),
    all: await group(allArgs, [floorAll, '16'], env(ten), FLOOR_ALL_RUNS),
  };
  const floorLines = floorTables(floors, Boolean(old));
  if (FLOORS_ONLY) {
    process.stdout.write(floorLines.join('\n') + '\n');
    return;
  }
  process.stderr.write('start-up…\n');
  const nodeZero = await measure('`node -e 0`', node, ['-e', '0'], {}, RUNS);
  const version = await measure('`wixq --version`', node, [wixq, '--version'], {}, RUNS);
  const help = await measure('`wixq --help`', node, [wixq, '--help'], {}, RUNS);
  // What loading the packages dist/ does not bundle costs (npm installs them; see scripts/licences.mjs).
  const runtimeDeps = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {});
  const importDeps = await measure(
    `\`node\` importing the run-time dependencies (${runtimeDeps.map((d) => `\`${d}\``).join(', ')})`,
    node,
    ['--input-type=module', '-e', runtimeDeps.map((d) => `await import(${JSON.stringify(d)});`).join(' ')],
    {},
    RUNS,
  );

  process.stderr.write('warm list…\n');
  await runOnce(node, [wixq, 'products', 'list', '--json'], env(big)); // makes the session and caches the catalog version
  const warm = await measure('warm `wixq products list --json`', node, [wixq, 'products', 'list', '--json'], env(big), RUNS);
  const base = await measure('baseline SDK script (`scripts/baseline-products.mjs`)', node, [baseline], env(big), RUNS);
  await runOnce(node, [wixq, 'data', 'items', 'list', 'team', '--json'], env(big));
  const warmData = await measure('warm `wixq data items list team --json`', node, [wixq, 'data', 'items', 'list', 'team', '--json'], env(big), RUNS);

  process.stderr.write('--all over 20,000 products…\n');
  const all4 = await measure('`wixq products list --all -o ndjson` (concurrency 4)', node, [wixq, 'products', 'list', '--all', '-o', 'ndjson'], env(big), ALL_RUNS);
  const all1 = await measure('same with `--concurrency 1`', node, [wixq, 'products', 'list', '--all', '-o', 'ndjson', '--concurrency', '1'], env(big), ALL_RUNS);
  await runOnce(node, [wixq, 'products', 'list', '--json'], env(small));
  const all5k = await measure('`--all -o ndjson` at 5,000 products', node, [wixq, 'products', 'list', '--all', '-o', 'ndjson'], env(small), ALL_RUNS);
  process.stderr.write('--all over the 15,000 CMS items…\n');
  const allData = await measure('`wixq data items list events-log --all -o ndjson` (15,000 CMS items)', node, [wixq, 'data', 'items', 'list', 'events-log', '--all', '-o', 'ndjson'], env(big), ALL_RUNS);

  let beforeAfter;
  if (beforeDir) {
    process.stderr.write(`before/after against ${beforeDir}…\n`);
    const oldEnv = { ...env(big), WIXQ_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'wixq-bench-')) };
    configDirs.set('before', oldEnv.WIXQ_CONFIG_DIR);
    await runOnce(node, [old, 'products', 'list', '--json'], oldEnv);
    const pair = (label, argv, oldE, newE) => measurePair(label, [node, [old, ...argv], oldE], [node, [wixq, ...argv], newE], RUNS);
    beforeAfter = [
      await pair('`wixq --version`', ['--version'], {}, {}),
      await pair('`wixq --help`', ['--help'], {}, {}),
      await pair('`wixq config path`', ['config', 'path'], oldEnv, env(big)),
      await pair('warm `wixq products list --json`', ['products', 'list', '--json'], oldEnv, env(big)),
      await pair('warm `wixq services list --json`', ['services', 'list', '--json'], oldEnv, env(big)),
    ];
  }

  const reqWarm = await requestsSince(big.url, () => runOnce(node, [wixq, 'products', 'list', '--json'], env(big)));
  const reqVersion = await requestsSince(big.url, () => runOnce(node, [wixq, '--version'], env(big)));
  const reqBaseline = await requestsSince(big.url, () => runOnce(node, [baseline], env(big)));
  const reqAll = await requestsSince(big.url, () => runOnce(node, [wixq, 'products', 'list', '--all', '-o', 'ndjson'], env(big)));
  const reqWarmData = await requestsSince(big.url, () => runOnce(node, [wixq, 'data', 'items', 'list', 'team', '--json'], env(big)));
  const reqAllData = await requestsSince(big.url, () => runOnce(node, [wixq, 'data', 'items', 'list', 'events-log', '--all', '-o', 'ndjson'], env(big)));

  const ratio = (a, b) => (a.median / b.median).toFixed(2);
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${process.platform}`;
  const lines = [
    '# Benchmarks',
    '',
    `Latest \`npm run bench\`: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}.`,
    `The emulator runs as its own process with ${LATENCY} ms latency on every response; wall-clock medians of repeated runs.`,
    '',
    ...floorLines,
    '| what | median | min | max | runs |',
    '|---|---|---|---|---|',
    row(nodeZero),
    row(version),
    row(help),
    row(importDeps),
    row(warm),
    row(warmData),
    row(base),
    row(all4),
    row(all1),
    row(allData),
    '',
    '| target | measured | met |',
    '|---|---|---|',
    `| \`wixq --version\` ≤ 1.5 × \`node -e 0\` | ${ratio(version, nodeZero)} × | ${version.median <= 1.5 * nodeZero.median ? 'yes' : 'no'} |`,
    `| warm \`products list\` ≤ 0.4 × the baseline script | ${ratio(warm, base)} × | ${warm.median <= 0.4 * base.median ? 'yes' : 'no'} |`,
    `| \`--all\` over 20,000 ≥ 3 × faster than sequential | ${(all1.median / all4.median).toFixed(2)} × faster | ${all1.median >= 3 * all4.median ? 'yes' : 'no'} |`,
    `| peak RSS of \`--all -o ndjson\` ≤ 150 MB | ${all4.rssMb?.toFixed(1) ?? 'n/a'} MB at 20,000; ${all5k.rssMb?.toFixed(1) ?? 'n/a'} MB at 5,000 | ${all4.rssMb !== undefined && all4.rssMb <= 150 ? 'yes' : 'no'} |`,
    `| peak RSS within 20% between 5,000 and 20,000 | ${all4.rssMb && all5k.rssMb ? `${(((all4.rssMb - all5k.rssMb) / all5k.rssMb) * 100).toFixed(1)} %` : 'n/a'} | ${all4.rssMb && all5k.rssMb && Math.abs(all4.rssMb - all5k.rssMb) <= 0.2 * all5k.rssMb ? 'yes' : 'no'} |`,
    `| peak RSS of \`data items list --all -o ndjson\` over 15,000 CMS items ≤ 150 MB | ${allData.rssMb?.toFixed(1) ?? 'n/a'} MB | ${allData.rssMb !== undefined && allData.rssMb <= 150 ? 'yes' : 'no'} |`,
    '',
    '| HTTP requests per invocation (from the emulator\'s record) | count |',
    '|---|---|',
    `| \`wixq --version\` | ${reqVersion} |`,
    `| warm \`wixq products list --json\` | ${reqWarm} |`,
    `| baseline SDK script | ${reqBaseline} |`,
    `| \`wixq products list --all -o ndjson\` over 20,000 products | ${reqAll} |`,
    `| warm \`wixq data items list team --json\` | ${reqWarmData} |`,
    `| \`wixq data items list events-log --all -o ndjson\` over 15,000 CMS items | ${reqAllData} |`,
    '',
  ];
  if (beforeAfter) {
    lines.push(
      '## Before/after',
      '',
      `\`npm run bench -- --before ${beforeDir.startsWith(root) ? beforeDir.slice(root.length + 1) : '<dir>'}\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ` +
        'the two builds run in turn, run for run, against the same emulator; medians.',
      '',
      '| what | wall, before | wall, after | change | CPU, before | CPU, after | change |',
      '|---|---|---|---|---|---|---|',
      ...beforeAfter.map((r) => {
        const change = (x, y) => (x === undefined || y === undefined ? 'n/a' : `${y >= x ? '+' : '−'}${fmt(Math.abs(y - x))}`);
        const cpu = (x) => (x === undefined ? 'n/a' : fmt(x));
        return `| ${r.label} | ${fmt(r.before.ms)} | ${fmt(r.after.ms)} | ${change(r.before.ms, r.after.ms)} | ${cpu(r.before.cpuMs)} | ${cpu(r.after.cpuMs)} | ${change(r.before.cpuMs, r.after.cpuMs)} |`;
      }),
      '',
    );
  }
  // The file's other sections (the "Before/after" of an earlier --before run, figures measured by hand such as the
  // snapshot ones) are kept as they are; only a new --before run replaces "Before/after".
  if (existsSync(benchFile)) {
    for (const [section] of readFileSync(benchFile, 'utf8').matchAll(/^## [\s\S]*?(?=^## |(?![\s\S]))/gm)) {
      if (beforeAfter && section.startsWith('## Before/after')) continue;
      lines.push(section.trimEnd(), '');
    }
  }
  const table = lines.join('\n');
  process.stdout.write(table + '\n');
  if (!args.includes('--no-write')) writeFileSync(benchFile, table);
} finally {
  ten.stop();
  big?.stop();
  small?.stop();
  for (const dir of configDirs.values()) rmSync(dir, { recursive: true, force: true });
}
}
