import { type CustomHeaderFormat, customHeaderReader } from './custom-header.js';
import type { ForwardedCertificateReader } from './forwarded-certificate-reader.js';
import { type NginxFormat, nginxReader } from './nginx-ssl-client-cert.js';
import { type Rfc9440Format, rfc9440Reader } from './rfc9440-client-cert.js';
import { type TraefikFormat, traefikReader } from './traefik.js';
import { type XfccFormat, xfccReader } from './xfcc.js';

/** A proxy's certificate header format, by name with its defaults or as an object with options. */
export type ForwardedHeaderFormat =
  | 'xfcc'
  | 'nginx'
  | 'traefik'
  | 'rfc9440'
  | XfccFormat
  | NginxFormat
  | TraefikFormat
  | Rfc9440Format
  | CustomHeaderFormat;

/** The reader for a configured format; throws TypeError for an unknown format or bad options. */
export function forwardedCertificateReader(format: ForwardedHeaderFormat): ForwardedCertificateReader {
  const spec = typeof format === 'string' ? ({ format } as Exclude<ForwardedHeaderFormat, string>) : format;
  if (spec === null || typeof spec !== 'object') {
    throw new TypeError('certificate.header must be a format name or a format object');
  }
  switch (spec.format) {
    case 'xfcc':
      return xfccReader(spec);
    case 'nginx':
      return nginxReader(spec);
    case 'traefik':
      return traefikReader(spec);
    case 'rfc9440':
      return rfc9440Reader(spec);
    case 'custom':
      return customHeaderReader(spec);
    default:
      throw new TypeError(
        `certificate.header format ${JSON.stringify((spec as { format: unknown }).format)} is not one of xfcc, nginx, traefik, rfc9440, custom`,
      );
  }
}
