// Status codes and WWW-Authenticate challenges (RFC 6750 §3): no credentials → 401 without an
// error code; token or binding failure → 401 invalid_token; scope → 403 insufficient_scope with
// the needed scope; keys that cannot be had → 503 with Retry-After, failing closed.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { bearerChallenge, createEngine, denyResponseBody, loadPolicy } from '../src/index.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';
import { policyFor } from './support/test-policy.js';

let as: TestIssuer;
before(async () => {
  as = await createTestIssuer();
});

const rules = [
  {
    name: 'write-volumes',
    match: { methods: ['POST'], paths: ['/api/storage/**'] },
    require: { scopes: ['volumes.read', 'volumes.write'] },
  },
];

describe('challenges', () => {
  test('no Authorization header → 401, a challenge without an error code, body error unauthorized', async () => {
    const decision = await createEngine(policyFor([as])).decide({});
    assert.equal(decision.status, 401);
    assert.equal(decision.wwwAuthenticate, 'Bearer');
    assert.equal(decision.error, undefined);
    assert.deepEqual(
      decision.reasons.map((r) => r.code),
      ['token_missing'],
    );
    assert.deepEqual(denyResponseBody(decision), {
      error: 'unauthorized',
      error_description: 'An access token is required',
    });
  });

  test('realm goes first in every challenge', async () => {
    const engine = createEngine(policyFor([as], { realm: 'storage-api' }));
    assert.equal((await engine.decide({})).wwwAuthenticate, 'Bearer realm="storage-api"');
    const expired = await as.sign({ iat: 1, exp: 2 });
    const decision = await engine.decide({ authorization: `Bearer ${expired}` });
    assert.equal(
      decision.wwwAuthenticate,
      'Bearer realm="storage-api", error="invalid_token", error_description="The access token expired"',
    );
    assert.deepEqual(denyResponseBody(decision), {
      error: 'invalid_token',
      error_description: 'The access token expired',
    });
  });

  test('missing scope → 403 insufficient_scope naming every scope the rule needs', async () => {
    const engine = createEngine(policyFor([as], { rules }));
    const decision = await engine.decide({
      authorization: `Bearer ${await as.sign({ scope: 'volumes.read' })}`,
      request: { method: 'POST', path: '/api/storage/volumes' },
    });
    assert.equal(decision.status, 403);
    assert.equal(decision.error, 'insufficient_scope');
    assert.equal(decision.rule, 'write-volumes');
    assert.equal(decision.reasons.at(-1)?.code, 'scope_insufficient');
    assert.equal(
      decision.wwwAuthenticate,
      'Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="volumes.read volumes.write"',
    );
  });

  test('the same token with both scopes is allowed', async () => {
    const engine = createEngine(policyFor([as], { rules }));
    const decision = await engine.decide({
      authorization: `Bearer ${await as.sign({ scope: 'volumes.write volumes.read' })}`,
      request: { method: 'POST', path: '/api/storage/volumes' },
    });
    assert.equal(decision.allow, true);
    assert.equal(decision.reasons.at(-1)?.code, 'rule_allowed');
  });

  test('descriptions and scopes drop characters a quoted-string may not carry', () => {
    const challenge = bearerChallenge({
      realm: 'a"b',
      error: 'invalid_token',
      description: 'say "hi" \\ now\r\nX-Injected: 1 é',
      scope: ['a"b', 'c'],
    });
    assert.equal(
      challenge,
      'Bearer realm="ab", error="invalid_token", error_description="say hi  nowX-Injected: 1 ", scope="ab c"',
    );
    assert.doesNotMatch(challenge, /[\r\n]/);
  });
});

describe('503 when keys cannot be had', () => {
  let server: Server;
  let requests = 0;
  before(async () => {
    server = createServer((_request, response) => {
      requests++;
      response.writeHead(500).end('down');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a JWKS endpoint that never answered well → 503 keys_unavailable with retryAfter, no error code in the challenge', async () => {
    const { port } = server.address() as AddressInfo;
    const policy = loadPolicy({
      apiVersion: 'certbound.dev/v1',
      issuers: [{ id: 'corp', issuer: as.issuer, jwks: { uri: `http://127.0.0.1:${port}/jwks` } }],
    });
    const decision = await createEngine(policy).decide({
      authorization: `Bearer ${await as.sign({ aud: undefined })}`,
    });
    assert.equal(decision.allow, false);
    assert.equal(decision.status, 503);
    assert.equal(decision.reasons.at(-1)?.code, 'keys_unavailable');
    assert.equal(decision.retryAfter, 30);
    assert.equal(decision.issuer, 'corp');
    assert.equal(decision.wwwAuthenticate, 'Bearer');
    assert.ok(requests >= 1, 'the endpoint was asked');
    assert.deepEqual(denyResponseBody(decision), {
      error: 'temporarily_unavailable',
      error_description: 'Token signing keys are temporarily unavailable',
    });
  });
});
