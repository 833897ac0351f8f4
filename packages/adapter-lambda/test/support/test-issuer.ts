import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** An authorization server of our own: a key, its public JWK and an RFC 9068 token minter. */
export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly publicJwk: JWK;
  sign(claims?: Record<string, unknown>): Promise<string>;
}

let counter = 0;

export async function createTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `lambda-key-${++counter}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const issuer = `https://as-lambda-${counter}.test`;
  const audience = 'https://api.lambda.test';
  return {
    issuer,
    audience,
    publicJwk,
    sign: (claims = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        sub: 'user-1',
        client_id: 'client-1',
        scope: 'orders.read',
        jti: `j${++counter}`,
        ...claims,
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(privateKey);
    },
  };
}
