// ALB specifics: percent-decoding (`+` raw and `%2B`), header names renamed and in any case,
// `multiValueHeaders` events, and passthrough chains the engine must verify itself.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Engine, IssuedCertificate } from '@certbound/core';
import { CertboundLambda, type CertificateSource, percentDecode, withCertbound } from '../src/index.js';
import { albEncode, albEvent, albMultiValueEvent, lambdaContext } from './support/lambda-events.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';
import { createTestPki, type TestPki } from './support/test-pki.js';
import { engineFor } from './support/test-setup.js';

let issuer: TestIssuer;
let pki: TestPki;
let engine: Engine;
let crlEngine: Engine;

before(async () => {
  issuer = await createTestIssuer();
  pki = await createTestPki();
  engine = engineFor(issuer, pki, 'required');
  crlEngine = engineFor(issuer, pki, 'required', { crl: true });
});

const bearer = async (certificate: IssuedCertificate) =>
  `Bearer ${await issuer.sign({ cnf: { 'x5t#S256': certificate.thumbprint } })}`;

async function decide(event: unknown, source: CertificateSource, options: { engine?: Engine } = {}) {
  return (
    await new CertboundLambda({ engine: options.engine ?? engine, certificateSource: source }).decide(event)
  ).decision;
}

describe('ALB header encoding', () => {
  test('percent-decoding keeps a raw + (form decoding would turn it into a space)', async () => {
    const encoded = albEncode(pki.client.pem);
    assert.ok(encoded.includes('+'), 'precondition: the base64 of this certificate contains +');
    assert.equal(percentDecode(encoded), pki.client.pem);
    const decision = await decide(
      albEvent({
        headers: { authorization: await bearer(pki.client), 'x-amzn-mtls-clientcert-leaf': encoded },
      }),
      'alb-verify',
    );
    assert.equal(decision.allow, true, JSON.stringify(decision.reasons));
  });

  test('%2B, %2F and %3D decode to the same certificate', async () => {
    const encoded = encodeURIComponent(pki.client.pem);
    assert.ok(encoded.includes('%2B'));
    const decision = await decide(
      albEvent({
        headers: { authorization: await bearer(pki.client), 'x-amzn-mtls-clientcert-leaf': encoded },
      }),
      'alb-verify',
    );
    assert.equal(decision.allow, true, JSON.stringify(decision.reasons));
  });

  test('renamed header names, matched case-insensitively; the default name is then ignored', async () => {
    const certbound = new CertboundLambda({
      engine,
      certificateSource: 'alb-verify',
      albHeaderNames: { leaf: 'X-Client-Leaf' },
    });
    const authorization = await bearer(pki.client);
    const renamed = await certbound.decide(
      albEvent({ headers: { authorization, 'X-CLIENT-LEAF': albEncode(pki.client.pem) } }),
    );
    assert.equal(renamed.decision.allow, true, JSON.stringify(renamed.decision.reasons));
    const defaultName = await certbound.decide(
      albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert-leaf': albEncode(pki.client.pem) } }),
    );
    assert.equal(defaultName.decision.reasons.at(-1)?.code, 'certificate_missing');
  });

  test('multiValueHeaders event → allow, and a deny answers with multiValueHeaders', async () => {
    const authorization = await bearer(pki.client);
    const handler = withCertbound(async () => ({ statusCode: 204 }), {
      engine,
      certificateSource: 'alb-verify',
    });
    const allowed = await handler(
      albMultiValueEvent({
        headers: {
          Authorization: [authorization],
          'X-Amzn-Mtls-Clientcert-Leaf': [albEncode(pki.client.pem)],
        },
      }),
      lambdaContext(),
    );
    assert.deepEqual(allowed, { statusCode: 204 });
    const denied = (await handler(
      albMultiValueEvent({
        headers: {
          Authorization: [authorization],
          'X-Amzn-Mtls-Clientcert-Leaf': [albEncode(pki.otherClient.pem)],
        },
      }),
      lambdaContext(),
    )) as Record<string, unknown>;
    assert.equal(denied.statusCode, 401);
    assert.equal(denied.statusDescription, '401 Unauthorized');
    assert.equal('headers' in denied, false);
    const headers = denied.multiValueHeaders as Record<string, string[]>;
    assert.match(headers['www-authenticate']?.[0] as string, /error="invalid_token"/);
  });

  test('two Authorization values in a multiValueHeaders event → 400 request_malformed', async () => {
    const authorization = await bearer(pki.client);
    const decision = await decide(
      albMultiValueEvent({
        headers: {
          authorization: [authorization, authorization],
          'x-amzn-mtls-clientcert-leaf': [albEncode(pki.client.pem)],
        },
      }),
      'alb-verify',
    );
    assert.equal(decision.status, 400);
    assert.equal(decision.reasons.at(-1)?.code, 'request_malformed');
  });

  test('certificate headers of an event without requestContext.elb are ignored', async () => {
    const event = albEvent({
      headers: {
        authorization: await bearer(pki.client),
        'x-amzn-mtls-clientcert-leaf': albEncode(pki.client.pem),
      },
    });
    delete event.requestContext;
    const decision = await decide(event, 'alb-verify');
    assert.equal(decision.allow, false);
    assert.equal(decision.reasons.at(-1)?.code, 'certificate_source_untrusted');
  });

  test('in api-gateway mode an ALB leaf header sent by a client is never read', async () => {
    const decision = await decide(
      {
        version: '2.0',
        rawPath: '/orders',
        headers: {
          authorization: await bearer(pki.client),
          'x-amzn-mtls-clientcert-leaf': albEncode(pki.client.pem),
        },
        requestContext: { http: { method: 'GET' } },
      },
      'api-gateway',
    );
    assert.equal(decision.reasons.at(-1)?.code, 'certificate_missing');
  });
});

