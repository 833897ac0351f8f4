// Plays Envoy's part: a gRPC client built from the same official protos the server loads, sending
// CheckRequests shaped the way Envoy's ext_authz filter builds them.
import { credentials, type ServiceError } from '@grpc/grpc-js';
import type { CheckRequest, CheckResponse } from '../../src/envoy-messages.js';
import { authorizationClientConstructor } from '../../src/envoy-protos.js';

/**
 * Envoy's URL encoding of a PEM (Http::Utility::PercentEncoding::urlEncodeQueryParameter):
 * everything but unreserved characters is percent-encoded, newlines and `/` `+` `=` included.
 */
export function envoyUrlEncode(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'))
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

export interface EnvoyRequest {
  readonly method?: string;
  /** Path with query, as received. */
  readonly path?: string;
  /** As the client sent them: names in any case, repeated headers as arrays. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** PEM of the downstream peer's leaf, when include_peer_certificate is set and the client sent one. */
  readonly peerCertificatePem?: string;
}

/** What Envoy's filter puts on the wire: lower-cased keys, repeated headers merged with ",". */
export function envoyCheckRequest(request: EnvoyRequest): CheckRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const key = name.toLowerCase();
    const values = typeof value === 'string' ? [value] : [...value];
    headers[key] = headers[key] === undefined ? values.join(',') : `${headers[key]},${values.join(',')}`;
  }
  const method = request.method ?? 'GET';
  const path = request.path ?? '/';
  headers[':method'] = method;
  headers[':path'] = path;
  headers[':authority'] ??= 'api.example.test';
  headers[':scheme'] ??= 'https';
  return {
    attributes: {
      source: {
        principal: '',
        ...(request.peerCertificatePem !== undefined
          ? { certificate: envoyUrlEncode(request.peerCertificatePem) }
          : {}),
      },
      destination: { principal: 'spiffe://example.test/api' },
      request: {
        http: {
          id: String(Math.floor(Math.random() * 1e12)),
          method,
          path,
          host: 'api.example.test',
          scheme: 'https',
          protocol: 'HTTP/1.1',
          headers,
        },
      },
    },
  };
}

export interface EnvoyClient {
  check(request: CheckRequest): Promise<CheckResponse>;
  close(): void;
}

export function connectEnvoyClient(address: string): EnvoyClient {
  const Client = authorizationClientConstructor();
  const client = new Client(address, credentials.createInsecure());
  return {
    check: (request) =>
      new Promise((resolve, reject) =>
        // biome-ignore lint/suspicious/noExplicitAny: dynamically loaded client method.
        (client as any).Check(
          request,
          { deadline: Date.now() + 60_000 },
          (error: ServiceError | null, response: CheckResponse) =>
            error ? reject(error) : resolve(response),
        ),
      ),
    close: () => client.close(),
  };
}

/** A header of a CheckResponse's ok_response/denied_response, by name. */
export function responseHeader(
  headers: readonly { header: { key: string; value: string } }[] | undefined,
  name: string,
): string | undefined {
  return headers?.find((option) => option.header.key.toLowerCase() === name)?.header.value;
}
