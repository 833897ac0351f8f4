import type { CertificateInput, DecisionInput } from '@certbound/core';
import { type EventHeaders, isRecord, readEventHeaders } from './event-headers.js';

/** REST API proxy event (payload 1.0) or REST REQUEST authorizer event: same request context. */
export interface ApiGatewayV1Event {
  readonly httpMethod?: unknown;
  readonly path?: unknown;
  readonly headers?: unknown;
  readonly multiValueHeaders?: unknown;
  readonly requestContext?: unknown;
}

/** API Gateway verified the chain against its truststore; `clientCertPem` is the leaf. */
export function apiGatewayV1DecisionInput(event: ApiGatewayV1Event): {
  input: DecisionInput;
  headers: EventHeaders;
} {
  const headers = readEventHeaders(event);
  const authorization = headers.all('authorization');
  return {
    headers,
    input: {
      authorization: authorization.length <= 1 ? authorization[0] : authorization,
      certificate: clientCertificate(event.requestContext),
      request: {
        method: typeof event.httpMethod === 'string' ? event.httpMethod : undefined,
        path: typeof event.path === 'string' ? event.path : undefined,
        headers: headers.record,
      },
    },
  };
}

function clientCertificate(requestContext: unknown): CertificateInput | undefined {
  const source = 'api-gateway-v1';
  if (!isRecord(requestContext))
    return { problem: { code: 'certificate_malformed', message: 'the event has no requestContext' }, source };
  const identity = requestContext.identity;
  const clientCert = isRecord(identity) ? identity.clientCert : undefined;
  // Absent when the API has no mTLS domain or the request came through execute-api.
  if (clientCert === undefined || clientCert === null) return undefined;
  const pem = isRecord(clientCert) ? clientCert.clientCertPem : undefined;
  if (typeof pem !== 'string')
    return {
      problem: {
        code: 'certificate_malformed',
        message: 'requestContext.identity.clientCert has no clientCertPem',
      },
      source,
    };
  return { pem, source };
}
