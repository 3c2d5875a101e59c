import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable, Readable } from 'node:stream';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PRODUCTS_COLLECTION_ID, BOOKINGS_APP_ID, DEMO_MEMBERS } from '../../src/emulator/index.js';
import type { IO } from '../../src/output/io.js';
import { buildProgram } from '../../src/program.js';
import { startTestEmulator, type RunningEmulator } from '../helpers/emulator.js';
import { runInProcess } from '../helpers/in-process.js';

/**
 * Every example runs (issue 10, item 8): each `$ wixq …` line of every command's --help, and each `wixq` command in
 * the code blocks of README.md and docs/*.md, runs in-process against a strict emulator serving a Catalog V1 site and
 * one serving a Catalog V3 site, the same example on both. Green is exit 0 (or the exit listed in EXPECTED_EXIT).
 *
 * How a line becomes a run:
 * - Only the `wixq` part runs: in a pipeline, a redirection, `$(wixq …)` or `npx wixq …`; `VAR=value` prefixes are
 *   applied as environment. What follows two spaces or `#` is the example's description, not part of the command.
 * - Placeholders (`<service ID>`, …) are filled from the site the emulator serves (placeholders()); files the
 *   examples read (`@query.json`, `< password.txt`) are provided (FILES); `--email` and the shell variables (`$PW`)
 *   stand for a member of the reader's site and their password: the demo member's. The emulator's documented
 *   address http://127.0.0.1:8787 stands for the test emulator.
 * - `--demo` starts wixq's own emulator, whose demo site is Catalog V1 only: on V1 such examples run as written; on V3
 *   the same example runs without `--demo`, against the V3 emulator.
 * - A raw `wixq api` call to one catalog's endpoint runs only on that catalog, and its text must say which.
 * - Each example gets a fresh config dir, so no example depends on another.
 */

// ---------------------------------------------------------------------------------------------------------------
// Shell words: just enough of POSIX sh for documentation lines (quotes, escapes, $VAR, $(…), pipes, redirections).

type ShellToken = { word: string } | { op: string };

interface ShellLine {
  tokens: ShellToken[];
  /** The text of each `$(…)`, in order (they are commands of their own). */
  substitutions: string[];
  /** What follows the command: a `# comment`, or the description after two or more spaces. */
  description: string;
}

