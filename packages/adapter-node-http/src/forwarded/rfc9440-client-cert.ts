import type { CertificateInput } from '@certbound/core';
import { type ForwardedCertificateReader, headerValue, malformed } from './forwarded-certificate-reader.js';
import { strictBase64 } from './strict-base64.js';

/**
 * RFC 9440: `Client-Cert` is the leaf's DER as a structured-field byte sequence (`:base64:`,
 * RFC 8941 §3.3.5); `Client-Cert-Chain` is a list of byte sequences, the rest of the chain.
 */
export interface Rfc9440Format {
  readonly format: 'rfc9440';
}

const CLIENT_CERT = 'client-cert';
const CLIENT_CERT_CHAIN = 'client-cert-chain';

export function rfc9440Reader(_format: Rfc9440Format): ForwardedCertificateReader {
  const source = `header:${CLIENT_CERT}`;
  return {
    headerNames: [CLIENT_CERT, CLIENT_CERT_CHAIN],
    source,
    read(headers): CertificateInput | undefined {
      const value = headerValue(headers, CLIENT_CERT);
      if (value === undefined || value.trim() === '') return undefined;
      const leaf = byteSequenceList(value);
      if (typeof leaf === 'string') return malformed(source, `Client-Cert ${leaf}`);
      // RFC 9440 §2.2: Client-Cert is a single Byte Sequence, never a list.
      if (leaf.length !== 1) {
        return malformed(source, `Client-Cert holds ${leaf.length} certificates, expected one`);
      }
      const chainValue = headerValue(headers, CLIENT_CERT_CHAIN);
      let chain: Buffer[] = [];
      if (chainValue !== undefined && chainValue.trim() !== '') {
        const parsed = byteSequenceList(chainValue);
        if (typeof parsed === 'string') return malformed(source, `Client-Cert-Chain ${parsed}`);
        if (parsed.length > 16) return malformed(source, 'Client-Cert-Chain holds more than 16 certificates');
        chain = parsed;
      }
      return { der: leaf[0] as Buffer, source, ...(chain.length > 0 ? { chain } : {}) };
    },
  };
}

/** An RFC 8941 §3.1 list whose members are bare byte sequences (no parameters). */
function byteSequenceList(value: string): Buffer[] | string {
  const members = value.split(',');
  const out: Buffer[] = [];
  for (const member of members) {
    const item = member.trim();
    const match = /^:([A-Za-z0-9+/]*={0,2}):$/.exec(item);
    if (!match) return 'is not a structured-field byte sequence';
    let body = match[1] as string;
    // RFC 8941 §4.2.7: parsers should accept base64 without padding.
    if (!body.includes('=')) body += '='.repeat((4 - (body.length % 4)) % 4);
    const bytes = strictBase64(body);
    if (bytes === undefined) return 'is not valid base64';
    out.push(bytes);
  }
  return out;
}
