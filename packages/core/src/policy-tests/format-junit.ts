import {
  describeActual,
  describeExpected,
  type PolicyTestCaseResult,
  type PolicyTestSuiteResult,
  summarize,
} from './policy-test-result.js';

/**
 * JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters): one <testsuite> per
 * suite file, one <testcase> per case, <failure> for an unmet expectation and <error> for a suite
 * or case that could not run.
 */
export function formatJunit(results: readonly PolicyTestSuiteResult[]): string {
  const summary = summarize(results);
  const cases = results.flatMap((suite) => suite.cases);
  const caseErrors = cases.filter((c) => c.problem !== undefined).length;
  const totalTime = results.reduce((sum, suite) => sum + suite.durationMs, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="certbound policy tests" tests="${summary.cases + summary.errors}" failures="${summary.failed - caseErrors}" errors="${summary.errors + caseErrors}" time="${seconds(totalTime)}">`,
  ];
  results.forEach((suite, index) => {
    const caseErrors = suite.cases.filter((c) => c.problem !== undefined).length;
    const failures = suite.cases.filter((c) => !c.passed && c.problem === undefined).length;
    const errors = caseErrors + (suite.problems !== undefined ? 1 : 0);
    const tests = suite.cases.length + (suite.problems !== undefined ? 1 : 0);
    out.push(
      `  <testsuite name="${attr(suite.name)}" id="${index}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(suite.durationMs)}" timestamp="${suite.startedAt.toISOString().replace(/\.\d+Z$/, '')}" file="${attr(suite.file)}">`,
    );
    if (suite.problems !== undefined) {
      const message = suite.problems.map((p) => `${p.path || '/'}: ${p.message}`).join('\n');
      out.push(
        `    <testcase name="${attr('load suite')}" classname="${attr(suite.name)}" time="0">`,
        `      <error message="${attr('the suite could not be run')}" type="PolicyTestSuiteError">${text(message)}</error>`,
        '    </testcase>',
      );
    }
    for (const testCase of suite.cases) out.push(...caseXml(suite, testCase));
    out.push('  </testsuite>');
  });
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function caseXml(suite: PolicyTestSuiteResult, testCase: PolicyTestCaseResult): string[] {
  const open = `    <testcase name="${attr(testCase.name)}" classname="${attr(suite.name)}" time="${seconds(testCase.durationMs)}"`;
  if (testCase.passed) return [`${open}/>`];
  if (testCase.problem !== undefined) {
    return [
      `${open}>`,
      `      <error message="${attr(testCase.problem)}" type="PolicyTestCaseError">${text(testCase.problem)}</error>`,
      '    </testcase>',
    ];
  }
  const actual = testCase.actual as NonNullable<PolicyTestCaseResult['actual']>;
  const message = `expected ${describeExpected(testCase.expected)}, got ${describeActual(actual)}`;
  const body = [
    `mismatched: ${testCase.mismatches.join(', ')}`,
    `expected: ${describeExpected(testCase.expected)}`,
    `actual:   ${describeActual(actual)}`,
    ...actual.reasons.map((reason) => `  ${reason.code}: ${reason.message}`),
  ].join('\n');
  return [
    `${open}>`,
    `      <failure message="${attr(message)}" type="PolicyExpectationFailed">${text(body)}</failure>`,
    '    </testcase>',
  ];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

// XML 1.0 §2.2: characters outside the Char production cannot appear even escaped; drop them.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  return value.replace(NOT_XML_CHAR, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
