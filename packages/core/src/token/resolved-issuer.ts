import type { Reason } from '../decision/reason-code.js';
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
  /** The token_verified reasons of this issuer, built once (they are on every decision). */
  readonly verifiedReason: Reason;
  readonly verifiedFromCacheReason: Reason;
}

/** `typ` compared as RFC 7515 §4.1.9 says: case-insensitive, `application/` may be omitted. */
export function normalizeTokenType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}
