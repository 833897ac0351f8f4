// A real oidc-provider AS over mutual TLS on loopback: tokens are RFC 9068 JWTs, bound to the
// presented certificate (RFC 8705 §3.1) for bound clients and plain bearer tokens otherwise, and
// certbound's engine accepts and rejects them end to end.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type CertificateAuthority,
  createCertificateAuthority,
  createEngine,
  type IssuedCertificate,
  loadPolicy,
  type MutualTlsMode,
} from '@certbound/core';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { type DevAuthorizationServer, devFetch, startDevAuthorizationServer } from '../src/index.js';

const RESOURCE = 'https://api.example.test';

let ca: CertificateAuthority;
let server: DevAuthorizationServer;
let clientA: IssuedCertificate;
let clientB: IssuedCertificate;

before(async () => {
  ca = await createCertificateAuthority();
  [clientA, clientB] = await Promise.all([
    ca.issue({ commonName: 'client-a' }),
    ca.issue({ commonName: 'client-b', organization: 'Example B' }),
  ]);
  server = await startDevAuthorizationServer({ ca, resource: RESOURCE });
});

after(() => server.close());

async function fetchJwks(): Promise<ReturnType<typeof createLocalJWKSet>> {
  const response = await devFetch(server.caPem)(server.jwksUri, {
    signal: AbortSignal.timeout(5000),
    headers: { accept: 'application/json' },
  });
  assert.equal(response.status, 200);
  return createLocalJWKSet(JSON.parse(await response.text()));
}

describe('issued tokens', () => {
  test('bound tokens carry cnf.x5t#S256 of the certificate presented', async () => {
    const jwks = await fetchJwks();
    for (const certificate of [clientA, clientB]) {
      const { accessToken, claims, header, clientId } = await server.requestToken({
        certificate,
        bound: true,
      });
      const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, {
        issuer: server.issuer,
        audience: RESOURCE,
        typ: 'at+jwt',
        algorithms: ['ES256'],
      });
      assert.equal(protectedHeader.typ, 'at+jwt');
      assert.deepEqual(header, protectedHeader);
      assert.deepEqual(claims, payload);
      assert.equal(payload.aud, RESOURCE);
      assert.equal(payload.client_id, certificate.subjectCommonName);
      assert.equal(clientId, certificate.subjectCommonName);
      assert.equal(payload.scope, 'read write');
      assert.equal(payload.sub, certificate.subjectCommonName);
      assert.equal((payload.exp as number) - (payload.iat as number), 300);
      assert.equal(typeof payload.jti, 'string');
      assert.deepEqual(payload.cnf, { 'x5t#S256': certificate.thumbprint });
    }
  });

  test('a token requested with certificate A is bound to A, not B', async () => {
    const a = await server.requestToken({ certificate: clientA, bound: true });
    const b = await server.requestToken({ certificate: clientB, bound: true });
    assert.notEqual(clientA.thumbprint, clientB.thumbprint);
    assert.deepEqual(a.claims.cnf, { 'x5t#S256': clientA.thumbprint });
    assert.deepEqual(b.claims.cnf, { 'x5t#S256': clientB.thumbprint });
  });

  test('unbound tokens are plain bearer JWTs without cnf', async () => {
    const jwks = await fetchJwks();
    const { accessToken, claims, clientId } = await server.requestToken({
      certificate: clientA,
      bound: false,
    });
    const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, {
      issuer: server.issuer,
      audience: RESOURCE,
      typ: 'at+jwt',
    });
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(payload.cnf, undefined);
    assert.equal(claims.cnf, undefined);
    assert.equal(clientId, server.bearerClientId);
    assert.equal(payload.client_id, server.bearerClientId);
  });

  test('scope narrows to what was asked; scopes the resource does not know are left out', async () => {
    const { claims } = await server.requestToken({ certificate: clientA, bound: true, scope: 'read' });
    assert.equal(claims.scope, 'read');
    const narrowed = await server.requestToken({ certificate: clientA, bound: true, scope: 'write admin' });
    assert.equal(narrowed.claims.scope, 'write');
  });

  test('a new certificate for the same subject keeps the client; the token follows the new certificate', async () => {
    const rotated = await ca.issue({ commonName: 'client-a' });
    const before = await server.requestToken({ certificate: clientA, bound: true });
    const after = await server.requestToken({ certificate: rotated, bound: true });
    assert.equal(after.clientId, before.clientId);
    assert.deepEqual(before.claims.cnf, { 'x5t#S256': clientA.thumbprint });
    assert.deepEqual(after.claims.cnf, { 'x5t#S256': rotated.thumbprint });
  });

  test('a certificate from another CA is refused with invalid_client', async () => {
    const stranger = await (await createCertificateAuthority()).issue({ commonName: 'stranger' });
    await assert.rejects(
      server.requestToken({ certificate: stranger, bound: true }),
      /token request failed with HTTP 401: invalid_client/,
    );
  });
});

