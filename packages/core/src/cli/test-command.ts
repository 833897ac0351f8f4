import { parseArgs } from 'node:util';
import { formatJson } from '../policy-tests/format-json.js';
import { formatJunit } from '../policy-tests/format-junit.js';
import { formatTap } from '../policy-tests/format-tap.js';
import { formatText } from '../policy-tests/format-text.js';
import type { PolicyTestSuiteResult } from '../policy-tests/policy-test-result.js';
import { summarize } from '../policy-tests/policy-test-result.js';
import { runPolicyTestSuiteFile } from '../policy-tests/run-policy-test-suite.js';
import { type CliIo, UsageError } from './cli-io.js';

export const TEST_USAGE = 'usage: certbound test <suite.yaml ...> [--format text|json|junit|tap]';

const FORMATTERS = { text: formatText, json: formatJson, junit: formatJunit, tap: formatTap } as const;

/**
 * `certbound test`: run policy test suites. Exit 0 when every case passed, 1 when any case failed,
 * 2 on usage errors or when a suite or its policy could not be loaded.
 */
export async function testCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { format: { type: 'string', default: 'text' } },
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError(TEST_USAGE);
  if (!Object.hasOwn(FORMATTERS, values.format))
    throw new UsageError(`--format must be text, json, junit or tap\n${TEST_USAGE}`);
  const results: PolicyTestSuiteResult[] = [];
  for (const file of positionals) results.push(await runPolicyTestSuiteFile(file, { cwd: io.cwd }));
  io.stdout(FORMATTERS[values.format as keyof typeof FORMATTERS](results));
  const summary = summarize(results);
  if (summary.errors > 0) return 2;
  return summary.failed > 0 ? 1 : 0;
}
