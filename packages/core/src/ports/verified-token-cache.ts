/** Cache of verified tokens, keyed by the whole compact JWT (so a changed signature never hits). */
export interface VerifiedTokenCache<V> {
  get(key: string, now: number): V | undefined;
  /** Store until `expiresAt` (ms since epoch) at the latest. */
  set(key: string, value: V, expiresAt: number): void;
  clear(): void;
  readonly size: number;
}

/**
 * Bounded LRU with per-entry expiry. A Map keeps insertion order, so re-inserting on a hit makes
 * the first key the least recently used one.
 */
export class LruTokenCache<V> implements VerifiedTokenCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    if (this.#maxEntries <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
