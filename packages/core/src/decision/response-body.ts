import type { Decision } from './decision.js';

/**
 * The small JSON body every adapter sends with a deny: `{error, error_description}`, public text
 * only. Without credentials (no error code in the challenge) the error is `unauthorized`.
 */
export function denyResponseBody(decision: Decision): { error: string; error_description: string } {
  return {
    error: decision.error ?? 'unauthorized',
    error_description: decision.errorDescription ?? 'Access denied',
  };
}
