// The mutualTls mode table through every event source: ALB verify, ALB passthrough, API Gateway
// REST (payload 1.0) and HTTP API (payload 2.0). Each case runs the wrapped handler as the
// runtime would (event + context) and checks the reason and the platform's response shape.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Engine, IssuedCertificate, MutualTlsMode } from '@certbound/core';
import { CertboundLambda, type CertificateSource, withCertbound } from '../src/index.js';
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

type TokenKind = 'bound' | 'unbound';
type CertificateKind = 'matching' | 'other' | 'absent';
type Source = 'alb-verify' | 'alb-passthrough' | 'api-gateway-v1' | 'api-gateway-v2';

const EXPECTED: Record<MutualTlsMode, Record<TokenKind, Record<CertificateKind, string>>> = {
  none: {
    bound: { matching: 'binding_not_checked', other: 'binding_not_checked', absent: 'binding_not_checked' },
    unbound: { matching: 'binding_not_checked', other: 'binding_not_checked', absent: 'binding_not_checked' },
  },
  request: {
    bound: { matching: 'binding_verified', other: 'binding_mismatch', absent: 'certificate_missing' },
    unbound: {
      matching: 'binding_not_requested',
      other: 'binding_not_requested',
      absent: 'binding_not_requested',
    },
  },
  required: {
    bound: { matching: 'binding_verified', other: 'binding_mismatch', absent: 'certificate_missing' },
    unbound: { matching: 'binding_required', other: 'binding_required', absent: 'binding_required' },
  },
};
const ALLOWING = new Set(['binding_not_checked', 'binding_verified', 'binding_not_requested']);

function eventFor(
  source: Source,
  pki: TestPki,
  certificate: IssuedCertificate | undefined,
  authorization: string,
): Record<string, unknown> {
  const headers: Record<string, string> = { authorization };
  switch (source) {
    case 'alb-verify':
      if (certificate) headers['x-amzn-mtls-clientcert-leaf'] = albEncode(certificate.pem);
      return albEvent({ headers });
    case 'alb-passthrough':
      if (certificate)
        headers['x-amzn-mtls-clientcert'] = albEncode(certificate.pem + pki.intermediate.certificate.pem);
      return albEvent({ headers });
    case 'api-gateway-v1':
      return apiGatewayV1Event({ headers, ...(certificate ? { clientCertPem: certificate.pem } : {}) });
    case 'api-gateway-v2':
      return apiGatewayV2Event({ headers, ...(certificate ? { clientCertPem: certificate.pem } : {}) });
  }
}

const CERTIFICATE_SOURCE: Record<Source, CertificateSource> = {
  'alb-verify': 'alb-verify',
  'alb-passthrough': 'alb-passthrough',
  'api-gateway-v1': 'api-gateway',
  'api-gateway-v2': 'api-gateway',
};

describe('mode table per event source', () => {
  let issuer: TestIssuer;
  let pki: TestPki;
  const tokens = new Map<TokenKind, string>();
  const engines = new Map<MutualTlsMode, Engine>();

  before(async () => {
    issuer = await createTestIssuer();
    pki = await createTestPki();
    tokens.set('bound', await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } }));
    tokens.set('unbound', await issuer.sign());
    for (const mode of ['none', 'request', 'required'] as const)
      engines.set(mode, engineFor(issuer, pki, mode));
  });

  for (const source of ['alb-verify', 'alb-passthrough', 'api-gateway-v1', 'api-gateway-v2'] as const) {
    for (const mode of ['none', 'request', 'required'] as const) {
      for (const tokenKind of ['bound', 'unbound'] as const) {
        for (const certificateKind of ['matching', 'other', 'absent'] as const) {
          const reason = EXPECTED[mode][tokenKind][certificateKind];
          const allow = ALLOWING.has(reason);
          test(`${source} × ${mode} × ${tokenKind} token × ${certificateKind} certificate → ${allow ? 'allow' : 'deny'} ${reason}`, async () => {
            const certificate =
              certificateKind === 'matching'
                ? pki.client
                : certificateKind === 'other'
                  ? pki.otherClient
                  : undefined;
            const event = eventFor(source, pki, certificate, `Bearer ${tokens.get(tokenKind)}`);
            const options = {
              engine: engines.get(mode) as Engine,
              certificateSource: CERTIFICATE_SOURCE[source],
            };
            const { decision } = await new CertboundLambda(options).decide(event);
            assert.equal(decision.allow, allow, JSON.stringify(decision.reasons));
            assert.ok(
              decision.reasons.some((r) => r.code === reason),
              `expected ${reason} in ${JSON.stringify(decision.reasons)}`,
            );
            if (certificate !== undefined && mode !== 'none') {
              assert.equal(decision.certificate?.thumbprint, certificate.thumbprint);
              assert.equal(decision.certificate?.source, source.startsWith('alb') ? source : source);
            }
            if (source === 'alb-passthrough' && certificate !== undefined && reason === 'binding_verified')
              assert.ok(decision.reasons.some((r) => r.code === 'certificate_chain_verified'));

            const handler = withCertbound(
              async (_event, _context, allowed) => ({
                statusCode: 200,
                body: JSON.stringify({ subject: allowed.subject }),
              }),
              options,
            );
            const response = (await handler(event, lambdaContext())) as Record<string, unknown>;
            if (allow) {
              assert.deepEqual(response, { statusCode: 200, body: JSON.stringify({ subject: 'user-1' }) });
              return;
            }
            assert.equal(response.statusCode, 401);
            assert.equal(response.isBase64Encoded, false);
            const headers = response.headers as Record<string, string>;
            assert.match(headers['www-authenticate'] as string, /^Bearer error="invalid_token"/);
            assert.equal(headers['content-type'], 'application/json');
            assert.equal(JSON.parse(response.body as string).error, 'invalid_token');
            if (source.startsWith('alb')) assert.equal(response.statusDescription, '401 Unauthorized');
            else assert.equal('statusDescription' in response, false);
          });
        }
      }
    }
  }
});
