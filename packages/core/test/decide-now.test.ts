// engine.decideNow: the same decisions as engine.decide, returned synchronously exactly when
// nothing has to be waited for (a token served from the verified-token cache, no chain to verify,
// no rule that reads the certificate), and never a throw.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  type CertificateAuthority,
  createCertificateAuthority,
  createEngine,
  type Decision,
  type DecisionInput,
  type Engine,
  type IssuedCertificate,
  loadPolicy,
  type Policy,
} from '../src/index.js';
import { FrozenClock } from './support/frozen-clock.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';

let as: TestIssuer;
let ca: CertificateAuthority;
let own: IssuedCertificate;
let other: IssuedCertificate;
let bound: string;
let unbound: string;
const clock = new FrozenClock(Date.now());

before(async () => {
  as = await createTestIssuer();
  ca = await createCertificateAuthority();
  own = await ca.issue({ commonName: 'billing-service' });
  other = await ca.issue({ commonName: 'someone-else' });
  bound = await as.sign({ cnf: { 'x5t#S256': own.thumbprint } }, { now: clock.seconds });
  unbound = await as.sign({}, { now: clock.seconds });
});

function policy(): Policy {
  return loadPolicy({
    apiVersion: 'certbound.dev/v1',
    issuers: [
      {
        id: 'as',
        issuer: as.issuer,
        audience: as.audience,
        jwks: { keys: [as.publicJwk] },
        algorithms: ['ES256'],
        mutualTls: 'request',
      },
    ],
    certificates: { trustAnchors: [{ pem: ca.certificate.pem }] },
    rules: [
      {
        name: 'by-certificate',
        match: { paths: ['/cert/**'] },
        require: { certificate: { commonNames: ['billing-service'] } },
      },
      {
        name: 'read',
        match: { methods: ['GET'], paths: ['/api/**'] },
        require: { scopes: ['volumes.read'] },
      },
      { name: 'admin', match: { paths: ['/admin/**'] }, require: { scopes: ['admin'] } },
    ],
  });
}

const engineNow = (): Engine => createEngine(policy(), { clock });

interface Case {
  readonly name: string;
  readonly input: () => DecisionInput;
  /** Whether the first call (fresh token) and the second (same token again) answer synchronously. */
  readonly sync: readonly [boolean, boolean];
  readonly code: string;
}

const get = (path: string) => ({ method: 'GET', path });
const cases: readonly Case[] = [
  {
    name: 'bound token, own certificate',
    input: () => ({
      authorization: `Bearer ${bound}`,
      certificate: { der: own.der },
      request: get('/api/x'),
    }),
    sync: [false, true],
    code: 'rule_allowed',
  },
  {
    name: 'bound token, another certificate',
    input: () => ({
      authorization: `Bearer ${bound}`,
      certificate: { der: other.der },
      request: get('/api/x'),
    }),
    sync: [false, true],
    code: 'binding_mismatch',
  },
  {
    name: 'bound token, no certificate',
    input: () => ({ authorization: `Bearer ${bound}`, request: get('/api/x') }),
    sync: [false, true],
    code: 'certificate_missing',
  },
  {
    name: 'unbound token, missing scope',
    input: () => ({ authorization: `Bearer ${unbound}`, request: get('/admin/x') }),
    sync: [false, true],
    code: 'scope_insufficient',
  },
  {
    name: 'no Authorization header',
    input: () => ({ certificate: { der: own.der }, request: get('/api/x') }),
    sync: [true, true],
    code: 'token_missing',
  },
  {
    name: 'characters a bearer token cannot have',
    input: () => ({ authorization: 'Bearer a b"c', request: get('/api/x') }),
    sync: [true, true],
    code: 'request_malformed',
  },
  {
    name: 'the adapter could not read the request',
    input: () => ({ authorization: `Bearer ${bound}`, request: { problem: 'bad request line' } }),
    sync: [true, true],
    code: 'request_malformed',
  },
  {
    name: 'a token that does not verify is never cached',
    input: () => ({ authorization: `Bearer ${bound.slice(0, -4)}AAAA`, request: get('/api/x') }),
    sync: [false, false],
    code: 'token_signature_invalid',
  },
  {
    name: 'a chain to verify waits even for a cached token',
    input: () => ({
      authorization: `Bearer ${bound}`,
      certificate: { der: own.der, verifyChain: true },
      request: get('/api/x'),
    }),
    sync: [false, false],
    code: 'rule_allowed',
  },
  {
    name: 'a rule that reads the certificate waits even for a cached token',
    input: () => ({
      authorization: `Bearer ${bound}`,
      certificate: { der: own.der },
      request: get('/cert/x'),
    }),
    sync: [false, false],
    code: 'rule_allowed',
  },
];

