import type { Decision } from '@certbound/core';
import type { TranslatedEvent } from '../events/event-source.js';
import { type AlbResponse, albDenyResponse } from './alb-response.js';
import { type ApiGatewayV1Response, apiGatewayV1DenyResponse } from './api-gateway-v1-response.js';
import { type ApiGatewayV2Response, apiGatewayV2DenyResponse } from './api-gateway-v2-response.js';

export type DenyResponse = AlbResponse | ApiGatewayV1Response | ApiGatewayV2Response;

/** The deny response in the shape of the event that was denied. */
export function denyResponse(event: TranslatedEvent, decision: Decision): DenyResponse {
  switch (event.shape) {
    case 'alb':
      return albDenyResponse(decision, event.multiValueHeaders);
    case 'api-gateway-v1':
      return apiGatewayV1DenyResponse(decision);
    case 'api-gateway-v2':
      return apiGatewayV2DenyResponse(decision);
  }
}
