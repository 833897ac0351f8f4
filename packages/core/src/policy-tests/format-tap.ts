import { stringify } from 'yaml';
import { type PolicyTestSuiteResult, summarize } from './policy-test-result.js';

/**
 * TAP version 13 (testanything.org/tap-version-13-specification.html): one test point per case
 * and per suite that could not run; failures carry a YAML diagnostic block.
 */
export function formatTap(results: readonly PolicyTestSuiteResult[]): string {
  const summary = summarize(results);
  const out = ['TAP version 13', `1..${summary.cases + summary.errors}`];
  let number = 0;
  for (const suite of results) {
    if (suite.problems !== undefined) {
      out.push(`not ok ${++number} - ${description(suite.name)} # suite could not be run`);
      out.push(
        ...diagnostic({
          file: suite.file,
          problems: suite.problems.map((p) => `${p.path || '/'}: ${p.message}`),
        }),
      );
    }
    for (const testCase of suite.cases) {
      const name = description(`${suite.name} > ${testCase.name}`);
      if (testCase.passed) {
        out.push(`ok ${++number} - ${name}`);
        continue;
      }
      out.push(`not ok ${++number} - ${name}`);
      out.push(
        ...diagnostic({
          file: suite.file,
          ...(testCase.problem !== undefined ? { problem: testCase.problem } : {}),
          ...(testCase.mismatches.length > 0 ? { mismatched: testCase.mismatches } : {}),
          expected: testCase.expected,
          ...(testCase.actual !== undefined
            ? {
                actual: {
                  allow: testCase.actual.allow,
                  status: testCase.actual.status,
                  ...(testCase.actual.error !== undefined ? { error: testCase.actual.error } : {}),
                  ...(testCase.actual.rule !== undefined ? { rule: testCase.actual.rule } : {}),
                  reasons: testCase.actual.reasons.map((reason) => `${reason.code}: ${reason.message}`),
                },
              }
            : {}),
        }),
      );
    }
  }
  out.push(
    `# cases ${summary.cases}, passed ${summary.passed}, failed ${summary.failed}, suite errors ${summary.errors}`,
  );
  return `${out.join('\n')}\n`;
}

/** `#` starts a directive in a TAP description and newlines end it: keep both out. */
function description(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/#/g, '\\#');
}

function diagnostic(data: Record<string, unknown>): string[] {
  const body = stringify(data, { lineWidth: 0 }).trimEnd().split('\n');
  return ['  ---', ...body.map((line) => `  ${line}`), '  ...'];
}
