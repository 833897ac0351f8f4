import { type Decision, type DecisionStatus, denyResponseBody } from '@certbound/core';
import type { CheckResponse, HeaderValueOption, Struct, StructValue } from './envoy-messages.js';
import type { ResolvedServiceOptions } from './extauthz-options.js';
import { decidingReason, upstreamHeaders } from './upstream-headers.js';

/** google.rpc.Code for each decision status: the one status mapping of the gRPC mode. */
export const GRPC_CODE_FOR_STATUS: Readonly<Record<DecisionStatus, number>> = {
  200: 0, // OK
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  503: 14, // UNAVAILABLE
};

// Overwrite, never append: a client must not be able to pre-set x-certbound-subject and have the
// upstream see two values. Envoy versions that still read the deprecated `append` treat its
// absence as "overwrite" too.
const OVERWRITE = 'OVERWRITE_IF_EXISTS_OR_ADD' as const;

function header(key: string, value: string): HeaderValueOption {
  return { header: { key, value }, append_action: OVERWRITE };
}

const str = (value: string): StructValue => ({ stringValue: value });

/** The decision summary Envoy stores as dynamic metadata (namespace envoy.filters.http.ext_authz). */
export function decisionMetadata(decision: Decision): Struct {
  const fields: Record<string, StructValue> = {
    allow: { boolValue: decision.allow },
    status: { numberValue: decision.status },
    reason: str(decidingReason(decision)),
  };
  if (decision.issuer !== undefined) fields.issuer = str(decision.issuer);
  if (decision.subject !== undefined) fields.subject = str(decision.subject);
  if (decision.clientId !== undefined) fields.client_id = str(decision.clientId);
  if (decision.mode !== undefined) fields.mode = str(decision.mode);
  if (decision.rule !== undefined) fields.rule = str(decision.rule);
  if (decision.certificate?.thumbprint !== undefined)
    fields.thumbprint = str(decision.certificate.thumbprint);
  if (decision.certificate?.source !== undefined)
    fields.certificate_source = str(decision.certificate.source);
  if (decision.scopes.length > 0) fields.scope = str(decision.scopes.join(' '));
  return { fields };
}

/**
 * Decision → CheckResponse, the only place the gRPC mode maps outcomes. Allow: status 0 and an
 * ok_response with the configured upstream headers (absent values removed, so a client cannot
 * forge them) and, if configured, Authorization removed. Deny: the mapped google.rpc code and a
 * denied_response carrying the decision's HTTP status, WWW-Authenticate and JSON body.
 */
export function decisionToCheckResponse(decision: Decision, options: ResolvedServiceOptions): CheckResponse {
  const dynamic_metadata = decisionMetadata(decision);
  if (decision.allow) {
    const headers: HeaderValueOption[] = [];
    const headers_to_remove: string[] = [];
    for (const { name, value } of upstreamHeaders(decision, options)) {
      if (value === undefined) headers_to_remove.push(name);
      else headers.push(header(name, value));
    }
    if (options.removeAuthorization) headers_to_remove.push('authorization');
    return { status: { code: 0 }, ok_response: { headers, headers_to_remove }, dynamic_metadata };
  }
  const headers: HeaderValueOption[] = [
    header('content-type', 'application/json'),
    header('cache-control', 'no-store'),
  ];
  if (decision.wwwAuthenticate !== undefined)
    headers.push(header('www-authenticate', decision.wwwAuthenticate));
  if (decision.retryAfter !== undefined) headers.push(header('retry-after', String(decision.retryAfter)));
  return {
    status: { code: GRPC_CODE_FOR_STATUS[decision.status] ?? 16, message: decidingReason(decision) },
    denied_response: {
      status: { code: decision.status },
      headers,
      body: JSON.stringify(denyResponseBody(decision)),
    },
    dynamic_metadata,
  };
}
