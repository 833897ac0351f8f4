/**
 * Types of a policy test suite document. They mirror schema/policy-test-suite.v1.schema.json,
 * which is the contract (see docs/policy-tests.md).
 */
import type { SigningAlgorithm } from '../policy/policy.js';

export type TestCertificateSpec =
  | {
      readonly commonName: string;
      readonly organization?: string;
      readonly dnsNames?: readonly string[];
      readonly uris?: readonly string[];
      readonly emails?: readonly string[];
      readonly keyAlgorithm?: 'ec' | 'rsa';
    }
  | { readonly file: string };

export interface TestTokenSpec {
  readonly issuer?: string;
  /** Certificate name for cnf.x5t#S256; null undoes a default. */
  readonly bound?: string | null;
  readonly scopes?: readonly string[];
  readonly expiresIn?: number;
  readonly claims?: Readonly<Record<string, unknown>>;
  readonly header?: Readonly<Record<string, unknown>>;
  readonly signingKey?: 'issuer' | 'unknown';
}

export interface TestRequestSpec {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A certificate name, or `none` / null for no certificate. */
export type CertificateChoice = string | null;

export interface TestExpectation {
  readonly allow: boolean;
  readonly status?: 200 | 400 | 401 | 403 | 503;
  readonly reasons?: readonly string[];
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable';
  readonly rule?: string;
}

export interface PolicyTestCase {
  readonly name: string;
  readonly description?: string;
  readonly token?: TestTokenSpec | 'none';
  readonly authorization?: string;
  readonly certificate?: CertificateChoice;
  readonly request?: TestRequestSpec;
  readonly expect: TestExpectation;
}

export interface PolicyTestSuite {
  readonly apiVersion: 'certbound.dev/v1';
  readonly kind: 'PolicyTestSuite';
  readonly name?: string;
  readonly description?: string;
  readonly policy: string;
  readonly issuers?: Readonly<Record<string, { readonly algorithm?: Exclude<SigningAlgorithm, 'Ed25519'> }>>;
  readonly certificates?: Readonly<Record<string, TestCertificateSpec>>;
  readonly defaults?: {
    readonly token?: TestTokenSpec;
    readonly certificate?: CertificateChoice;
    readonly request?: TestRequestSpec;
  };
  readonly cases: readonly PolicyTestCase[];
}
