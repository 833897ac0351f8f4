// The mutualTls mode table end to end, as Envoy would see it: tokens from the real authorization
// server (oidc-provider over mTLS), the certificate as Envoy sends it (URL-encoded PEM in
// source.certificate for gRPC, a %DOWNSTREAM_PEER_CERT% header for HTTP mode), one
// certbound-extauthz server per mode.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { IssuedCertificate, MutualTlsMode } from '@certbound/core';
import type { ExtAuthzServer } from '../src/index.js';
import {
  connectEnvoyClient,
  type EnvoyClient,
  envoyCheckRequest,
  envoyUrlEncode,
  responseHeader,
} from './support/envoy-client.js';
import { createFixture, type Fixture, policyYaml, startServer, writePolicy } from './support/fixture.js';

type TokenKind = 'bound' | 'unbound';
type CertificateKind = 'matching' | 'other' | 'absent';
interface Expectation {
  readonly allow: boolean;
  /** The deciding reason code. */
  readonly reason: string;
}

const allow = (reason: string): Expectation => ({ allow: true, reason });
const deny = (reason: string): Expectation => ({ allow: false, reason });

// RFC 8705 §3 as ONTAP's use-mutual-tls: none never checks, request checks bound tokens, required
// demands bound tokens. On allow the deciding reason is rules_absent (no rules in the policy) and
// the binding outcome is the reason before it.
const EXPECTED: Record<MutualTlsMode, Record<TokenKind, Record<CertificateKind, Expectation>>> = {
  none: {
    bound: {
      matching: allow('binding_not_checked'),
      other: allow('binding_not_checked'),
      absent: allow('binding_not_checked'),
    },
    unbound: {
      matching: allow('binding_not_checked'),
      other: allow('binding_not_checked'),
      absent: allow('binding_not_checked'),
    },
  },
  request: {
    bound: {
      matching: allow('binding_verified'),
      other: deny('binding_mismatch'),
      absent: deny('certificate_missing'),
    },
    unbound: {
      matching: allow('binding_not_requested'),
      other: allow('binding_not_requested'),
      absent: allow('binding_not_requested'),
    },
  },
  required: {
    bound: {
      matching: allow('binding_verified'),
      other: deny('binding_mismatch'),
      absent: deny('certificate_missing'),
    },
    unbound: {
      matching: deny('binding_required'),
      other: deny('binding_required'),
      absent: deny('binding_required'),
    },
  },
};

const MODES = ['none', 'request', 'required'] as const;
let fixture: Fixture;
const servers = new Map<MutualTlsMode, ExtAuthzServer>();
const clients = new Map<MutualTlsMode, EnvoyClient>();
const logs = new Map<MutualTlsMode, string[]>();

before(async () => {
  fixture = await createFixture();
  for (const mode of MODES) {
    const lines: string[] = [];
    const server = await startServer(
      fixture,
      writePolicy(fixture, policyYaml(fixture, { mode })),
      {
        httpCertificateHeader: { name: 'x-client-cert', format: 'pem' },
        upstreamHeaders: {
          subject: 'x-certbound-subject',
          clientId: 'x-certbound-client-id',
          thumbprint: 'x-certbound-thumbprint',
        },
      },
      lines,
    );
    servers.set(mode, server);
    logs.set(mode, lines);
    clients.set(mode, connectEnvoyClient(server.grpcAddress as string));
  }
});

after(async () => {
  for (const client of clients.values()) client.close();
  await Promise.all([...servers.values()].map((server) => server.close()));
  await fixture.close();
});

function certificateFor(kind: CertificateKind): IssuedCertificate | undefined {
  return kind === 'matching' ? fixture.clientA : kind === 'other' ? fixture.clientB : undefined;
}

function tokenFor(kind: TokenKind): string {
  return kind === 'bound' ? fixture.boundToken : fixture.unboundToken;
}

