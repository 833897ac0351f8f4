import { Integer, OctetString } from 'asn1js';
import {
  AuthorityKeyIdentifier,
  Certificate,
  CertificateRevocationList,
  Extension,
  Extensions,
  RevokedCertificate,
  Time,
} from 'pkijs';
import { toPem } from '../certificate/pem.js';
import type { CertificateAuthority } from './certificate-authority.js';
import { ensurePkijsEngine } from './webcrypto-engine.js';

/** One revoked certificate: by serial number (bytes or hex) or by the certificate itself. */
export type RevokedEntry = (
  | { readonly serialNumber: Uint8Array | string }
  | { readonly certificate: { readonly der: Uint8Array } }
) & {
  /** Revocation date; default: thisUpdate. */
  readonly date?: Date;
};

export interface CrlRequest {
  readonly revoked?: readonly RevokedEntry[];
  /** Default: now. */
  readonly thisUpdate?: Date;
  /** Default: thisUpdate + 7 days. RFC 5280 §5.1.2.5 requires conforming issuers to set it. */
  readonly nextUpdate?: Date;
  /** The cRLNumber extension (RFC 5280 §5.2.3); default 1. */
  readonly crlNumber?: number;
}

export interface IssuedCrl {
  readonly der: Uint8Array;
  /** PEM with the `X509 CRL` label (RFC 7468 §5). */
  readonly pem: string;
}

const DAY = 86_400_000;

/** Issue a v2 CRL (RFC 5280 §5) signed by a CA of the dev PKI, for tests and `certbound pki`. */
export async function issueCrl(ca: CertificateAuthority, request: CrlRequest = {}): Promise<IssuedCrl> {
  ensurePkijsEngine();
  const thisUpdate = request.thisUpdate ?? new Date();
  const nextUpdate = request.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * DAY);
  const crl = new CertificateRevocationList();
  crl.version = 1;
  crl.issuer = ca.signer.certificate.subject;
  crl.thisUpdate = new Time({ type: 0, value: thisUpdate });
  crl.nextUpdate = new Time({ type: 0, value: nextUpdate });
  const revoked = (request.revoked ?? []).map(
    (entry) =>
      new RevokedCertificate({
        userCertificate: new Integer({ valueHex: serialOf(entry) }),
        revocationDate: new Time({ type: 0, value: entry.date ?? thisUpdate }),
      }),
  );
  // An empty revokedCertificates SEQUENCE must be left out entirely (RFC 5280 §5.1.2.6).
  if (revoked.length > 0) crl.revokedCertificates = revoked;
  const extensions: Extension[] = [
    new Extension({
      extnID: '2.5.29.20', // cRLNumber
      extnValue: new Integer({ value: request.crlNumber ?? 1 }).toBER(false),
    }),
  ];
  const keyId = subjectKeyIdentifier(ca.signer.certificate);
  if (keyId !== undefined) {
    extensions.push(
      new Extension({
        extnID: '2.5.29.35', // authorityKeyIdentifier, required in CRLs (RFC 5280 §5.2.1)
        extnValue: new AuthorityKeyIdentifier({ keyIdentifier: new OctetString({ valueHex: keyId }) })
          .toSchema()
          .toBER(false),
      }),
    );
  }
  crl.crlExtensions = new Extensions({ extensions });
  await crl.sign(ca.signer.privateKey, 'SHA-256');
  const der = new Uint8Array(crl.toSchema(true).toBER(false));
  return { der, pem: toPem(der, 'X509 CRL') };
}

function serialOf(entry: RevokedEntry): Uint8Array {
  if ('certificate' in entry) {
    // The serial as encoded in the certificate, so the CRL entry matches it byte for byte.
    return readSerialNumber(entry.certificate.der);
  }
  const serial = entry.serialNumber;
  if (typeof serial !== 'string') return serial;
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(serial)) throw new TypeError('serialNumber must be hex bytes');
  return new Uint8Array(Buffer.from(serial, 'hex'));
}

function readSerialNumber(der: Uint8Array): Uint8Array {
  const certificate = Certificate.fromBER(new Uint8Array(der));
  return new Uint8Array(certificate.serialNumber.valueBlock.valueHexView);
}

function subjectKeyIdentifier(certificate: Certificate): Uint8Array | undefined {
  const extension = certificate.extensions?.find((e) => e.extnID === '2.5.29.14');
  const parsed = extension?.parsedValue as OctetString | undefined;
  return parsed === undefined ? undefined : new Uint8Array(parsed.valueBlock.valueHexView);
}
