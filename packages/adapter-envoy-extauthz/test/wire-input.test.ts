// What arrives on the wire is untrusted: every malformed or hostile Check gets a deny with a
// reason, and the server keeps serving. Also the one status mapping (400/401/403/503 → gRPC code),
// upstream headers, and 1,000 concurrent Checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CheckRequest, ExtAuthzServer } from '../src/index.js';
import {
  connectEnvoyClient,
  type EnvoyClient,
  envoyCheckRequest,
  envoyUrlEncode,
  responseHeader,
} from './support/envoy-client.js';
import { createFixture, type Fixture, policyYaml, startServer, writePolicy } from './support/fixture.js';

const RULES = `rules:
  - name: volumes-read
    match: { methods: [GET], paths: ["/api/volumes/**", "/api/volumes"] }
    require: { scopes: [read] }
  - name: volumes-write
    match: { methods: [POST, DELETE], paths: ["/api/volumes/**", "/api/volumes"] }
    require: { scopes: [write] }`;

let fixture: Fixture;
let server: ExtAuthzServer;
let unavailable: ExtAuthzServer;
let client: EnvoyClient;
let unavailableClient: EnvoyClient;

before(async () => {
  fixture = await createFixture();
  server = await startServer(
    fixture,
    writePolicy(fixture, policyYaml(fixture, { mode: 'required', rules: RULES, realm: 'api' })),
    {
      upstreamHeaders: {
        subject: 'x-certbound-subject',
        thumbprint: 'x-certbound-thumbprint',
        scopes: 'x-certbound-scope',
      },
      removeAuthorization: true,
      httpCertificateHeader: { name: 'x-forwarded-client-cert', format: 'xfcc' },
      maxRequestHeaderBytes: 8192,
    },
  );
  // An issuer whose JWKS endpoint is down (a closed loopback port): keys_unavailable → 503.
  unavailable = await startServer(
    fixture,
    writePolicy(fixture, policyYaml(fixture, { mode: 'required', jwksUri: 'https://127.0.0.1:1/jwks' })),
  );
  client = connectEnvoyClient(server.grpcAddress as string);
  unavailableClient = connectEnvoyClient(unavailable.grpcAddress as string);
});

after(async () => {
  client.close();
  unavailableClient.close();
  await Promise.all([server.close(), unavailable.close()]);
  await fixture.close();
});

const bound = () => ({
  headers: { authorization: `Bearer ${fixture.boundToken}` },
  peerCertificatePem: fixture.clientA.pem,
});

