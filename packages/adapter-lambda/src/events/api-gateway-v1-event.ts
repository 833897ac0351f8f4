import type { DecisionInput } from '@certbound/core';
import { apiGatewayClientCertificate } from './api-gateway-client-cert.js';
import { type EventHeaders, readEventHeaders } from './event-headers.js';

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
  return {
    headers,
    input: {
      // One value as a string, repeated ones as a list (the engine denies those as malformed).
      authorization: headers.record.authorization,
      certificate: apiGatewayClientCertificate(event.requestContext, 'identity', 'api-gateway-v1'),
      request: {
        method: typeof event.httpMethod === 'string' ? event.httpMethod : undefined,
        path: typeof event.path === 'string' ? event.path : undefined,
        headers: headers.record,
      },
    },
  };
}
