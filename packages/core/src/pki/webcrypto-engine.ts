import { webcrypto } from 'node:crypto';
import { CryptoEngine, getEngine, setEngine } from 'pkijs';

/** pkijs needs a crypto engine; use the runtime's Web Crypto. Idempotent. */
export function ensurePkijsEngine(): void {
  if (getEngine().crypto === null || !(getEngine().crypto instanceof CryptoEngine)) {
    setEngine('webcrypto', new CryptoEngine({ name: 'webcrypto', crypto: webcrypto as unknown as Crypto }));
  }
}
