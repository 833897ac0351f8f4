import type { BearerErrorCode, DecisionStatus } from './decision.js';
import type { ReasonCode } from './reason-code.js';

export interface DenyMapping {
  readonly status: DecisionStatus;
  /** Absent: RFC 6750 §3.1 — a request without credentials gets a challenge without an error code. */
  readonly error?: BearerErrorCode;
  /** Fixed public text: safe to show any client, no internal detail. */
  readonly description: string;
}

const invalidToken = (description: string): DenyMapping => ({
  status: 401,
  error: 'invalid_token',
  description,
});
const forbidden = (description: string): DenyMapping => ({
  status: 403,
  error: 'insufficient_scope',
  description,
});

/** The one table from a deciding reason code to HTTP status, RFC 6750 error and public description. */
export const DENY_MAPPING: Readonly<Partial<Record<ReasonCode, DenyMapping>>> = {
  request_malformed: { status: 400, error: 'invalid_request', description: 'The request is malformed' },
  token_missing: { status: 401, description: 'An access token is required' },
  token_malformed: invalidToken('The access token is malformed'),
  token_signature_invalid: invalidToken('The access token signature is invalid'),
  token_expired: invalidToken('The access token expired'),
  token_not_yet_valid: invalidToken('The access token is not yet valid'),
  token_issuer_unknown: invalidToken('The access token issuer is not trusted'),
  token_audience_mismatch: invalidToken('The access token is not intended for this resource'),
  token_type_invalid: invalidToken('The token is not an access token'),
  token_algorithm_not_allowed: invalidToken('The access token signing algorithm is not accepted'),
  token_claim_missing: invalidToken('The access token lacks a required claim'),
  certificate_missing: invalidToken(
    'The access token is certificate-bound but no client certificate was presented',
  ),
  certificate_malformed: invalidToken('The client certificate could not be read'),
  certificate_source_untrusted: invalidToken('The client certificate could not be read'),
  certificate_transport_unverified: invalidToken('The client certificate is not trusted'),
  certificate_untrusted: invalidToken('The client certificate is not trusted'),
  certificate_expired: invalidToken('The client certificate is expired'),
  certificate_not_yet_valid: invalidToken('The client certificate is not yet valid'),
  certificate_revoked: invalidToken('The client certificate is revoked'),
  certificate_chain_invalid: invalidToken('The client certificate chain is invalid'),
  binding_mismatch: invalidToken('The access token is bound to a different client certificate'),
  binding_required: invalidToken('A certificate-bound access token is required'),
  binding_malformed: invalidToken('The access token certificate binding is malformed'),
  binding_unsupported: invalidToken('The access token is bound by an unsupported method'),
  scope_insufficient: forbidden('The access token lacks a required scope'),
  claim_condition_unmet: forbidden('The access token does not meet the access policy'),
  certificate_condition_unmet: forbidden('The client certificate does not meet the access policy'),
  rule_denied: forbidden('Access denied by policy'),
  rule_no_match: forbidden('Access denied by policy'),
  keys_unavailable: {
    status: 503,
    error: 'temporarily_unavailable',
    description: 'Token signing keys are temporarily unavailable',
  },
  internal_error: {
    status: 503,
    error: 'temporarily_unavailable',
    description: 'Authorization failed unexpectedly',
  },
};

export function denyMapping(code: ReasonCode): DenyMapping {
  return DENY_MAPPING[code] ?? invalidToken('The access token is invalid');
}
