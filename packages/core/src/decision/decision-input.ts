/** The TLS layer's own verdict on the client's chain, e.g. Node's `socket.authorized` / `authorizationError`. */
export interface TransportVerdict {
  readonly verified: boolean;
  readonly error?: string | undefined;
}

/** A certificate an adapter could not read, or chose not to trust; the engine turns it into a reason. */
export interface CertificateProblem {
  readonly code: 'certificate_malformed' | 'certificate_source_untrusted';
  readonly message: string;
}

interface CertificateCommon {
  /** Where the certificate came from, e.g. `tls`, `header:x-forwarded-client-cert`, `alb-passthrough`. */
  readonly source?: string | undefined;
  /** Issuer certificates, leaf excluded, nearest first (DER bytes or PEM text). */
  readonly chain?: readonly (Uint8Array | string)[] | undefined;
  /**
   * Ask the engine to build and verify the chain against the policy's `certificates.trustAnchors`
   * before the leaf is trusted (e.g. ALB passthrough, where nobody verified it).
   */
  readonly verifyChain?: boolean | undefined;
  readonly transport?: TransportVerdict | undefined;
}

export type CertificateInput = CertificateCommon &
  (
    | { readonly der: Uint8Array }
    | { readonly pem: string }
    /** A precomputed x5t#S256 (43 base64url characters), e.g. from a proxy's hash field. */
    | { readonly thumbprint: string }
    | { readonly problem: CertificateProblem }
  );

export interface RequestInput {
  readonly method?: string | undefined;
  /** Path as received, may include the query string (it is ignored for matching). */
  readonly path?: string | undefined;
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>> | undefined;
  /**
   * Set by an adapter that could not read the platform's request at all (e.g. an ext_authz Check
   * without HTTP attributes, headers over its limit): the engine denies it as request_malformed
   * (400), so the deny is built in one place like every other.
   */
  readonly problem?: string | undefined;
}

export interface DecisionInput {
  /** The raw `Authorization` header value(s); several values are a malformed request. */
  readonly authorization?: string | readonly string[] | undefined;
  readonly certificate?: CertificateInput | undefined;
  readonly request?: RequestInput | undefined;
  /** Record each step in `decision.trace`. */
  readonly explain?: boolean | undefined;
}
