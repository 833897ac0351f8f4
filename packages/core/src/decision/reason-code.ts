/**
 * The stable vocabulary of reason codes (documented in docs/reasons.md).
 * A code never changes meaning once released; new codes may be added.
 */
export const REASON_CODES = [
  // request and token
  'request_malformed',
  'token_missing',
  'token_malformed',
  'token_signature_invalid',
  'token_expired',
  'token_not_yet_valid',
  'token_issuer_unknown',
  'token_audience_mismatch',
  'token_type_invalid',
  'token_algorithm_not_allowed',
  'token_claim_missing',
  'token_verified',
  'keys_unavailable',
  // certificate
  'certificate_missing',
  'certificate_malformed',
  'certificate_source_untrusted',
  'certificate_transport_unverified',
  'certificate_untrusted',
  'certificate_expired',
  'certificate_not_yet_valid',
  'certificate_revoked',
  'certificate_chain_invalid',
  'certificate_chain_verified',
  // binding (RFC 8705 §3)
  'binding_verified',
  'binding_mismatch',
  'binding_required',
  'binding_malformed',
  'binding_unsupported',
  'binding_not_checked',
  'binding_not_requested',
  // rules
  'scope_insufficient',
  'claim_condition_unmet',
  'certificate_condition_unmet',
  'rule_denied',
  'rule_no_match',
  'rule_allowed',
  'rules_absent',
  // engine
  'internal_error',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

export interface Reason {
  readonly code: ReasonCode;
  /** Human-readable detail for logs and `--explain`; never contains a token. */
  readonly message: string;
}

const reasonCodeSet: ReadonlySet<string> = new Set(REASON_CODES);

export function isReasonCode(value: string): value is ReasonCode {
  return reasonCodeSet.has(value);
}
