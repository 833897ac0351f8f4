import { randomBytes } from 'node:crypto';
import { BitString, Integer, OctetString } from 'asn1js';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  Extension,
  ExtKeyUsage,
  GeneralName,
  GeneralNames,
} from 'pkijs';
import { toPem } from '../certificate/pem.js';
import { x5tS256 } from '../certificate/thumbprint.js';
import { distinguishedName } from './distinguished-name.js';
import { generateKeyPair, type KeyAlgorithm, privateKeyToPem } from './key-pair.js';
import { ensurePkijsEngine } from './webcrypto-engine.js';

const DAY = 86_400_000;

export interface IssuedCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
  readonly privateKeyPem: string;
  readonly keys: CryptoKeyPair;
  /** x5t#S256 of the certificate. */
  readonly thumbprint: string;
  readonly subjectCommonName: string;
}

export interface CertificateRequest {
  readonly commonName: string;
  readonly organization?: string;
  readonly dnsNames?: readonly string[];
  readonly uris?: readonly string[];
  readonly emails?: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** `client` (clientAuth EKU, default), `server` (serverAuth) or `ca` (a CA certificate). */
  readonly profile?: 'client' | 'server' | 'ca';
  readonly keyAlgorithm?: KeyAlgorithm;
  /** Reuse an existing key pair (e.g. "same subject, other key" tests use a new one instead). */
  readonly keys?: CryptoKeyPair;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly validityDays?: number;
  readonly serialNumber?: Uint8Array;
}

/** The signer of a certificate: a CA's certificate and private key, or nothing for self-signed. */
export interface Signer {
  readonly certificate: Certificate;
  readonly privateKey: CryptoKey;
}

/**
 * Issue an X.509 v3 certificate with pkijs and Web Crypto (no openssl). Without a signer the
 * certificate is self-signed.
 */
export async function issueCertificate(
  request: CertificateRequest,
  signer?: Signer,
): Promise<IssuedCertificate> {
  ensurePkijsEngine();
  const keys = request.keys ?? (await generateKeyPair(request.keyAlgorithm ?? 'ec'));
  const profile = request.profile ?? 'client';
  const certificate = new Certificate();
  certificate.version = 2;
  const serial = request.serialNumber ?? randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f; // positive INTEGER
  // DER INTEGERs are minimal (X.690 §8.3.2): a leading 0x00 is only allowed before a byte >= 0x80.
  // OpenSSL (Node's X509Certificate, TLS) rejects the certificate otherwise ("illegal padding").
  if (serial[0] === 0 && serial.length > 1 && (serial[1] as number) < 0x80) serial[0] = 0x01;
  certificate.serialNumber = new Integer({ valueHex: serial });
  certificate.subject = distinguishedName(request.commonName, request.organization);
  if (signer) certificate.issuer = signer.certificate.subject;
  else certificate.issuer = distinguishedName(request.commonName, request.organization);
  const notBefore = request.notBefore ?? new Date(Date.now() - 5 * 60_000);
  certificate.notBefore.value = notBefore;
  certificate.notAfter.value =
    request.notAfter ?? new Date(notBefore.getTime() + (request.validityDays ?? 365) * DAY);
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey);

  const subjectKeyId = new Uint8Array(
    await crypto.subtle.digest(
      'SHA-1',
      new Uint8Array(certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
    ),
  );
  const extensions: Extension[] = [
    new Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: new BasicConstraints({ cA: profile === 'ca' }).toSchema().toBER(false),
    }),
    new Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage(profile).toBER(false) }),
    new Extension({
      extnID: '2.5.29.14',
      extnValue: new OctetString({ valueHex: subjectKeyId }).toBER(false),
    }),
  ];
  if (signer) {
    const issuerKeyId = signer.certificate.extensions?.find((e) => e.extnID === '2.5.29.14');
    if (issuerKeyId) {
      extensions.push(
        new Extension({
          extnID: '2.5.29.35',
          extnValue: new AuthorityKeyIdentifier({
            // extnValue wraps the DER of the SKI's own OCTET STRING: take the key id bytes inside it.
            keyIdentifier: new OctetString({
              valueHex: (issuerKeyId.parsedValue as OctetString).valueBlock.valueHexView,
            }),
          })
            .toSchema()
            .toBER(false),
        }),
      );
    }
  }
  if (profile !== 'ca') {
    const purpose = profile === 'server' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2';
    extensions.push(
      new Extension({
        extnID: '2.5.29.37',
        extnValue: new ExtKeyUsage({ keyPurposes: [purpose] }).toSchema().toBER(false),
      }),
    );
  }
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => new GeneralName({ type: 2, value })),
    ...(request.ipAddresses ?? []).map(
      (value) => new GeneralName({ type: 7, value: new OctetString({ valueHex: ipBytes(value) }) }),
    ),
    ...(request.uris ?? []).map((value) => new GeneralName({ type: 6, value })),
    ...(request.emails ?? []).map((value) => new GeneralName({ type: 1, value })),
  ];
  if (altNames.length > 0) {
    extensions.push(
      new Extension({
        extnID: '2.5.29.17',
        extnValue: new GeneralNames({ names: altNames }).toSchema().toBER(false),
      }),
    );
  }
  certificate.extensions = extensions;
  await certificate.sign(signer?.privateKey ?? keys.privateKey, 'SHA-256');
  const der = new Uint8Array(certificate.toSchema(true).toBER(false));
  return {
    der,
    pem: toPem(der),
    privateKeyPem: await privateKeyToPem(keys.privateKey),
    keys,
    thumbprint: x5tS256(der),
    subjectCommonName: request.commonName,
  };
}

function keyUsage(profile: 'client' | 'server' | 'ca'): BitString {
  // bits: 0 digitalSignature, 2 keyEncipherment, 5 keyCertSign, 6 cRLSign
  const byte = profile === 'ca' ? 0x06 | 0x80 : 0x80 | 0x20;
  return new BitString({ valueHex: new Uint8Array([byte]), unusedBits: profile === 'ca' ? 1 : 5 });
}

function ipBytes(ip: string): Uint8Array {
  if (ip.includes(':')) {
    if (ip === '::1') return new Uint8Array([...new Array(15).fill(0), 1]);
    throw new Error('only ::1 is supported among IPv6 addresses');
  }
  return new Uint8Array(ip.split('.').map((part) => Number(part)));
}
