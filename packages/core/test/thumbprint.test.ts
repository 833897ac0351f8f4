// x5t#S256 (RFC 8705 §3.1): unpadded base64url SHA-256 of the leaf certificate's DER, checked
// against the RFC's own Appendix A example (certificate CN=mtls).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  createEngine,
  decodeX5tS256,
  hexSha256ToX5tS256,
  parsePemCertificates,
  x5tS256,
} from '../src/index.js';
import { createTestIssuer } from './support/test-issuer.js';
import { policyFor } from './support/test-policy.js';

// RFC 8705 Appendix A: the certificate of the example, and the x5t#S256 the RFC states for it.
// The PEM was checked with `openssl x509 -outform DER | openssl dgst -sha256 -binary | base64url`.
const RFC8705_PEM = readFileSync(new URL('./fixtures/rfc8705-appendix-a.pem', import.meta.url), 'utf8');
const RFC8705_X5T_S256 = 'A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v0';

describe('RFC 8705 Appendix A test vector', () => {
  test('x5tS256 of the example certificate DER is the RFC value', () => {
    const ders = parsePemCertificates(RFC8705_PEM);
    assert.equal(ders?.length, 1);
    assert.equal(x5tS256(ders?.[0] as Uint8Array), RFC8705_X5T_S256);
  });

  test('a token bound to the RFC value is verified with the RFC certificate as PEM, DER and thumbprint', async () => {
    const as = await createTestIssuer();
    const engine = createEngine(policyFor([as], { issuer: { mutualTls: 'required' } }));
    const token = await as.sign({ cnf: { 'x5t#S256': RFC8705_X5T_S256 } });
    const der = parsePemCertificates(RFC8705_PEM)?.[0] as Uint8Array;
    for (const certificate of [{ pem: RFC8705_PEM }, { der }, { thumbprint: RFC8705_X5T_S256 }]) {
      const decision = await engine.decide({ authorization: `Bearer ${token}`, certificate });
      assert.equal(decision.allow, true, JSON.stringify(decision.reasons));
      assert.ok(decision.reasons.some((r) => r.code === 'binding_verified'));
      assert.equal(decision.certificate?.thumbprint, RFC8705_X5T_S256);
    }
  });

  test('the common mistakes do not produce the RFC value', async () => {
    const der = parsePemCertificates(RFC8705_PEM)?.[0] as Uint8Array;
    const { createHash } = await import('node:crypto');
    const mistakes = [
      createHash('sha256').update(RFC8705_PEM).digest('base64url'), // hashing the PEM text
      createHash('sha1').update(der).digest('base64url'), // SHA-1
      createHash('sha256').update(der).digest('base64'), // padded standard base64
      createHash('sha256').update(der).digest('hex'), // hex
    ];
    for (const mistake of mistakes) {
      assert.notEqual(mistake, RFC8705_X5T_S256);
    }
  });
});

describe('decodeX5tS256 and hexSha256ToX5tS256', () => {
  test('decodes a canonical value to 32 bytes', () => {
    assert.equal(decodeX5tS256(RFC8705_X5T_S256)?.length, 32);
  });
  const rejected: readonly [string, unknown][] = [
    ['padded', `${RFC8705_X5T_S256}=`],
    ['42 characters', RFC8705_X5T_S256.slice(0, 42)],
    ['44 characters', `${RFC8705_X5T_S256}A`],
    ['standard base64 alphabet', 'A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v+'],
    ['non-canonical last character (unused bits set)', 'A4DtL2JmUMhAsvJj5tKyn64SqzmuXbMrJa0n761y5v1'],
    ['hex', Buffer.from(RFC8705_X5T_S256, 'base64url').toString('hex')],
    ['SHA-1 length', 'A4DtL2JmUMhAsvJj5tKyn64Sqzm'],
    ['a number', 42],
    ['undefined', undefined],
    ['empty', ''],
  ];
  for (const [name, value] of rejected) {
    test(`rejects ${name}`, () => {
      assert.equal(decodeX5tS256(value), undefined);
    });
  }
  test('hex SHA-256 (XFCC Hash, CloudFront) converts to x5t#S256, either case', () => {
    const hex = Buffer.from(RFC8705_X5T_S256, 'base64url').toString('hex');
    assert.equal(hexSha256ToX5tS256(hex), RFC8705_X5T_S256);
    assert.equal(hexSha256ToX5tS256(hex.toUpperCase()), RFC8705_X5T_S256);
    assert.equal(hexSha256ToX5tS256(hex.slice(2)), undefined);
    assert.equal(hexSha256ToX5tS256(`${hex}0`), undefined);
  });
});
