import type { DecisionInput } from '@certbound/core';
import { apiGatewayClientCertificate } from './api-gateway-client-cert.js';
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
  const requestContext = isRecord(event.requestContext) ? event.requestContext : undefined;
  const http = isRecord(requestContext?.http) ? requestContext.http : undefined;
  return {
    headers,
    input: {
      // One value as a string, repeated ones as a list (the engine denies those as malformed).
      authorization: headers.record.authorization,
      certificate: apiGatewayClientCertificate(requestContext, 'authentication', 'api-gateway-v2'),
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
