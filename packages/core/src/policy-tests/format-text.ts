import {
  describeActual,
  describeExpected,
  type PolicyTestCaseResult,
  type PolicyTestSuiteResult,
  summarize,
} from './policy-test-result.js';

/** Readable report: one line per case; a failing case shows expected and actual side by side. */
export function formatText(results: readonly PolicyTestSuiteResult[]): string {
  const lines: string[] = [];
  for (const suite of results) {
    lines.push(
      `${suite.name}  (${suite.file}${suite.policy !== undefined ? ` → policy ${suite.policy}` : ''})`,
    );
    if (suite.problems !== undefined) {
      lines.push('  ERROR  the suite could not be run:');
      for (const problem of suite.problems) lines.push(`         ${problem.path || '/'}: ${problem.message}`);
    }
    for (const testCase of suite.cases) lines.push(...caseLines(testCase));
    lines.push('');
  }
  const summary = summarize(results);
  lines.push(
    `${summary.cases} case(s) in ${summary.suites} suite(s): ${summary.passed} passed, ${summary.failed} failed` +
      `${summary.errors > 0 ? `, ${summary.errors} suite(s) could not be run` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

function caseLines(testCase: PolicyTestCaseResult): string[] {
  if (testCase.passed) {
    return [
      `  PASS  ${testCase.name}  → ${describeActual(testCase.actual as NonNullable<typeof testCase.actual>)}`,
    ];
  }
  const lines = [`  FAIL  ${testCase.name}`];
  if (testCase.problem !== undefined) {
    lines.push(`        could not run: ${testCase.problem}`);
    return lines;
  }
  const actual = testCase.actual as NonNullable<typeof testCase.actual>;
  const expected = testCase.expected;
  const rows: [string, string, string][] = [['', 'expected', 'actual']];
  const mark = (field: string) => (testCase.mismatches.includes(field) ? '≠ ' : '  ');
  rows.push([`${mark('allow')}allow`, expected.allow ? 'allow' : 'deny', actual.allow ? 'allow' : 'deny']);
  rows.push([`${mark('status')}status`, show(expected.status), String(actual.status)]);
  rows.push([`${mark('error')}error`, show(expected.error), actual.error ?? '-']);
  rows.push([`${mark('rule')}rule`, show(expected.rule), actual.rule ?? '-']);
  const expectedCodes = expected.reasons ?? [];
  const actualCodes = actual.reasons.map((reason) => reason.code as string);
  const reasonRows = Math.max(expectedCodes.length, actualCodes.length, 1);
  for (let i = 0; i < reasonRows; i++) {
    rows.push([
      i === 0 ? `${mark('reasons')}reasons` : '',
      expected.reasons === undefined ? (i === 0 ? '(any)' : '') : (expectedCodes[i] ?? ''),
      actualCodes[i] ?? '',
    ]);
  }
  const width0 = Math.max(...rows.map((row) => row[0].length));
  const width1 = Math.max(...rows.map((row) => row[1].length));
  for (const [label, left, right] of rows) {
    lines.push(`        ${label.padEnd(width0)}  ${left.padEnd(width1)}  ${right}`.trimEnd());
  }
  lines.push(`        expected ${describeExpected(expected)}`);
  lines.push(`        actual   ${describeActual(actual)}`);
  const deciding = actual.reasons.at(-1);
  if (deciding !== undefined) lines.push(`        deciding reason: ${deciding.code}: ${deciding.message}`);
  return lines;
}

function show(value: string | number | undefined): string {
  return value === undefined ? '(any)' : String(value);
}
