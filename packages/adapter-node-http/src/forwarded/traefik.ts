import { percentDecode } from '@certbound/core';
import {
  type ForwardedCertificateReader,
  headerName,
  headerValue,
  malformed,
} from './forwarded-certificate-reader.js';

import { strictBase64 } from './strict-base64.js';

/**
 * Traefik `passTLSClientCert` with `pem: true`: `X-Forwarded-Tls-Client-Cert` holds each
 * certificate's base64 DER (PEM without armour or line breaks), comma-separated, leaf first.
 * Traefik v1 URL-escaped the value, so a percent-encoded value is decoded first.
 */
export interface TraefikFormat {
  readonly format: 'traefik';
  /** Default `x-forwarded-tls-client-cert`. */
  readonly header?: string;
}

export function traefikReader(format: TraefikFormat): ForwardedCertificateReader {
  const name = headerName(format.header ?? 'x-forwarded-tls-client-cert', 'traefik header');
  const source = `header:${name}`;
  return {
    headerNames: [name],
    source,
    read(headers) {
      const value = headerValue(headers, name);
      if (value === undefined || value.trim() === '') return undefined;
      const decoded = percentDecode(value);
      if (decoded === undefined) return malformed(source, `${name} is not valid percent-encoding`);
      const parts = decoded.split(',');
      if (parts.length > 16) return malformed(source, `${name} holds more than 16 certificates`);
      const certificates: Buffer[] = [];
      for (const [index, part] of parts.entries()) {
        const der = strictBase64(part.trim());
        if (der === undefined) return malformed(source, `${name}: certificate ${index + 1} is not base64`);
        certificates.push(der);
      }
      const [leaf, ...chain] = certificates as [Buffer, ...Buffer[]];
      return { der: leaf, source, ...(chain.length > 0 ? { chain } : {}) };
    },
  };
}
