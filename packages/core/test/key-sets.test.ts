// Signing keys: remote JWK Sets served by a real HTTP server on 127.0.0.1 (cache, refresh on an
// unknown kid with a cooldown, background refresh, stale grace, fail closed), filtering of
// symmetric and private keys, and JWK Set files relative to the policy file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportJWK } from 'jose';
import {
  CertboundError,
  createEngine,
  type Decision,
  type Engine,
  loadPolicy,
  loadPolicyFile,
  type RemoteJwksSource,
} from '../src/index.js';
import { FrozenClock } from './support/frozen-clock.js';
import { JwksServer } from './support/jwks-server.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';

let as: TestIssuer;
let rotated: TestIssuer;

before(async () => {
  as = await createTestIssuer({ issuer: 'https://as.test', kid: 'k1' });
  rotated = await createTestIssuer({ issuer: 'https://as.test', kid: 'k2' });
});

function remoteEngine(server: JwksServer, clock: FrozenClock, jwks: Partial<RemoteJwksSource> = {}): Engine {
  const policy = loadPolicy({
    apiVersion: 'certbound.dev/v1',
    issuers: [{ id: 'as', issuer: as.issuer, audience: as.audience, jwks: { uri: server.url, ...jwks } }],
  });
  // No token cache: every decision below must really look its key up.
  return createEngine(policy, { clock, tokenCache: false });
}

async function decide(engine: Engine, issuer: TestIssuer, clock: FrozenClock): Promise<Decision> {
  return engine.decide({ authorization: `Bearer ${await issuer.sign({}, { now: clock.seconds })}` });
}

function code(decision: Decision): string | undefined {
  return decision.reasons.at(-1)?.code;
}

