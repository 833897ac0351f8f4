import { decodeX5tS256 } from '../certificate/thumbprint.js';

/** What the token's `cnf` claim (RFC 7800, RFC 8705 §3.1) says about its binding. */
export type TokenBinding =
  | { readonly kind: 'unbound' }
  | { readonly kind: 'x5t#S256'; readonly thumbprint: string; readonly digest: Buffer }
  | { readonly kind: 'malformed'; readonly detail: string }
  /** Bound by a method certbound cannot verify (e.g. DPoP `jkt`): never usable as a plain bearer token. */
  | { readonly kind: 'unsupported'; readonly methods: readonly string[] };

export function readTokenBinding(claims: Readonly<Record<string, unknown>>): TokenBinding {
  const cnf = claims.cnf;
  if (cnf === undefined) return { kind: 'unbound' };
  if (cnf === null || typeof cnf !== 'object' || Array.isArray(cnf)) {
    return { kind: 'malformed', detail: 'cnf claim is not a JSON object' };
  }
  const value = (cnf as Record<string, unknown>)['x5t#S256'];
  if (value === undefined) {
    const methods = Object.keys(cnf);
    return methods.length === 0 ? { kind: 'unbound' } : { kind: 'unsupported', methods };
  }
  const digest = decodeX5tS256(value);
  if (digest === undefined) {
    return {
      kind: 'malformed',
      detail: 'cnf.x5t#S256 is not 43 base64url characters (unpadded SHA-256 of the certificate DER)',
    };
  }
  return { kind: 'x5t#S256', thumbprint: value as string, digest };
}
