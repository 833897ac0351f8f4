// The mutualTls mode table (RFC 8705 §3) through each framework over real mTLS on loopback, with
// tokens signed in the test (jose) and verified by the engine against inline JWKs. The same table
// against the real oidc-provider authorization server is in real-authorization-server.test.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Decision, type IssuedCertificate, loadPolicy, type MutualTlsMode } from '@certbound/core';
import type { CertboundOptions } from '../src/index.js';
import {
  CERTIFICATE_KINDS,
  type CertificateKind,
  MODE_TABLE,
  MODES,
  TOKEN_KINDS,
} from './support/mode-table.js';
import {
  FRAMEWORKS,
  type Framework,
  type RunningServer,
  startProtectedServer,
} from './support/protected-servers.js';
import { send } from './support/send.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';
import { certificateFor, createTestPki, mtlsServerOptions, type TestPki } from './support/test-pki.js';

describe('mode table over mTLS, per framework (tokens signed in the test)', () => {
  let pki: TestPki;
  const issuers = new Map<MutualTlsMode, TestIssuer>();
  const tokens = new Map<string, string>();
  const decisions: Decision[] = [];
  const servers = new Map<Framework, RunningServer>();

  before(async () => {
    pki = await createTestPki();
    for (const mode of MODES) {
      const issuer = await createTestIssuer();
      issuers.set(mode, issuer);
      tokens.set(`${mode}/bound`, await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } }));
      tokens.set(`${mode}/unbound`, await issuer.sign());
    }
    // One policy, one issuer per mode: each token's issuer decides its mode.
    const policy = loadPolicy({
      apiVersion: 'certbound.dev/v1',
      issuers: MODES.map((mode) => {
        const issuer = issuers.get(mode) as TestIssuer;
        return {
          id: `as-${mode}`,
          issuer: issuer.issuer,
          jwks: { keys: [issuer.publicJwk] },
          audience: issuer.audience,
          mutualTls: mode,
        };
      }),
    });
    const options: CertboundOptions = {
      policy,
      protect: ['/api'],
      onDecision: (decision) => decisions.push(decision),
    };
    for (const framework of FRAMEWORKS) {
      servers.set(framework, await startProtectedServer(framework, options, mtlsServerOptions(pki)));
    }
  });
  after(async () => {
    await Promise.all([...servers.values()].map((server) => server.close()));
  });

  const certificateOf = (kind: CertificateKind): IssuedCertificate | undefined => certificateFor(pki, kind);

  for (const framework of FRAMEWORKS) {
    describe(framework, () => {
      for (const mode of MODES) {
        for (const tokenKind of TOKEN_KINDS) {
          for (const certificateKind of CERTIFICATE_KINDS) {
            const expected = MODE_TABLE[mode][tokenKind][certificateKind];
            test(`${mode} × ${tokenKind} token × ${certificateKind} certificate → ${expected}`, async () => {
              const certificate = certificateOf(certificateKind);
              const before = decisions.length;
              const response = await send(
                framework,
                (servers.get(framework) as RunningServer).port,
                pki.ca.certificate.pem,
                {
                  certificate,
                  token: tokens.get(`${mode}/${tokenKind}`) as string,
                },
              );
              const decision = decisions.at(-1) as Decision;
              assert.equal(decisions.length, before + 1, 'one decision per request');
              assert.equal(decision.mode, mode);
              if (expected === 'allow') {
                assert.equal(response.status, 200, response.body);
                const body = JSON.parse(response.body);
                assert.equal(body.ok, true);
                assert.equal(body.subject, 'user-1');
                assert.equal(body.clientId, 'client-1');
                assert.deepEqual(body.scopes, ['read']);
                assert.equal(body.thumbprint, certificate?.thumbprint);
                assert.equal(body.source, certificate ? 'tls' : undefined);
              } else {
                assert.equal(response.status, 401);
                assert.equal(decision.reasons.at(-1)?.code, expected);
                assert.match(
                  String(response.headers['www-authenticate']),
                  /^Bearer error="invalid_token", error_description="[^"]+"$/,
                );
                const body = JSON.parse(response.body);
                assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description']);
                assert.equal(body.error, 'invalid_token');
                assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
              }
            });
          }
        }
      }

      test('no token → 401 challenge without an error code, route not reached', async () => {
        const response = await send(
          framework,
          (servers.get(framework) as RunningServer).port,
          pki.ca.certificate.pem,
          {
            certificate: pki.client,
          },
        );
        assert.equal(response.status, 401);
        assert.equal(response.headers['www-authenticate'], 'Bearer');
        assert.deepEqual(JSON.parse(response.body), {
          error: 'unauthorized',
          error_description: 'An access token is required',
        });
      });

      test('a route outside the guarded scope is not decided', async () => {
        const before = decisions.length;
        const response = await send(
          framework,
          (servers.get(framework) as RunningServer).port,
          pki.ca.certificate.pem,
          {
            path: '/health',
          },
        );
        assert.equal(response.status, 200);
        assert.equal(JSON.parse(response.body).guarded, false);
        assert.equal(decisions.length, before);
      });
    });
  }

  test('the table covers 3 modes × 2 token kinds × 4 certificate kinds', () => {
    const cells = Object.values(MODE_TABLE).flatMap((byToken) =>
      Object.values(byToken).flatMap((byCertificate) => Object.keys(byCertificate)),
    );
    assert.equal(cells.length, 24);
  });
});