/** Index of the `)` that closes the `(` at `open`, skipping quoted text and nested parentheses. */
function closingParen(line: string, open: number): number {
  let depth = 0;
  for (let i = open; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === "'") i = line.indexOf("'", i + 1);
    else if (c === '"') {
      for (i++; i < line.length && line[i] !== '"'; i++) if (line[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    if (i < 0) break;
  }
  throw new Error(`unbalanced $( in: ${line}`);
}

/** Splits one shell line into words and operators; `$NAME` expands through `variable`, `$(…)` to the empty string. */
function splitShell(line: string, variable: (name: string) => string = () => ''): ShellLine {
  const tokens: ShellToken[] = [];
  const substitutions: string[] = [];
  let description = '';
  let word: string | undefined;
  let i = 0;
  const endWord = (): void => {
    if (word !== undefined) tokens.push({ word });
    word = undefined;
  };
  const expand = (): string => {
    if (line[i + 1] === '(') {
      const close = closingParen(line, i + 1);
      substitutions.push(line.slice(i + 2, close));
      i = close + 1;
      return '';
    }
    const name = /^\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(line.slice(i));
    if (!name) {
      i++;
      return '$';
    }
    i += name[0].length;
    return variable((name[1] ?? name[2])!);
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      endWord();
      const blanks = /^[ \t]+/.exec(line.slice(i))![0];
      if (blanks.length >= 2 && i + blanks.length < line.length) {
        description = line.slice(i).trim();
        break;
      }
      i += blanks.length;
    } else if (c === '#' && word === undefined) {
      description = line.slice(i).trim();
      break;
    } else if ('|&;<>'.includes(c)) {
      endWord();
      const op = /^(\|\||\||&&|&|;|>>|>|<<<|<<|<)/.exec(line.slice(i))![0];
      if (op === '<<') throw new Error(`here-documents are not supported: ${line}`);
      tokens.push({ op });
      i += op.length;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new Error(`unclosed ' in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      word ??= '';
      for (i++; i < line.length && line[i] !== '"'; ) {
        if (line[i] === '\\' && '$`"\\'.includes(line[i + 1] ?? '')) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === '$') word += expand();
        else word += line[i++];
      }
      if (i >= line.length) throw new Error(`unclosed " in: ${line}`);
      i++;
    } else if (c === '\\') {
      word = (word ?? '') + (line[i + 1] ?? '');
      i += 2;
    } else if (c === '$') {
      word = (word ?? '') + expand();
    } else {
      word = (word ?? '') + c;
      i++;
    }
  }
  endWord();
  return { tokens, substitutions, description };
}

// ---------------------------------------------------------------------------------------------------------------
// From a line to the wixq runs in it.

/** One wixq invocation of an example. */
interface WixqRun {
  args: string[];
  env: Record<string, string>;
  stdin?: string;
}

/** What an example needs from the site under test. */
interface Fill {
  placeholder(name: string): string | undefined;
  /** The content of a file an example reads. */
  file(name: string): string | undefined;
  /** Where that file is on disk (for `--data @file`). */
  filePath(name: string): string;
  /** A shell variable's value (the examples use them for passwords). */
  variable(name: string): string;
  /** The test emulator's URL, which replaces the documented http://127.0.0.1:8787. */
  apiUrl: string;
  /** A member of the site, who logs in wherever an example's `--email` names one of the reader's members. */
  memberEmail: string;
}

const DOCUMENTED_EMULATOR_URL = 'http://127.0.0.1:8787';

/** A synopsis line (`wixq config get KEY`, `wixq products get <id|slug> [--fields a,b]`) shows a form, not a command. */
const METAVARIABLES = new Set(['KEY', 'VALUE', 'ID', 'URL', 'D', 'ZONE', 'N', 'SECONDS', 'MS', 'P', 'FILE', 'NAME', 'FORMAT', 'EXPR', 'FIELD', 'TEXT']);

function isSynopsis(line: string): boolean {
  const { tokens } = splitShell(line.replace(/<([A-Za-z][^<>]*)>/g, (_whole, name: string) => (/\||\.\.\./.test(name) ? '[choice]' : 'placeholder')));
  return tokens.some((t) => 'word' in t && (t.word.startsWith('[') || METAVARIABLES.has(t.word)));
}

/** The stdout of the simple commands examples pipe into wixq. */
function outputOf(words: string[]): string | undefined {
  if (words[0] === 'echo') return `${words.slice(1).join(' ')}\n`;
  if (words[0] === 'printf') return words[1] === '%s' || words[1] === '%s\\n' ? words.slice(2).join('') : words[1];
  return undefined;
}

/** Every wixq run in a shell line (its pipeline stages and `$(…)`), with placeholders, files and URLs filled. */
function wixqRuns(line: string, fill: Fill): WixqRun[] {
  const filled = line.replace(/<([A-Za-z][^<>]*)>/g, (whole, name: string) => {
    const value = fill.placeholder(name);
    if (value === undefined) throw new Error(`unknown placeholder ${whole} (add it to placeholders())`);
    return value;
  });
  const parsed = splitShell(filled, (name) => fill.variable(name));
  const runs: WixqRun[] = [];
  let words: string[] = [];
  let stdin: string | undefined;
  let piped: string | undefined;
  const tokens = [...parsed.tokens, { op: ';' }];
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if ('word' in token) {
      words.push(token.word);
      continue;
    }
    if (token.op === '>' || token.op === '>>') {
      t++; // the output file: only the wixq part runs, its output is not written anywhere
      continue;
    }
    if (token.op === '<' || token.op === '<<<') {
      const operand = tokens[++t];
      if (!operand || !('word' in operand)) throw new Error(`${token.op} without an operand in: ${line}`);
      stdin = token.op === '<<<' ? `${operand.word}\n` : fill.file(operand.word);
      if (stdin === undefined) throw new Error(`unknown file ${operand.word} (add it to FILES)`);
      continue;
    }
    // The end of a simple command.
    const env: Record<string, string> = {};
    while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
      const [name, ...value] = words.shift()!.split('=');
      env[name!] = value.join('=').replaceAll(DOCUMENTED_EMULATOR_URL, fill.apiUrl);
    }
    if (words[0] === 'npx') words = words.slice(words[1] === '--yes' || words[1] === '-y' ? 2 : 1);
    if (words[0] === 'wixq') {
      const args = words.slice(1).map((a, i, all) => {
        if (all[i - 1] === '--email') return fill.memberEmail;
        // A report an example writes (--junit) goes to the examples' temp folder, not the working directory.
        if (all[i - 1] === '--junit') return fill.filePath(a);
        const file = a.startsWith('@') ? fill.file(a.slice(1)) : undefined;
        return file !== undefined ? `@${fill.filePath(a.slice(1))}` : a.replaceAll(DOCUMENTED_EMULATOR_URL, fill.apiUrl);
      });
      const input = stdin ?? piped;
      runs.push({ args, env, ...(input !== undefined && { stdin: input }) });
    } else {
      // A shell line quoted for later (`echo 'eval "$(wixq completion bash)"' >> ~/.bashrc`) runs its wixq part too.
      for (const word of words) if (word.includes(' ') && mentionsWixqCommand(word)) runs.push(...wixqRuns(word, fill));
    }
    piped = token.op === '|' ? outputOf(words) : undefined;
    words = [];
    stdin = undefined;
  }
  for (const inner of parsed.substitutions) runs.push(...wixqRuns(inner, fill));
  return runs;
}

