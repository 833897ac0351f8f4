import type { MutualTlsMode, ReasonCode } from '@certbound/core';

/**
 * The documented mode table (docs/concepts.md), as data: what each mode (ONTAP's
 * `use-mutual-tls`, RFC 8705 §3) does with a bound or unbound token and the client's own
 * certificate, another valid certificate, or none. The demo checks the live services against it.
 */
export const MODES = ['none', 'request', 'required'] as const satisfies readonly MutualTlsMode[];

/** `bound`: the AS put the client certificate's x5t#S256 into `cnf`; `unbound`: a plain bearer token. */
export const TOKEN_KINDS = ['bound', 'unbound'] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** `own`: the certificate the token was issued to; `other`: a valid certificate of another client. */
export const CERTIFICATE_KINDS = ['own', 'other', 'none'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

export interface Expectation {
  readonly allow: boolean;
  /** HTTP status the client sees. */
  readonly status: 200 | 401;
  /** Every reason code of the decision, in order (the policy has no rules, so a valid token allows). */
  readonly reasons: readonly ReasonCode[];
}

const allowWith = (binding: ReasonCode): Expectation => ({
  allow: true,
  status: 200,
  reasons: ['token_verified', binding, 'rules_absent'],
});
const denyWith = (code: ReasonCode): Expectation => ({
  allow: false,
  status: 401,
  reasons: ['token_verified', code],
});

export const EXPECTED: Readonly<
  Record<MutualTlsMode, Readonly<Record<TokenKind, Readonly<Record<CertificateKind, Expectation>>>>>
> = {
  // Binding is never looked at: a stolen token works from anywhere.
  none: {
    bound: {
      own: allowWith('binding_not_checked'),
      other: allowWith('binding_not_checked'),
      none: allowWith('binding_not_checked'),
    },
    unbound: {
      own: allowWith('binding_not_checked'),
      other: allowWith('binding_not_checked'),
      none: allowWith('binding_not_checked'),
    },
  },
  // A bound token must come with its certificate; an unbound token is still accepted.
  request: {
    bound: {
      own: allowWith('binding_verified'),
      other: denyWith('binding_mismatch'),
      none: denyWith('certificate_missing'),
    },
    unbound: {
      own: allowWith('binding_not_requested'),
      other: allowWith('binding_not_requested'),
      none: allowWith('binding_not_requested'),
    },
  },
  // Only bound tokens, each with its own certificate.
  required: {
    bound: {
      own: allowWith('binding_verified'),
      other: denyWith('binding_mismatch'),
      none: denyWith('certificate_missing'),
    },
    unbound: {
      own: denyWith('binding_required'),
      other: denyWith('binding_required'),
      none: denyWith('binding_required'),
    },
  },
};

/** Where a case is sent: the Node adapter over HTTPS, or the Envoy ext_authz service over gRPC. */
export const ENFORCEMENT_POINTS = ['node-https', 'envoy-grpc'] as const;
export type EnforcementPoint = (typeof ENFORCEMENT_POINTS)[number];

export interface DemoCase {
  readonly via: EnforcementPoint;
  readonly mode: MutualTlsMode;
  readonly token: TokenKind;
  readonly certificate: CertificateKind;
  readonly expected: Expectation;
}

/** Every case the demo runs: 2 enforcement points × 3 modes × 2 tokens × 3 certificates. */
export function demoCases(): DemoCase[] {
  const cases: DemoCase[] = [];
  for (const via of ENFORCEMENT_POINTS) {
    for (const mode of MODES) {
      for (const token of TOKEN_KINDS) {
        for (const certificate of CERTIFICATE_KINDS) {
          cases.push({ via, mode, token, certificate, expected: EXPECTED[mode][token][certificate] });
        }
      }
    }
  }
  return cases;
}
