// Untrusted event content never crashes and never allows: each case is a deny with a reason.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Engine } from '@certbound/core';
import { type CertificateSource, MAX_CERTIFICATE_HEADER_LENGTH, withCertbound } from '../src/index.js';
import {
  albEncode,
  albEvent,
  apiGatewayV1Event,
  apiGatewayV2Event,
  lambdaContext,
} from './support/lambda-events.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';
import { createTestPki, type TestPki } from './support/test-pki.js';
import { engineFor } from './support/test-setup.js';

let issuer: TestIssuer;
let pki: TestPki;
let engine: Engine;
let authorization: string;

before(async () => {
  issuer = await createTestIssuer();
  pki = await createTestPki();
  engine = engineFor(issuer, pki, 'required');
  authorization = `Bearer ${await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } })}`;
});

const withoutRequestContext = (event: Record<string, unknown>) => {
  const { requestContext: _gone, ...rest } = event;
  return rest;
};

const CASES: readonly {
  name: string;
  source: CertificateSource;
  event: () => unknown;
  reason: string;
  status: number;
}[] = [
  {
    name: 'ALB verify: header present but empty',
    source: 'alb-verify',
    event: () => albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert-leaf': '' } }),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'ALB passthrough: header present but blank',
    source: 'alb-passthrough',
    event: () => albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert': '   ' } }),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'ALB verify: not PEM',
    source: 'alb-verify',
    event: () => albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert-leaf': 'hello%20world' } }),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'ALB passthrough: not PEM',
    source: 'alb-passthrough',
    event: () => albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert': 'MIIB+garbage==' } }),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'ALB verify: PEM with a broken base64 body',
    source: 'alb-verify',
    event: () =>
      albEvent({
        headers: {
          authorization,
          'x-amzn-mtls-clientcert-leaf': albEncode(
            '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n',
          ),
        },
      }),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'ALB verify: two leaves in the leaf header',
    source: 'alb-verify',
    event: () =>
      albEvent({
        headers: {
          authorization,
          'x-amzn-mtls-clientcert-leaf': albEncode(pki.client.pem + pki.otherClient.pem),
        },
      }),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'ALB verify: invalid percent-encoding',
    source: 'alb-verify',
    event: () => albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert-leaf': '%E0%A4%A' } }),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'ALB passthrough: gigantic header',
    source: 'alb-passthrough',
    event: () =>
      albEvent({
        headers: {
          authorization,
          'x-amzn-mtls-clientcert': albEncode(pki.client.pem).padEnd(MAX_CERTIFICATE_HEADER_LENGTH + 1, 'A'),
        },
      }),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'ALB passthrough: 20 certificates in the chain',
    source: 'alb-passthrough',
    event: () =>
      albEvent({
        headers: { authorization, 'x-amzn-mtls-clientcert': albEncode(pki.client.pem.repeat(20)) },
      }),
    reason: 'certificate_chain_invalid',
    status: 401,
  },
  {
    name: 'ALB verify: missing requestContext',
    source: 'alb-verify',
    event: () =>
      withoutRequestContext(
        albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert-leaf': albEncode(pki.client.pem) } }),
      ),
    reason: 'certificate_source_untrusted',
    status: 401,
  },
  {
    name: 'API Gateway v1: missing requestContext',
    source: 'api-gateway',
    event: () => withoutRequestContext(apiGatewayV1Event({ headers: { authorization } })),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'API Gateway v2: missing requestContext',
    source: 'api-gateway',
    event: () => withoutRequestContext(apiGatewayV2Event({ headers: { authorization } })),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'API Gateway v1: clientCertPem not PEM',
    source: 'api-gateway',
    event: () => apiGatewayV1Event({ headers: { authorization }, clientCertPem: 'not a certificate' }),
    reason: 'certificate_malformed',
    status: 401,
  },
  {
    name: 'API Gateway v2: clientCert without clientCertPem',
    source: 'api-gateway',
    event: () => {
      const event = apiGatewayV2Event({ headers: { authorization }, clientCertPem: pki.client.pem });
      (
        event.requestContext as { authentication: { clientCert: Record<string, unknown> } }
      ).authentication.clientCert = { subjectDN: 'CN=x' };
      return event;
    },
    reason: 'certificate_malformed',
    status: 401,
  },
  { name: 'null event', source: 'alb-verify', event: () => null, reason: 'token_missing', status: 401 },
  { name: 'string event', source: 'api-gateway', event: () => 'GET /', reason: 'token_missing', status: 401 },
  {
    name: 'headers is not an object',
    source: 'alb-passthrough',
    event: () => ({ ...albEvent(), headers: 'authorization: Bearer x' }),
    reason: 'token_missing',
    status: 401,
  },
];

for (const c of CASES) {
  test(`${c.name} → ${c.status} ${c.reason}`, async () => {
    let handlerCalled = false;
    const handler = withCertbound(
      async () => {
        handlerCalled = true;
        return { statusCode: 200 };
      },
      { engine, certificateSource: c.source, explain: true },
    );
    const response = (await handler(c.event(), lambdaContext())) as Record<string, unknown>;
    assert.equal(handlerCalled, false);
    assert.equal(response.statusCode, c.status);
    const { CertboundLambda } = await import('../src/index.js');
    const { decision } = await new CertboundLambda({ engine, certificateSource: c.source }).decide(c.event());
    assert.equal(decision.allow, false);
    assert.equal(decision.reasons.at(-1)?.code, c.reason, JSON.stringify(decision.reasons));
  });
}
