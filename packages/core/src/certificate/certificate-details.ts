import { AltName, Certificate, GeneralNames, type RelativeDistinguishedNames } from 'pkijs';

export interface CertificateDetails {
  readonly subject: string;
  readonly issuer: string;
  readonly commonNames: readonly string[];
  readonly organizations: readonly string[];
  readonly dnsNames: readonly string[];
  readonly uris: readonly string[];
  readonly emails: readonly string[];
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};
const SUBJECT_ALT_NAME = '2.5.29.17';

/**
 * Parse what rules and `--explain` need from a certificate (pkijs). Costs ~100 µs, so the engine
 * only calls it when a rule has certificate conditions. Returns undefined for unparseable input.
 */
export function readCertificateDetails(der: Uint8Array): CertificateDetails | undefined {
  try {
    const certificate = Certificate.fromBER(new Uint8Array(der));
    const names = subjectAltNames(certificate);
    return {
      subject: distinguishedName(certificate.subject),
      issuer: distinguishedName(certificate.issuer),
      commonNames: attributeValues(certificate.subject, '2.5.4.3'),
      organizations: attributeValues(certificate.subject, '2.5.4.10'),
      dnsNames: names.filter((n) => n.type === 2).map((n) => String(n.value)),
      uris: names.filter((n) => n.type === 6).map((n) => String(n.value)),
      emails: names.filter((n) => n.type === 1).map((n) => String(n.value)),
      serialNumber: Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString('hex'),
      notBefore: certificate.notBefore.value,
      notAfter: certificate.notAfter.value,
    };
  } catch {
    return undefined;
  }
}

function subjectAltNames(certificate: Certificate): { type: number; value: unknown }[] {
  const extension = certificate.extensions?.find((e) => e.extnID === SUBJECT_ALT_NAME);
  if (!extension) return [];
  // pkijs parses subjectAltName into an AltName (`altNames`); a bare GeneralNames has `names`.
  const value = extension.parsedValue;
  const names = value instanceof AltName ? value.altNames : value instanceof GeneralNames ? value.names : [];
  return names.map((n) => ({ type: n.type, value: n.value }));
}

function attributeValues(name: RelativeDistinguishedNames, oid: string): string[] {
  return name.typesAndValues.filter((tv) => tv.type === oid).map((tv) => String(tv.value.valueBlock.value));
}

/** RFC 4514-style string, most significant RDN last as OpenSSL prints with `-nameopt RFC2253`. */
function distinguishedName(name: RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${ATTRIBUTE_NAMES[tv.type] ?? tv.type}=${escapeDnValue(String(tv.value.valueBlock.value))}`)
    .reverse()
    .join(',');
}

function escapeDnValue(value: string): string {
  return value
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}
