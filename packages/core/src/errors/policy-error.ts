import { CertboundError } from './certbound-error.js';

export interface PolicyProblem {
  /** JSON Pointer into the policy document ("" for the document itself). */
  readonly path: string;
  readonly message: string;
}

/** A policy was rejected. `problems` lists every problem found, not only the first. */
export class PolicyError extends CertboundError {
  readonly problems: readonly PolicyProblem[];
  constructor(
    problems: readonly PolicyProblem[],
    code: 'ERR_POLICY_INVALID' | 'ERR_POLICY_FILE' = 'ERR_POLICY_INVALID',
  ) {
    super(code, `invalid policy:\n${problems.map((p) => `  ${p.path || '/'}: ${p.message}`).join('\n')}`);
    this.problems = problems;
  }
}
