// The full mutualTls mode table (ONTAP's use-mutual-tls semantics, RFC 8705 §3): every mode ×
// bound/unbound token × matching/other/same-subject-other-key/absent certificate, with the
// certificate given as DER, PEM and a precomputed thumbprint.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  type CertificateInput,
  createCertificateAuthority,
  createEngine,
  type Engine,
  type IssuedCertificate,
  type MutualTlsMode,
} from '../src/index.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';
import { policyFor } from './support/test-policy.js';

type TokenKind = 'bound' | 'unbound';
type CertificateKind = 'matching' | 'other' | 'same-subject-other-key' | 'absent';

interface Expectation {
  readonly allow: boolean;
  readonly reasons: readonly string[];
}

const allowWith = (binding: string): Expectation => ({
  allow: true,
  reasons: ['token_verified', binding, 'rules_absent'],
});
const denyWith = (code: string): Expectation => ({ allow: false, reasons: ['token_verified', code] });

const EXPECTED: Record<MutualTlsMode, Record<TokenKind, Record<CertificateKind, Expectation>>> = {
  none: {
    bound: {
      matching: allowWith('binding_not_checked'),
      other: allowWith('binding_not_checked'),
      'same-subject-other-key': allowWith('binding_not_checked'),
      absent: allowWith('binding_not_checked'),
    },
    unbound: {
      matching: allowWith('binding_not_checked'),
      other: allowWith('binding_not_checked'),
      'same-subject-other-key': allowWith('binding_not_checked'),
      absent: allowWith('binding_not_checked'),
    },
  },
  request: {
    bound: {
      matching: allowWith('binding_verified'),
      other: denyWith('binding_mismatch'),
      'same-subject-other-key': denyWith('binding_mismatch'),
      absent: denyWith('certificate_missing'),
    },
    unbound: {
      matching: allowWith('binding_not_requested'),
      other: allowWith('binding_not_requested'),
      'same-subject-other-key': allowWith('binding_not_requested'),
      absent: allowWith('binding_not_requested'),
    },
  },
  required: {
    bound: {
      matching: allowWith('binding_verified'),
      other: denyWith('binding_mismatch'),
      'same-subject-other-key': denyWith('binding_mismatch'),
      absent: denyWith('certificate_missing'),
    },
    unbound: {
      matching: denyWith('binding_required'),
      other: denyWith('binding_required'),
      'same-subject-other-key': denyWith('binding_required'),
      absent: denyWith('binding_required'),
    },
  },
};

const FORMS = ['der', 'pem', 'thumbprint'] as const;

function certificateInput(certificate: IssuedCertificate, form: (typeof FORMS)[number]): CertificateInput {
  if (form === 'der') return { der: certificate.der, source: 'tls' };
  if (form === 'pem') return { pem: certificate.pem, source: 'tls' };
  return { thumbprint: certificate.thumbprint, source: 'tls' };
}

describe('mutualTls mode table', () => {
  let as: TestIssuer;
  let client: IssuedCertificate;
  const certificates = new Map<CertificateKind, IssuedCertificate | undefined>();
  const tokens = new Map<TokenKind, string>();
  const engines = new Map<MutualTlsMode, Engine>();

  before(async () => {
    as = await createTestIssuer();
    const ca = await createCertificateAuthority();
    client = await ca.issue({ commonName: 'client-a', dnsNames: ['client-a.test'] });
    certificates.set('matching', client);
    certificates.set('other', await ca.issue({ commonName: 'client-b' }));
    // Same CA, same subject and SANs, a new key: a different certificate, so a different thumbprint.
    certificates.set(
      'same-subject-other-key',
      await ca.issue({ commonName: 'client-a', dnsNames: ['client-a.test'] }),
    );
    certificates.set('absent', undefined);
    tokens.set('bound', await as.sign({ cnf: { 'x5t#S256': client.thumbprint } }));
    tokens.set('unbound', await as.sign());
    for (const mode of ['none', 'request', 'required'] as const) {
      engines.set(mode, createEngine(policyFor([as], { issuer: { mutualTls: mode } })));
    }
  });

  for (const mode of ['none', 'request', 'required'] as const) {
    for (const tokenKind of ['bound', 'unbound'] as const) {
      for (const certificateKind of ['matching', 'other', 'same-subject-other-key', 'absent'] as const) {
        const expected = EXPECTED[mode][tokenKind][certificateKind];
        const forms = certificateKind === 'absent' ? (['absent'] as const) : FORMS;
        for (const form of forms) {
          const name = `${mode} × ${tokenKind} token × ${certificateKind} certificate (${form}) → ${
            expected.allow ? 'allow' : 'deny'
          } ${expected.reasons[1]}`;
          test(name, async () => {
            const certificate = certificates.get(certificateKind);
            const input = {
              authorization: `Bearer ${tokens.get(tokenKind)}`,
              ...(certificate !== undefined && form !== 'absent'
                ? { certificate: certificateInput(certificate, form) }
                : {}),
            };
            const decision = await (engines.get(mode) as Engine).decide(input);
            assert.equal(decision.allow, expected.allow);
            assert.deepEqual(
              decision.reasons.map((r) => r.code),
              expected.reasons,
            );
            assert.equal(decision.mode, mode);
            assert.equal(decision.issuer, 'as1');
            assert.equal(decision.subject, 'user-1');
            assert.equal(decision.clientId, 'client-1');
            assert.deepEqual(decision.scopes, ['volumes.read']);
            if (expected.allow) {
              assert.equal(decision.status, 200);
              assert.equal(decision.wwwAuthenticate, undefined);
              assert.equal(decision.error, undefined);
            } else {
              assert.equal(decision.status, 401);
              assert.equal(decision.error, 'invalid_token');
              assert.match(
                decision.wwwAuthenticate ?? '',
                /^Bearer error="invalid_token", error_description="[^"]+"$/,
              );
            }
            if (certificate !== undefined) {
              assert.equal(decision.certificate?.thumbprint, certificate.thumbprint);
              assert.equal(decision.certificate?.source, 'tls');
            } else {
              assert.equal(decision.certificate, undefined);
            }
          });
        }
      }
    }
  }
});
