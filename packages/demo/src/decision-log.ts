import type { Decision } from '@certbound/core';

/** Header the demo puts on its own requests so a service's decision can be matched to its case. */
export const CASE_HEADER = 'x-certbound-demo-case';

/**
 * Reason codes of the decisions the services made, by case id. The services report every decision
 * through their audit hook; the demo's own requests carry CASE_HEADER, other requests (your curl
 * commands) are not recorded. Reason codes never contain a token.
 */
export class DecisionLog {
  readonly #reasons = new Map<string, readonly string[]>();

  record(caseId: unknown, decision: Pick<Decision, 'reasons'>): void {
    const id = Array.isArray(caseId) ? caseId[0] : caseId;
    if (typeof id !== 'string' || id === '') return;
    this.#reasons.set(
      id,
      decision.reasons.map((reason) => reason.code),
    );
  }

  take(caseId: string): readonly string[] | undefined {
    const reasons = this.#reasons.get(caseId);
    this.#reasons.delete(caseId);
    return reasons;
  }
}
