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
  // Keyed by the token's last characters (signature bytes, effectively random): a fresh request
  // string must be hashed to be looked up, and hashing 1 KB of JWT costs more than the rest of a
  // cached decision. The whole token is stored and compared, so only an exact match is a hit.
  readonly #entries = new Map<string, { token: string; value: V; expiresAt: number; used: boolean }>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, now: number): V | undefined {
    const slot = slotOf(key);
    const entry = this.#entries.get(slot);
    if (entry === undefined || entry.token !== key) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(slot);
      return undefined;
    }
    entry.used = true;
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    if (this.#maxEntries <= 0) return;
    const slot = slotOf(key);
    this.#entries.delete(slot);
    this.#entries.set(slot, { token: key, value, expiresAt, used: false });
    // Each used entry moves back at most once per eviction, so this ends within 2 × size steps.
    while (this.#entries.size > this.#maxEntries) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [
        string,
        { token: string; value: V; expiresAt: number; used: boolean },
      ];
      this.#entries.delete(oldestKey);
      if (oldest.used && oldestKey !== slot) {
        oldest.used = false;
        this.#entries.set(oldestKey, oldest);
      }
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}

// 22 base64url characters: 132 bits of the signature, plenty to keep distinct tokens in distinct
// slots (a colliding token only misses the cache: the whole token is compared, and only verified
// tokens, whose signatures nobody but the issuer chooses, are stored). Shorter slots are cheaper
// to hash, which every lookup does.
const SLOT_LENGTH = 22;

/** The map key of a token: its last SLOT_LENGTH characters (the end of its signature), or all of a short key. */
function slotOf(token: string): string {
  return token.length > SLOT_LENGTH ? token.slice(-SLOT_LENGTH) : token;
}
