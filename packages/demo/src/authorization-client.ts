import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The parts of Envoy's v3 CheckRequest the demo sends (field names as in external_auth.proto). */
export interface CheckRequestMessage {
  readonly attributes: {
    readonly source?: { readonly certificate?: string; readonly principal?: string };
    readonly request: {
      readonly http: {
        /** Envoy's request id (x-request-id); the service logs it with the decision. */
        readonly id: string;
        readonly method: string;
        readonly path: string;
        readonly host: string;
        readonly scheme: string;
        readonly headers: Readonly<Record<string, string>>;
      };
    };
  };
}

interface HeaderValueOption {
  readonly header?: { readonly key?: string; readonly value?: string };
}

/** The parts of Envoy's v3 CheckResponse the demo reads. */
export interface CheckResponseMessage {
  readonly status?: { readonly code?: number; readonly message?: string };
  readonly denied_response?: {
    readonly status?: { readonly code?: string | number };
    readonly headers?: readonly HeaderValueOption[];
    readonly body?: string;
  };
  readonly ok_response?: { readonly headers?: readonly HeaderValueOption[] };
  readonly dynamic_metadata?: unknown;
}

export interface AuthorizationClient {
  check(request: CheckRequestMessage): Promise<CheckResponseMessage>;
  close(): void;
}

/**
 * A client of `envoy.service.auth.v3.Authorization/Check` built from the official Envoy API
 * protos shipped in `@grpc/grpc-js-xds` (deps/envoy-api), so it sends exactly Envoy's messages.
 */
export function createAuthorizationClient(address: string): AuthorizationClient {
  const require = createRequire(import.meta.url);
  const deps = join(dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const definition = protoLoader.loadSync('envoy/service/auth/v3/external_auth.proto', {
    includeDirs: ['envoy-api', 'googleapis', 'xds', 'protoc-gen-validate'].map((dir) => join(deps, dir)),
    keepCase: true,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    envoy: { service: { auth: { v3: { Authorization: grpc.ServiceClientConstructor } } } };
  };
  const client = new loaded.envoy.service.auth.v3.Authorization(address, grpc.credentials.createInsecure());
  const check = client.Check?.bind(client);
  if (check === undefined) throw new TypeError('the Envoy protos define no Authorization/Check');
  return {
    check: (request) =>
      new Promise((resolve, reject) => {
        check(request, { deadline: Date.now() + 10_000 }, (error: Error | null, response: unknown) => {
          if (error) reject(error);
          else resolve(response as CheckResponseMessage);
        });
      }),
    close: () => client.close(),
  };
}

/** The HTTP status of a denied CheckResponse (`HttpStatus.code`, an enum name or number). */
export function deniedHttpStatus(response: CheckResponseMessage): number {
  const code = response.denied_response?.status?.code;
  if (typeof code === 'number') return code;
  const byName: Record<string, number> = {
    BadRequest: 400,
    Unauthorized: 401,
    Forbidden: 403,
    InternalServerError: 500,
    ServiceUnavailable: 503,
  };
  return (code !== undefined ? byName[code] : undefined) ?? 403;
}
