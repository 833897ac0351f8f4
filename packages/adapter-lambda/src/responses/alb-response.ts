import type { Decision } from '@certbound/core';
import { denyBody, denyHeaders, reasonPhrase } from './deny-response-parts.js';

/** ALB Lambda target response; ALB needs `statusDescription` and the header form of the event. */
export interface AlbResponse {
  readonly statusCode: number;
  readonly statusDescription: string;
  readonly headers?: Record<string, string>;
  readonly multiValueHeaders?: Record<string, string[]>;
  readonly body: string;
  readonly isBase64Encoded: false;
}

export function albDenyResponse(decision: Decision, multiValueHeaders: boolean): AlbResponse {
  const headers = denyHeaders(decision);
  const common = {
    statusCode: decision.status,
    statusDescription: `${decision.status} ${reasonPhrase(decision.status)}`,
    body: denyBody(decision),
    isBase64Encoded: false as const,
  };
  // With lambda.multi_value_headers.enabled, ALB ignores `headers` in the response.
  return multiValueHeaders
    ? { ...common, multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) }
    : { ...common, headers };
}