// ---------------------------------------------------------------------------------------------------------------
// Collecting the examples.

interface Example {
  /** Where it was found: `wixq products list --help` or `README.md:42`. */
  origin: string;
  /** The line as written (prompt and indentation removed). */
  text: string;
  /** Text that says what the example is for: its description and, in a doc, the comment line above it. */
  note: string;
  /** For an error demonstration: the start of the `Error:` line it shows. */
  error?: string;
}

function quietIO(): IO {
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  return { out: sink, err: sink, stdin: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false, columns: 100, color: false, env: {} };
}

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return [prefix, ...command.commands.flatMap((sub) => commandPaths(sub, [...prefix, sub.name()]))];
}

/** The `$ wixq …` lines of every command's full --help (commander's text and the Examples block after it). */
async function helpExamples(): Promise<{ examples: Example[]; withoutExamples: string[] }> {
  const examples: Example[] = [];
  const withoutExamples: string[] = [];
  for (const path of commandPaths(buildProgram(quietIO()))) {
    const origin = ['wixq', ...path, '--help'].join(' ');
    const help = await runInProcess([...path, '--help']);
    if (help.code !== 0) throw new Error(`${origin} exited ${help.code}: ${help.stderr}`);
    const lines = help.stdout.split('\n').flatMap((l) => /^\s+\$ (.*)$/.exec(l)?.[1] ?? []);
    if (lines.length === 0) withoutExamples.push(origin);
    for (const text of lines) examples.push({ origin, text, note: splitShell(text).description });
  }
  return { examples, withoutExamples };
}

/** The lines of the code blocks of a Markdown file: fenced (except JSON) and indented, with their line numbers. */
function codeBlockLines(markdown: string): Array<{ line: number; text: string; previous: string; next: string }> {
  const out: Array<{ line: number; text: string; previous: string; next: string }> = [];
  const lines = markdown.split('\n');
  let fence: string | undefined;
  let indented = false;
  let previous = '';
  lines.forEach((raw, index) => {
    const opening = /^\s*```(\w*)/.exec(raw);
    if (opening) {
      fence = fence === undefined ? opening[1] || 'text' : undefined;
      previous = '';
      return;
    }
    if (indented && !/^ {4}/.test(raw) && raw.trim() !== '') previous = '';
    let text: string | undefined;
    if (fence !== undefined) {
      if (fence === 'json') return;
      // In a workflow file the command follows `run:`.
      text = fence === 'yaml' ? raw.replace(/^\s*(-\s+)?run:\s*\|?/, '') : raw;
    } else {
      indented = /^ {4}/.test(raw) && (indented || lines[index - 1]?.trim() === '');
      if (indented) text = raw;
    }
    if (text === undefined) return;
    text = text.trim().replace(/^\$ /, '');
    out.push({ line: index + 1, text, previous, next: (lines[index + 1] ?? '').trim() });
    // A comment line names what the lines after it in the block are for (`# Catalog V1 sites`).
    if (text.startsWith('#')) previous = text;
  });
  return out;
}

