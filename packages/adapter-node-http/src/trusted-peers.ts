import { BlockList, isIP } from 'node:net';

/**
 * The proxies whose forwarded-certificate headers are believed: addresses and CIDRs, IPv4 and
 * IPv6. Anyone else could set those headers to claim any certificate (RFC 8705 §6.5 leaves the
 * proxy–server trust to the deployment), so the list is checked on every request.
 */
export class TrustedPeers {
  readonly #list = new BlockList();

  /** Throws TypeError for an entry that is neither an IP address nor a CIDR. */
  constructor(entries: readonly string[]) {
    if (!Array.isArray(entries)) throw new TypeError('trustedPeers must be a list of addresses or CIDRs');
    for (const entry of entries) this.#add(entry);
  }

  /** Whether a socket's `remoteAddress` is one of the trusted peers. */
  has(address: string | undefined): boolean {
    if (typeof address !== 'string') return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.#list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }

  #add(entry: unknown): void {
    if (typeof entry !== 'string') throw new TypeError('trustedPeers entries must be strings');
    const slash = entry.indexOf('/');
    const address = slash < 0 ? entry : entry.slice(0, slash);
    const plain = unmapped(address);
    const family = isIP(plain);
    if (family === 0) throw new TypeError(`trustedPeers entry ${JSON.stringify(entry)} is not an IP address`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (slash < 0) {
      this.#list.addAddress(plain, type);
      return;
    }
    const prefixText = entry.slice(slash + 1);
    let prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
    // `::ffff:10.0.0.0/104` is the IPv4 /8 written as IPv6.
    if (plain !== address) prefix -= 96;
    if (!(prefix >= 0 && prefix <= (family === 4 ? 32 : 128))) {
      throw new TypeError(`trustedPeers entry ${JSON.stringify(entry)} has an invalid prefix length`);
    }
    this.#list.addSubnet(plain, prefix, type);
  }
}

/** A dual-stack server reports IPv4 clients as IPv4-mapped IPv6 (`::ffff:10.0.0.1`): compare as IPv4. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? (mapped[1] as string) : address;
}
