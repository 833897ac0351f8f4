import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** Claims and header fields set to `undefined` are left out of the token. */
export type ClaimOverrides = Readonly<Record<string, unknown>>;

export interface SignOptions {
  /** Header fields to add or (with `undefined`) remove; `alg` must suit the issuer's key. */
  readonly header?: Readonly<Record<string, unknown>>;
  /** Seconds since the epoch used for the default `iat` and `exp`; default: now. */
  readonly now?: number;
}

/** An authorization server of our own for tests: a signing key, its public JWK and a token minter. */
export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly kid: string;
  readonly alg: string;
  readonly publicJwk: JWK;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** An RFC 9068 access token: typ at+jwt, iss, aud, sub, client_id, iat, exp (+1 h), jti, scope. */
  sign(claims?: ClaimOverrides, options?: SignOptions): Promise<string>;
}

let counter = 0;

export async function createTestIssuer(
  options: {
    issuer?: string;
    audience?: string;
    alg?: 'ES256' | 'PS256' | 'EdDSA' | 'RS256';
    kid?: string;
  } = {},
): Promise<TestIssuer> {
  const alg = options.alg ?? 'ES256';
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = options.kid ?? `key-${++counter}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const issuer = options.issuer ?? `https://as${counter}.test`;
  const audience = options.audience ?? 'https://api.test';
  return {
    issuer,
    audience,
    kid,
    alg,
    publicJwk,
    privateKey,
    publicKey,
    sign: async (claims = {}, signOptions = {}) => {
      const now = signOptions.now ?? Math.floor(Date.now() / 1000);
      const payload = withoutUndefined({
        iss: issuer,
        aud: audience,
        sub: 'user-1',
        client_id: 'client-1',
        iat: now,
        exp: now + 3600,
        jti: `jti-${++counter}`,
        scope: 'volumes.read',
        ...claims,
      });
      const header = withoutUndefined({ alg, typ: 'at+jwt', kid, ...signOptions.header });
      return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(privateKey);
    },
  };
}

function withoutUndefined(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

/** A compact JWS from raw parts, for tokens no library would sign (alg none, bad JSON...). */
export function rawJwt(header: unknown, payload: unknown, signature = 'c2lnbmF0dXJl'): string {
  const segment = (value: unknown) =>
    Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  return `${segment(header)}.${segment(payload)}.${signature}`;
}
