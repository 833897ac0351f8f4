import type { KeySet } from '../keys/key-set.js';
import type { ClaimConditions, MutualTlsMode } from '../policy/policy.js';

/** An issuer entry of the policy with every default applied and its key set attached. */
export interface ResolvedIssuer {
  readonly id: string;
  readonly issuer: string;
  readonly audience: readonly string[] | undefined;
  readonly algorithms: readonly string[];
  readonly mutualTls: MutualTlsMode;
  readonly clockTolerance: number;
  /** Lower-case, without an `application/` prefix; empty = not checked. */
  readonly tokenTypes: readonly string[];
  readonly requiredClaims: readonly string[];
  readonly claims: ClaimConditions | undefined;
  readonly keySet: KeySet;
}

/** `typ` compared as RFC 7515 §4.1.9 says: case-insensitive, `application/` may be omitted. */
export function normalizeTokenType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}