describe('server instances and options', () => {
  test('a second server has its own key, lifetime and scopes', async () => {
    const other = await startDevAuthorizationServer({
      ca,
      resource: 'https://other.example.test',
      scopes: ['storage:read'],
      accessTokenTtl: 60,
    });
    try {
      assert.notEqual(other.issuer, server.issuer);
      const { accessToken, claims, header } = await other.requestToken({ certificate: clientA, bound: true });
      assert.equal(claims.scope, 'storage:read');
      assert.equal(claims.aud, 'https://other.example.test');
      assert.equal((claims.exp as number) - (claims.iat as number), 60);
      assert.deepEqual(claims.cnf, { 'x5t#S256': clientA.thumbprint });
      const ours = await fetchJwks();
      await assert.rejects(jwtVerify(accessToken, ours), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
      assert.equal(typeof header.kid, 'string');
    } finally {
      await other.close();
      await other.close(); // closing twice is harmless
    }
  });

  test('options a programmer got wrong are a TypeError before anything starts', async () => {
    const cases = [
      { resource: 'not a uri' },
      { resource: 'https://api.example.test/#fragment' },
      { resource: RESOURCE, accessTokenTtl: 0 },
      { resource: RESOURCE, scopes: [] },
      { resource: RESOURCE, scopes: ['two words'] },
    ];
    for (const options of cases) {
      await assert.rejects(
        startDevAuthorizationServer({ ca, ...options }),
        TypeError,
        JSON.stringify(options),
      );
    }
  });

  test('devFetch fetches https only and trusts only the CA it was given', async () => {
    const init = { signal: AbortSignal.timeout(5000), headers: {} };
    await assert.rejects(devFetch(server.caPem)(server.jwksUri.replace('https:', 'http:'), init), TypeError);
    const strangerCa = await createCertificateAuthority({ commonName: 'stranger CA' });
    // The handshake fails verification (which code depends on whether the server also sent its CA).
    await assert.rejects(
      devFetch(strangerCa.certificate.pem)(server.jwksUri, init),
      (error: NodeJS.ErrnoException) =>
        /^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/.test(
          error.code ?? '',
        ),
    );
  });
});

describe('certbound engine end to end (remote JWKS over the dev CA)', () => {
  function engineFor(mutualTls: MutualTlsMode) {
    const policy = loadPolicy({
      apiVersion: 'certbound.dev/v1',
      issuers: [
        { id: 'dev', issuer: server.issuer, jwks: { uri: server.jwksUri }, audience: RESOURCE, mutualTls },
      ],
    });
    return createEngine(policy, { fetch: devFetch(server.caPem) });
  }

  const cases: readonly {
    name: string;
    mode: MutualTlsMode;
    bound: boolean;
    presented: () => IssuedCertificate;
    allow: boolean;
    reason: string;
  }[] = [
    {
      name: 'bound token, its certificate',
      mode: 'request',
      bound: true,
      presented: () => clientA,
      allow: true,
      reason: 'binding_verified',
    },
    {
      name: 'bound token, another certificate',
      mode: 'request',
      bound: true,
      presented: () => clientB,
      allow: false,
      reason: 'binding_mismatch',
    },
    {
      name: 'unbound token in required mode',
      mode: 'required',
      bound: false,
      presented: () => clientA,
      allow: false,
      reason: 'binding_required',
    },
    {
      name: 'bound token in required mode',
      mode: 'required',
      bound: true,
      presented: () => clientA,
      allow: true,
      reason: 'binding_verified',
    },
  ];

  for (const { name, mode, bound, presented, allow, reason } of cases) {
    test(`${name} (${mode}) → ${allow ? 'allow' : 'deny'} with ${reason}`, async () => {
      const { accessToken } = await server.requestToken({ certificate: clientA, bound });
      const decision = await engineFor(mode).decide({
        authorization: `Bearer ${accessToken}`,
        certificate: { der: presented().der, source: 'tls' },
      });
      assert.equal(decision.allow, allow, JSON.stringify(decision.reasons));
      assert.ok(
        decision.reasons.some((r) => r.code === reason),
        `expected ${reason} in ${JSON.stringify(decision.reasons)}`,
      );
      if (allow) {
        assert.equal(decision.issuer, 'dev'); // the policy's issuer id
        assert.equal(decision.clientId, 'client-a');
      } else {
        assert.equal(decision.status, 401);
      }
    });
  }
});
