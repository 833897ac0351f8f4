/**
 * A cheap structural check that bytes are one DER X.509 Certificate: SEQUENCE { SEQUENCE (tbs),
 * SEQUENCE (signatureAlgorithm), BIT STRING (signature) } filling the buffer exactly. It does not
 * parse the certificate (that costs ~100 µs); it stops garbage from being hashed as a certificate.
 */
export function looksLikeCertificateDer(der: Uint8Array): boolean {
  const outer = readHeader(der, 0);
  if (!outer || der[0] !== 0x30 || outer.end !== der.length) return false;
  let offset = outer.contentStart;
  for (const tag of [0x30, 0x30, 0x03]) {
    if (der[offset] !== tag) return false;
    const element = readHeader(der, offset);
    if (!element || element.end > outer.end) return false;
    offset = element.end;
  }
  return offset === outer.end;
}

function readHeader(der: Uint8Array, offset: number): { contentStart: number; end: number } | undefined {
  const first = der[offset + 1];
  if (first === undefined) return undefined;
  if (first < 0x80) return { contentStart: offset + 2, end: offset + 2 + first };
  const count = first & 0x7f;
  if (count === 0 || count > 3 || offset + 2 + count > der.length) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[offset + 2 + i] as number);
  if (length < 0x80) return undefined; // not DER's minimal length encoding
  return { contentStart: offset + 2 + count, end: offset + 2 + count + length };
}
