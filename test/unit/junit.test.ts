import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { escapeXml, junitXml } from '../../src/output/junit.js';
import { writeFileAtomically } from '../../src/output/files.js';

describe('JUnit XML', () => {
  it('escapes markup, quotes and line breaks, and drops characters XML 1.0 cannot hold', () => {
    expect(escapeXml(`a<b>&"c"'d'\nline\u0000\u001b[31m\uFFFE`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;line[31m');
  });

  it('counts tests, failures and skips from the cases, and sums their times', () => {
    const xml = junitXml({
      name: 'wixq check',
      timestamp: new Date(Date.UTC(2026, 11, 2, 11, 40, 5, 123)),
      cases: [
        { name: 'a', classname: 'wixq check', time: 0.0125, status: 'pass', details: 'fine' },
        { name: 'b', classname: 'wixq check', time: 0.5, status: 'fail', message: 'b: <broken>' },
        { name: 'c', classname: 'wixq check', time: 0, status: 'skip', message: 'not run' },
      ],
    });
    expect(xml).toContain('<testsuite name="wixq check" tests="3" failures="1" errors="0" skipped="1" time="0.513" timestamp="2026-12-02T11:40:05">');
    expect(xml).toContain('<testcase name="a" classname="wixq check" time="0.013">');
    expect(xml).toContain('<failure message="b: &lt;broken&gt;" type="failure">b: &lt;broken&gt;</failure>');
    expect(xml).toContain('<skipped message="not run"/>');
  });
});

describe('writeFileAtomically', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a file whole and leaves no temp file; a failed write leaves the old file as it was', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wixq-atomic-'));
    const file = join(dir, 'report.xml');
    writeFileSync(file, 'old');
    await writeFileAtomically(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['report.xml']);
    await expect(writeFileAtomically(join(dir, 'no-such-dir', 'report.xml'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    // A directory in the way: the rename fails, the temp file is removed.
    await expect(writeFileAtomically(dir, 'x')).rejects.toBeDefined();
    expect(readdirSync(dir)).toEqual(['report.xml']);
  });
});
