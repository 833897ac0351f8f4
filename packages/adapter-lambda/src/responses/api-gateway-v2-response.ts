import type { Decision } from '@certbound/core';
import { denyBody, denyHeaders } from './deny-response-parts.js';

/** HTTP API Lambda proxy integration response (payload 2.0), in its explicit form. */
export interface ApiGatewayV2Response {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded: false;
}

export function apiGatewayV2DenyResponse(decision: Decision): ApiGatewayV2Response {
  return {
    statusCode: decision.status,
    headers: denyHeaders(decision),
    body: denyBody(decision),
    isBase64Encoded: false,
  };
}
