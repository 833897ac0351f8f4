import type { JSONWebKeySet } from 'jose';

/**
 * Parse a JWK Set document, keeping only public asymmetric keys: symmetric (`oct`) and private
 * keys are dropped so that a misconfigured endpoint can never enable HMAC-with-public-key tricks.
 */
export function publicJwks(document: unknown): JSONWebKeySet | undefined {
  if (document === null || typeof document !== 'object') return undefined;
  const keys = (document as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return undefined;
  const usable = keys.filter(
    (key): key is JSONWebKeySet['keys'][number] =>
      key !== null &&
      typeof key === 'object' &&
      typeof key.kty === 'string' &&
      key.kty !== 'oct' &&
      !('d' in key) &&
      (key.use === undefined || key.use === 'sig'),
  );
  return { keys: usable };
}