describe('status mapping: HTTP status → google.rpc code, denied_response', () => {
  const table: [string, () => CheckRequest, 'client' | 'unavailable', number, number, string][] = [
    [
      'allowed read',
      () => envoyCheckRequest({ path: '/api/volumes?limit=1', ...bound() }),
      'client',
      0,
      200,
      'rule_allowed',
    ],
    [
      'no token → 401 challenge without error',
      () => envoyCheckRequest({ path: '/api/volumes' }),
      'client',
      16,
      401,
      'token_missing',
    ],
    [
      'read-only token writing → 403',
      () =>
        envoyCheckRequest({
          method: 'POST',
          path: '/api/volumes',
          headers: { authorization: `Bearer ${fixture.readOnlyToken}` },
          peerCertificatePem: fixture.clientA.pem,
        }),
      'client',
      7,
      403,
      'scope_insufficient',
    ],
    [
      'no rule matches → 403',
      () => envoyCheckRequest({ path: '/admin', ...bound() }),
      'client',
      7,
      403,
      'rule_no_match',
    ],
    [
      'two Authorization headers (merged by Envoy) → 400',
      () =>
        envoyCheckRequest({
          path: '/api/volumes',
          headers: { authorization: [`Bearer ${fixture.boundToken}`, 'Bearer other'] },
          peerCertificatePem: fixture.clientA.pem,
        }),
      'client',
      3,
      400,
      'request_malformed',
    ],
    [
      'JWKS unreachable → 503',
      () => envoyCheckRequest({ path: '/api/volumes', ...bound() }),
      'unavailable',
      14,
      503,
      'keys_unavailable',
    ],
  ];
  for (const [name, request, target, code, httpStatus, reason] of table) {
    test(`gRPC: ${name} (code ${code}, ${reason})`, async () => {
      const response = await (target === 'client' ? client : unavailableClient).check(request());
      assert.equal(response.status.code, code);
      const fields = response.dynamic_metadata?.fields ?? {};
      assert.deepEqual(fields.reason, { stringValue: reason, kind: 'stringValue' });
      assert.deepEqual(fields.status, { numberValue: httpStatus, kind: 'numberValue' });
      if (code === 0) return;
      const denied = response.denied_response;
      const STATUS_NAMES: Record<number, string> = {
        400: 'BadRequest',
        401: 'Unauthorized',
        403: 'Forbidden',
        503: 'ServiceUnavailable',
      };
      assert.equal(denied?.status.code, STATUS_NAMES[httpStatus]);
      const body = JSON.parse(denied?.body ?? '');
      const challenge = responseHeader(denied?.headers, 'www-authenticate') ?? '';
      assert.equal(responseHeader(denied?.headers, 'content-type'), 'application/json');
      if (reason === 'token_missing') {
        assert.equal(challenge, 'Bearer realm="api"', 'RFC 6750 §3.1: no error code without credentials');
        assert.equal(body.error, 'unauthorized');
      } else if (httpStatus === 503) {
        assert.equal(responseHeader(denied?.headers, 'retry-after'), '30');
        assert.equal(body.error, 'temporarily_unavailable');
      } else {
        const error = { 400: 'invalid_request', 401: 'invalid_token', 403: 'insufficient_scope' }[
          httpStatus as 400
        ];
        assert.match(challenge, new RegExp(`error="${error}"`));
        assert.equal(body.error, error);
      }
    });
  }

  test('HTTP mode answers the same statuses', async () => {
    const xfcc = `Hash=${Buffer.from(fixture.clientA.thumbprint, 'base64url').toString('hex')}`;
    const cases: [RequestInit & { path: string }, number][] = [
      [
        {
          path: '/api/volumes?x=1',
          headers: { authorization: `Bearer ${fixture.boundToken}`, 'x-forwarded-client-cert': xfcc },
        },
        200,
      ],
      [{ path: '/api/volumes' }, 401],
      [
        {
          path: '/api/volumes',
          method: 'DELETE',
          headers: { authorization: `Bearer ${fixture.readOnlyToken}`, 'x-forwarded-client-cert': xfcc },
        },
        403,
      ],
      [{ path: '/api/volumes', headers: { authorization: 'Bearer a b' } }, 400],
    ];
    for (const [{ path, ...init }, status] of cases) {
      const response = await fetch(`http://${server.httpAddress}${path}`, init);
      assert.equal(response.status, status, `${init.method ?? 'GET'} ${path}`);
      await response.text();
    }
    const down = await fetch(`http://${unavailable.httpAddress}/api/volumes`, {
      headers: { authorization: `Bearer ${fixture.boundToken}`, 'x-forwarded-client-cert': xfcc },
    });
    // The unavailable server has no httpCertificateHeader configured: a bound token without a certificate.
    assert.equal(down.status, 503);
    assert.equal(down.headers.get('retry-after'), '30');
  });
});

