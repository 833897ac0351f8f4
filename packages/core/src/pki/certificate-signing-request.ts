import {
  Attribute,
  CertificationRequest,
  Extension,
  Extensions,
  ExtKeyUsage,
  GeneralName,
  GeneralNames,
} from 'pkijs';
import { toPem } from '../certificate/pem.js';
import { distinguishedName } from './distinguished-name.js';
import { generateKeyPair, type KeyAlgorithm, privateKeyToPem } from './key-pair.js';
import { ensurePkijsEngine } from './webcrypto-engine.js';

export interface SigningRequestOptions {
  readonly commonName: string;
  readonly organization?: string;
  readonly dnsNames?: readonly string[];
  readonly uris?: readonly string[];
  readonly emails?: readonly string[];
  /** Extended key usage asked for: `client` (clientAuth, default) or `server` (serverAuth). */
  readonly profile?: 'client' | 'server';
  readonly keyAlgorithm?: KeyAlgorithm;
  readonly keys?: CryptoKeyPair;
}

export interface CertificateSigningRequest {
  readonly der: Uint8Array;
  /** `-----BEGIN CERTIFICATE REQUEST-----` (RFC 7468 §7). */
  readonly pem: string;
  readonly privateKeyPem: string;
  readonly keys: CryptoKeyPair;
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14'; // PKCS#9 extensionRequest (RFC 2985 §5.4.2)

/**
 * A PKCS#10 certificate signing request (RFC 2986) for a real CA, signed with a new key (EC P-256
 * by default). SANs and the key purpose travel in an extensionRequest attribute; the CA decides
 * whether to honour them.
 */
export async function createCertificateSigningRequest(
  options: SigningRequestOptions,
): Promise<CertificateSigningRequest> {
  ensurePkijsEngine();
  const keys = options.keys ?? (await generateKeyPair(options.keyAlgorithm ?? 'ec'));
  const request = new CertificationRequest();
  request.version = 0;
  request.subject = distinguishedName(options.commonName, options.organization);
  await request.subjectPublicKeyInfo.importKey(keys.publicKey);

  const purpose = options.profile === 'server' ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2';
  const extensions = [
    new Extension({
      extnID: '2.5.29.37',
      extnValue: new ExtKeyUsage({ keyPurposes: [purpose] }).toSchema().toBER(false),
    }),
  ];
  const altNames = [
    ...(options.dnsNames ?? []).map((value) => new GeneralName({ type: 2, value })),
    ...(options.uris ?? []).map((value) => new GeneralName({ type: 6, value })),
    ...(options.emails ?? []).map((value) => new GeneralName({ type: 1, value })),
  ];
  if (altNames.length > 0) {
    extensions.push(
      new Extension({
        extnID: '2.5.29.17',
        extnValue: new GeneralNames({ names: altNames }).toSchema().toBER(false),
      }),
    );
  }
  request.attributes = [
    new Attribute({ type: EXTENSION_REQUEST, values: [new Extensions({ extensions }).toSchema()] }),
  ];
  await request.sign(keys.privateKey, 'SHA-256');
  const der = new Uint8Array(request.toSchema().toBER(false));
  return {
    der,
    pem: toPem(der, 'CERTIFICATE REQUEST'),
    privateKeyPem: await privateKeyToPem(keys.privateKey),
    keys,
  };
}
