import type { BearerErrorCode } from './decision.js';

/**
 * A `WWW-Authenticate: Bearer` challenge (RFC 6750 §3). Values are quoted-strings; characters a
 * quoted-string cannot carry are dropped rather than escaped into something a parser may mangle.
 */
export function bearerChallenge(parts: {
  realm?: string | undefined;
  error?: BearerErrorCode | undefined;
  description?: string | undefined;
  scope?: readonly string[] | undefined;
}): string {
  const params: string[] = [];
  if (parts.realm !== undefined) params.push(`realm=${quote(parts.realm)}`);
  // 503 is not an RFC 6750 error: clients get a plain challenge and a Retry-After.
  if (parts.error !== undefined && parts.error !== 'temporarily_unavailable') {
    params.push(`error=${quote(parts.error)}`);
    if (parts.description !== undefined) params.push(`error_description=${quote(parts.description)}`);
    if (parts.scope !== undefined && parts.scope.length > 0)
      params.push(`scope=${quote(parts.scope.join(' '))}`);
  }
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

function quote(value: string): string {
  // error_description and scope allow %x20-21 / %x23-5B / %x5D-7E only (RFC 6750 §3).
  return `"${value.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '')}"`;
}