for (const mode of MODES) {
  describe(`mode ${mode}`, () => {
    for (const tokenKind of ['bound', 'unbound'] as const) {
      for (const certificateKind of ['matching', 'other', 'absent'] as const) {
        const expected = EXPECTED[mode][tokenKind][certificateKind];
        const label = `${tokenKind} token × ${certificateKind} certificate → ${expected.allow ? 'allow' : 'deny'} ${expected.reason}`;

        test(`gRPC: ${label}`, async () => {
          const certificate = certificateFor(certificateKind);
          const response = await (clients.get(mode) as EnvoyClient).check(
            envoyCheckRequest({
              method: 'GET',
              path: '/api/volumes?limit=10&cursor=a%2Fb',
              headers: { Authorization: `Bearer ${tokenFor(tokenKind)}`, 'User-Agent': 'test' },
              ...(certificate !== undefined ? { peerCertificatePem: certificate.pem } : {}),
            }),
          );
          const metadata = response.dynamic_metadata?.fields ?? {};
          if (expected.allow) {
            assert.equal(response.status.code, 0);
            assert.equal(response.http_response, 'ok_response');
            assert.deepEqual(metadata.allow, { boolValue: true, kind: 'boolValue' });
            const headers = response.ok_response?.headers;
            const claims = fixture.claims.get(tokenFor(tokenKind)) ?? {};
            assert.equal(responseHeader(headers, 'x-certbound-client-id'), claims.client_id);
            if (claims.sub === undefined)
              assert.ok(response.ok_response?.headers_to_remove?.includes('x-certbound-subject'));
            else assert.equal(responseHeader(headers, 'x-certbound-subject'), claims.sub);
            if (
              certificate !== undefined &&
              expected.reason !== 'binding_not_checked' &&
              expected.reason !== 'binding_not_requested'
            ) {
              assert.equal(responseHeader(headers, 'x-certbound-thumbprint'), certificate.thumbprint);
            }
          } else {
            assert.equal(response.status.code, 16, 'UNAUTHENTICATED');
            assert.equal(response.status.message, expected.reason);
            assert.equal(response.http_response, 'denied_response');
            assert.equal(response.denied_response?.status.code, 'Unauthorized');
            const challenge = responseHeader(response.denied_response?.headers, 'www-authenticate');
            assert.match(challenge ?? '', /^Bearer error="invalid_token"/);
            const body = JSON.parse(response.denied_response?.body ?? '{}');
            assert.equal(body.error, 'invalid_token');
            assert.equal(typeof body.error_description, 'string');
          }
          // Every decision is one log line with the reasons; the binding outcome is among them.
          const line = (logs.get(mode) as string[])
            .map((l) => JSON.parse(l))
            .findLast((l) => l.msg === 'decision');
          assert.equal(line.transport, 'grpc');
          assert.equal(line.path, '/api/volumes', 'logged without the query string');
          assert.ok(line.reasons.includes(expected.reason), `${line.reasons} includes ${expected.reason}`);
          assert.equal((metadata.reason as { stringValue?: string }).stringValue, line.reason);
        });

        test(`HTTP: ${label}`, async () => {
          const certificate = certificateFor(certificateKind);
          const server = servers.get(mode) as ExtAuthzServer;
          const response = await fetch(`http://${server.httpAddress}/api/volumes?limit=10`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${tokenFor(tokenKind)}`,
              ...(certificate !== undefined ? { 'x-client-cert': envoyUrlEncode(certificate.pem) } : {}),
            },
          });
          const body = await response.text();
          if (expected.allow) {
            assert.equal(response.status, 200);
            const claims = fixture.claims.get(tokenFor(tokenKind)) ?? {};
            assert.equal(response.headers.get('x-certbound-client-id'), claims.client_id);
          } else {
            assert.equal(response.status, 401);
            assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
            assert.equal(JSON.parse(body).error, 'invalid_token');
          }
          const line = (logs.get(mode) as string[])
            .map((l) => JSON.parse(l))
            .findLast((l) => l.msg === 'decision');
          assert.equal(line.transport, 'http');
          assert.equal(line.method, 'POST');
          assert.ok(line.reasons.includes(expected.reason), `${line.reasons} includes ${expected.reason}`);
        });
      }
    }
  });
}

test('no decision log line ever contains a token', () => {
  for (const lines of logs.values()) {
    for (const line of lines) {
      assert.ok(!line.includes(fixture.boundToken) && !line.includes(fixture.unboundToken));
      assert.ok(!line.includes(fixture.boundToken.split('.')[2] as string), 'not even the signature');
    }
  }
});
