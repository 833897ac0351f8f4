// ALB's URL-encoded PEM is decoded with core's strict percent-decoding (never form decoding).
export { percentDecode } from '@certbound/core';
export {
  type AuthorizerContext,
  type AuthorizerOptions,
  authorizerContext,
  httpApiSimpleAuthorizer,
  restApiRequestAuthorizer,
} from './authorizers.js';
export {
  type AlbHeaderNames,
  type AlbMode,
  DEFAULT_ALB_HEADER_NAMES,
  MAX_CERTIFICATE_HEADER_LENGTH,
} from './events/alb-event.js';
export {
  type CertificateSource,
  type EventShape,
  type TranslatedEvent,
  translateEvent,
} from './events/event-source.js';
export { type CertboundHandler, withCertbound } from './handler.js';
export { CertboundLambda, type LambdaDecision } from './lambda-authorization.js';
export type { CertboundLambdaOptions } from './lambda-options.js';
export type { AlbResponse } from './responses/alb-response.js';
export type { ApiGatewayV1Response } from './responses/api-gateway-v1-response.js';
export type { ApiGatewayV2Response } from './responses/api-gateway-v2-response.js';
export { type DenyResponse, denyResponse } from './responses/deny-response.js';
