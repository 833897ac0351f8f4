import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

/**
 * The leaf certificate the client presented on this TLS connection, or undefined when it sent none.
 * oidc-provider hashes it into `cnf.x5t#S256` (RFC 8705 §3.1) and authenticates `tls_client_auth`
 * clients with it (RFC 8705 §2.1).
 */
export function peerCertificate(socket: TLSSocket): X509Certificate | undefined {
  if (typeof socket.getPeerCertificate !== 'function') return undefined;
  const raw = socket.getPeerCertificate()?.raw;
  return raw && raw.length > 0 ? new X509Certificate(raw) : undefined;
}

/**
 * A certificate's subject DN as oidc-provider's `tls_client_auth_subject_dn` expects it: the
 * RFC 4514 string form, most specific RDN first (`CN=alice,O=Example`). Node lists the RDNs in
 * encoding order, one per line.
 */
export function subjectDn(certificate: X509Certificate): string {
  return certificate.subject.split('\n').reverse().join(',');
}
