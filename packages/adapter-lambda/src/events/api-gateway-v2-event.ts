import type { CertificateInput, DecisionInput } from '@certbound/core';
import { type EventHeaders, isRecord, readEventHeaders } from './event-headers.js';

/** HTTP API proxy event (payload 2.0) or HTTP API authorizer event (payload 2.0). */
export interface ApiGatewayV2Event {
  readonly version?: unknown;
  readonly rawPath?: unknown;
  readonly headers?: unknown;
  readonly requestContext?: unknown;
}

/**
 * API Gateway verified the chain against its truststore; `clientCertPem` is the leaf. Payload 2.0
 * joins repeated headers with commas, so a doubled Authorization header reads as one malformed value.
 */
export function apiGatewayV2DecisionInput(event: ApiGatewayV2Event): {
  input: DecisionInput;
  headers: EventHeaders;
} {
  const headers = readEventHeaders({ headers: event.headers });
  const authorization = headers.all('authorization');
  const requestContext = isRecord(event.requestContext) ? event.requestContext : undefined;
  const http = isRecord(requestContext?.http) ? requestContext.http : undefined;
  return {
    headers,
    input: {
      authorization: authorization.length <= 1 ? authorization[0] : authorization,
      certificate: clientCertificate(requestContext),
      request: {
        method: typeof http?.method === 'string' ? http.method : undefined,
        path:
          typeof event.rawPath === 'string'
            ? event.rawPath
            : typeof http?.path === 'string'
              ? http.path
              : undefined,
        headers: headers.record,
      },
    },
  };
}

function clientCertificate(
  requestContext: Record<string, unknown> | undefined,
): CertificateInput | undefined {
  const source = 'api-gateway-v2';
  if (requestContext === undefined)
    return { problem: { code: 'certificate_malformed', message: 'the event has no requestContext' }, source };
  const authentication = requestContext.authentication;
  const clientCert = isRecord(authentication) ? authentication.clientCert : undefined;
  // Absent when the API has no mTLS domain or the request came through execute-api.
  if (clientCert === undefined || clientCert === null) return undefined;
  const pem = isRecord(clientCert) ? clientCert.clientCertPem : undefined;
  if (typeof pem !== 'string')
    return {
      problem: {
        code: 'certificate_malformed',
        message: 'requestContext.authentication.clientCert has no clientCertPem',
      },
      source,
    };
  return { pem, source };
}
