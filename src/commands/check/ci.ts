import { appendFile } from 'node:fs/promises';
import { writeFileAtomically } from '../../output/files.js';
import { junitXml, type JunitCase } from '../../output/junit.js';
import type { CheckReport, CheckResult } from './report.js';

const SUITE = 'wixq check';

/** Why a check failed or was skipped, in one line: its details and, when a request failed, the error. */
export function checkMessage(check: CheckResult): string {
  const error = check.error ? `: ${check.error.message}${check.error.requestId ? ` (request ID ${check.error.requestId})` : ''}` : '';
  return `${check.name}: ${check.details}${error}`;
}

/** Writes the report as JUnit XML, atomically. */
export async function writeJunitReport(path: string, report: CheckReport, startedAt: Date): Promise<void> {
  const cases: JunitCase[] = report.checks.map((check) => ({
    name: check.name,
    classname: SUITE,
    time: check.ms / 1000,
    // A warning is not a failure: the step stays green, and the details say what was odd.
    status: check.status === 'fail' ? 'fail' : check.status === 'skip' ? 'skip' : 'pass',
    message: check.status === 'fail' ? checkMessage(check) : check.details,
    details: check.status === 'warn' ? `warn: ${check.details}` : check.status === 'fail' ? failureText(check) : check.details,
  }));
  await writeFileAtomically(path, junitXml({ name: SUITE, timestamp: startedAt, cases }));
}

function failureText(check: CheckResult): string {
  const lines = [checkMessage(check)];
  if (check.error?.hint) lines.push(`Hint: ${check.error.hint}`);
  return lines.join('\n');
}

/**
 * A workflow command's data: `%`, CR and LF escaped as @actions/core does (escapeData in
 * https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts).
 */
function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * One `::error` workflow command per failed check. They go to stderr: stdout is the report, and the runner reads
 * workflow commands from both streams (ScriptHandler feeds stdout and stderr each to an OutputManager:
 * https://github.com/actions/runner/blob/main/src/Runner.Worker/Handlers/ScriptHandler.cs).
 */
export function errorAnnotations(report: CheckReport): string[] {
  return report.checks.filter((c) => c.status === 'fail').map((c) => `::error title=${SUITE}::${escapeCommandData(checkMessage(c))}`);
}

const RESULT_MARK: Record<CheckResult['status'], string> = { pass: '✅ ok', fail: '❌ FAIL', warn: '⚠️ warn', skip: '⏭️ skip' };

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The Markdown a job summary shows: a heading with the outcome and one table row per check. */
export function stepSummary(report: CheckReport): string {
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const heading = report.ok ? `### ✅ wixq check passed` : `### ❌ wixq check failed (${failed} of ${report.checks.length} checks, exit ${report.exitCode})`;
  const rows = report.checks.map((c) => `| ${cell(c.name)} | ${RESULT_MARK[c.status]} | ${c.status === 'skip' ? '' : `${c.ms} ms`} | ${cell(c.status === 'fail' ? checkMessage(c).slice(c.name.length + 2) : c.details)} |`);
  const hints = report.hints.map((h) => `> ${cell(h)}`);
  return ['', heading, '', '| Check | Result | Time | Details |', '| --- | --- | ---: | --- |', ...rows, ...(hints.length ? ['', ...hints] : []), ''].join('\n');
}

/**
 * Appends the summary to $GITHUB_STEP_SUMMARY, the file a job summary is read from:
 * https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#adding-a-job-summary
 */
export async function appendStepSummary(path: string, report: CheckReport): Promise<void> {
  await appendFile(path, stepSummary(report), 'utf8');
}
