import type { DemoCase, Expectation } from './mode-table.js';

/** What a live service answered for one case. */
export interface Observation {
  readonly allow: boolean;
  /** HTTP status the client got (for Envoy: 200 on OK, else the denied_response status). */
  readonly status: number;
  /** Reason codes of the service's decision, in order. */
  readonly reasons: readonly string[];
  /** A transport failure (connection refused, TLS error): the case could not be run. */
  readonly failure?: string;
}

export interface CaseResult {
  readonly case: DemoCase;
  readonly observed: Observation;
  readonly matched: boolean;
}

export function matches(expected: Expectation, observed: Observation): boolean {
  return (
    observed.failure === undefined &&
    observed.allow === expected.allow &&
    observed.status === expected.status &&
    observed.reasons.length === expected.reasons.length &&
    observed.reasons.every((code, index) => code === expected.reasons[index])
  );
}
