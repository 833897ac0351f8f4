import type { CertificateInput } from '@certbound/core';
import { isRecord } from './event-headers.js';

/**
 * The client certificate API Gateway's mTLS custom domain puts in the event: REST APIs (payload
 * 1.0) under `requestContext.identity.clientCert`, HTTP APIs (payload 2.0) under
 * `requestContext.authentication.clientCert`, both with `clientCertPem`.
 */
export function apiGatewayClientCertificate(
  requestContext: unknown,
  holder: 'identity' | 'authentication',
  source: 'api-gateway-v1' | 'api-gateway-v2',
): CertificateInput | undefined {
  if (!isRecord(requestContext))
    return { problem: { code: 'certificate_malformed', message: 'the event has no requestContext' }, source };
  const parent = requestContext[holder];
  const clientCert = isRecord(parent) ? parent.clientCert : undefined;
  // Absent when the API has no mTLS domain or the request came through execute-api.
  if (clientCert === undefined || clientCert === null) return undefined;
  const pem = isRecord(clientCert) ? clientCert.clientCertPem : undefined;
  if (typeof pem !== 'string') {
    return {
      problem: {
        code: 'certificate_malformed',
        message: `requestContext.${holder}.clientCert has no clientCertPem`,
      },
      source,
    };
  }
  return { pem, source };
}
