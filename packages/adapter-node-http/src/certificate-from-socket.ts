import { type CertificateInput, prepareCertificate } from '@certbound/core';

/** The parts of a TLS socket the adapter reads; a plain TCP socket has none of them. */
export interface PeerSocket {
  readonly remoteAddress?: string | undefined;
  readonly authorized?: boolean;
  readonly authorizationError?: Error | string | null | undefined;
  getPeerX509Certificate?(): { readonly raw: Buffer } | undefined;
  getPeerCertificate?(detailed?: boolean): { readonly raw?: Buffer } | null;
  getProtocol?(): string | null;
}

// Keep-alive connections send many requests over one handshake. On TLS 1.3 the client certificate
// cannot change after the handshake (no renegotiation; Node never requests post-handshake auth), so
// the certificate is read — and hashed, by core's prepareCertificate — once per connection. TLS 1.2 connections can renegotiate and are
// read on every request.
const perConnection = new WeakMap<object, CertificateInput | null>();

/**
 * The client's leaf certificate as the TLS layer received it: its DER bytes (no PEM round trip, no
 * parsing; the engine hashes the bytes once). `getPeerX509Certificate()` wraps the handshake's
 * certificate in a few µs, where `getPeerCertificate()` builds an object of every parsed field
 * (~100 µs) — that alone would halve a keep-alive server's throughput. `undefined` / `{}` mean the
 * client sent no certificate; a plain-HTTP socket has no certificate either.
 * The TLS layer's own verdict goes along as `transport`, so a server run with
 * `requestCert: true, rejectUnauthorized: false` still reports whether the chain verified.
 */
export function certificateFromSocket(socket: PeerSocket | null | undefined): CertificateInput | undefined {
  if (socket === null || socket === undefined) return undefined;
  const cached = perConnection.get(socket);
  if (cached !== undefined) return cached ?? undefined;
  const input = readCertificate(socket);
  if (typeof socket.getProtocol !== 'function' || socket.getProtocol() !== 'TLSv1.3') return input;
  // The first request of the connection already gets the prepared (read and hashed) input.
  const prepared = input === undefined ? undefined : prepareCertificate(input);
  perConnection.set(socket, prepared ?? null);
  return prepared;
}

function readCertificate(socket: PeerSocket): CertificateInput | undefined {
  let der: Buffer | undefined;
  if (typeof socket.getPeerX509Certificate === 'function') der = socket.getPeerX509Certificate()?.raw;
  else if (typeof socket.getPeerCertificate === 'function') der = socket.getPeerCertificate(false)?.raw;
  else return undefined;
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
