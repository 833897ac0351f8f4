import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../ports/clock.js';
import type { FetchPort } from '../ports/fetch.js';
import type { Logger } from '../ports/logger.js';
import { type KeySet, KeysUnavailableError } from './key-set.js';
import { publicJwks } from './public-jwks.js';

export interface RemoteKeySetOptions {
  readonly uri: string;
  /** Seconds after which keys are refreshed in the background. */
  readonly refreshInterval: number;
  /** Minimum seconds between fetches caused by unknown `kid`s or failures. */
  readonly cooldown: number;
  /** Milliseconds per fetch. */
  readonly timeout: number;
  /** Seconds the last good key set keeps serving past `refreshInterval` while fetches fail. */
  readonly staleGrace: number;
}

const MAX_JWKS_BYTES = 1024 * 1024;

/**
 * A JWK Set fetched from the authorization server: cached, refreshed in the background when old,
 * refreshed (rate-limited) on an unknown `kid`, and kept serving for a grace period when the
 * endpoint is down. One fetch at a time, shared by every waiting request.
 */
export class RemoteKeySet implements KeySet {
  readonly #options: RemoteKeySetOptions;
  readonly #clock: Clock;
  readonly #fetch: FetchPort;
  readonly #logger: Logger;
  #keys: JWTVerifyGetKey | undefined;
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #inflight: Promise<boolean> | undefined;

  constructor(options: RemoteKeySetOptions, ports: { clock: Clock; fetch: FetchPort; logger: Logger }) {
    this.#options = options;
    this.#clock = ports.clock;
    this.#fetch = ports.fetch;
    this.#logger = ports.logger;
  }

  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const now = this.#clock.now();
    const age = (now - this.#fetchedAt) / 1000;
    if (this.#keys === undefined || age > this.#options.refreshInterval + this.#options.staleGrace) {
      if (this.#mayFetch(now) || this.#inflight) await this.#refresh();
      if (
        this.#keys === undefined ||
        (this.#clock.now() - this.#fetchedAt) / 1000 >
          this.#options.refreshInterval + this.#options.staleGrace
      ) {
        throw new KeysUnavailableError(`no usable key set from ${this.#options.uri}`);
      }
    } else if (age > this.#options.refreshInterval && this.#mayFetch(now)) {
      void this.#refresh(); // stale-while-revalidate: this request uses the keys we have
    }
    try {
      return await (this.#keys as JWTVerifyGetKey)(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !this.#mayFetch(this.#clock.now())) throw error;
      // A key we do not know: the server may have rotated. Refresh once, rate-limited by `cooldown`.
      await this.#refresh();
      return (this.#keys as JWTVerifyGetKey)(header, token);
    }
  };

  #mayFetch(now: number): boolean {
    return (now - this.#lastAttemptAt) / 1000 >= this.#options.cooldown;
  }

  #refresh(): Promise<boolean> {
    this.#inflight ??= this.#fetchKeys().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #fetchKeys(): Promise<boolean> {
    this.#lastAttemptAt = this.#clock.now();
    try {
      const response = await this.#fetch(this.#options.uri, {
        signal: AbortSignal.timeout(this.#options.timeout),
        headers: { accept: 'application/jwk-set+json, application/json' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const text = await response.text();
      if (text.length > MAX_JWKS_BYTES) throw new Error('JWK Set too large');
      const jwks = publicJwks(JSON.parse(text));
      if (jwks === undefined) throw new Error('not a JWK Set');
      this.#keys = createLocalJWKSet(jwks);
      this.#fetchedAt = this.#clock.now();
      this.#log('debug', 'jwks refreshed', { uri: this.#options.uri, keys: jwks.keys.length });
      return true;
    } catch (error) {
      this.#log('warn', 'jwks fetch failed', {
        uri: this.#options.uri,
        error: String((error as Error | undefined)?.message ?? error),
      });
      return false;
    }
  }

  /** Never throws: a failing logger must not turn a refresh (also a background one) into a rejection. */
  #log(level: 'debug' | 'warn', message: string, fields: Record<string, unknown>): void {
    try {
      this.#logger[level](message, fields);
    } catch {
      // nothing left to report it to
    }
  }
}