/** True when a line holds a wixq command (not only the word in output or prose). */
function mentionsWixqCommand(text: string): boolean {
  return /(^|[|;&]\s*|\$\(|^(\S+=\S*\s+)+|npx (--yes )?)wixq( |$)/.test(text);
}

function docExamples(): Example[] {
  const root = resolve(__dirname, '../..');
  const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  return docs.flatMap((doc) =>
    codeBlockLines(readFileSync(join(root, doc), 'utf8'))
      .filter((l) => mentionsWixqCommand(l.text))
      .map((l) => ({
        origin: `${doc}:${l.line}`,
        text: l.text,
        note: `${l.previous.startsWith('#') ? l.previous : ''} ${splitShell(l.text).description}`,
        // `$ wixq …` followed by the `Error: …` it prints demonstrates a refusal: it must fail, with that message.
        ...(l.next.startsWith('Error:') && { error: l.next.replace(/….*$/, '').slice(0, 60) }),
      })),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Which examples run, where, and what they should answer.

type Catalog = 'v1' | 'v3';

/** Commands that cannot run in a test. Keep it short: everything else runs. */
const CANNOT_RUN: Array<{ reason: string; applies: (args: string[]) => boolean }> = [
  { reason: 'opens a browser and waits for the member to log in', applies: (a) => a[0] === 'auth' && a[1] === 'login' && !a.includes('--email') },
  { reason: 'starts a server that runs until Ctrl-C', applies: (a) => a[0] === 'emulator' },
  { reason: 'asks for the client ID on a terminal', applies: (a) => a[0] === 'init' && !a.includes('--client-id') },
];

/** Examples that show an error on purpose, and the exit code they show. */
const EXPECTED_EXIT: Record<string, number> = {
  // Wix lists CMS collections only for the site's apps and admins (docs/wix-api.md 12.6): the help says so.
  "wixq data collections list     (for the site's apps and admins; a visitor or member gets exit 4)": 4,
};

/** The catalog a raw `wixq api` call is for, from its path (the version endpoint answers on both). */
function catalogOfApiCall(args: string[]): Catalog | undefined {
  if (args[0] !== 'api') return undefined;
  const path = (args[2] ?? '').replace(/^https:\/\/www\.wixapis\.com/, '').replace(/^(?!\/)/, '/');
  if (path.startsWith('/stores-reader/v1/') || path.startsWith('/stores/v1/')) return 'v1';
  if (path.startsWith('/stores/v3/') && !path.startsWith('/stores/v3/provision/')) return 'v3';
  return undefined;
}

const CATALOG_LABEL: Record<Catalog, string> = { v1: 'Catalog V1', v3: 'Catalog V3' };

/** Why an answer is empty (an empty list, a list API's empty page, a table's "No … found."), or undefined. */
function emptyAnswer(stdout: string, stderr: string): string | undefined {
  if (stdout.trim() === '[]') return 'an empty list';
  const none = /^No [^\n]* found\./m.exec(stderr);
  if (none) return none[0];
  if (!stdout.trimStart().startsWith('{')) return undefined;
  try {
    const answer = JSON.parse(stdout) as Record<string, unknown>;
    const lists = ['products', 'items', 'dataItems', 'collections', 'categories', 'services', 'variants', 'availabilityEntries', 'timeSlots'];
    const empties = lists.filter((key) => Array.isArray(answer[key]) && (answer[key] as unknown[]).length === 0);
    return empties.length > 0 && !lists.some((key) => Array.isArray(answer[key]) && (answer[key] as unknown[]).length > 0) ? `"${empties[0]}": []` : undefined;
  } catch {
    return undefined;
  }
}

/** The placeholders examples use, filled from the site the emulator serves. */
function placeholders(emulator: RunningEmulator): Record<string, string> {
  const site = emulator.site;
  // A service Wix Bookings lists and that has time slots (an appointment).
  const service = site.services.find((s) => !s.hidden && (s.appId ?? BOOKINGS_APP_ID) === BOOKINGS_APP_ID && s.type === 'APPOINTMENT');
  const product = site.products.find((p) => p.visible);
  // On V1 a category is a collection (`categories` answers with them there).
  const category = site.catalogVersion === 'V3_CATALOG' ? site.categories?.find((c) => c.visible) : site.collections.find((c) => c.id !== ALL_PRODUCTS_COLLECTION_ID);
  if (!service || !product || !category) throw new Error('the demo site lacks a service, a product or a category');
  // An item of the demo CMS's team collection (docs/reference.md 7.2).
  const teamItem = site.dataCollections?.find((c) => c.id === 'team')?.items[0];
  if (!teamItem) throw new Error('the demo site lacks the CMS collection team');
  return {
    ID: emulator.clientId,
    'demo client ID': emulator.clientId,
    'service ID': service.id,
    'service ID from the list above': service.id,
    'product ID': product.id,
    'category ID': category.id,
    'category slug': String(category.slug),
    'collection slug': String(category.slug),
    'item ID': teamItem._id,
  };
}

const MEMBER = DEMO_MEMBERS[0]!;

/** Files the examples read, by the name they use. */
const FILES: Record<string, string> = {
  'password.txt': MEMBER.password,
  'query.json': '{"query":{"filter":{"name":{"$startsWith":"Premium"}},"paging":{"limit":100}}}',
};

// ---------------------------------------------------------------------------------------------------------------

const { examples: fromHelp, withoutExamples } = await helpExamples();
const fromDocs = docExamples();
/** Each distinct example once (a parent's help repeats its subcommands' examples), help first. */
const EXAMPLES = [...new Map([...fromHelp, ...fromDocs].map((e) => [e.text, e])).values()];

/** A fill for reading an example's shape (which commands, which flags) before any site exists. */
const SHAPE_ONLY: Fill = { placeholder: () => 'x', file: (n) => FILES[n], filePath: (n) => n, variable: () => 'x', apiUrl: 'http://emulator', memberEmail: 'x' };

/** Why an example does not run on a catalog, or undefined when some wixq command of it does. */
function skipReason(example: Example, catalog: Catalog): string | undefined {
  if (isSynopsis(example.text)) return 'a synopsis, not a command';
  const reasons = wixqRuns(example.text, SHAPE_ONLY).map((run) => {
    const cannot = CANNOT_RUN.find((c) => c.applies(run.args));
    if (cannot) return cannot.reason;
    const only = catalogOfApiCall(run.args);
    return only && only !== catalog ? `calls a ${CATALOG_LABEL[only]} endpoint` : undefined;
  });
  return reasons.every((r) => r !== undefined) ? reasons.join(', ') : undefined;
}

describe('the examples are found', () => {
  it('every command has examples in its --help', () => {
    expect(withoutExamples).toEqual([]);
  });

  it('help and docs both give examples, and each is a synopsis or has a wixq command', () => {
    expect(fromHelp.length).toBeGreaterThan(40);
    expect(fromDocs.length).toBeGreaterThan(40);
    for (const e of EXAMPLES) {
      if (!isSynopsis(e.text)) expect(wixqRuns(e.text, SHAPE_ONLY).length, `${e.origin}: no wixq command found in: ${e.text}`).toBeGreaterThan(0);
    }
  });

  it('a raw api call to one catalog says which catalog it is for', () => {
    for (const e of EXAMPLES.filter((x) => !isSynopsis(x.text))) {
      for (const run of wixqRuns(e.text, SHAPE_ONLY)) {
        const catalog = catalogOfApiCall(run.args);
        if (catalog) expect(e.note, `${e.origin}: "${e.text}" calls a ${CATALOG_LABEL[catalog]} endpoint; say so in its text`).toContain(catalog.toUpperCase());
      }
    }
  });
});

describe('the shell-words splitter', () => {
  const words = (line: string): string[] => splitShell(line).tokens.map((t) => ('word' in t ? t.word : `<${t.op}>`));

  it.each([
    [`a 'b c' "d e" f\\ g`, ['a', 'b c', 'd e', 'f g']],
    [`a "x \\"q\\" \\$y" 'it''s'`, ['a', 'x "q" $y', 'its']],
    [`a --data '{"q":{"$eq":1}}'`, ['a', '--data', '{"q":{"$eq":1}}']],
    [`x | y > f.txt; z < in <<< w && v`, ['x', '<|>', 'y', '<>>', 'f.txt', '<;>', 'z', '<<>', 'in', '<<<<>', 'w', '<&&>', 'v']],
    [`a=1 b "" c`, ['a=1', 'b', '', 'c']],
  ])('%s', (line, expected) => {
    expect(words(line)).toEqual(expected);
  });

  it('keeps $(…) as a command of its own, also inside double quotes', () => {
    expect(splitShell(`curl -H "Authorization: $(wixq auth token)" u`)).toEqual({
      tokens: [{ word: 'curl' }, { word: '-H' }, { word: 'Authorization: ' }, { word: 'u' }],
      substitutions: ['wixq auth token'],
      description: '',
    });
    expect(splitShell(`echo '$(not this)'`).substitutions).toEqual([]);
  });

  it('ends the command at a comment or at two spaces before a description', () => {
    expect(splitShell('wixq check   # which step fails')).toMatchObject({ tokens: [{ word: 'wixq' }, { word: 'check' }], description: '# which step fails' });
    expect(splitShell('wixq init          (asks on a terminal)')).toMatchObject({ tokens: [{ word: 'wixq' }, { word: 'init' }], description: '(asks on a terminal)' });
    expect(splitShell(`wixq x --data '{"a":  1}'`).tokens).toEqual([{ word: 'wixq' }, { word: 'x' }, { word: '--data' }, { word: '{"a":  1}' }]);
  });

  it('expands variables', () => {
    expect(splitShell('printf %s "$PW" ${HOME}/a', (n) => `<${n}>`).tokens).toEqual([{ word: 'printf' }, { word: '%s' }, { word: '<PW>' }, { word: '<HOME>/a' }]);
  });

  it('finds the wixq part of pipelines, substitutions, env prefixes and quoted shell lines', () => {
    const fill: Fill = { ...SHAPE_ONLY, placeholder: (n) => `[${n}]`, variable: (n) => `<${n}>`, file: (n) => `content of ${n}` };
    expect(wixqRuns(`printf %s "$PW" | wixq auth login --email a@b.c --password-stdin`, fill)).toEqual([{ args: ['auth', 'login', '--email', 'x', '--password-stdin'], env: {}, stdin: '<PW>' }]);
    expect(wixqRuns(`WIX_CLIENT_ID=<ID> npx --yes wixq check > out.json`, fill)).toEqual([{ args: ['check'], env: { WIX_CLIENT_ID: '[ID]' }, }]);
    expect(wixqRuns(`echo 'eval "$(wixq completion bash)"' >> ~/.bashrc`, fill)).toEqual([{ args: ['completion', 'bash'], env: {} }]);
    expect(wixqRuns(`wixq api POST /q --data @query.json < password.txt`, fill)).toEqual([{ args: ['api', 'POST', '/q', '--data', '@query.json'], env: {}, stdin: 'content of password.txt' }]);
    expect(wixqRuns(`WIXQ_API_URL=http://127.0.0.1:8787 wixq products list`, fill)[0]!.env).toEqual({ WIXQ_API_URL: 'http://emulator' });
    expect(() => wixqRuns('wixq get <nothing known>', { ...SHAPE_ONLY, placeholder: () => undefined })).toThrow(/unknown placeholder <nothing known>/);
  });
});

describe.each(['v1', 'v3'] as const)('every example runs on a Catalog %s site', (catalog) => {
  let emulator: RunningEmulator;
  let files: string;
  let values: Record<string, string>;

  beforeAll(async () => {
    emulator = await startTestEmulator({ catalog });
    values = placeholders(emulator);
    files = mkdtempSync(join(tmpdir(), 'wixq-examples-'));
    for (const [name, content] of Object.entries(FILES)) writeFileSync(join(files, name), content);
  });
  afterAll(async () => {
    await emulator?.close();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  for (const example of EXAMPLES) {
    const name = `${example.text}  (${example.origin})`;
    const skip = skipReason(example, catalog);
    if (skip) {
      it.skip(`${name}: ${skip}`, () => {});
      continue;
    }
    it(name, async () => {
      const fill: Fill = {
        placeholder: (placeholder) => values[placeholder],
        file: (file) => FILES[file],
        filePath: (file) => join(files, file),
        // The examples' shell variables hold a member's password.
        variable: () => MEMBER.password,
        apiUrl: emulator.url,
        memberEmail: MEMBER.email,
      };
      // One config dir per example: its runs share it (`wixq cart add … && wixq cart` sees the cart it added).
      const config = mkdtempSync(join(tmpdir(), 'wixq-example-config-'));
      try {
        for (const run of wixqRuns(example.text, fill)) {
          if (CANNOT_RUN.some((c) => c.applies(run.args))) continue;
          const only = catalogOfApiCall(run.args);
          if (only && only !== catalog) continue;
          // wixq's --demo site is Catalog V1: on V3 the same command runs against the V3 emulator instead.
          const args = catalog === 'v3' ? run.args.filter((a) => a !== '--demo') : run.args;
          const env: Record<string, string | undefined> = { WIXQ_API_URL: emulator.url, WIXQ_CLIENT_ID: emulator.clientId, WIXQ_CONFIG_DIR: config, ...run.env };
          // An example that sets WIX_CLIENT_ID is the one that provides the client ID.
          if ('WIX_CLIENT_ID' in run.env) delete env.WIXQ_CLIENT_ID;
          const result = await runInProcess(args, { env, ...(run.stdin !== undefined && { input: run.stdin }) });
          if (example.error !== undefined) {
            // An error demonstration fails on both catalogs; its printed message is the demo site's (Catalog V1).
            expect(result.code, `${example.origin} demonstrates an error`).not.toBe(0);
            if (catalog === 'v1') expect(result.stderr.trimStart().startsWith(example.error), `${example.origin}: stderr is ${result.stderr.split('\n')[0]}`).toBe(true);
            return;
          }
          const expected = EXPECTED_EXIT[example.text] ?? 0;
          if (result.code !== expected) {
            const firstLine = result.stderr.split('\n').find((l) => l.trim()) ?? '(nothing on stderr)';
            expect.fail(`example "${example.text}" (${example.origin}) on ${CATALOG_LABEL[catalog]}: wixq ${args.join(' ')} exited ${result.code}, expected ${expected}: ${firstLine}`);
          }
          // An example shows what the command finds: one that finds nothing on the demo sites teaches nothing.
          const empty = expected === 0 ? emptyAnswer(result.stdout, result.stderr) : undefined;
          if (empty) expect.fail(`example "${example.text}" (${example.origin}) on ${CATALOG_LABEL[catalog]} finds nothing (${empty}): pick values the demo sites have`);
        }
      } finally {
        rmSync(config, { recursive: true, force: true });
      }
    });
  }

  it(`the examples were served by this ${catalog} emulator, through its catalog's product endpoints`, () => {
    const paths = new Set(emulator.requests().map((r) => r.path));
    const expected = catalog === 'v1' ? ['/stores-reader/v1/products/query'] : ['/stores/v3/products/query', '/stores/v3/products/search'];
    for (const path of expected) expect([...paths].some((p) => p.startsWith(path)), `no request to ${path}`).toBe(true);
  });
});
