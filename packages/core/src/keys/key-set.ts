import type { JWTVerifyGetKey } from 'jose';

/** The signing keys of one authorization server. */
export interface KeySet {
  /** Key lookup for jose's jwtVerify; throws KeysUnavailableError when no key set can be had. */
  readonly getKey: JWTVerifyGetKey;
}

/** The key set could not be obtained (endpoint down and nothing cached): the engine fails closed with a 503. */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
}
