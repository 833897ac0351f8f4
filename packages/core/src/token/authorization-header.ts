export type BearerExtraction =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'missing'; readonly detail: string }
  | { readonly kind: 'malformed-request'; readonly detail: string };

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_TOKEN_LENGTH = 16 * 1024;

/**
 * The bearer token from an Authorization header (RFC 6750 §2.1). Another scheme, or no header,
 * means no bearer credentials (401 without an error code); several headers or a Bearer header
 * without a token is a malformed request (400). The token's characters are checked separately by
 * hasBearerTokenSyntax, only for tokens not already verified (a cache hit is an exact match of a
 * token that passed it).
 */
export function extractBearerToken(authorization: string | readonly string[] | undefined): BearerExtraction {
  if (authorization === undefined || authorization === null)
    return { kind: 'missing', detail: 'no Authorization header' };
  let value: string;
  if (typeof authorization === 'string') value = authorization;
  else if (!Array.isArray(authorization))
    return { kind: 'malformed-request', detail: 'Authorization header is not text' };
  else if (authorization.length === 0) return { kind: 'missing', detail: 'no Authorization header' };
  else if (authorization.length > 1)
    return { kind: 'malformed-request', detail: 'more than one Authorization header' };
  else if (typeof authorization[0] === 'string') value = authorization[0];
  else return { kind: 'malformed-request', detail: 'Authorization header is not text' };
  value = value.trim();
  if (value.length === 0) return { kind: 'missing', detail: 'empty Authorization header' };
  const space = value.indexOf(' ');
  const scheme = space < 0 ? value : value.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') {
    return { kind: 'missing', detail: `Authorization scheme is not Bearer` };
  }
  const token = space < 0 ? '' : value.slice(space + 1).trimStart();
  if (token.length === 0) return { kind: 'malformed-request', detail: 'Bearer scheme without a token' };
  if (token.length > MAX_TOKEN_LENGTH)
    return { kind: 'malformed-request', detail: 'token longer than 16 KiB' };
  return { kind: 'token', token };
}

/** RFC 6750 §2.1 b64token syntax; a token failing it is a malformed request (400). */
export function hasBearerTokenSyntax(token: string): boolean {
  return B64TOKEN.test(token);
}
