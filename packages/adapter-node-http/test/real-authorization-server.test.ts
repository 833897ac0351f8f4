// End to end with the real parts: the oidc-provider authorization server of
// @certbound/dev-authorization-server issues RFC 8705 certificate-bound (and plain bearer) JWT
// access tokens over mTLS; the protected API runs in each framework over real mTLS on loopback;
// the engine fetches the AS's JWK Set over HTTPS. node:https gets the whole mode table, the other
// frameworks a smaller table (the full table per framework runs with test-signed tokens in
// mode-table.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Decision, loadPolicy, type MutualTlsMode } from '@certbound/core';
import {
  type DevAuthorizationServer,
  devFetch,
  type IssuedToken,
  startDevAuthorizationServer,
} from '@certbound/dev-authorization-server';
import {
  CERTIFICATE_KINDS,
  type CertificateKind,
  MODE_TABLE,
  MODES,
  TOKEN_KINDS,
  type TokenKind,
} from './support/mode-table.js';
import {
  FRAMEWORKS,
  type Framework,
  type RunningServer,
  startProtectedServer,
} from './support/protected-servers.js';
import { send } from './support/send.js';
import { certificateFor, createTestPki, mtlsServerOptions, type TestPki } from './support/test-pki.js';

const RESOURCE = 'https://api.example.test';

/** The cells every framework runs; node:https runs all 24. */
const SMALL_TABLE: readonly [MutualTlsMode, TokenKind, CertificateKind][] = [
  ['required', 'bound', 'matching'],
  ['required', 'bound', 'same-subject-other-key'],
  ['required', 'bound', 'absent'],
  ['required', 'unbound', 'matching'],
  ['request', 'unbound', 'absent'],
  ['request', 'bound', 'other'],
  ['none', 'bound', 'other'],
];

describe('mode table with the real authorization server (oidc-provider) over mTLS', () => {
  let pki: TestPki;
  let as: DevAuthorizationServer;
  const tokens = new Map<TokenKind, IssuedToken>();
  const servers = new Map<string, RunningServer>();
  const decisions: Decision[] = [];

  before(async () => {
    pki = await createTestPki();
    as = await startDevAuthorizationServer({ ca: pki.ca, resource: RESOURCE, scopes: ['read', 'write'] });
    tokens.set('bound', await as.requestToken({ certificate: pki.client, bound: true, scope: 'read' }));
    tokens.set('unbound', await as.requestToken({ certificate: pki.client, bound: false, scope: 'read' }));
    for (const framework of FRAMEWORKS) {
      for (const mode of MODES) {
        const policy = loadPolicy({
          apiVersion: 'certbound.dev/v1',
          issuers: [
            {
              id: 'dev-as',
              issuer: as.issuer,
              jwks: { uri: as.jwksUri },
              audience: RESOURCE,
              mutualTls: mode,
            },
          ],
        });
        const server = await startProtectedServer(
          framework,
          {
            policy,
            engineOptions: { fetch: devFetch(as.caPem) },
            protect: ['/api'],
            onDecision: (decision) => decisions.push(decision),
          },
          mtlsServerOptions(pki),
        );
        servers.set(`${framework}/${mode}`, server);
      }
    }
  });
  after(async () => {
    await Promise.all([...servers.values()].map((server) => server.close()));
    await as?.close();
  });

  test('the AS binds the bound token to the client certificate and leaves the other unbound', () => {
    const bound = tokens.get('bound') as IssuedToken;
    assert.deepEqual(bound.claims.cnf, { 'x5t#S256': pki.client.thumbprint });
    assert.equal((tokens.get('unbound') as IssuedToken).claims.cnf, undefined);
  });

  for (const framework of FRAMEWORKS) {
    const cells: [MutualTlsMode, TokenKind, CertificateKind][] =
      framework === 'node-https'
        ? MODES.flatMap((mode) =>
            TOKEN_KINDS.flatMap((token) =>
              CERTIFICATE_KINDS.map((certificate): [MutualTlsMode, TokenKind, CertificateKind] => [
                mode,
                token,
                certificate,
              ]),
            ),
          )
        : [...SMALL_TABLE];
    describe(framework, () => {
      for (const [mode, tokenKind, certificateKind] of cells) {
        const expected = MODE_TABLE[mode][tokenKind][certificateKind];
        test(`${mode} × ${tokenKind} token × ${certificateKind} certificate → ${expected}`, async () => {
          const token = tokens.get(tokenKind) as IssuedToken;
          const certificate = certificateFor(pki, certificateKind);
          const before = decisions.length;
          const response = await send(
            framework as Framework,
            (servers.get(`${framework}/${mode}`) as RunningServer).port,
            pki.ca.certificate.pem,
            { certificate, token: token.accessToken },
          );
          assert.equal(decisions.length, before + 1);
          const decision = decisions.at(-1) as Decision;
          assert.equal(decision.mode, mode);
          assert.equal(decision.issuer, 'dev-as');
          if (expected === 'allow') {
            assert.equal(response.status, 200, response.body);
            const body = JSON.parse(response.body);
            assert.equal(body.clientId, token.clientId);
            assert.deepEqual(body.scopes, ['read']);
            assert.equal(body.thumbprint, certificate?.thumbprint);
          } else {
            assert.equal(response.status, 401, response.body);
            assert.equal(decision.reasons.at(-1)?.code, expected);
            assert.match(String(response.headers['www-authenticate']), /^Bearer error="invalid_token"/);
            assert.equal(JSON.parse(response.body).error, 'invalid_token');
          }
        });
      }
    });
  }
});