describe('ALB passthrough chains', () => {
  const chainHeader = (...certificates: string[]) => albEncode(certificates.join(''));
  const cases: readonly {
    name: string;
    leaf: () => IssuedCertificate;
    chain: () => string[];
    expected: string;
    crl?: boolean;
  }[] = [
    {
      name: 'valid',
      leaf: () => pki.client,
      chain: () => [pki.intermediate.certificate.pem],
      expected: 'binding_verified',
    },
    {
      name: 'expired leaf',
      leaf: () => pki.expiredClient,
      chain: () => [pki.intermediate.certificate.pem],
      expected: 'certificate_expired',
    },
    {
      name: 'signed by an unknown CA',
      leaf: () => pki.strangerClient,
      chain: () => [pki.strangerIntermediate.certificate.pem],
      expected: 'certificate_untrusted',
    },
    {
      name: 'intermediates out of order',
      leaf: () => pki.deepClient,
      chain: () => [pki.intermediateA.certificate.pem, pki.intermediateB.certificate.pem],
      expected: 'binding_verified',
    },
    { name: 'leaf only', leaf: () => pki.client, chain: () => [], expected: 'certificate_untrusted' },
    {
      name: 'revoked leaf (CRL)',
      leaf: () => pki.revokedClient,
      chain: () => [pki.intermediate.certificate.pem],
      expected: 'certificate_revoked',
      crl: true,
    },
    {
      name: 'not revoked leaf with CRLs configured',
      leaf: () => pki.client,
      chain: () => [pki.intermediate.certificate.pem],
      expected: 'binding_verified',
      crl: true,
    },
    {
      name: 'two leaves (second is not an issuer)',
      leaf: () => pki.client,
      chain: () => [pki.otherClient.pem],
      expected: 'certificate_untrusted',
    },
  ];
  for (const c of cases) {
    test(`${c.name} → ${c.expected}`, async () => {
      const leaf = c.leaf();
      const event = albEvent({
        headers: {
          authorization: await bearer(leaf),
          'x-amzn-mtls-clientcert': chainHeader(leaf.pem, ...c.chain()),
        },
      });
      const decision = await decide(event, 'alb-passthrough', c.crl ? { engine: crlEngine } : {});
      assert.ok(
        decision.reasons.some((r) => r.code === c.expected),
        `expected ${c.expected} in ${JSON.stringify(decision.reasons)}`,
      );
      assert.equal(decision.allow, c.expected === 'binding_verified');
      assert.equal(decision.certificate?.source, 'alb-passthrough');
    });
  }

  test('passthrough without trust anchors in the policy → certificate_untrusted', async () => {
    const { createEngine, loadPolicy } = await import('@certbound/core');
    const bare = createEngine(
      loadPolicy({
        apiVersion: 'certbound.dev/v1',
        issuers: [
          { id: 'as', issuer: issuer.issuer, jwks: { keys: [issuer.publicJwk] }, mutualTls: 'required' },
        ],
      }),
    );
    const event = albEvent({
      headers: {
        authorization: await bearer(pki.client),
        'x-amzn-mtls-clientcert': chainHeader(pki.client.pem, pki.intermediate.certificate.pem),
      },
    });
    const decision = await decide(event, 'alb-passthrough', { engine: bare });
    assert.equal(decision.reasons.at(-1)?.code, 'certificate_untrusted');
  });
});
