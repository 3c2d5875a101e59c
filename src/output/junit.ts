/** One test case of a JUnit report. */
export interface JunitCase {
  name: string;
  classname: string;
  /** Seconds. */
  time: number;
  status: 'pass' | 'fail' | 'skip';
  /** The one-line reason of a failure or skip. */
  message?: string;
  /** More text: the body of `<failure>`, or `<system-out>` for a passed case. */
  details?: string;
}

/** One test suite: its counts are computed from the cases. */
export interface JunitSuite {
  name: string;
  /** ISO time the suite started. */
  timestamp: Date;
  cases: JunitCase[];
}

// XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** Escapes text for an XML attribute value or element content; characters XML 1.0 cannot hold are dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, '')
    .replace(/[&<>"'\n\r\t]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;', '\r': '&#13;', '\t': '&#9;' })[c]!);
}

function seconds(value: number): string {
  return (Math.round(value * 1000) / 1000).toFixed(3);
}

/**
 * The report as JUnit XML in the shape the common schema describes (`testsuites` > `testsuite` > `testcase`, with
 * `skipped`, `failure` and `system-out` children): https://github.com/jenkinsci/xunit-plugin/blob/master/src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd
 */
export function junitXml(suite: JunitSuite): string {
  const tests = suite.cases.length;
  const failures = suite.cases.filter((c) => c.status === 'fail').length;
  const skipped = suite.cases.filter((c) => c.status === 'skip').length;
  // The sum of the times as printed (whole milliseconds), so the suite's time agrees with its cases'.
  const time = seconds(suite.cases.reduce((sum, c) => sum + Math.round(c.time * 1000), 0) / 1000);
  const counts = `tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}"`;
  // xs:dateTime without a zone, as the schema's pattern asks.
  const timestamp = suite.timestamp.toISOString().replace(/\.\d{3}Z$/, '');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(suite.name)}" ${counts}>`,
    `  <testsuite name="${escapeXml(suite.name)}" ${counts} timestamp="${timestamp}">`,
  ];
  for (const c of suite.cases) {
    const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="${seconds(c.time)}"`;
    if (c.status === 'skip') {
      lines.push(`${open}>`, `      <skipped message="${escapeXml(c.message ?? '')}"/>`, '    </testcase>');
    } else if (c.status === 'fail') {
      lines.push(`${open}>`, `      <failure message="${escapeXml(c.message ?? '')}" type="failure">${escapeXml(c.details ?? c.message ?? '')}</failure>`, '    </testcase>');
    } else if (c.details) {
      lines.push(`${open}>`, `      <system-out>${escapeXml(c.details)}</system-out>`, '    </testcase>');
    } else {
      lines.push(`${open}/>`);
    }
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
