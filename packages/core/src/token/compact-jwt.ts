import { isUtf8 } from 'node:buffer';

const SEGMENT = /^[A-Za-z0-9_-]+$/;

export interface DecodedJwt {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Decode (not verify) a compact JWS JWT: three base64url segments, header and payload JSON
 * objects. Used to pick the issuer and reject bad algorithms before any key is touched.
 * Returns a message instead of throwing.
 */
export function decodeCompactJwt(token: string): DecodedJwt | string {
  const parts = token.split('.');
  if (parts.length === 5) return 'encrypted tokens (JWE) are not accepted';
  if (parts.length !== 3) return 'not a compact JWT (three dot-separated parts)';
  const [header, payload, signature] = parts as [string, string, string];
  // The signature may be empty: that is an unsecured JWS (RFC 7515 §6, `alg: none`), which the
  // verifier then rejects by its algorithm, the more useful reason.
  if (!SEGMENT.test(header) || !SEGMENT.test(payload) || (signature !== '' && !SEGMENT.test(signature))) {
    return 'a JWT part is empty or not base64url';
  }
  const decodedHeader = decodeJsonObject(header);
  if (decodedHeader === undefined) return 'JWT header is not a JSON object';
  const decodedPayload = decodeJsonObject(payload);
  if (decodedPayload === undefined) return 'JWT payload is not a JSON object';
  return { header: decodedHeader, payload: decodedPayload };
}

function decodeJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const bytes = Buffer.from(segment, 'base64url');
    // Invalid UTF-8 is an error, as in jose, not silently replaced (isUtf8 is a fast validator).
    if (!isUtf8(bytes)) return undefined;
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
