import { type PolicyTestSuiteResult, summarize } from './policy-test-result.js';

/** Machine-readable report: every suite, case, expectation and actual decision, plus a summary. */
export function formatJson(results: readonly PolicyTestSuiteResult[]): string {
  return `${JSON.stringify(
    {
      summary: summarize(results),
      suites: results.map((suite) => ({
        file: suite.file,
        name: suite.name,
        ...(suite.policy !== undefined ? { policy: suite.policy } : {}),
        ...(suite.problems !== undefined ? { problems: suite.problems } : {}),
        cases: suite.cases.map((testCase) => ({
          name: testCase.name,
          passed: testCase.passed,
          expected: testCase.expected,
          ...(testCase.actual !== undefined ? { actual: testCase.actual } : {}),
          mismatches: testCase.mismatches,
          ...(testCase.problem !== undefined ? { problem: testCase.problem } : {}),
        })),
      })),
    },
    null,
    2,
  )}\n`;
}
