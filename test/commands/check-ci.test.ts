import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startProject, type TestProject } from '../helpers/project.js';

/** wixq check's CI reports: --junit XML (parsed and checked against the JUnit schema's structure), the GitHub job summary and annotations. */

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    if (!(name in ENTITIES)) throw new Error(`unknown entity ${whole}`);
    return ENTITIES[name]!;
  });
}

/** A small XML parser for well-formed documents without DTDs: throws on a mismatched tag, a bare `<` or `&`, text outside the root. */
function parseXml(xml: string): XmlElement {
  let i = 0;
  const prolog = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (prolog) i = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] === '<') {
      const end = xml.indexOf('>', i);
      if (end < 0) throw new Error(`unclosed tag at ${i}`);
      const tag = xml.slice(i + 1, end);
      i = end + 1;
      if (tag.startsWith('/')) {
        const open = stack.pop();
        if (open?.name !== tag.slice(1)) throw new Error(`</${tag.slice(1)}> closes <${open?.name}>`);
        continue;
      }
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const nameMatch = /^([A-Za-z_][\w.-]*)/.exec(body);
      if (!nameMatch) throw new Error(`bad tag <${tag}>`);
      const attributes: Record<string, string> = {};
      const rest = body.slice(nameMatch[0].length);
      const attributePattern = /\s+([A-Za-z_][\w.-]*)="([^"<]*)"/y;
      let at = 0;
      while (at < rest.trimEnd().length) {
        attributePattern.lastIndex = at;
        const a = attributePattern.exec(rest);
        if (!a) throw new Error(`bad attributes in <${tag}>`);
        if (a[1]! in attributes) throw new Error(`duplicate attribute ${a[1]}`);
        attributes[a[1]!] = decode(a[2]!);
        at = attributePattern.lastIndex;
      }
      const element: XmlElement = { name: nameMatch[1]!, attributes, children: [], text: '' };
      if (stack.length) stack[stack.length - 1]!.children.push(element);
      else if (root) throw new Error('a second root element');
      else root = element;
      if (!selfClosing) stack.push(element);
    } else {
      const next = xml.indexOf('<', i);
      const text = xml.slice(i, next < 0 ? xml.length : next);
      i = next < 0 ? xml.length : next;
      if (/&(?!(#x[0-9a-fA-F]+|#\d+|\w+);)/.test(text) || text.includes('>')) throw new Error(`unescaped text: ${text}`);
      if (stack.length) stack[stack.length - 1]!.text += decode(text);
      else if (text.trim()) throw new Error(`text outside the root: ${text}`);
    }
  }
  if (stack.length || !root) throw new Error('unclosed elements');
  return root;
}

const COUNT = /^\d+$/;
const SECONDS = /^\d+(\.\d+)?$/;

/** The structure the common JUnit schema (Jenkins' junit-10.xsd) asks for; returns the one testsuite. */
function validJunit(xml: string): XmlElement {
  const root = parseXml(xml);
  expect(root.name).toBe('testsuites');
  expect(root.children.map((c) => c.name)).toEqual(['testsuite']);
  const suite = root.children[0]!;
  for (const key of ['name', 'tests', 'failures', 'errors', 'skipped', 'time', 'timestamp']) expect(suite.attributes[key], key).toBeDefined();
  for (const key of ['tests', 'failures', 'errors', 'skipped']) expect(suite.attributes[key], key).toMatch(COUNT);
  expect(suite.attributes.time).toMatch(SECONDS);
  expect(suite.attributes.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  for (const testcase of suite.children) {
    expect(testcase.name).toBe('testcase');
    expect(testcase.attributes.name).toBeTruthy();
    expect(testcase.attributes.classname).toBeTruthy();
    expect(testcase.attributes.time).toMatch(SECONDS);
    expect(testcase.children.length).toBeLessThanOrEqual(1);
    for (const child of testcase.children) expect(['skipped', 'failure', 'error', 'system-out', 'system-err']).toContain(child.name);
  }
  const count = (kind: string) => suite.children.filter((c) => c.children.some((x) => x.name === kind)).length;
  expect(Number(suite.attributes.tests)).toBe(suite.children.length);
  expect(Number(suite.attributes.failures)).toBe(count('failure'));
  expect(Number(suite.attributes.skipped)).toBe(count('skipped'));
  expect(Number(suite.attributes.errors)).toBe(count('error'));
  const total = suite.children.reduce((sum, c) => sum + Number(c.attributes.time), 0);
  expect(Math.abs(total - Number(suite.attributes.time))).toBeLessThan(0.0005);
  expect(root.attributes).toMatchObject({ tests: suite.attributes.tests, failures: suite.attributes.failures, skipped: suite.attributes.skipped });
  return suite;
}

const caseNamed = (suite: XmlElement, name: string) => suite.children.find((c) => c.attributes.name === name)!;

describe('wixq check --junit and GitHub Actions reports', () => {
  let p: TestProject;
  let dir: string;
  beforeAll(async () => {
    p = await startProject();
  });
  afterAll(async () => {
    await p.close();
  });
  beforeEach(() => {
    p.reset();
    dir = mkdtempSync(join(tmpdir(), 'wixq-check-ci-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it('a passing site: one testsuite "wixq check", six passing testcases with their times, the JSON report still on stdout', async () => {
    const file = join(dir, 'report.xml');
    const r = await p.run(['check', '--junit', file]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { checks: Array<{ name: string; ms: number; details: string }> };
    const suite = validJunit(readFileSync(file, 'utf8'));
    expect(suite.attributes).toMatchObject({ name: 'wixq check', tests: '6', failures: '0', errors: '0', skipped: '0' });
    expect(suite.children.map((c) => c.attributes.name)).toEqual(['settings', 'token', 'catalog', 'products', 'collections', 'services']);
    for (const check of report.checks) {
      const testcase = caseNamed(suite, check.name);
      expect(testcase.attributes.time).toBe((check.ms / 1000).toFixed(3));
      expect(testcase.children[0]).toMatchObject({ name: 'system-out', text: check.details });
    }
    // Written whole through a temp file: nothing else is left in the folder.
    expect(readdirSync(dir)).toEqual(['report.xml']);
    // Outside GitHub Actions there are no annotations.
    expect(r.stderr).not.toContain('::error');
  });

  it('a failing site (503 on services, an unmet --min): failures with their messages, exit 5, and a report written all the same', async () => {
    await p.control('POST', 'faults', { path: '/_api/bookings/v2/services/query', status: 503, count: 5 });
    const file = join(dir, 'report.xml');
    const r = await p.run(['check', '--retries', '0', '--min', 'products=100000', '--junit', file]);
    expect(r.code).toBe(5);
    const suite = validJunit(readFileSync(file, 'utf8'));
    expect(suite.attributes).toMatchObject({ tests: '6', failures: '2', skipped: '0' });
    const products = caseNamed(suite, 'products').children[0]!;
    expect(products.name).toBe('failure');
    expect(products.attributes.message).toMatch(/^products: \d+ products, fewer than --min products=100000$/);
    const services = caseNamed(suite, 'services').children[0]!;
    expect(services.name).toBe('failure');
    expect(services.attributes.message).toMatch(/^services: could not list services: .*503/);
    expect(services.text).toContain(services.attributes.message);
  });

  it('checks that did not run are <skipped/> with the reason', async () => {
    const file = join(dir, 'report.xml');
    const r = await p.run(['check', '--junit', file], { env: { WIXQ_CLIENT_ID: undefined } });
    expect(r.code).toBe(4);
    const suite = validJunit(readFileSync(file, 'utf8'));
    expect(suite.attributes).toMatchObject({ tests: '6', failures: '1', skipped: '5' });
    expect(caseNamed(suite, 'settings').children[0]).toMatchObject({ name: 'failure', attributes: { message: expect.stringContaining('settings: no client ID for profile default') } });
    expect(caseNamed(suite, 'token').children[0]).toMatchObject({ name: 'skipped', attributes: { message: 'not run: no client ID' } });
  });

  it('a Wix message with markup, quotes and a line break is escaped and comes back whole', async () => {
    const message = 'bad <query> & "quotes" \'here\'\nsecond line ]]>';
    const body = { message, details: { applicationError: { code: 'BAD_QUERY', description: message } } };
    await p.control('POST', 'faults', { path: '/_api/bookings/v2/services/query', status: 400, count: 5, body });
    const file = join(dir, 'report.xml');
    const r = await p.run(['check', '--require', 'services', '--junit', file], { env: { GITHUB_ACTIONS: 'true' } });
    expect(r.code).toBe(6);
    const suite = validJunit(readFileSync(file, 'utf8'));
    const failure = caseNamed(suite, 'services').children[0]!;
    expect(failure.name).toBe('failure');
    expect(failure.attributes.message).toContain(message);
    // A workflow command is one line: the line break is %0A, as @actions/core escapes it.
    const annotation = r.stderr.split('\n').find((line) => line.startsWith('::error'))!;
    expect(annotation).toContain('bad <query> & "quotes" \'here\'%0Asecond line ]]>');
  });

  it('a --junit file that cannot be written is exit 1 on a passing site, with the reason, and leaves nothing behind', async () => {
    const r = await p.run(['check', '--junit', join(dir, 'missing', 'report.xml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot write --junit ${join(dir, 'missing', 'report.xml')}: ENOENT`);
    // Said once: as the error that ends the run, not also as a warning before it.
    expect(r.stderr.split('cannot write --junit')).toHaveLength(2);
    expect(r.stderr).toMatch(/^Error: cannot write --junit/m);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    // When a check failed too, the check's error ends the run and the report is a warning.
    const both = await p.run(['check', '--min', 'products=100000', '--junit', join(dir, 'missing', 'report.xml')]);
    expect(both.code).toBe(6);
    expect(both.stderr.split('cannot write --junit')).toHaveLength(2);
    expect(both.stderr).toMatch(/^Warning: cannot write --junit/m);
    expect(readdirSync(dir)).toEqual([]);
    expect((await p.run(['check', '--junit', ''])).code).toBe(2);
  });

  it('under GITHUB_ACTIONS=true: a summary table appended to $GITHUB_STEP_SUMMARY and one ::error line on stderr per failed check', async () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# Earlier step\n');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const passed = await p.run(['check'], { env });
    expect(passed.code, passed.stderr).toBe(0);
    expect(passed.stderr).not.toContain('::error');
    expect(passed.stdout).not.toContain('::');

    await p.control('POST', 'faults', { path: '/_api/bookings/v2/services/query', status: 404, count: 5 });
    const failed = await p.run(['check', '--require', 'services', '--min', 'products=100000'], { env });
    expect(failed.code).toBe(6);
    expect(failed.stdout).not.toContain('::');
    const annotations = failed.stderr.split('\n').filter((line) => line.startsWith('::'));
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatch(/^::error title=wixq check::products: \d+ products, fewer than --min products=100000$/);
    expect(annotations[1]).toMatch(/^::error title=wixq check::services: could not list services: .*404/);

    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# Earlier step\n')).toBe(true);
    const runs = text.split(/^### /m).slice(1);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatch(/^✅ wixq check passed/);
    expect(runs[1]).toMatch(/^❌ wixq check failed \(2 of 6 checks, exit 6\)/);
    const rows = (run: string) =>
      run
        .split('\n')
        .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
        .slice(1)
        .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()));
    expect(rows(runs[0]!).map((row) => [row[0], row[1]])).toEqual(['settings', 'token', 'catalog', 'products', 'collections', 'services'].map((n) => [n, '✅ ok']));
    const failedRows = rows(runs[1]!);
    expect(failedRows.find((row) => row[0] === 'products')!.slice(1, 2)).toEqual(['❌ FAIL']);
    expect(failedRows.find((row) => row[0] === 'services')![3]).toMatch(/could not list services: .*404/);
    for (const row of [...rows(runs[0]!), ...failedRows]) expect(row).toHaveLength(4);

    // GITHUB_ACTIONS without a summary file still annotates; without GITHUB_ACTIONS the summary file is not touched.
    p.reset();
    await p.control('POST', 'faults', { path: '/_api/bookings/v2/services/query', status: 404, count: 5 });
    const noSummary = await p.run(['check', '--require', 'services'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(noSummary.stderr).toMatch(/^::error title=wixq check::services: /m);
    const before = readFileSync(summary, 'utf8');
    await p.run(['check'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(readFileSync(summary, 'utf8')).toBe(before);
  });
});