describe('remote JWK Set', () => {
  const servers: JwksServer[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));
  async function serve(document: unknown): Promise<JwksServer> {
    const server = await JwksServer.start(document);
    servers.push(server);
    return server;
  }

  test('is fetched on first use, then served from memory', async () => {
    const server = await serve({ keys: [as.publicJwk] });
    const clock = new FrozenClock();
    const engine = remoteEngine(server, clock);
    assert.equal(server.requests, 0, 'nothing is fetched before the first decision');
    for (let i = 0; i < 5; i++) assert.equal((await decide(engine, as, clock)).allow, true);
    assert.equal(server.requests, 1);
  });

  test('concurrent first decisions share one fetch', async () => {
    const server = await serve({ keys: [as.publicJwk] });
    const clock = new FrozenClock();
    const engine = remoteEngine(server, clock);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => as.sign({}, { now: clock.seconds })));
    const decisions = await Promise.all(tokens.map((t) => engine.decide({ authorization: `Bearer ${t}` })));
    assert.ok(decisions.every((d) => d.allow));
    assert.equal(server.requests, 1);
  });

  test('an unknown kid refreshes the set, at most once per cooldown', async () => {
    const server = await serve({ keys: [as.publicJwk] });
    const clock = new FrozenClock();
    const engine = remoteEngine(server, clock, { cooldown: 30 });
    assert.equal((await decide(engine, as, clock)).allow, true);
    server.document = { keys: [as.publicJwk, rotated.publicJwk] }; // the AS rotates in k2

    // Within the cooldown of the first fetch: no new request, k2 is unknown.
    clock.advance(10);
    assert.equal(code(await decide(engine, rotated, clock)), 'token_signature_invalid');
    assert.equal(server.requests, 1);

    clock.advance(21); // 31 s after the last fetch
    assert.equal((await decide(engine, rotated, clock)).allow, true);
    assert.equal(server.requests, 2);

    // Another unknown kid right away: rate-limited, no fetch.
    const stranger = await createTestIssuer({ issuer: as.issuer, kid: 'k3' });
    for (let i = 0; i < 5; i++)
      assert.equal(code(await decide(engine, stranger, clock)), 'token_signature_invalid');
    assert.equal(server.requests, 2);
  });

  test('a logger that throws cannot break a fetch, nor reject a background refresh', async () => {
    const server = await serve({ keys: [as.publicJwk] });
    const clock = new FrozenClock();
    const throwing = () => {
      throw new Error('logger down');
    };
    const policy = loadPolicy({
      apiVersion: 'certbound.dev/v1',
      issuers: [
        {
          id: 'as',
          issuer: as.issuer,
          audience: as.audience,
          jwks: { uri: server.url, refreshInterval: 600 },
        },
      ],
    });
    const engine = createEngine(policy, {
      clock,
      tokenCache: false,
      logger: { debug: throwing, info: throwing, warn: throwing, error: throwing },
    });
    assert.equal((await decide(engine, as, clock)).allow, true, 'the fetch logged through a throwing debug');
    server.status = 503;
    clock.advance(601); // stale: a background refresh starts, fails, and logs through a throwing warn
    assert.equal((await decide(engine, as, clock)).allow, true, 'the last good keys keep serving');
    await server.waitForRequests(2);
    // Let the failed background refresh settle: an unhandled rejection would fail this test file.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await decide(engine, as, clock)).allow, true);
  });

  test('keys older than refreshInterval are refreshed in the background while still in use', async () => {
    const server = await serve({ keys: [as.publicJwk] });
    const clock = new FrozenClock();
    const engine = remoteEngine(server, clock, { refreshInterval: 600 });
    assert.equal((await decide(engine, as, clock)).allow, true);
    clock.advance(599);
    assert.equal((await decide(engine, as, clock)).allow, true);
    assert.equal(server.requests, 1, 'not refreshed before refreshInterval');
    server.document = { keys: [rotated.publicJwk] }; // k1 retired
    clock.advance(2);
    assert.equal((await decide(engine, as, clock)).allow, true, 'the old keys serve while refreshing');
    await server.waitForRequests(2);
    // Let the refresh's response settle into the key set.
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal((await decide(engine, rotated, clock)).allow, true);
    assert.equal(code(await decide(engine, as, clock)), 'token_signature_invalid');
  });

  test('stale grace: a failing endpoint keeps the last keys for staleGrace, then fails closed with 503', async () => {
    const server = await serve({ keys: [as.publicJwk] });
    const clock = new FrozenClock();
    const engine = remoteEngine(server, clock, { refreshInterval: 600, staleGrace: 3600, cooldown: 30 });
    assert.equal((await decide(engine, as, clock)).allow, true);
    server.status = 500;
    clock.advance(601);
    assert.equal((await decide(engine, as, clock)).allow, true);
    await server.waitForRequests(2);
    clock.advance(3000); // 3601 s old: still within refreshInterval + staleGrace
    assert.equal((await decide(engine, as, clock)).allow, true);
    clock.advance(1000); // 4601 s old: beyond
    const decision = await decide(engine, as, clock);
    assert.equal(code(decision), 'keys_unavailable');
    assert.equal(decision.status, 503);
    // The endpoint recovers: the next fetch (after the cooldown) brings the keys back.
    server.status = 200;
    clock.advance(31);
    assert.equal((await decide(engine, as, clock)).allow, true);
  });

  test('stale grace also covers a closed endpoint', async () => {
    const server = await JwksServer.start({ keys: [as.publicJwk] });
    const clock = new FrozenClock();
    const engine = remoteEngine(server, clock, { refreshInterval: 600, staleGrace: 600, timeout: 1000 });
    assert.equal((await decide(engine, as, clock)).allow, true);
    await server.close();
    clock.advance(700);
    assert.equal((await decide(engine, as, clock)).allow, true);
    clock.advance(600);
    assert.equal(code(await decide(engine, as, clock)), 'keys_unavailable');
  });

  test('never fetched (endpoint answers 500) → 503 keys_unavailable, and no fetch storm', async () => {
    const server = await serve({ keys: [as.publicJwk] });
    server.status = 500;
    const clock = new FrozenClock();
    const engine = remoteEngine(server, clock, { cooldown: 30 });
    for (let i = 0; i < 5; i++) {
      const decision = await decide(engine, as, clock);
      assert.equal(code(decision), 'keys_unavailable');
      assert.equal(decision.status, 503);
      assert.equal(decision.retryAfter, 30);
    }
    assert.equal(server.requests, 1, 'failed fetches are rate-limited by the cooldown');
  });

  test('a document that is not a JWK Set → keys_unavailable', async () => {
    for (const document of [{ nokeys: [] }, [as.publicJwk], 'text']) {
      const server = await serve(document);
      const clock = new FrozenClock();
      assert.equal(code(await decide(remoteEngine(server, clock), as, clock)), 'keys_unavailable');
    }
  });

  test('symmetric and private keys in the served set are ignored', async () => {
    const privateJwk = { ...(await exportJWK(as.privateKey)), kid: as.kid, alg: 'ES256' };
    const server = await serve({
      keys: [
        { kty: 'oct', k: Buffer.from('secret').toString('base64url'), kid: as.kid },
        privateJwk,
        { ...rotated.publicJwk, use: 'enc' },
      ],
    });
    const clock = new FrozenClock();
    const engine = remoteEngine(server, clock);
    assert.equal(code(await decide(engine, as, clock)), 'token_signature_invalid');
    assert.equal(code(await decide(engine, rotated, clock)), 'token_signature_invalid');
    server.document = { keys: [as.publicJwk] };
    clock.advance(31);
    assert.equal((await decide(engine, as, clock)).allow, true);
  });
});

