import { Certificate } from 'pkijs';
import {
  type CertificateRequest,
  type IssuedCertificate,
  issueCertificate,
  type Signer,
} from './issue-certificate.js';
import type { KeyAlgorithm } from './key-pair.js';

/** A CA that issues certificates: the dev PKI of `certbound pki` and of every test. */
export interface CertificateAuthority {
  readonly certificate: IssuedCertificate;
  readonly signer: Signer;
  /** Issue a certificate signed by this CA (client profile by default). */
  issue(request: CertificateRequest): Promise<IssuedCertificate>;
  /** A subordinate CA signed by this one (for chain tests). */
  intermediate(
    commonName: string,
    options?: Omit<CertificateRequest, 'commonName' | 'profile'>,
  ): Promise<CertificateAuthority>;
}

/** Wrap an existing CA certificate and its key (e.g. read back from `certbound pki init` files). */
export function certificateAuthorityFrom(certificate: IssuedCertificate): CertificateAuthority {
  const signer: Signer = {
    certificate: Certificate.fromBER(new Uint8Array(certificate.der)),
    privateKey: certificate.keys.privateKey,
  };
  return {
    certificate,
    signer,
    issue: (request) => issueCertificate(request, signer),
    intermediate: async (commonName, options = {}) =>
      certificateAuthorityFrom(await issueCertificate({ ...options, commonName, profile: 'ca' }, signer)),
  };
}

/** A new self-signed root CA. */
export async function createCertificateAuthority(
  options: {
    commonName?: string;
    keyAlgorithm?: KeyAlgorithm;
    validityDays?: number;
    notBefore?: Date;
    notAfter?: Date;
  } = {},
): Promise<CertificateAuthority> {
  const root = await issueCertificate({
    commonName: options.commonName ?? 'certbound dev CA',
    profile: 'ca',
    validityDays: options.validityDays ?? 3650,
    ...(options.keyAlgorithm ? { keyAlgorithm: options.keyAlgorithm } : {}),
    ...(options.notBefore ? { notBefore: options.notBefore } : {}),
    ...(options.notAfter ? { notAfter: options.notAfter } : {}),
  });
  return certificateAuthorityFrom(root);
}
