/** Stable error codes for programmer and configuration errors (documented in docs/errors.md). */
export type CertboundErrorCode =
  | 'ERR_POLICY_INVALID'
  | 'ERR_POLICY_FILE'
  | 'ERR_INVALID_OPTIONS'
  | 'ERR_KEYS_FILE'
  | 'ERR_TRUST_ANCHOR';

/**
 * Base of every error certbound throws. Only misuse and bad configuration throw; untrusted input
 * (tokens, certificates, headers) never does: the engine answers it with a deny decision.
 */
export class CertboundError extends Error {
  readonly code: CertboundErrorCode;
  constructor(code: CertboundErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bad options passed to a certbound function (a bug in the caller). */
export class OptionsError extends CertboundError {
  constructor(message: string) {
    super('ERR_INVALID_OPTIONS', message);
  }
}
