import type { MutualTlsMode } from '../policy/policy.js';
import type { Reason } from './reason-code.js';

/** RFC 6750 §3.1 error codes, plus the one we use for a 503. */
export type BearerErrorCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'temporarily_unavailable';

export type DecisionStatus = 200 | 400 | 401 | 403 | 503;

export interface DecisionCertificate {
  /** x5t#S256 of the presented leaf (unpadded base64url SHA-256 of its DER), when one was presented and readable. */
  readonly thumbprint?: string;
  /** Where the adapter took the certificate from, e.g. `tls`, `header:x-forwarded-client-cert`. */
  readonly source?: string;
  /** The transport's own verdict on the chain (e.g. Node's `socket.authorized`), when the adapter knows it. */
  readonly transportVerified?: boolean;
  readonly transportError?: string;
}

export interface TraceStep {
  readonly step:
    | 'request'
    | 'token'
    | 'issuer'
    | 'signature'
    | 'claims'
    | 'certificate'
    | 'binding'
    | 'rules';
  readonly outcome: 'pass' | 'fail' | 'skip' | 'info';
  readonly detail: string;
}

export interface Decision {
  readonly allow: boolean;
  /** HTTP status an adapter should answer with on deny (200 on allow). */
  readonly status: DecisionStatus;
  /** Every reason, in the order the engine reached them; on deny the deciding reason is last. */
  readonly reasons: readonly Reason[];
  /** RFC 6750 challenge to send as `WWW-Authenticate` on deny. */
  readonly wwwAuthenticate?: string;
  /** RFC 6750 error code for the response body; absent when no credentials were sent. */
  readonly error?: BearerErrorCode;
  /** Public, fixed text for the response body and challenge: no internal detail. */
  readonly errorDescription?: string;
  /** Seconds a client should wait before retrying (503 only). */
  readonly retryAfter?: number;
  /** The policy's issuer `id` that verified the token. */
  readonly issuer?: string;
  readonly subject?: string;
  readonly clientId?: string;
  readonly scopes: readonly string[];
  /** Verified claims of the token (allow, and denies after the signature was verified). */
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly mode?: MutualTlsMode;
  readonly certificate?: DecisionCertificate;
  /** The rule that decided, when rules exist and one matched. */
  readonly rule?: string;
  /** Steps the engine took, when the input asked for `explain`. */
  readonly trace?: readonly TraceStep[];
}
