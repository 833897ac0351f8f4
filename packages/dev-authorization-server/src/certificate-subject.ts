import type { X509Certificate } from 'node:crypto';
import type { TLSClientAuthProperty } from 'oidc-provider';
import { subjectDn } from './peer-certificate.js';

/** The `subjectAltName` prefixes Node prints for each `tls_client_auth_san_*` property (RFC 8705 §2.1.2). */
const SAN_PREFIX: Readonly<Record<Exclude<TLSClientAuthProperty, 'tls_client_auth_subject_dn'>, string>> = {
  tls_client_auth_san_dns: 'DNS:',
  tls_client_auth_san_uri: 'URI:',
  tls_client_auth_san_ip: 'IP Address:',
  tls_client_auth_san_email: 'email:',
};

/**
 * Whether a presented certificate carries the subject value a `tls_client_auth` client registered
 * (RFC 8705 §2.1.2: exactly one of subject DN or a SAN of one type).
 */
export function certificateSubjectMatches(
  certificate: X509Certificate,
  property: TLSClientAuthProperty,
  expected: string,
): boolean {
  if (property === 'tls_client_auth_subject_dn') return subjectDn(certificate) === expected;
  const prefix = SAN_PREFIX[property];
  // Node joins SAN entries with ", "; values containing ", " come back JSON-quoted, which then
  // simply do not match: a dev AS may be stricter than needed, never looser.
  return (certificate.subjectAltName ?? '')
    .split(', ')
    .some((entry) => entry.startsWith(prefix) && entry.slice(prefix.length) === expected);
}
