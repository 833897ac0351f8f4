import { type BitString, Integer } from 'asn1js';
import { BasicConstraints, type CertificateRevocationList, ExtKeyUsage } from 'pkijs';
import type { ChainVerification } from '../ports/chain-verifier.js';
import type { CertificationPath, PathCertificate } from './certification-path.js';
import type { SignatureCache } from './signature-cache.js';

export interface ChainCheckContext {
  readonly now: Date;
  readonly crls: readonly { readonly crl: CertificateRevocationList; readonly id: string }[];
  readonly signatures: SignatureCache;
}

/** A failure, or undefined when the check holds. */
export type ChainCheck = (
  path: CertificationPath,
  context: ChainCheckContext,
) => Promise<ChainVerification | undefined> | ChainVerification | undefined;

const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const EXTENDED_KEY_USAGE = '2.5.29.37';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
/** Extensions whose meaning we apply, or that RFC 5280 lets a path validator ignore. */
const UNDERSTOOD_EXTENSIONS = new Set([
  BASIC_CONSTRAINTS,
  KEY_USAGE,
  EXTENDED_KEY_USAGE,
  '2.5.29.14', // subjectKeyIdentifier
  '2.5.29.35', // authorityKeyIdentifier
  '2.5.29.17', // subjectAltName
  '2.5.29.32', // certificatePolicies: no policy is required (initial-any-policy, RFC 5280 §6.1.1)
]);

const invalid = (message: string): ChainVerification => ({
  ok: false,
  code: 'certificate_chain_invalid',
  message,
});

/** The certificates of the path the trust anchor vouches for (the anchor itself is configuration). */
const belowAnchor = (path: CertificationPath): readonly PathCertificate[] =>
  path.length === 1 ? path : path.slice(0, -1);

/** Issuers of the path: intermediates and the anchor. */
const issuers = (path: CertificationPath): readonly PathCertificate[] => path.slice(1);

/** RFC 5280 §6.1.3 (a)(2): every certificate below the anchor is within its validity period. */
export const validityPeriods: ChainCheck = (path, { now }) => {
  for (const { certificate, name } of belowAnchor(path)) {
    const notAfter = certificate.notAfter.value;
    const notBefore = certificate.notBefore.value;
    if (now.getTime() > notAfter.getTime())
      return {
        ok: false,
        code: 'certificate_expired',
        message: `${name} expired at ${notAfter.toISOString()}`,
      };
    if (now.getTime() < notBefore.getTime())
      return {
        ok: false,
        code: 'certificate_not_yet_valid',
        message: `${name} is not valid before ${notBefore.toISOString()}`,
      };
  }
  return undefined;
};

/** RFC 5280 §6.1.4 (n): a certificate whose critical extension we do not process is rejected. */
export const criticalExtensionsUnderstood: ChainCheck = (path) => {
  for (const { certificate, name } of belowAnchor(path)) {
    const unknown = certificate.extensions?.find((e) => e.critical && !UNDERSTOOD_EXTENSIONS.has(e.extnID));
    if (unknown !== undefined)
      return invalid(`${name} has an unsupported critical extension ${unknown.extnID}`);
  }
  return undefined;
};

/**
 * RFC 5280 §6.1.4 (k): issuers are CAs (basicConstraints cA TRUE). An anchor without the
 * extension (a v1 root) is accepted because the operator chose to trust it.
 */
export const issuersAreCertificateAuthorities: ChainCheck = (path) => {
  const anchorIndex = path.length - 1;
  for (const [index, issuer] of issuers(path).entries()) {
    const constraints = extensionValue(issuer, BASIC_CONSTRAINTS);
    if (constraints === undefined && index + 1 === anchorIndex) continue;
    if (!(constraints instanceof BasicConstraints) || constraints.cA !== true)
      return invalid(`${issuer.name} issued a certificate but is not a CA (basicConstraints cA is not true)`);
  }
  return undefined;
};

/** RFC 5280 §4.2.1.9 / §6.1.4 (l, m): at most pathLenConstraint non-self-issued CAs follow an issuer. */
export const pathLengthConstraints: ChainCheck = (path) => {
  for (let index = 1; index < path.length; index++) {
    const issuer = path[index] as PathCertificate;
    const constraints = extensionValue(issuer, BASIC_CONSTRAINTS);
    if (!(constraints instanceof BasicConstraints) || constraints.pathLenConstraint === undefined) continue;
    const limit =
      constraints.pathLenConstraint instanceof Integer
        ? constraints.pathLenConstraint.valueBlock.valueDec
        : constraints.pathLenConstraint;
    const following = path
      .slice(1, index)
      .filter((ca) => !ca.certificate.subject.isEqual(ca.certificate.issuer)).length;
    if (following > limit)
      return invalid(
        `${issuer.name} allows ${limit} intermediate CA(s) below it (pathLenConstraint), found ${following}`,
      );
  }
  return undefined;
};

