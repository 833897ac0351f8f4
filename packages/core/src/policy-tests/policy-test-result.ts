import type { DecisionStatus } from '../decision/decision.js';
import type { Reason } from '../decision/reason-code.js';
import type { TestExpectation } from './policy-test-suite.js';
import type { SuiteProblem } from './policy-test-suite-schema.js';

/** What the engine decided for a case: the parts an expectation can name. */
export interface ActualDecision {
  readonly allow: boolean;
  readonly status: DecisionStatus;
  readonly reasons: readonly Reason[];
  readonly error?: string;
  readonly rule?: string;
}

export interface PolicyTestCaseResult {
  readonly name: string;
  readonly passed: boolean;
  readonly expected: TestExpectation;
  /** Absent when the case could not be run (e.g. a token that could not be signed); see `problem`. */
  readonly actual?: ActualDecision;
  /** Expectation fields that did not hold: allow, status, reasons, error, rule. */
  readonly mismatches: readonly string[];
  /** Why the case could not be run. */
  readonly problem?: string;
  readonly durationMs: number;
}

export interface PolicyTestSuiteResult {
  /** The suite file as given on the command line. */
  readonly file: string;
  readonly name: string;
  readonly policy?: string;
  readonly cases: readonly PolicyTestCaseResult[];
  /** Present when the suite or its policy could not be loaded: no case ran. */
  readonly problems?: readonly SuiteProblem[];
  readonly durationMs: number;
  readonly startedAt: Date;
}

export interface PolicyTestSummary {
  readonly suites: number;
  readonly cases: number;
  readonly passed: number;
  readonly failed: number;
  /** Suites that could not be loaded. */
  readonly errors: number;
}

export function summarize(results: readonly PolicyTestSuiteResult[]): PolicyTestSummary {
  const cases = results.flatMap((result) => result.cases);
  const passed = cases.filter((c) => c.passed).length;
  return {
    suites: results.length,
    cases: cases.length,
    passed,
    failed: cases.length - passed,
    errors: results.filter((result) => result.problems !== undefined).length,
  };
}

/** `allow 200 [a, b]` / `deny 401 invalid_token [c]` — one line for either side of a comparison. */
export function describeExpected(expected: TestExpectation): string {
  return [
    expected.allow ? 'allow' : 'deny',
    expected.status !== undefined ? String(expected.status) : '',
    expected.error ?? '',
    expected.rule !== undefined ? `rule ${expected.rule}` : '',
    expected.reasons !== undefined ? `[${expected.reasons.join(', ')} ⊆]` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function describeActual(actual: ActualDecision): string {
  return [
    actual.allow ? 'allow' : 'deny',
    String(actual.status),
    actual.error ?? '',
    actual.rule !== undefined ? `rule ${actual.rule}` : '',
    `[${actual.reasons.map((r) => r.code).join(', ')}]`,
  ]
    .filter(Boolean)
    .join(' ');
}
