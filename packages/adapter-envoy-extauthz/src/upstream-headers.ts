import type { Decision } from '@certbound/core';
import type { ResolvedServiceOptions, UpstreamField } from './extauthz-options.js';

/** A header for the upstream; `value` undefined means "remove any copy the client sent". */
export interface UpstreamHeader {
  readonly name: string;
  readonly value: string | undefined;
}

function fieldValue(decision: Decision, field: UpstreamField): string | undefined {
  switch (field) {
    case 'subject':
      return decision.subject;
    case 'clientId':
      return decision.clientId;
    case 'issuer':
      return decision.issuer;
    case 'thumbprint':
      return decision.certificate?.thumbprint;
    case 'scopes':
      return decision.scopes.length > 0 ? decision.scopes.join(' ') : undefined;
    case 'mode':
      return decision.mode;
  }
}

// Token claims are attacker-influenced text; a header value Envoy would reject (or an upstream
// would split) must not come out of them. Visible ASCII and space pass as they are; anything
// else is percent-encoded, which upstreams can undo with decodeURIComponent.
const SAFE_HEADER_VALUE = /^[\x20-\x7e]*$/;

/** The configured upstream headers for an allow decision. */
export function upstreamHeaders(decision: Decision, options: ResolvedServiceOptions): UpstreamHeader[] {
  const out: UpstreamHeader[] = [];
  for (const [field, name] of options.upstreamHeaders) {
    const raw = fieldValue(decision, field);
    const value =
      raw === undefined || raw.length === 0 || raw.length > 8192
        ? undefined
        : SAFE_HEADER_VALUE.test(raw)
          ? raw
          : encodeURIComponent(raw);
    out.push({ name, value });
  }
  return out;
}

/** The deciding reason: the last one (on allow too: e.g. rules_absent or rule_allowed). */
export function decidingReason(decision: Decision): string {
  return decision.reasons.at(-1)?.code ?? (decision.allow ? 'allowed' : 'internal_error');
}
