import * as nodeCrypto from 'node:crypto';

// node:crypto rather than Web Crypto on purpose: the binding check runs on every request and a
// synchronous SHA-256 of a ~1 KB DER costs about 1 µs, where crypto.subtle.digest's promise costs
// several times that (see `pnpm bench`). The one-shot crypto.hash (Node 20.12+) skips the Hash
// object and is about 30% faster again; older Node 20 releases use createHash.
const sha256: (data: Uint8Array) => Buffer =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'buffer')
    : (data) => nodeCrypto.createHash('sha256').update(data).digest();

const X5T_S256 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** SHA-256 of a certificate's DER: the 32 bytes behind x5t#S256 (RFC 8705 §3.1). */
export function certificateDigest(der: Uint8Array): Buffer {
  return sha256(der);
}

/** x5t#S256 of a certificate: unpadded base64url of the SHA-256 of its DER. */
export function x5tS256(der: Uint8Array): string {
  return certificateDigest(der).toString('base64url');
}

/**
 * Decode an x5t#S256 value to its 32 bytes, or undefined when it is not exactly 43 canonical
 * base64url characters (padding, hex, SHA-1 lengths and stray characters all fail here).
 */
export function decodeX5tS256(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || !X5T_S256.test(value)) return undefined;
  return Buffer.from(value, 'base64url');
}

/** Constant-time comparison of two 32-byte digests. */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && nodeCrypto.timingSafeEqual(a, b);
}

/** Hex SHA-256 (as in XFCC `Hash` or CloudFront's header) to x5t#S256; undefined if not 64 hex digits. */
export function hexSha256ToX5tS256(hex: string): string | undefined {
  if (!/^[0-9A-Fa-f]{64}$/.test(hex)) return undefined;
  return Buffer.from(hex, 'hex').toString('base64url');
}
