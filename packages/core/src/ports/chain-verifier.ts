/** Outcome of verifying a client certificate chain against the policy's trust anchors. */
export interface ChainVerification {
  readonly ok: boolean;
  readonly code:
    | 'certificate_chain_verified'
    | 'certificate_untrusted'
    | 'certificate_expired'
    | 'certificate_not_yet_valid'
    | 'certificate_revoked'
    | 'certificate_chain_invalid';
  readonly message: string;
}

/** Builds and verifies a chain; never throws, answers with a result. */
export interface ChainVerifier {
  verify(leaf: Uint8Array, intermediates: readonly Uint8Array[]): Promise<ChainVerification>;
}
