/** Cache of verified tokens, keyed by the whole compact JWT (so a changed signature never hits). */
export interface VerifiedTokenCache<V> {
  get(key: string, now: number): V | undefined;
  /** Store until `expiresAt` (ms since epoch) at the latest. */
  set(key: string, value: V, expiresAt: number): void;
  clear(): void;
  readonly size: number;
}

/**
 * Bounded, approximately-LRU cache with per-entry expiry ("second chance"): a hit only marks the
 * entry as used — no Map reordering on the hot path — and eviction walks from the oldest insert,
 * giving used entries one more round at the back before evicting the first unused one.
 */
export class LruTokenCache<V> implements VerifiedTokenCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number; used: boolean }>();
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
    entry.used = true;
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    if (this.#maxEntries <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt, used: false });
    // Each used entry moves back at most once per eviction, so this ends within 2 × size steps.
    while (this.#entries.size > this.#maxEntries) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [
        string,
        { value: V; expiresAt: number; used: boolean },
      ];
      this.#entries.delete(oldestKey);
      if (oldest.used && oldestKey !== key) {
        oldest.used = false;
        this.#entries.set(oldestKey, oldest);
      }
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
