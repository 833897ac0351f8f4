import { type CompactVerifyGetKey, compactVerify, errors, type VerifyOptions } from 'jose';
import type { Reason, ReasonCode } from '../decision/reason-code.js';
import { KeysUnavailableError } from '../keys/key-set.js';
import type { Clock } from '../ports/clock.js';
import { deepFreeze } from '../util/deep-freeze.js';
import { readTokenBinding, type TokenBinding } from './binding-claim.js';
import { claimsProblem } from './claims-check.js';
import { decodeCompactJwt } from './compact-jwt.js';
import { normalizeTokenType, type ResolvedIssuer } from './resolved-issuer.js';
import { grantedScopes } from './scopes.js';
import { whileOffThread } from './while-off-thread.js';

/** A token whose signature and claims were verified for one issuer. Cached and shared: never mutated. */
export interface VerifiedToken {
  readonly issuer: ResolvedIssuer;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly scopes: readonly string[];
  readonly subject: string | undefined;
  readonly clientId: string | undefined;
  readonly binding: TokenBinding;
  /** binding_verified for this token's thumbprint, built once (cached tokens reuse it). */
  readonly bindingVerifiedReason: Reason | undefined;
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

type SignatureFailure = { readonly code: ReasonCode; readonly message: string };

const NEVER: ReadonlySet<string> = new Set(['none', 'HS256', 'HS384', 'HS512']);

/** Verify a compact JWT against the issuer its `iss` names. Never throws: failures are reason codes. */
export class TokenVerifier {
  readonly #issuers: ReadonlyMap<string, ResolvedIssuer>;
  readonly #soleIssuer: ResolvedIssuer | undefined;
  readonly #verifyOptions: ReadonlyMap<ResolvedIssuer, VerifyOptions>;
  readonly #clock: Clock;

  constructor(issuers: readonly ResolvedIssuer[], clock: Clock) {
    this.#issuers = new Map(issuers.map((issuer) => [issuer.issuer, issuer]));
    this.#soleIssuer = issuers.length === 1 ? issuers[0] : undefined;
    this.#verifyOptions = new Map(issuers.map((issuer) => [issuer, { algorithms: [...issuer.algorithms] }]));
    this.#clock = clock;
  }

  /**
   * `meanwhile` runs while the signature is being verified off the main thread (and only if the
   * verification got that far): work the caller needs anyway, e.g. hashing the certificate.
   */
  async verify(token: string, meanwhile?: () => void): Promise<TokenVerification> {
    const sole = this.#soleIssuer;
    let issuer: ResolvedIssuer;
    let signature: Promise<SignatureFailure | undefined>;
    let claimed: TokenVerification;
    if (sole !== undefined) {
      // One issuer: there is no key set to choose, so the signature check starts at once and the
      // token is decoded and routed while it runs. What routing rejects is reported as before
      // (those checks come first); the claims count only once the signature has verified.
      issuer = sole;
      signature = this.#signatureCheck(token, sole);
      const checked = await whileOffThread(() => {
        meanwhile?.();
        const routed = this.#route(token);
        return 'code' in routed
          ? { rejected: routed }
          : { claimed: this.#readClaims(routed.payload, routed.issuer) };
      });
      if ('rejected' in checked) return checked.rejected;
      claimed = checked.claimed;
    } else {
      const routed = this.#route(token);
      if ('code' in routed) return routed;
      issuer = routed.issuer;
      signature = this.#signatureCheck(token, issuer);
      claimed = await whileOffThread(() => {
        meanwhile?.();
        return this.#readClaims(routed.payload, issuer);
      });
    }
    const failure = await signature;
    return failure === undefined ? claimed : { ok: false, issuer, ...failure };
  }

  /**
   * The signature check, started now. It covers exactly the header and payload segments that
   * `#route` decodes, so the claims read from them are the signed ones. Never rejects.
   */
  #signatureCheck(token: string, issuer: ResolvedIssuer): Promise<SignatureFailure | undefined> {
    return compactVerify(
      token,
      issuer.keySet.getKey as CompactVerifyGetKey,
      this.#verifyOptions.get(issuer),
    ).then(() => undefined, reasonForVerificationError);
  }

  /** Decode the token and find its issuer; every check that needs no key. */
  #route(
    token: string,
  ):
    | { readonly issuer: ResolvedIssuer; readonly payload: Readonly<Record<string, unknown>> }
    | (TokenVerification & { readonly ok: false }) {
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
    // RFC 7797 unencoded payloads are not JWTs (jose's jwtVerify refuses them too).
    if (header.b64 === false)
      return { ok: false, issuer, code: 'token_malformed', message: 'unencoded JWS payload' };
    return { issuer, payload };
  }

  /** What a token's claims say, for a token whose signature verifies. */
  #readClaims(payload: Readonly<Record<string, unknown>>, issuer: ResolvedIssuer): TokenVerification {
    const claims = payload as Record<string, unknown>;
    const problem = claimsProblem(claims, issuer, this.#clock.now());
    if (problem !== undefined) return { ok: false, issuer, ...problem };
    // Verified tokens are cached and handed to every caller: freeze them so no caller can
    // change what the next request sees.
    deepFreeze(claims);
    const binding = readTokenBinding(claims);
    return {
      ok: true,
      token: {
        issuer,
        claims,
        scopes: Object.freeze(grantedScopes(claims)),
        subject: typeof claims.sub === 'string' ? claims.sub : undefined,
        clientId: typeof claims.client_id === 'string' ? claims.client_id : undefined,
        binding,
        bindingVerifiedReason:
          binding.kind === 'x5t#S256'
            ? Object.freeze({
                code: 'binding_verified',
                message: `certificate ${binding.thumbprint} matches cnf.x5t#S256`,
              })
            : undefined,
        expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY,
      },
    };
  }
}

function reasonForVerificationError(error: unknown): { code: ReasonCode; message: string } {
  if (error instanceof KeysUnavailableError) return { code: 'keys_unavailable', message: error.message };
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
