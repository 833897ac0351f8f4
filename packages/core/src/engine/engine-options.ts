import { OptionsError } from '../errors/certbound-error.js';
import type { ChainVerifier } from '../ports/chain-verifier.js';
import type { Clock } from '../ports/clock.js';
import type { FetchPort } from '../ports/fetch.js';
import type { Logger } from '../ports/logger.js';

export interface TokenCacheOptions {
  /** Most verified tokens kept (LRU). Default 10000. */
  readonly maxEntries?: number;
  /** Longest seconds a verified token is reused, `exp` permitting. Default 300. */
  readonly maxAge?: number;
}

export interface EngineOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** HTTP client for remote JWK Sets. Default: global fetch. */
  readonly fetch?: FetchPort;
  /** `false` disables the verified-token cache. */
  readonly tokenCache?: TokenCacheOptions | false;
  /** Folder relative `file:` entries resolve against; default: the policy file's folder, else the working directory. */
  readonly baseDir?: string;
  /** Replaces the pkijs chain verifier used for `verifyChain` inputs. */
  readonly chainVerifier?: ChainVerifier;
}

export interface ResolvedEngineOptions {
  readonly tokenCacheMaxEntries: number;
  readonly tokenCacheMaxAgeMs: number;
  readonly tokenCacheEnabled: boolean;
}

/** Check options a programmer passed; misuse throws OptionsError (ERR_INVALID_OPTIONS). */
export function resolveEngineOptions(options: EngineOptions): ResolvedEngineOptions {
  if (options === null || typeof options !== 'object') throw new OptionsError('options must be an object');
  for (const port of ['clock', 'logger', 'chainVerifier'] as const) {
    if (options[port] !== undefined && (options[port] === null || typeof options[port] !== 'object')) {
      throw new OptionsError(`options.${port} must be an object`);
    }
  }
  if (options.clock !== undefined && typeof options.clock.now !== 'function')
    throw new OptionsError('options.clock.now must be a function');
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw new OptionsError('options.fetch must be a function');
  if (options.baseDir !== undefined && typeof options.baseDir !== 'string')
    throw new OptionsError('options.baseDir must be a string');
  const cache = options.tokenCache;
  if (cache === false) return { tokenCacheEnabled: false, tokenCacheMaxEntries: 0, tokenCacheMaxAgeMs: 0 };
  const maxEntries = cache?.maxEntries ?? 10_000;
  const maxAge = cache?.maxAge ?? 300;
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new OptionsError('options.tokenCache.maxEntries must be a positive integer');
  if (typeof maxAge !== 'number' || !(maxAge > 0) || maxAge > 86_400) {
    throw new OptionsError('options.tokenCache.maxAge must be seconds in (0, 86400]');
  }
  return { tokenCacheEnabled: true, tokenCacheMaxEntries: maxEntries, tokenCacheMaxAgeMs: maxAge * 1000 };
}
