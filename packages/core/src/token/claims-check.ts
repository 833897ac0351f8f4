import type { ReasonCode } from '../decision/reason-code.js';
import type { ResolvedIssuer } from './resolved-issuer.js';

/**
 * RFC 7519 §4.1 claim checks for a token whose signature verified, in the order jose's
 * jwtVerify applies them (presence, iss, aud, then nbf, exp), plus `iat` not in the future, which
 * jose checks only with maxTokenAge. Done here rather than by jwtVerify so the payload is decoded
 * once per token: the engine already decoded it to choose the issuer.
 */
export function claimsProblem(
  claims: Readonly<Record<string, unknown>>,
  issuer: ResolvedIssuer,
  nowMs: number,
): { code: ReasonCode; message: string } | undefined {
  const presence = [...issuer.requiredClaims];
  if (issuer.audience !== undefined) presence.push('aud');
  presence.push('iss');
  for (const claim of new Set(presence.reverse())) {
    if (!Object.hasOwn(claims, claim))
      return { code: 'token_claim_missing', message: `required claim ${claim} is missing` };
  }
  if (claims.iss !== issuer.issuer) return { code: 'token_issuer_unknown', message: 'iss does not match' };
  if (issuer.audience !== undefined && !audienceMatches(claims.aud, issuer.audience)) {
    return { code: 'token_audience_mismatch', message: 'aud does not name this resource' };
  }
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    if (claims[claim] !== undefined && typeof claims[claim] !== 'number') {
      return {
        code: 'token_malformed',
        message: `claim ${claim} is invalid: "${claim}" claim must be a number`,
      };
    }
  }
  const now = Math.floor(nowMs / 1000);
  const tolerance = issuer.clockTolerance;
  const { iat, nbf, exp } = claims as { iat?: number; nbf?: number; exp?: number };
  if (nbf !== undefined && nbf > now + tolerance)
    return { code: 'token_not_yet_valid', message: 'nbf is in the future' };
  if (exp !== undefined && exp <= now - tolerance)
    return { code: 'token_expired', message: 'exp is in the past' };
  // A token issued in the future (beyond the tolerance) is as suspect as one with a future nbf.
  if (iat !== undefined && iat > now + tolerance)
    return { code: 'token_not_yet_valid', message: 'iat is in the future' };
  return undefined;
}

function audienceMatches(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud);
  return Array.isArray(aud) && accepted.some((value) => aud.includes(value));
}
