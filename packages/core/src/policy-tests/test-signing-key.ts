import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { DEFAULT_ALGORITHMS, DEFAULT_TOKEN_TYPES, type IssuerPolicy } from '../policy/policy.js';
import type { TestTokenSpec } from './policy-test-suite.js';

/** A signing key a suite generates for one issuer; its public JWK replaces the issuer's `jwks`. */
export interface TestSigningKey {
  readonly issuer: IssuerPolicy;
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** ES256 when the issuer allows it (FAPI 2.0's common choice), else its first allowed algorithm. */
export function testAlgorithm(issuer: IssuerPolicy, requested: string | undefined): string {
  if (requested !== undefined) return requested;
  const allowed = issuer.algorithms ?? DEFAULT_ALGORITHMS;
  return allowed.includes('ES256') ? 'ES256' : (allowed[0] ?? 'ES256');
}

export async function createTestSigningKey(issuer: IssuerPolicy, alg: string): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `certbound-test-${issuer.id}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { issuer, alg, kid, privateKey, publicJwk };
}

/**
 * An RFC 9068 access token for a case: typ at+jwt (or the issuer's first tokenTypes entry), iss
 * of the issuer, aud its (first) audience, sub, client_id, iat, exp = now + 300 s, jti; then
 * `scopes`, `bound` (cnf.x5t#S256, RFC 8705 §3.1) and the spec's own claims and header on top,
 * where null removes a field.
 */
export async function signTestToken(
  key: TestSigningKey,
  spec: TestTokenSpec,
  boundThumbprint: string | undefined,
  nowSeconds: number,
  signWith: CryptoKey = key.privateKey,
): Promise<string> {
  const audience = Array.isArray(key.issuer.audience) ? key.issuer.audience[0] : key.issuer.audience;
  const claims = withoutNulls({
    iss: key.issuer.issuer,
    ...(audience !== undefined ? { aud: audience } : {}),
    sub: 'test-subject',
    client_id: 'test-client',
    iat: nowSeconds,
    exp: nowSeconds + (spec.expiresIn ?? 300),
    jti: randomUUID(),
    ...(spec.scopes !== undefined ? { scope: spec.scopes.join(' ') } : {}),
    ...(boundThumbprint !== undefined ? { cnf: { 'x5t#S256': boundThumbprint } } : {}),
    ...spec.claims,
  });
  const header = withoutNulls({
    alg: key.alg,
    kid: key.kid,
    typ: key.issuer.tokenTypes?.[0] ?? DEFAULT_TOKEN_TYPES[0],
    ...spec.header,
  });
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(signWith);
}

function withoutNulls(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== null && value !== undefined),
  );
}
