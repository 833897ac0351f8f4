import type { DecisionCertificate } from '../decision/decision.js';
import type { CertificateInput, TransportVerdict } from '../decision/decision-input.js';
import type { ReasonCode } from '../decision/reason-code.js';
import { looksLikeCertificateDer } from './der-shape.js';
import { parsePemCertificates } from './pem.js';
import { certificateDigest, decodeX5tS256 } from './thumbprint.js';

/** The client certificate as the engine sees it, before anyone decided whether to trust it. */
export type PresentedCertificate =
  | { readonly kind: 'absent' }
  | {
      readonly kind: 'problem';
      readonly code: ReasonCode;
      readonly message: string;
      readonly source: string | undefined;
    }
  | {
      readonly kind: 'present';
      readonly digest: Buffer;
      /** x5t#S256 */
      readonly thumbprint: string;
      /** Absent when the adapter only had a thumbprint. */
      readonly der: Uint8Array | undefined;
      /** Issuer certificates as DER; a string when one of them could not be read. */
      readonly chain: readonly Uint8Array[] | string;
      readonly verifyChain: boolean;
      readonly transport: TransportVerdict | undefined;
      readonly source: string | undefined;
      /** `decision.certificate` for this certificate. */
      readonly reported: DecisionCertificate;
    };

/** Read the adapter's certificate input. Never throws; unreadable input becomes a `problem`. */
export function readPresentedCertificate(input: CertificateInput | undefined): PresentedCertificate {
  if (input === undefined || input === null || typeof input !== 'object') return { kind: 'absent' };
  const source = typeof input.source === 'string' ? input.source : undefined;
  const problem = (message: string): PresentedCertificate => ({
    kind: 'problem',
    code: 'certificate_malformed',
    message,
    source,
  });
  if ('problem' in input) {
    // Only the two codes of the contract: an adapter bug must not smuggle in another reason.
    const reported = input.problem as { readonly code?: unknown; readonly message?: unknown } | null;
    const code = reported?.code === 'certificate_source_untrusted' ? reported.code : 'certificate_malformed';
    const message =
      typeof reported?.message === 'string' ? reported.message : 'the adapter could not read the certificate';
    return { kind: 'problem', code, message, source };
  }
  let der: Uint8Array | undefined;
  let digest: Buffer | undefined;
  if ('der' in input) {
    if (!(input.der instanceof Uint8Array)) return problem('certificate DER is not bytes');
    if (input.der.length === 0) return { kind: 'absent' };
    der = input.der;
  } else if ('pem' in input) {
    if (typeof input.pem !== 'string') return problem('certificate PEM is not text');
    if (input.pem.trim().length === 0) return { kind: 'absent' };
    const certificates = parsePemCertificates(input.pem);
    if (certificates === undefined) return problem('certificate PEM is not valid PEM');
    if (certificates.length === 0) return problem('PEM text holds no CERTIFICATE block');
    if (certificates.length > 1) return problem(`expected one certificate, got ${certificates.length}`);
    der = certificates[0];
  } else if ('thumbprint' in input) {
    digest = decodeX5tS256(input.thumbprint);
    if (digest === undefined)
      return problem('certificate thumbprint is not an x5t#S256 value (43 base64url characters)');
  } else {
    return problem('certificate input has none of der, pem, thumbprint');
  }
  if (der !== undefined) {
    if (!looksLikeCertificateDer(der)) return problem('bytes are not a DER X.509 certificate');
    digest = certificateDigest(der);
  }
  const thumbprint = (digest as Buffer).toString('base64url');
  return {
    kind: 'present',
    digest: digest as Buffer,
    thumbprint,
    der,
    chain: readChain(input.chain),
    verifyChain: input.verifyChain === true,
    transport: input.transport,
    source,
    reported: reportedCertificate(thumbprint, source, input.transport),
  };
}

/** What a decision reports about the certificate, built without spreads (it is on every request). */
function reportedCertificate(
  thumbprint: string,
  source: string | undefined,
  transport: TransportVerdict | undefined,
): DecisionCertificate {
  const reported: { -readonly [K in keyof DecisionCertificate]: DecisionCertificate[K] } = { thumbprint };
  if (source !== undefined) reported.source = source;
  if (transport) {
    reported.transportVerified = transport.verified;
    if (transport.error) reported.transportError = transport.error;
  }
  return Object.freeze(reported);
}

function readChain(chain: CertificateInput['chain']): readonly Uint8Array[] | string {
  if (chain === undefined) return [];
  if (!Array.isArray(chain) || chain.length > 16) return 'chain is not a list of at most 16 certificates';
  const certificates: Uint8Array[] = [];
  for (const element of chain) {
    const ders =
      element instanceof Uint8Array
        ? [element]
        : typeof element === 'string'
          ? parsePemCertificates(element)
          : undefined;
    if (ders === undefined || ders.length === 0) return 'a chain certificate is not a certificate';
    for (const der of ders) {
      if (!looksLikeCertificateDer(der)) return 'a chain certificate is not DER X.509';
      certificates.push(der);
    }
  }
  return certificates;
}
