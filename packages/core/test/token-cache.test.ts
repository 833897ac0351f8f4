// The verified-token cache: a repeated token costs a lookup plus the binding check, but it is
// never served past exp, never matched by a changed token, bounded (LRU) and can be turned off.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  CertboundError,
  createCertificateAuthority,
  createEngine,
  type Decision,
  type Engine,
  type EngineOptions,
  type IssuedCertificate,
  OptionsError,
} from '../src/index.js';
import { LruTokenCache } from '../src/ports/verified-token-cache.js';
import { FrozenClock } from './support/frozen-clock.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';
import { policyFor } from './support/test-policy.js';

let as: TestIssuer;
let clientA: IssuedCertificate;
let clientB: IssuedCertificate;

before(async () => {
  as = await createTestIssuer();
  const ca = await createCertificateAuthority();
  clientA = await ca.issue({ commonName: 'a' });
  clientB = await ca.issue({ commonName: 'b' });
});

function cached(decision: Decision): boolean {
  const step = decision.trace?.find((s) => s.step === 'token');
  return step?.detail.includes('served from cache') ?? false;
}

async function decide(engine: Engine, token: string, der: Uint8Array = clientA.der): Promise<Decision> {
  return engine.decide({ authorization: `Bearer ${token}`, certificate: { der }, explain: true });
}

function engineWith(options: EngineOptions, tolerance = 0): Engine {
  return createEngine(
    policyFor([as], { issuer: { clockTolerance: tolerance, mutualTls: 'required' } }),
    options,
  );
}

describe('verified-token cache', () => {
  test('a repeated token is served from the cache; the binding is still checked every time', async () => {
    const clock = new FrozenClock();
    const engine = engineWith({ clock });
    const token = await as.sign({ cnf: { 'x5t#S256': clientA.thumbprint } }, { now: clock.seconds });
    const first = await decide(engine, token);
    const second = await decide(engine, token);
    assert.equal(first.allow, true);
    assert.equal(cached(first), false);
    assert.equal(second.allow, true);
    assert.equal(cached(second), true);
    assert.match(second.reasons[0]?.message ?? '', /cached/);
    assert.deepEqual(second.claims, first.claims);

    const otherCertificate = await decide(engine, token, clientB.der);
    assert.equal(cached(otherCertificate), true);
    assert.equal(otherCertificate.reasons.at(-1)?.code, 'binding_mismatch');
    const noCertificate = await engine.decide({ authorization: `Bearer ${token}` });
    assert.equal(noCertificate.reasons.at(-1)?.code, 'certificate_missing');
  });

  test('never served past exp (tolerance 0): at exp the token is expired, cache or not', async () => {
    const clock = new FrozenClock();
    const engine = engineWith({ clock });
    const token = await as.sign(
      { cnf: { 'x5t#S256': clientA.thumbprint }, exp: clock.seconds + 60 },
      { now: clock.seconds },
    );
    assert.equal((await decide(engine, token)).allow, true);
    clock.advance(59);
    const before = await decide(engine, token);
    assert.equal(before.allow, true);
    assert.equal(cached(before), true);
    clock.advance(1);
    const after = await decide(engine, token);
    assert.equal(after.allow, false);
    assert.equal(after.reasons.at(-1)?.code, 'token_expired');
  });

  test('with a clock tolerance, the cache still stops at exp and verification decides the rest', async () => {
    const clock = new FrozenClock();
    const engine = engineWith({ clock }, 30);
    const token = await as.sign(
      { cnf: { 'x5t#S256': clientA.thumbprint }, exp: clock.seconds + 60 },
      { now: clock.seconds },
    );
    await decide(engine, token);
    clock.advance(70); // past exp, within tolerance: verified again, not cached
    const withinTolerance = await decide(engine, token);
    assert.equal(withinTolerance.allow, true);
    assert.equal(cached(withinTolerance), false);
    clock.advance(21); // exp + 31
    assert.equal((await decide(engine, token)).reasons.at(-1)?.code, 'token_expired');
  });

  test('maxAge bounds how long a verified token is reused', async () => {
    const clock = new FrozenClock();
    const engine = engineWith({ clock, tokenCache: { maxAge: 10 } });
    const token = await as.sign({ cnf: { 'x5t#S256': clientA.thumbprint } }, { now: clock.seconds });
    await decide(engine, token);
    clock.advance(9);
    assert.equal(cached(await decide(engine, token)), true);
    clock.advance(2);
    assert.equal(cached(await decide(engine, token)), false);
  });

  test('a token with one changed signature character never hits the cache', async () => {
    const engine = engineWith({});
    const token = await as.sign({ cnf: { 'x5t#S256': clientA.thumbprint } });
    assert.equal((await decide(engine, token)).allow, true);
    const dot = token.lastIndexOf('.');
    const index = dot + 5;
    const changed = `${token.slice(0, index)}${token[index] === 'A' ? 'B' : 'A'}${token.slice(index + 1)}`;
    const decision = await decide(engine, changed);
    assert.equal(cached(decision), false);
    assert.equal(decision.reasons.at(-1)?.code, 'token_signature_invalid');
  });

  test('bounded: the least recently used token is evicted', async () => {
    const engine = engineWith({ tokenCache: { maxEntries: 2 } });
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map((n) => as.sign({ jti: `t${n}`, cnf: { 'x5t#S256': clientA.thumbprint } })),
    );
    await decide(engine, a as string);
    await decide(engine, b as string);
    assert.equal(cached(await decide(engine, a as string)), true); // a is now the most recent
    await decide(engine, c as string); // evicts b
    assert.equal(cached(await decide(engine, a as string)), true);
    assert.equal(cached(await decide(engine, c as string)), true);
    assert.equal(cached(await decide(engine, b as string)), false);
  });

  test('tokenCache: false verifies every time', async () => {
    const engine = engineWith({ tokenCache: false });
    const token = await as.sign({ cnf: { 'x5t#S256': clientA.thumbprint } });
    for (let i = 0; i < 3; i++) {
      const decision = await decide(engine, token);
      assert.equal(decision.allow, true);
      assert.equal(cached(decision), false);
    }
  });

  test('what a decision hands out cannot change the cached token', async () => {
    const engine = engineWith({});
    const token = await as.sign({ cnf: { 'x5t#S256': clientA.thumbprint }, roles: ['reader'] });
    const first = await decide(engine, token);
    assert.throws(() => (first.scopes as string[]).push('admin'), TypeError);
    assert.throws(() => {
      (first.claims as Record<string, unknown>).scope = 'admin';
    }, TypeError);
    const roles = first.claims?.roles;
    assert.ok(Array.isArray(roles));
    assert.throws(() => (roles as string[]).push('admin'), TypeError);
    const second = await decide(engine, token);
    assert.equal(cached(second), true);
    assert.deepEqual(second.scopes, ['volumes.read']);
    assert.deepEqual(second.claims?.roles, ['reader']);
  });
});

