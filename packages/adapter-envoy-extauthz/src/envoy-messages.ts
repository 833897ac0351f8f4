// The subset of the Envoy ext_authz v3 messages certbound reads and writes, in the shape
// @grpc/proto-loader produces with ENVOY_PROTO_LOADER_OPTIONS (snake_case keys, oneofs named,
// no defaults). Everything read from the wire is optional: Envoy (or anyone who can reach the
// port) may leave any field out.

export interface HeaderValue {
  readonly key?: string;
  readonly value?: string;
  readonly raw_value?: Uint8Array;
}

export interface Peer {
  readonly principal?: string;
  /** URL-encoded PEM of the peer's leaf, only with `include_peer_certificate: true`. */
  readonly certificate?: string;
}

export interface HttpRequestAttributes {
  readonly id?: string;
  readonly method?: string;
  /** Lower-case keys; repeated headers merged with commas. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Set instead of `headers` when the filter has `encode_raw_headers: true`. */
  readonly header_map?: { readonly headers?: readonly HeaderValue[] };
  /** Path including the query string, not decoded. */
  readonly path?: string;
  readonly host?: string;
  readonly scheme?: string;
  readonly protocol?: string;
}

export interface CheckRequest {
  readonly attributes?: {
    readonly source?: Peer;
    readonly destination?: Peer;
    readonly request?: { readonly http?: HttpRequestAttributes };
    readonly context_extensions?: Readonly<Record<string, string>>;
  };
}

/** envoy.config.core.v3.HeaderValueOption.HeaderAppendAction */
export type HeaderAppendAction =
  | 'APPEND_IF_EXISTS_OR_ADD'
  | 'ADD_IF_ABSENT'
  | 'OVERWRITE_IF_EXISTS_OR_ADD'
  | 'OVERWRITE_IF_EXISTS';

export interface HeaderValueOption {
  readonly header: { readonly key: string; readonly value: string };
  readonly append_action?: HeaderAppendAction;
}

/**
 * google.protobuf.Value. protobufjs defines the well-known types itself, in camelCase, so these
 * names stay camelCase even with keepCase (a snake_case key is silently dropped on the wire).
 */
export type StructValue =
  | { readonly nullValue: 'NULL_VALUE' }
  | { readonly numberValue: number }
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly listValue: { readonly values: readonly StructValue[] } }
  | { readonly structValue: Struct };

export interface Struct {
  readonly fields: Readonly<Record<string, StructValue>>;
}

export interface CheckResponse {
  /** google.rpc.Status: code 0 allows, anything else denies. */
  readonly status: { readonly code: number; readonly message?: string };
  readonly ok_response?: {
    readonly headers?: readonly HeaderValueOption[];
    readonly headers_to_remove?: readonly string[];
  };
  readonly denied_response?: {
    /**
     * envoy.type.v3.HttpStatus; the enum's numbers are the HTTP codes. We send the number; a
     * decoded message (enums: String) carries the enum name, e.g. `Unauthorized`.
     */
    readonly status: { readonly code: number | string };
    readonly headers?: readonly HeaderValueOption[];
    readonly body?: string;
  };
  readonly dynamic_metadata?: Struct;
  /** Set by the decoder (oneofs: true): which of the two responses is present. */
  readonly http_response?: 'ok_response' | 'denied_response';
}
