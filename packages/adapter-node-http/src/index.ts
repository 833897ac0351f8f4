export { parseXfcc } from '@certbound/core';
export {
  type AllowedDecision,
  CertboundAuthorizer,
  isAllowed,
  type NodeRequest,
} from './certbound-authorizer.js';
export { certificateFromSocket, type PeerSocket } from './certificate-from-socket.js';
export {
  type CertificateSource,
  forwardedCertificateSource,
  tlsCertificateSource,
} from './certificate-source.js';
export { decisionInput, type NodeRequestLike } from './decision-input.js';
export type { CustomHeaderEncoding, CustomHeaderFormat } from './forwarded/custom-header.js';
export type { ForwardedCertificateReader, HeaderBag } from './forwarded/forwarded-certificate-reader.js';
export {
  type ForwardedHeaderFormat,
  forwardedCertificateReader,
} from './forwarded/forwarded-header-format.js';
export type { NginxFormat } from './forwarded/nginx-ssl-client-cert.js';
export type { Rfc9440Format } from './forwarded/rfc9440-client-cert.js';
export type { TraefikFormat } from './forwarded/traefik.js';
export type { XfccFormat } from './forwarded/xfcc.js';
export { certboundHandler, type NextHandler } from './node-handler.js';
export type { AuditedRequest, CertboundOptions, ForwardedCertificateOptions } from './options.js';
export { type ProtectedRouteRequest, type ProtectOption, protectedRoutes } from './protected-routes.js';
export { type DenyResponse, denyResponse, type NodeResponse, writeDenyResponse } from './respond.js';
export { TrustedPeers } from './trusted-peers.js';
