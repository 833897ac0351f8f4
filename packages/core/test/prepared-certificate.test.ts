// prepareCertificate lets an adapter read and hash a connection's certificate once; the decisions
// must be exactly those of the plain input, and the caller's buffer must not leak into it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCertificateAuthority, createEngine, type Decision, prepareCertificate } from '../src/index.js';
import { createTestIssuer } from './support/test-issuer.js';
import { policyFor } from './support/test-policy.js';

const summary = (d: Decision) => ({
  allow: d.allow,
  status: d.status,
  codes: d.reasons.map((r) => r.code),
  certificate: d.certificate,
});

test('a prepared certificate decides as the plain input, and is immune to later buffer changes', async () => {
  const as = await createTestIssuer();
  const ca = await createCertificateAuthority();
  const own = await ca.issue({ commonName: 'own' });
  const other = await ca.issue({ commonName: 'other' });
  const engine = createEngine(policyFor([as], { issuer: { mutualTls: 'required' } }));
  const token = await as.sign({ cnf: { 'x5t#S256': own.thumbprint } });
  const decide = (certificate: Parameters<typeof prepareCertificate>[0]) =>
    engine.decide({ authorization: `Bearer ${token}`, certificate });

  for (const input of [
    { der: own.der, source: 'tls' },
    { der: other.der, source: 'tls' },
    { pem: own.pem },
    { thumbprint: other.thumbprint },
    { der: new Uint8Array([1, 2, 3]) },
    { problem: { code: 'certificate_malformed' as const, message: 'bad header' } },
  ]) {
    assert.deepEqual(summary(await decide(prepareCertificate(input))), summary(await decide(input)));
  }

  const buffer = Uint8Array.from(own.der);
  const prepared = prepareCertificate({ der: buffer, source: 'tls' });
  assert.ok(Object.isFrozen(prepared));
  buffer.set(other.der.subarray(0, Math.min(buffer.length, other.der.length)));
  const decision = await decide(prepared);
  assert.equal(decision.allow, true);
  assert.equal(decision.certificate?.thumbprint, own.thumbprint);
});
