import { type IssuerPolicy, loadPolicy, type Policy, type RulePolicy } from '../../src/index.js';
import type { TestIssuer } from './test-issuer.js';

/** A validated policy whose issuers are the given test issuers, with inline public JWKs. */
export function policyFor(
  issuers: readonly TestIssuer[],
  options: {
    issuer?: Partial<Omit<IssuerPolicy, 'id' | 'issuer'>>;
    rules?: readonly RulePolicy[];
    defaultEffect?: 'allow' | 'deny';
    realm?: string;
  } = {},
): Policy {
  return loadPolicy({
    apiVersion: 'certbound.dev/v1',
    ...(options.realm !== undefined ? { realm: options.realm } : {}),
    issuers: issuers.map((issuer, index) => ({
      id: `as${index + 1}`,
      issuer: issuer.issuer,
      jwks: { keys: [issuer.publicJwk] },
      audience: issuer.audience,
      algorithms: [issuer.alg],
      ...options.issuer,
    })),
    ...(options.rules !== undefined ? { rules: options.rules } : {}),
    ...(options.defaultEffect !== undefined ? { defaultEffect: options.defaultEffect } : {}),
  });
}
