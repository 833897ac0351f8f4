import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/**
 * An authorization server's signing half, for tests that need exact tokens without the real AS:
 * RFC 9068 access tokens signed with ES256 by jose, verified by the engine against `publicJwk`.
 */
export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly publicJwk: JWK;
  sign(claims?: Readonly<Record<string, unknown>>): Promise<string>;
}

let counter = 0;

export async function createTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `test-key-${++counter}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const issuer = `https://as${counter}.test`;
  const audience = 'https://api.test';
  return {
    issuer,
    audience,
    publicJwk,
    sign: async (claims = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: issuer,
        aud: audience,
        sub: 'user-1',
        client_id: 'client-1',
        iat: now,
        exp: now + 3600,
        jti: `jti-${++counter}`,
        scope: 'read',
        ...claims,
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
        .sign(privateKey);
    },
  };
}
