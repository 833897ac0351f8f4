import type { CertificateInput } from '@certbound/core';

/** The parts of a TLS socket the adapter reads; a plain TCP socket has none of them. */
export interface PeerSocket {
  readonly remoteAddress?: string | undefined;
  readonly authorized?: boolean;
  readonly authorizationError?: Error | string | null | undefined;
  getPeerCertificate?(detailed?: boolean): { readonly raw?: Buffer } | null;
}

/**
 * The client's leaf certificate as the TLS layer received it: DER straight from
 * `getPeerCertificate().raw` (no PEM round trip, no parsing; the engine hashes the bytes once).
 * `{}` means the client sent no certificate; a plain-HTTP socket has no certificate either.
 * The TLS layer's own verdict goes along as `transport`, so a server run with
 * `requestCert: true, rejectUnauthorized: false` still reports whether the chain verified.
 */
export function certificateFromSocket(socket: PeerSocket | null | undefined): CertificateInput | undefined {
  if (socket === null || socket === undefined || typeof socket.getPeerCertificate !== 'function') {
    return undefined;
  }
  const peer = socket.getPeerCertificate(false);
  const der = peer?.raw;
  if (der === undefined || der.length === 0) return undefined;
  const verified = socket.authorized === true;
  const error = socket.authorizationError;
  return {
    der,
    source: 'tls',
    transport: verified
      ? { verified }
      : { verified, error: error === null || error === undefined ? 'not authorized' : String(error) },
  };
}
