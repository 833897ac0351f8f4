import { Set as Asn1Set, Sequence, Utf8String } from 'asn1js';
import { AttributeTypeAndValue, RelativeDistinguishedNames } from 'pkijs';

/**
 * `O=organization, CN=commonName` with one attribute per RDN (RFC 5280 §4.1.2.4). pkijs puts every
 * attribute of a RelativeDistinguishedNames into a single SET (a multi-valued RDN, `O=x + CN=y`),
 * so the SEQUENCE is built here and parsed back.
 */
export function distinguishedName(commonName: string, organization?: string): RelativeDistinguishedNames {
  const attributes = [
    ...(organization !== undefined ? [['2.5.4.10', organization] as const] : []),
    ['2.5.4.3', commonName] as const,
  ];
  const sequence = new Sequence({
    value: attributes.map(
      ([type, value]) =>
        new Asn1Set({
          value: [new AttributeTypeAndValue({ type, value: new Utf8String({ value }) }).toSchema()],
        }),
    ),
  });
  return RelativeDistinguishedNames.fromBER(sequence.toBER(false));
}
