import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type GrpcObject, loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync, type Options, type ServiceDefinition } from '@grpc/proto-loader';

// The official Envoy API protos, as shipped by @grpc/grpc-js-xds (deps/envoy-api plus the
// googleapis, xds and protoc-gen-validate trees they import). Resolved through the package, not
// a relative path, so this works from a clean install and from the workspace alike.
const require = createRequire(import.meta.url);

/** Include directories for the Envoy protos, from the installed @grpc/grpc-js-xds. */
export function envoyProtoIncludeDirs(): string[] {
  const root = dirname(require.resolve('@grpc/grpc-js-xds/package.json'));
  return ['envoy-api', 'googleapis', 'xds', 'protoc-gen-validate'].map((dir) => join(root, 'deps', dir));
}

/** The grpc.health.v1 proto shipped by grpc-health-check (grpc-js-xds does not ship it). */
export function healthProtoPath(): string {
  return join(
    dirname(require.resolve('grpc-health-check/package.json')),
    'proto',
    'health',
    'v1',
    'health.proto',
  );
}

/**
 * Loader options. keepCase: field names as in the .proto (snake_case), so the objects we build and
 * read are the wire names Envoy's docs use. defaults false: unset fields stay undefined instead
 * of being materialised on every request, which measurably matters at 10k+ Checks/s.
 */
export const ENVOY_PROTO_LOADER_OPTIONS: Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
  oneofs: true,
};

export const EXTERNAL_AUTH_PROTO = 'envoy/service/auth/v3/external_auth.proto';
export const AUTHORIZATION_SERVICE = 'envoy.service.auth.v3.Authorization';

let cached: { service: ServiceDefinition; grpcObject: GrpcObject } | undefined;

/** `envoy.service.auth.v3.Authorization`, loaded once per process from the official protos. */
export function loadAuthorizationService(): { service: ServiceDefinition; grpcObject: GrpcObject } {
  if (cached !== undefined) return cached;
  const definition = loadSync(EXTERNAL_AUTH_PROTO, {
    ...ENVOY_PROTO_LOADER_OPTIONS,
    includeDirs: envoyProtoIncludeDirs(),
  });
  const service = definition[AUTHORIZATION_SERVICE] as ServiceDefinition | undefined;
  if (service === undefined) throw new Error(`${AUTHORIZATION_SERVICE} not found in ${EXTERNAL_AUTH_PROTO}`);
  cached = { service, grpcObject: loadPackageDefinition(definition) };
  return cached;
}

/** A client constructor for the Authorization service: what Envoy is, as far as tests and the bench care. */
export function authorizationClientConstructor(): ServiceClientConstructor {
  const { grpcObject } = loadAuthorizationService();
  // biome-ignore lint/suspicious/noExplicitAny: walking a dynamically loaded package tree.
  const ctor = (grpcObject as any).envoy?.service?.auth?.v3?.Authorization as
    | ServiceClientConstructor
    | undefined;
  if (ctor === undefined) throw new Error(`${AUTHORIZATION_SERVICE} client not found`);
  return ctor;
}
