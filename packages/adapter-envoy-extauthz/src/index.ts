export { AuthorizationService } from './authorization-service.js';
export { checkRequestToInput, type TranslatedRequest } from './check-request.js';
export { decisionMetadata, decisionToCheckResponse, GRPC_CODE_FOR_STATUS } from './check-response.js';
export { type ExtAuthzConfigFile, loadExtAuthzConfig } from './config-file.js';
export type * from './envoy-messages.js';
export {
  AUTHORIZATION_SERVICE,
  authorizationClientConstructor,
  ENVOY_PROTO_LOADER_OPTIONS,
  envoyProtoIncludeDirs,
  healthProtoPath,
  loadAuthorizationService,
} from './envoy-protos.js';
export {
  type ExtAuthzServiceOptions,
  type ResolvedServiceOptions,
  resolveServiceOptions,
  UPSTREAM_FIELDS,
  type UpstreamField,
  type XfccElement,
} from './extauthz-options.js';
export {
  DEFAULT_ADMIN_ADDRESS,
  DEFAULT_GRPC_ADDRESS,
  DEFAULT_HTTP_ADDRESS,
  type ExtAuthzServer,
  type ExtAuthzServerOptions,
  startExtAuthzServer,
} from './extauthz-server.js';
export { decisionToHttpResponse, ENVOY_HEADERS_TO_REMOVE, httpRequestToInput } from './http-authorization.js';
export { JsonLogger, type LogSink } from './logging.js';
export { ExtAuthzMetrics } from './metrics.js';
export { PolicyReloader, type ReloadOutcome } from './policy-reloader.js';
export { certificateFromXfcc, parseXfcc, type XfccElementFields } from './xfcc.js';
