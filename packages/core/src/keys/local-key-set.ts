import { createLocalJWKSet } from 'jose';
import type { JsonWebKeyLike } from '../policy/policy.js';
import type { KeySet } from './key-set.js';
import { publicJwks } from './public-jwks.js';

/** Keys given inline in the policy or read from a file at engine creation. */
export function createLocalKeySet(keys: readonly JsonWebKeyLike[]): KeySet {
  const jwks = publicJwks({ keys }) ?? { keys: [] };
  return { getKey: createLocalJWKSet(jwks) };
}
