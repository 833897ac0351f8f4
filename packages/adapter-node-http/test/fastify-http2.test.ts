// Fastify with `http2: true` (and HTTP/1.1 fallback): the plugin reads the client certificate
// through Fastify's raw HTTP/2 request, so the mode table's core cases hold on HTTP/2 streams too.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { loadPolicy } from '@certbound/core';
import Fastify from 'fastify';
import { fastifyCertbound } from '../src/fastify.js';
import { http2Request, http2Session } from './support/mtls-client.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';
import { createTestPki, mtlsServerOptions, type TestPki } from './support/test-pki.js';

let pki: TestPki;
let issuer: TestIssuer;
let port: number;
let close: () => Promise<void>;

before(async () => {
  pki = await createTestPki();
  issuer = await createTestIssuer();
  const app = Fastify({ http2: true, https: { ...mtlsServerOptions(pki), allowHTTP1: true } });
  await app.register(fastifyCertbound, {
    policy: loadPolicy({
      apiVersion: 'certbound.dev/v1',
      issuers: [
        {
          id: 'as',
          issuer: issuer.issuer,
          jwks: { keys: [issuer.publicJwk] },
          audience: issuer.audience,
          mutualTls: 'required',
        },
      ],
    }),
  });
  app.get('/api/resource', async (request) => ({
    subject: request.certbound?.subject,
    thumbprint: request.certbound?.certificate?.thumbprint,
  }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  close = () => app.close();
});
after(() => close());

test('Fastify over HTTP/2: own certificate allows, another or none is 401 invalid_token, per stream', async () => {
  const bound = await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } });
  const unbound = await issuer.sign({});
  const own = http2Session(port, pki.ca.certificate.pem, pki.client);
  const other = http2Session(port, pki.ca.certificate.pem, pki.other);
  const none = http2Session(port, pki.ca.certificate.pem);
  try {
    for (let round = 0; round < 3; round++) {
      const allowed = await http2Request(own, { token: bound });
      assert.equal(allowed.status, 200);
      assert.deepEqual(JSON.parse(allowed.body), { subject: 'user-1', thumbprint: pki.client.thumbprint });

      const unboundDenied = await http2Request(own, { token: unbound });
      assert.equal(unboundDenied.status, 401);
      assert.match(String(unboundDenied.headers['www-authenticate']), /error="invalid_token"/);

      const mismatch = await http2Request(other, { token: bound });
      assert.equal(mismatch.status, 401);
      assert.equal(JSON.parse(mismatch.body).error, 'invalid_token');

      const missing = await http2Request(none, { token: bound });
      assert.equal(missing.status, 401);
    }
  } finally {
    for (const session of [own, other, none]) session.close();
  }
});
