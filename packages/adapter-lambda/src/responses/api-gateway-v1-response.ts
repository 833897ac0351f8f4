import type { Decision } from '@certbound/core';
import { denyBody, denyHeaders } from './deny-response-parts.js';

/** REST API Lambda proxy integration response (payload 1.0). */
export interface ApiGatewayV1Response {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded: false;
}

export function apiGatewayV1DenyResponse(decision: Decision): ApiGatewayV1Response {
  return {
    statusCode: decision.status,
    headers: denyHeaders(decision),
    body: denyBody(decision),
    isBase64Encoded: false,
  };
}