describe('upstream headers on allow', () => {
  test('gRPC: set with overwrite, absent values and Authorization removed', async () => {
    const response = await client.check(
      envoyCheckRequest({
        path: '/api/volumes',
        headers: {
          authorization: `Bearer ${fixture.boundToken}`,
          // A client trying to pre-set what the upstream trusts.
          'x-certbound-thumbprint': 'forged',
        },
        peerCertificatePem: fixture.clientA.pem,
      }),
    );
    assert.equal(response.status.code, 0);
    const ok = response.ok_response;
    assert.equal(responseHeader(ok?.headers, 'x-certbound-thumbprint'), fixture.clientA.thumbprint);
    assert.equal(responseHeader(ok?.headers, 'x-certbound-scope'), 'read write');
    for (const option of ok?.headers ?? []) assert.equal(option.append_action, 'OVERWRITE_IF_EXISTS_OR_ADD');
    assert.ok(ok?.headers_to_remove?.includes('authorization'));
    const claims = fixture.claims.get(fixture.boundToken) ?? {};
    if (claims.sub === undefined) assert.ok(ok?.headers_to_remove?.includes('x-certbound-subject'));
    else assert.equal(responseHeader(ok?.headers, 'x-certbound-subject'), claims.sub);
  });

  test('HTTP: headers on the 200 and x-envoy-auth-headers-to-remove', async () => {
    const xfcc = `Hash=${Buffer.from(fixture.clientA.thumbprint, 'base64url').toString('hex')}`;
    const response = await fetch(`http://${server.httpAddress}/api/volumes`, {
      headers: { authorization: `Bearer ${fixture.boundToken}`, 'x-forwarded-client-cert': xfcc },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-certbound-thumbprint'), fixture.clientA.thumbprint);
    assert.match(response.headers.get('x-envoy-auth-headers-to-remove') ?? '', /(^|,)authorization($|,)/);
  });
});

describe('bad input on the wire: a deny with a reason, and the server keeps serving', () => {
  const cases: [string, () => CheckRequest, number, string][] = [
    ['empty CheckRequest', () => ({}), 3, 'request_malformed'],
    ['attributes without request', () => ({ attributes: { source: {} } }), 3, 'request_malformed'],
    [
      'a network (non-HTTP) check: no request.http',
      () => ({ attributes: { source: { certificate: envoyUrlEncode(fixture.clientA.pem) }, request: {} } }),
      3,
      'request_malformed',
    ],
    [
      'source.certificate with broken percent-encoding',
      () => ({
        attributes: {
          source: { certificate: '%E0%A4%A' },
          request: {
            http: {
              method: 'GET',
              path: '/api/volumes',
              headers: { authorization: `Bearer ${fixture.boundToken}` },
            },
          },
        },
      }),
      16,
      'certificate_malformed',
    ],
    [
      'source.certificate that is not a certificate',
      () => ({
        attributes: {
          source: {
            certificate: envoyUrlEncode('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
          },
          request: {
            http: {
              method: 'GET',
              path: '/api/volumes',
              headers: { authorization: `Bearer ${fixture.boundToken}` },
            },
          },
        },
      }),
      16,
      'certificate_malformed',
    ],
    [
      'huge headers (over maxRequestHeaderBytes)',
      () =>
        envoyCheckRequest({
          path: '/api/volumes',
          headers: { authorization: `Bearer ${fixture.boundToken}`, 'x-padding': 'p'.repeat(10_000) },
          peerCertificatePem: fixture.clientA.pem,
        }),
      3,
      'request_malformed',
    ],
    [
      'encode_raw_headers: two separate authorization entries',
      () => ({
        attributes: {
          source: { certificate: envoyUrlEncode(fixture.clientA.pem) },
          request: {
            http: {
              method: 'GET',
              path: '/api/volumes',
              header_map: {
                headers: [
                  { key: 'authorization', raw_value: Buffer.from(`Bearer ${fixture.boundToken}`) },
                  { key: 'authorization', raw_value: Buffer.from('Bearer x') },
                ],
              },
            },
          },
        },
      }),
      3,
      'request_malformed',
    ],
    [
      'a method that is not a method, no path',
      () => ({
        attributes: {
          request: { http: { method: '', headers: { authorization: `Bearer ${fixture.boundToken}` } } },
          source: { certificate: envoyUrlEncode(fixture.clientA.pem) },
        },
      }),
      3,
      'request_malformed',
    ],
  ];
  for (const [name, request, code, reason] of cases) {
    test(`${name} → code ${code}, ${reason}`, async () => {
      const response = await client.check(request());
      assert.equal(response.status.code, code);
      assert.equal(response.status.message, reason);
      // ... and the next, well-formed Check is still served.
      const next = await client.check(envoyCheckRequest({ path: '/api/volumes', ...bound() }));
      assert.equal(next.status.code, 0);
    });
  }

  test('encode_raw_headers with one authorization entry is read like headers', async () => {
    const response = await client.check({
      attributes: {
        source: { certificate: envoyUrlEncode(fixture.clientA.pem) },
        request: {
          http: {
            method: 'GET',
            path: '/api/volumes',
            header_map: {
              headers: [{ key: 'authorization', raw_value: Buffer.from(`Bearer ${fixture.boundToken}`) }],
            },
          },
        },
      },
    });
    assert.equal(response.status.code, 0);
  });

  test('HTTP mode: oversized headers → 400, then still serving', async () => {
    const big = await fetch(`http://${server.httpAddress}/api/volumes`, {
      headers: { authorization: `Bearer ${fixture.boundToken}`, 'x-padding': 'p'.repeat(10_000) },
    });
    assert.equal(big.status, 400);
    assert.equal((await big.json()).error, 'invalid_request');
    const health = await fetch(`http://${server.httpAddress}/api/volumes`);
    assert.equal(health.status, 401);
    await health.text();
  });
});

test('1,000 concurrent Checks over one channel: every one answered, correctly', async () => {
  const requests = Array.from({ length: 1000 }, (_, i) =>
    i % 2 === 0
      ? envoyCheckRequest({ path: `/api/volumes/${i}?q=${i}`, ...bound() })
      : envoyCheckRequest({
          path: `/api/volumes/${i}`,
          headers: { authorization: `Bearer ${fixture.boundToken}` },
          peerCertificatePem: fixture.clientB.pem,
        }),
  );
  const responses = await Promise.all(requests.map((request) => client.check(request)));
  const codes = responses.map((response) => response.status.code);
  assert.equal(codes.filter((code, i) => code === (i % 2 === 0 ? 0 : 16)).length, 1000);
  assert.ok(responses.filter((_, i) => i % 2 === 1).every((r) => r.status.message === 'binding_mismatch'));
  const metrics = await server.metrics.text();
  assert.match(
    metrics,
    /certbound_extauthz_decisions_total\{transport="grpc",allow="false",reason="binding_mismatch"\} \d+/,
  );
});
