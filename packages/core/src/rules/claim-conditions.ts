import type { ClaimConditions, ClaimValue } from '../policy/policy.js';

/** The first claim condition the claims fail, or undefined when all hold. */
export function unmetClaimCondition(
  conditions: ClaimConditions | undefined,
  claims: Readonly<Record<string, unknown>>,
): string | undefined {
  if (conditions === undefined) return undefined;
  for (const [name, expected] of Object.entries(conditions)) {
    const accepted: readonly ClaimValue[] = Array.isArray(expected) ? expected : [expected as ClaimValue];
    const actual = Object.hasOwn(claims, name) ? claims[name] : undefined;
    const values = Array.isArray(actual) ? actual : [actual];
    if (!values.some((value) => accepted.includes(value as ClaimValue))) {
      return actual === undefined
        ? `claim ${name} is missing`
        : `claim ${name} is not one of the accepted values`;
    }
  }
  return undefined;
}
