import type { CertificateInput } from '../decision/decision-input.js';
import { type PresentedCertificate, readPresentedCertificate } from './presented-certificate.js';

const prepared = new WeakMap<object, PresentedCertificate>();

/**
 * Read (and hash) a certificate input once, for an adapter that sends the same certificate with
 * many requests — e.g. every request of one TLS 1.3 connection. Returns a frozen copy of the input
 * (DER copied, so later changes to the caller's buffer cannot reach it) that `decide` recognises
 * and does not read again. Untrusted input is not a concern here: the result decides exactly as
 * the plain input would, including a certificate_malformed problem.
 */
export function prepareCertificate(input: CertificateInput): CertificateInput {
  const bytes = (value: Uint8Array | string) =>
    value instanceof Uint8Array ? Uint8Array.from(value) : value;
  const copy: Record<string, unknown> = { ...input };
  if ('der' in input && input.der instanceof Uint8Array) copy.der = Uint8Array.from(input.der);
  if (Array.isArray(input.chain)) copy.chain = Object.freeze(input.chain.map(bytes));
  Object.freeze(copy);
  const result = copy as unknown as CertificateInput;
  prepared.set(result, readPresentedCertificate(result));
  return result;
}

/** The presented certificate of an input, read now, or once already by prepareCertificate. */
export function presentedCertificate(input: CertificateInput | undefined): PresentedCertificate {
  if (input !== null && typeof input === 'object') {
    const known = prepared.get(input);
    if (known !== undefined) return known;
  }
  return readPresentedCertificate(input);
}
