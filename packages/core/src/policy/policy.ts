/**
 * Types of a certbound policy document. They mirror schema/policy.v1.schema.json, which is the
 * contract; test/policy-schema-types.test.ts keeps the two in agreement.
 */
export type MutualTlsMode = 'none' | 'request' | 'required';

export type SigningAlgorithm =
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'EdDSA'
  | 'Ed25519';

export interface RemoteJwksSource {
  readonly uri: string;
  readonly refreshInterval?: number;
  readonly cooldown?: number;
  readonly timeout?: number;
  readonly staleGrace?: number;
}
export interface InlineJwksSource {
  readonly keys: readonly JsonWebKeyLike[];
}
export interface FileJwksSource {
  readonly file: string;
}
export type JwksSource = RemoteJwksSource | InlineJwksSource | FileJwksSource;

export interface JsonWebKeyLike {
  readonly kty: string;
  readonly [parameter: string]: unknown;
}

export type ClaimValue = string | number | boolean;
export type ClaimConditions = Readonly<Record<string, ClaimValue | readonly ClaimValue[]>>;

export interface IssuerPolicy {
  readonly id: string;
  readonly issuer: string;
  readonly jwks: JwksSource;
  readonly audience?: string | readonly string[];
  readonly algorithms?: readonly SigningAlgorithm[];
  readonly mutualTls?: MutualTlsMode;
  readonly clockTolerance?: number;
  readonly tokenTypes?: readonly string[];
  readonly requiredClaims?: readonly string[];
  readonly claims?: ClaimConditions;
}

export type PemSource = { readonly file: string } | { readonly pem: string };

export interface CertificatesPolicy {
  readonly trustAnchors?: readonly PemSource[];
  readonly crls?: readonly PemSource[];
  readonly requireTransportVerified?: boolean;
}

export interface CertificateConditions {
  readonly commonNames?: readonly string[];
  readonly organizations?: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly uris?: readonly string[];
  readonly emails?: readonly string[];
}

export interface RulePolicy {
  readonly name: string;
  readonly match?: {
    readonly methods?: readonly string[];
    readonly paths?: readonly string[];
    readonly issuers?: readonly string[];
  };
  readonly effect?: 'allow' | 'deny';
  readonly require?: {
    readonly scopes?: readonly string[];
    readonly claims?: ClaimConditions;
    readonly certificate?: CertificateConditions;
  };
}

export interface Policy {
  readonly apiVersion: 'certbound.dev/v1';
  readonly realm?: string;
  readonly issuers: readonly IssuerPolicy[];
  readonly certificates?: CertificatesPolicy;
  readonly rules?: readonly RulePolicy[];
  readonly defaultEffect?: 'allow' | 'deny';
}

export const DEFAULT_ALGORITHMS: readonly SigningAlgorithm[] = ['ES256', 'PS256', 'EdDSA'];
export const DEFAULT_MUTUAL_TLS: MutualTlsMode = 'request';
export const DEFAULT_CLOCK_TOLERANCE = 30;
export const DEFAULT_TOKEN_TYPES: readonly string[] = ['at+jwt'];
export const DEFAULT_REQUIRED_CLAIMS: readonly string[] = ['exp'];
