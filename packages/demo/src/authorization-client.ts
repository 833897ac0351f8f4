import {
  authorizationClientConstructor,
  type CheckRequest,
  type CheckResponse,
} from '@certbound/adapter-envoy-extauthz';
import * as grpc from '@grpc/grpc-js';

/** Envoy's v3 CheckRequest, as the adapter reads it (field names as in external_auth.proto). */
export type CheckRequestMessage = CheckRequest;
/** Envoy's v3 CheckResponse, as the adapter writes it. */
export type CheckResponseMessage = CheckResponse;

export interface AuthorizationClient {
  check(request: CheckRequestMessage): Promise<CheckResponseMessage>;
  close(): void;
}

/**
 * A client of `envoy.service.auth.v3.Authorization/Check` built from the official Envoy API
 * protos shipped in `@grpc/grpc-js-xds` (the adapter's loader), so it sends exactly Envoy's messages.
 */
export function createAuthorizationClient(address: string): AuthorizationClient {
  const Authorization = authorizationClientConstructor();
  const client = new Authorization(address, grpc.credentials.createInsecure());
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
