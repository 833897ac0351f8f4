import {
  type CertificateInput,
  hexSha256ToX5tS256,
  parsePemCertificates,
  percentDecode,
} from '@certbound/core';
import {
  type ForwardedCertificateReader,
  headerName,
  headerValue,
  malformed,
} from './forwarded-certificate-reader.js';

import { strictBase64 } from './strict-base64.js';

/**
 * Any other proxy's leaf-certificate header, with its encoding declared: HAProxy
 * `ssl_c_der,base64` and Caddy `certificate_der_base64` are `base64-der`; CloudFront
 * `CloudFront-Viewer-Cert-Pem` is `url-encoded-pem` and `CloudFront-Viewer-Cert-Sha256` is `hex-sha256`.
 */
export interface CustomHeaderFormat {
  readonly format: 'custom';
  readonly header: string;
  readonly encoding: CustomHeaderEncoding;
}

export type CustomHeaderEncoding = 'pem' | 'url-encoded-pem' | 'base64-der' | 'hex-sha256' | 'x5t#S256';

const ENCODINGS: readonly CustomHeaderEncoding[] = [
  'pem',
  'url-encoded-pem',
  'base64-der',
  'hex-sha256',
  'x5t#S256',
];

export function customHeaderReader(format: CustomHeaderFormat): ForwardedCertificateReader {
  const name = headerName(format.header, 'custom header');
  if (!ENCODINGS.includes(format.encoding)) {
    throw new TypeError(`custom header encoding must be one of ${ENCODINGS.join(', ')}`);
  }
  const encoding = format.encoding;
  const source = `header:${name}`;
  return {
    headerNames: [name],
    source,
    read(headers): CertificateInput | undefined {
      const raw = headerValue(headers, name);
      if (raw === undefined || raw.trim() === '') return undefined;
      const value = raw.trim();
      switch (encoding) {
        case 'pem':
        case 'url-encoded-pem': {
          const pem = encoding === 'pem' ? value : percentDecode(value);
          if (pem === undefined) return malformed(source, `${name} is not valid percent-encoding`);
          const certificates = parsePemCertificates(pem);
          if (certificates === undefined) return malformed(source, `${name} is not valid PEM`);
          if (certificates.length !== 1) {
            return malformed(source, `${name} holds ${certificates.length} certificates, expected one`);
          }
          return { der: certificates[0] as Uint8Array, source };
        }
        case 'base64-der': {
          const der = strictBase64(value);
          return der === undefined ? malformed(source, `${name} is not base64`) : { der, source };
        }
        case 'hex-sha256': {
          const thumbprint = hexSha256ToX5tS256(value);
          return thumbprint === undefined
            ? malformed(source, `${name} is not a hex SHA-256`)
            : { thumbprint, source };
        }
        case 'x5t#S256':
          // The engine checks the 43-character shape and reports a malformed thumbprint itself.
          return { thumbprint: value, source };
      }
    },
  };
}
