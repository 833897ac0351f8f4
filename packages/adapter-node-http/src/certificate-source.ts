import type { CertificateInput } from '@certbound/core';
import { certificateFromSocket, type PeerSocket } from './certificate-from-socket.js';
import type { ForwardedCertificateReader, HeaderBag } from './forwarded/forwarded-certificate-reader.js';
import type { TrustedPeers } from './trusted-peers.js';

/** Where the adapter takes a request's client certificate from. */
export type CertificateSource = (
  socket: PeerSocket | null | undefined,
  // The request, not its headers: Node builds `headers` lazily, and the TLS source never needs them.
  request: { readonly headers: HeaderBag },
) => CertificateInput | undefined;

/** The TLS connection's own peer certificate. */
export const tlsCertificateSource: CertificateSource = (socket) => certificateFromSocket(socket);

/**
 * A proxy's forwarded-certificate header, believed only when the socket's peer is a trusted proxy.
 * From a trusted proxy the header is the whole truth: without it there is no certificate (the
 * proxy's own TLS certificate is not the client's). From anyone else the header is ignored and,
 * when present, reported as `certificate_source_untrusted`; a direct TLS client's own certificate
 * is still used when no such header was sent.
 */
export function forwardedCertificateSource(
  reader: ForwardedCertificateReader,
  trustedPeers: TrustedPeers,
): CertificateSource {
  return (socket, request) => {
    const headers = request.headers;
    if (trustedPeers.has(socket?.remoteAddress)) return reader.read(headers);
    for (const name of reader.headerNames) {
      if (headers[name] !== undefined) {
        return {
          problem: {
            code: 'certificate_source_untrusted',
            message: `${name} header from ${socket?.remoteAddress ?? 'an unknown peer'}, which is not a trusted proxy; ignored`,
          },
          source: reader.source,
        };
      }
    }
    return certificateFromSocket(socket);
  };
}