describe('JWK Set file', () => {
  let folder: string;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'certbound-keys-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  test('is read relative to the policy file (loadPolicyFile)', async () => {
    mkdirSync(join(folder, 'policy', 'keys'), { recursive: true });
    writeFileSync(join(folder, 'policy', 'keys', 'jwks.json'), JSON.stringify({ keys: [as.publicJwk] }));
    writeFileSync(
      join(folder, 'policy', 'policy.yaml'),
      `apiVersion: certbound.dev/v1\nissuers:\n  - id: as\n    issuer: ${as.issuer}\n    jwks: { file: ./keys/jwks.json }\n`,
    );
    const engine = createEngine(loadPolicyFile(join(folder, 'policy', 'policy.yaml')));
    assert.equal((await engine.decide({ authorization: `Bearer ${await as.sign()}` })).allow, true);
  });

  test('filters symmetric and private keys like a remote set', async () => {
    const privateJwk = { ...(await exportJWK(as.privateKey)), kid: as.kid, alg: 'ES256' };
    writeFileSync(join(folder, 'private.json'), JSON.stringify({ keys: [privateJwk] }));
    const policy = loadPolicy(
      {
        apiVersion: 'certbound.dev/v1',
        issuers: [{ id: 'as', issuer: as.issuer, jwks: { file: 'private.json' } }],
      },
      { baseDir: folder },
    );
    const decision = await createEngine(policy).decide({ authorization: `Bearer ${await as.sign()}` });
    assert.equal(code(decision), 'token_signature_invalid');
  });

  test('a missing or invalid file fails engine creation with ERR_KEYS_FILE', () => {
    writeFileSync(join(folder, 'not-a-set.json'), '{"k": 1}');
    for (const file of ['missing.json', 'not-a-set.json']) {
      const policy = loadPolicy(
        { apiVersion: 'certbound.dev/v1', issuers: [{ id: 'as', issuer: as.issuer, jwks: { file } }] },
        { baseDir: folder },
      );
      assert.throws(
        () => createEngine(policy),
        (error: unknown) => error instanceof CertboundError && error.code === 'ERR_KEYS_FILE',
      );
    }
  });
});
