// Trusted peers (addresses, CIDRs, IPv4-mapped IPv6), the guarded scope, options validation and
// the deny mapping.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEngine, type Decision, loadPolicy } from '@certbound/core';
import { CertboundAuthorizer, denyResponse, protectedRoutes, TrustedPeers } from '../src/index.js';

describe('TrustedPeers', () => {
  const peers = new TrustedPeers(['10.0.0.0/8', '192.0.2.7', 'fd00::/8', '::ffff:198.51.100.0/120']);
  const cases: [string | undefined, boolean][] = [
    ['10.1.2.3', true],
    ['::ffff:10.1.2.3', true],
    ['11.0.0.1', false],
    ['192.0.2.7', true],
    ['192.0.2.8', false],
    ['fd12::1', true],
    ['fe80::1', false],
    ['198.51.100.9', true],
    ['::ffff:198.51.100.9', true],
    ['198.51.101.9', false],
    ['not an address', false],
    [undefined, false],
  ];
  for (const [address, expected] of cases) {
    test(`${address} → ${expected ? 'trusted' : 'untrusted'}`, () =>
      assert.equal(peers.has(address), expected));
  }
  test('bad entries are TypeErrors', () => {
    for (const entry of ['10.0.0.0/33', 'example.com', '10.0.0.0/', '::/129', 7]) {
      assert.throws(() => new TrustedPeers([entry as string]), TypeError, String(entry));
    }
  });
});

describe('protect: path prefixes', () => {
  const guarded = protectedRoutes(['/api', '/admin/']);
  const cases: [string, boolean][] = [
    ['/api', true],
    ['/api/x?y=1', true],
    ['/API/x', true],
    ['//api/x', true],
    ['/public/../api/x', true],
    ['/%61pi/x', true],
    ['/admin', true],
    ['/apiary', false],
    ['/public/x', false],
    ['/%zz', true],
  ];
  for (const [url, expected] of cases) {
    test(`${url} → ${expected ? 'guarded' : 'not guarded'}`, () =>
      assert.equal(guarded('GET', url), expected));
  }
  test('a predicate decides by method and URL', () => {
    const writes = protectedRoutes(({ method }) => method !== 'GET');
    assert.equal(writes('GET', '/x'), false);
    assert.equal(writes('POST', '/x'), true);
  });
  test('a predicate that throws guards the request (fail closed)', () => {
    const broken = protectedRoutes(({ url }) => {
      if (url.includes('%')) throw new URIError('malformed');
      return false;
    });
    assert.equal(broken('GET', '/public'), false);
    assert.equal(broken('GET', '/public%E0'), true);
  });
  test('no option guards everything', () =>
    assert.equal(protectedRoutes(undefined)('GET', '/anything'), true));
});

describe('options', () => {
  const policy = loadPolicy({
    apiVersion: 'certbound.dev/v1',
    issuers: [
      {
        id: 'as',
        issuer: 'https://as.test',
        jwks: {
          keys: [
            {
              kty: 'EC',
              crv: 'P-256',
              x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
              y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
            },
          ],
        },
      },
    ],
  });
  const bad: [string, object][] = [
    ['neither engine nor policy', {}],
    ['both engine and policy', { policy, engine: createEngine(policy) }],
    ['forwarded header without trusted peers', { policy, certificate: { header: 'xfcc', trustedPeers: [] } }],
    ['unknown certificate source', { policy, certificate: 'socket' }],
    ['empty protect list', { policy, protect: [] }],
    ['relative protect prefix', { policy, protect: ['api'] }],
    ['onDecision not a function', { policy, onDecision: 'log' }],
  ];
  for (const [name, options] of bad) {
    test(`${name} → TypeError at setup`, () =>
      assert.throws(() => new CertboundAuthorizer(options), TypeError));
  }

  test('onDecision errors never change the decision', async () => {
    const authorizer = new CertboundAuthorizer({
      policy,
      onDecision: () => {
        throw new Error('audit sink down');
      },
    });
    const decision = await authorizer.authorize({
      method: 'GET',
      url: '/x',
      headers: {},
      rawHeaders: [],
      socket: null,
    });
    assert.equal(decision.allow, false);
    assert.equal(decision.reasons.at(-1)?.code, 'token_missing');
  });

  test('several Authorization headers reach the engine as a malformed request (400)', async () => {
    const authorizer = new CertboundAuthorizer({ policy });
    const decision = await authorizer.authorize({
      method: 'GET',
      url: '/x',
      headers: { authorization: 'Bearer a' },
      rawHeaders: ['Authorization', 'Bearer a', 'authorization', 'Bearer b'],
      socket: null,
    });
    assert.equal(decision.status, 400);
    assert.equal(decision.reasons.at(-1)?.code, 'request_malformed');
  });

  test('a custom deny response receives the decision and the default', async () => {
    const authorizer = new CertboundAuthorizer({
      policy,
      denyResponse: (decision, defaults) => ({
        ...defaults,
        body: JSON.stringify({ denied: decision.status }),
      }),
    });
    const decision = await authorizer.authorize({
      method: 'GET',
      url: '/',
      headers: {},
      rawHeaders: [],
      socket: null,
    });
    const response = authorizer.denyResponse(decision);
    assert.equal(response.status, 401);
    assert.equal(response.headers['www-authenticate'], 'Bearer');
    assert.equal(response.body, '{"denied":401}');
  });

  test('a custom deny response that throws falls back to the standard one, never a throw', async () => {
    const authorizer = new CertboundAuthorizer({
      policy,
      denyResponse: () => {
        throw new Error('template missing');
      },
    });
    const decision = await authorizer.authorize({
      method: 'GET',
      url: '/',
      headers: {},
      rawHeaders: [],
      socket: null,
    });
    const response = authorizer.denyResponse(decision);
    assert.deepEqual(response, denyResponse(decision));
    assert.equal(response.status, 401);
  });
});

describe('deny mapping', () => {
  const decision = (overrides: Partial<Decision>): Decision => ({
    allow: false,
    status: 401,
    reasons: [],
    scopes: [],
    ...overrides,
  });
  test('503 carries Retry-After and no internal detail', () => {
    const response = denyResponse(
      decision({
        status: 503,
        error: 'temporarily_unavailable',
        errorDescription: 'Token signing keys are temporarily unavailable',
        wwwAuthenticate: 'Bearer',
        retryAfter: 30,
        reasons: [
          { code: 'keys_unavailable', message: 'fetch https://internal.example/jwks failed: ECONNREFUSED' },
        ],
      }),
    );
    assert.equal(response.status, 503);
    assert.equal(response.headers['retry-after'], '30');
    assert.equal(response.headers['www-authenticate'], 'Bearer');
    assert.deepEqual(JSON.parse(response.body), {
      error: 'temporarily_unavailable',
      error_description: 'Token signing keys are temporarily unavailable',
    });
    assert.doesNotMatch(response.body, /internal\.example/);
  });
  test('403 insufficient_scope keeps the challenge', () => {
    const challenge = 'Bearer error="insufficient_scope", error_description="x", scope="write"';
    const response = denyResponse(
      decision({ status: 403, error: 'insufficient_scope', wwwAuthenticate: challenge }),
    );
    assert.equal(response.status, 403);
    assert.equal(response.headers['www-authenticate'], challenge);
    assert.equal(response.headers['retry-after'], undefined);
  });
});
