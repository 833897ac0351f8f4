import type { Decision } from '@certbound/core';

/**
 * Query parameter the demo puts on its own requests so a service's decision can be matched to its
 * case (the engine ignores the query when it matches paths; audit hooks see the URL, not headers).
 */
export const CASE_PARAMETER = 'demo-case';

/**
 * Reason codes of the decisions the services made, by case id. The services report every decision
 * through their audit hook; only the demo's own requests carry a case id, other requests (your
 * curl commands) are not recorded. Reason codes never contain a token.
 */
export class DecisionLog {
  readonly #reasons = new Map<string, readonly string[]>();

  /** Record a decision for the request target `url` (path and query), if it names a case. */
  record(url: string, decision: Pick<Decision, 'reasons'>): void {
    const id = caseIdOf(url);
    if (id !== undefined)
      this.recordReasons(
        id,
        decision.reasons.map((reason) => reason.code),
      );
  }

  recordReasons(caseId: string, codes: readonly string[]): void {
    this.#reasons.set(caseId, [...codes]);
  }

  take(caseId: string): readonly string[] | undefined {
    const reasons = this.#reasons.get(caseId);
    this.#reasons.delete(caseId);
    return reasons;
  }
}

/** The case id in a request target's query, if any. */
export function caseIdOf(url: string): string | undefined {
  const id = new URL(url, 'https://demo.invalid').searchParams.get(CASE_PARAMETER);
  return id === null || id === '' ? undefined : id;
}