describe('engine options', () => {
  const bad: readonly [string, unknown][] = [
    ['options null', null],
    ['options a string', 'fast'],
    ['maxEntries 0', { tokenCache: { maxEntries: 0 } }],
    ['maxEntries 1.5', { tokenCache: { maxEntries: 1.5 } }],
    ['maxAge 0', { tokenCache: { maxAge: 0 } }],
    ['maxAge 86401', { tokenCache: { maxAge: 86_401 } }],
    ['maxAge NaN', { tokenCache: { maxAge: Number.NaN } }],
    ['maxAge a string', { tokenCache: { maxAge: '60' } }],
    ['clock without now', { clock: {} }],
    ['clock null', { clock: null }],
    ['logger a function', { logger: () => {} }],
    ['fetch a string', { fetch: 'http://x' }],
    ['baseDir a number', { baseDir: 5 }],
  ];
  for (const [name, options] of bad) {
    test(`${name} → OptionsError ERR_INVALID_OPTIONS`, () => {
      assert.throws(
        () => createEngine(policyFor([as]), options as EngineOptions),
        (error: unknown) =>
          error instanceof OptionsError &&
          error instanceof CertboundError &&
          error.code === 'ERR_INVALID_OPTIONS',
      );
    });
  }
});

describe('LruTokenCache slots', () => {
  // The map key is the end of the token; two tokens ending alike share a slot, never an entry.
  const end = 'S'.repeat(40);
  const a = `header-a.payload-a.${end}`;
  const b = `header-b.payload-b.${end}`;

  test('a token ending like a cached one is a miss and leaves the cached entry alone', () => {
    const cache = new LruTokenCache<string>(10);
    cache.set(a, 'verified a', Number.POSITIVE_INFINITY);
    assert.equal(cache.get(b, 0), undefined);
    assert.equal(cache.get(a, 0), 'verified a');
  });

  test('storing the second token replaces the first (the slot holds one), never mixes them', () => {
    const cache = new LruTokenCache<string>(10);
    cache.set(a, 'verified a', Number.POSITIVE_INFINITY);
    cache.set(b, 'verified b', Number.POSITIVE_INFINITY);
    assert.equal(cache.get(a, 0), undefined);
    assert.equal(cache.get(b, 0), 'verified b');
    assert.equal(cache.size, 1);
  });

  test('tokens shorter than a slot are keyed whole', () => {
    const cache = new LruTokenCache<string>(10);
    cache.set('x.y.z', 'short', Number.POSITIVE_INFINITY);
    assert.equal(cache.get('x.y.z', 0), 'short');
    assert.equal(cache.get('y.z', 0), undefined);
  });
});