describe('engine.decideNow', () => {
  for (const { name, input, sync, code } of cases) {
    test(`${name}: ${sync[0] ? 'sync' : 'async'}, then ${sync[1] ? 'sync' : 'async'} → ${code}`, async () => {
      const now = engineNow();
      const reference = engineNow();
      for (const expectSync of sync) {
        const result = now.decideNow(input());
        assert.equal(!(result instanceof Promise), expectSync, 'synchronous answer');
        const decision = await result;
        assert.equal(decision.reasons.at(-1)?.code, code, JSON.stringify(decision.reasons));
        // decide (always a promise) gives the very same decision.
        assert.deepEqual(decision, await reference.decide(input()));
      }
    });
  }

  test('untrusted input of any shape: a synchronous deny, never a throw', () => {
    const engine = engineNow();
    const inputs: unknown[] = [
      null,
      undefined,
      42,
      'Bearer x',
      [],
      { authorization: 42 },
      { authorization: ['Bearer a', 'Bearer b'] },
      { authorization: {}, certificate: 'x' },
      { request: { problem: {} } },
    ];
    for (const value of inputs) {
      const result = engine.decideNow(value as DecisionInput);
      assert.ok(!(result instanceof Promise), `${JSON.stringify(value)}: synchronous`);
      assert.equal((result as Decision).allow, false, JSON.stringify(value));
    }
  });

  test('an input whose getters throw: an internal_error deny, synchronous or resolved, never a throw', async () => {
    const engine = engineNow();
    await engine.decide({ authorization: `Bearer ${bound}`, request: get('/api/x') });
    const throwing = (field: string, rest: object) =>
      Object.defineProperty({ ...rest }, field, {
        enumerable: true,
        get() {
          throw new Error(`${field} getter`);
        },
      }) as DecisionInput;
    const inputs = [
      throwing('explain', {}),
      throwing('authorization', {}),
      throwing('request', { authorization: `Bearer ${bound}` }),
      throwing('certificate', { authorization: `Bearer ${bound}`, request: get('/api/x') }),
      // A fresh token: the certificate is read while the signature is verified.
      throwing('certificate', { authorization: `Bearer ${unbound}`, request: get('/api/x') }),
    ];
    for (const input of inputs) {
      let result: Decision | Promise<Decision> | undefined;
      assert.doesNotThrow(() => {
        result = engine.decideNow(input);
      });
      const decision = await result;
      assert.equal(decision?.allow, false);
      assert.equal(decision?.reasons.at(-1)?.code, 'internal_error');
      assert.equal(decision?.status, 503);
      const viaDecide = await engine.decide(input);
      assert.equal(viaDecide.reasons.at(-1)?.code, 'internal_error');
    }
  });

  test('a logger that throws while reporting an internal error does not make decideNow throw', async () => {
    const engine = createEngine(policy(), {
      clock,
      logger: {
        debug() {},
        info() {},
        warn() {},
        error() {
          throw new Error('logger down');
        },
      },
    });
    const input = Object.defineProperty({}, 'authorization', {
      get() {
        throw new Error('getter');
      },
    }) as DecisionInput;
    const result = engine.decideNow(input);
    assert.ok(!(result instanceof Promise));
    assert.equal((result as Decision).reasons.at(-1)?.code, 'internal_error');
    assert.equal((await engine.decide(input)).reasons.at(-1)?.code, 'internal_error');
  });

  test('a cached token with a certificate that is not DER: synchronous certificate_malformed', async () => {
    const engine = engineNow();
    await engine.decide({ authorization: `Bearer ${bound}`, request: get('/api/x') });
    const result = engine.decideNow({
      authorization: `Bearer ${bound}`,
      certificate: { der: new Uint8Array([1, 2, 3]) },
      request: get('/api/x'),
    });
    assert.ok(!(result instanceof Promise));
    assert.equal((result as Decision).reasons.at(-1)?.code, 'certificate_malformed');
  });
});