/** RFC 5280 §4.2.1.3 / §6.1.4 (n): an issuer with a keyUsage extension must assert keyCertSign. */
export const issuerKeyUsage: ChainCheck = (path) => {
  for (const issuer of issuers(path)) {
    if (!hasExtension(issuer, KEY_USAGE)) continue;
    if (!keyUsageBit(issuer, 0x04))
      return invalid(`${issuer.name} issued a certificate but its keyUsage lacks keyCertSign`);
  }
  return undefined;
};

/** RFC 5280 §4.2.1.12: a leaf that restricts its purposes must allow TLS client authentication. */
export const leafExtendedKeyUsage: ChainCheck = (path) => {
  const leaf = path[0] as PathCertificate;
  if (!hasExtension(leaf, EXTENDED_KEY_USAGE)) return undefined;
  const usage = extensionValue(leaf, EXTENDED_KEY_USAGE);
  if (
    usage instanceof ExtKeyUsage &&
    (usage.keyPurposes.includes(CLIENT_AUTH) || usage.keyPurposes.includes(ANY_EXTENDED_KEY_USAGE))
  )
    return undefined;
  return invalid(`${leaf.name} is not for TLS client authentication (extendedKeyUsage lacks clientAuth)`);
};

/**
 * RFC 5280 §6.3: each certificate below the anchor is looked up in the CRLs its issuer signed.
 * No CRL from that issuer: not checked (CRLs are optional per CA). A CRL from that issuer that is no
 * longer current (nextUpdate passed): revocation status unknown, denied rather than assumed good.
 */
export const notRevoked: ChainCheck = async (path, { now, crls, signatures }) => {
  if (crls.length === 0 || path.length === 1) return undefined;
  for (let index = 0; index < path.length - 1; index++) {
    const subject = path[index] as PathCertificate;
    const issuer = path[index + 1] as PathCertificate;
    let current = false;
    let stale = false;
    for (const { crl, id } of crls) {
      if (!crl.issuer.isEqual(subject.certificate.issuer)) continue;
      if (hasExtension(issuer, KEY_USAGE) && !keyUsageBit(issuer, 0x02)) continue; // no cRLSign
      const signed = await signatures.verified(`${issuer.digest}>crl:${id}`, () =>
        crl.verify({ issuerCertificate: issuer.certificate }),
      );
      if (!signed) continue;
      const nextUpdate = crl.nextUpdate?.value;
      if (crl.thisUpdate.value.getTime() > now.getTime() || (nextUpdate !== undefined && nextUpdate < now)) {
        stale = true;
        continue;
      }
      current = true;
      if (crl.isCertificateRevoked(subject.certificate))
        return {
          ok: false,
          code: 'certificate_revoked',
          message: `${subject.name} is revoked by a CRL of ${issuer.name}`,
        };
    }
    if (stale && !current)
      return invalid(
        `revocation status of ${subject.name} is unknown: the CRL of ${issuer.name} is not current`,
      );
  }
  return undefined;
};

/** In order: the first failure decides, so dates come before structure and revocation last. */
export const CHAIN_CHECKS: readonly ChainCheck[] = [
  validityPeriods,
  criticalExtensionsUnderstood,
  issuersAreCertificateAuthorities,
  pathLengthConstraints,
  issuerKeyUsage,
  leafExtendedKeyUsage,
  notRevoked,
];

function hasExtension({ certificate }: PathCertificate, oid: string): boolean {
  return certificate.extensions?.some((e) => e.extnID === oid) === true;
}

function extensionValue({ certificate }: PathCertificate, oid: string): unknown {
  return certificate.extensions?.find((e) => e.extnID === oid)?.parsedValue;
}

/** keyUsage bits live in the first byte: 0x04 keyCertSign (bit 5), 0x02 cRLSign (bit 6). */
function keyUsageBit(certificate: PathCertificate, mask: number): boolean {
  const bits = extensionValue(certificate, KEY_USAGE) as BitString | undefined;
  const first = bits?.valueBlock?.valueHexView?.[0];
  return first !== undefined && (first & mask) === mask;
}
