import { errors, jwtVerify } from 'jose';
import type { ReasonCode } from '../decision/reason-code.js';
import { KeysUnavailableError } from '../keys/key-set.js';
import type { Clock } from '../ports/clock.js';
import { readTokenBinding, type TokenBinding } from './binding-claim.js';
import { decodeCompactJwt } from './compact-jwt.js';
import { normalizeTokenType, type ResolvedIssuer } from './resolved-issuer.js';
import { grantedScopes } from './scopes.js';

/** A token whose signature and claims were verified for one issuer. Cached and shared: never mutated. */
export interface VerifiedToken {
  readonly issuer: ResolvedIssuer;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly scopes: readonly string[];
  readonly subject: string | undefined;
  readonly clientId: string | undefined;
  readonly binding: TokenBinding;
  /** `exp` in ms since the epoch. */
  readonly expiresAt: number;
}

export type TokenVerification =
  | { readonly ok: true; readonly token: VerifiedToken }
  | {
      readonly ok: false;
      readonly code: ReasonCode;
      readonly message: string;
      readonly issuer?: ResolvedIssuer;
    };

const NEVER: ReadonlySet<string> = new Set(['none', 'HS256', 'HS384', 'HS512']);

/** Verify a compact JWT against the issuer its `iss` names. Never throws: failures are reason codes. */
export class TokenVerifier {
  readonly #issuers: ReadonlyMap<string, ResolvedIssuer>;
  readonly #clock: Clock;

  constructor(issuers: readonly ResolvedIssuer[], clock: Clock) {
    this.#issuers = new Map(issuers.map((issuer) => [issuer.issuer, issuer]));
    this.#clock = clock;
  }

  async verify(token: string): Promise<TokenVerification> {
    const decoded = decodeCompactJwt(token);
    if (typeof decoded === 'string') return { ok: false, code: 'token_malformed', message: decoded };
    const { header, payload } = decoded;
    const alg = header.alg;
    if (typeof alg !== 'string')
      return { ok: false, code: 'token_malformed', message: 'JWT header has no alg' };
    if (NEVER.has(alg) || alg.startsWith('HS')) {
      return { ok: false, code: 'token_algorithm_not_allowed', message: `alg ${alg} is never accepted` };
    }
    const iss = payload.iss;
    if (typeof iss !== 'string')
      return { ok: false, code: 'token_issuer_unknown', message: 'token has no iss claim' };
    const issuer = this.#issuers.get(iss);
    if (issuer === undefined) {
      return {
        ok: false,
        code: 'token_issuer_unknown',
        message: `no issuer in the policy has issuer ${JSON.stringify(iss.slice(0, 200))}`,
      };
    }
    if (!issuer.algorithms.includes(alg)) {
      return {
        ok: false,
        issuer,
        code: 'token_algorithm_not_allowed',
        message: `alg ${alg} is not in issuer ${issuer.id}'s algorithms`,
      };
    }
    if (issuer.tokenTypes.length > 0) {
      const typ = typeof header.typ === 'string' ? normalizeTokenType(header.typ) : undefined;
      if (typ === undefined || !issuer.tokenTypes.includes(typ)) {
        return {
          ok: false,
          issuer,
          code: 'token_type_invalid',
          message: `typ ${JSON.stringify(header.typ ?? null)} is not one of ${issuer.tokenTypes.join(', ')} (RFC 9068 access tokens use at+jwt)`,
        };
      }
    }
    try {
      const now = this.#clock.now();
      const { payload: claims } = await jwtVerify(token, issuer.keySet.getKey, {
        issuer: issuer.issuer,
        algorithms: [...issuer.algorithms],
        clockTolerance: issuer.clockTolerance,
        currentDate: new Date(now),
        requiredClaims: [...issuer.requiredClaims],
        ...(issuer.audience ? { audience: [...issuer.audience] } : {}),
      });
      // jose checks `iat` against the clock only when maxTokenAge is set; a token issued in the
      // future (beyond the tolerance) is as suspect as one with a future `nbf` (RFC 7519 §4.1.6).
      if (typeof claims.iat === 'number' && claims.iat > Math.floor(now / 1000) + issuer.clockTolerance) {
        return { ok: false, issuer, code: 'token_not_yet_valid', message: 'iat is in the future' };
      }
      // Verified tokens are cached and handed to every caller: freeze them so no caller can
      // change what the next request sees.
      deepFreeze(claims);
      const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
      const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
      return {
        ok: true,
        token: {
          issuer,
          claims,
          scopes: Object.freeze(grantedScopes(claims)),
          subject,
          clientId,
          binding: readTokenBinding(claims),
          expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY,
        },
      };
    } catch (error) {
      return { ok: false, issuer, ...reasonForVerificationError(error) };
    }
  }
}

function reasonForVerificationError(error: unknown): { code: ReasonCode; message: string } {
  if (error instanceof KeysUnavailableError) return { code: 'keys_unavailable', message: error.message };
  if (error instanceof errors.JWTExpired) return { code: 'token_expired', message: 'exp is in the past' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing')
      return { code: 'token_claim_missing', message: `required claim ${error.claim} is missing` };
    if (error.claim === 'nbf' && error.reason === 'check_failed')
      return { code: 'token_not_yet_valid', message: 'nbf is in the future' };
    if (error.claim === 'iat' && error.reason === 'check_failed')
      return { code: 'token_not_yet_valid', message: 'iat is in the future' };
    if (error.claim === 'aud')
      return { code: 'token_audience_mismatch', message: 'aud does not name this resource' };
    if (error.claim === 'iss') return { code: 'token_issuer_unknown', message: 'iss does not match' };
    return { code: 'token_malformed', message: `claim ${error.claim} is invalid: ${error.message}` };
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return { code: 'token_signature_invalid', message: 'signature does not verify' };
  if (error instanceof errors.JWKSNoMatchingKey)
    return {
      code: 'token_signature_invalid',
      message: 'no key in the issuer key set matches the token kid/alg',
    };
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return { code: 'token_signature_invalid', message: 'signature verifies with no matching key' };
  if (error instanceof errors.JOSEAlgNotAllowed)
    return { code: 'token_algorithm_not_allowed', message: error.message };
  if (error instanceof errors.JOSEError) return { code: 'token_malformed', message: error.message };
  return {
    code: 'token_signature_invalid',
    message: `token could not be verified: ${(error as Error)?.message ?? String(error)}`,
  };
}

function deepFreeze(value: unknown): void {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
}
