/**
 * Remembers which signatures were already checked (issuer → subject, CRL → issuer). A signature
 * over fixed bytes never changes its verdict, so reuse is safe; what changes with time (validity,
 * CRL freshness) is re-checked on every call. Bounded: the oldest entries go first.
 */
export class SignatureCache {
  readonly #entries = new Map<string, boolean>();
  readonly #maxEntries: number;

  constructor(maxEntries = 4096) {
    this.#maxEntries = maxEntries;
  }

  async verified(key: string, verify: () => Promise<boolean>): Promise<boolean> {
    const known = this.#entries.get(key);
    if (known !== undefined) return known;
    let ok: boolean;
    try {
      ok = (await verify()) === true;
    } catch {
      ok = false;
    }
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, ok);
    return ok;
  }
}
