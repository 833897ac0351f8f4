// Which reason wins when a token is wrong in several ways at once. The verifier checks the
// signature off the main thread while it reads the token (with one issuer it even starts the
// signature check before decoding), so the order below is the contract both paths must keep:
// checks that need no key (shape, alg, iss, typ) first, then keys and signature, then claims.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { createEngine, type Decision, type Engine, loadPolicy, type Policy } from '../src/index.js';
import { FrozenClock } from './support/frozen-clock.js';
import { JwksServer } from './support/jwks-server.js';
import { createTestIssuer, rawJwt, type TestIssuer } from './support/test-issuer.js';
import { policyFor } from './support/test-policy.js';

let as: TestIssuer;
/** Same issuer URL and kid as `as`, another key: its tokens are forgeries. */
let forger: TestIssuer;
let second: TestIssuer;
const clock = new FrozenClock();
const now = clock.seconds;

before(async () => {
  as = await createTestIssuer({ kid: 'k1' });
  forger = await createTestIssuer({ issuer: as.issuer, audience: as.audience, kid: 'k1' });
  second = await createTestIssuer();
});

interface Case {
  readonly name: string;
  readonly token: () => Promise<string>;
  readonly code: string;
}

const cases: readonly Case[] = [
  { name: 'valid', token: () => as.sign({}, { now }), code: 'rules_absent' },
  { name: 'not a JWT', token: async () => 'abc.def', code: 'token_malformed' },
  {
    name: 'forged and expired: the signature first',
    token: () => forger.sign({ iat: now - 7200, exp: now - 3600 }, { now }),
    code: 'token_signature_invalid',
  },
  {
    name: 'forged and for another audience: the signature first',
    token: () => forger.sign({ aud: 'https://elsewhere.test' }, { now }),
    code: 'token_signature_invalid',
  },
  {
    name: 'forged and not yet valid: the signature first',
    token: () => forger.sign({ nbf: now + 3600 }, { now }),
    code: 'token_signature_invalid',
  },
  {
    name: 'forged, without exp: the signature first',
    token: () => forger.sign({ exp: undefined }, { now }),
    code: 'token_signature_invalid',
  },
  {
    name: 'genuine but expired',
    token: () => as.sign({ iat: now - 7200, exp: now - 3600 }, { now }),
    code: 'token_expired',
  },
  {
    name: 'forged with an unknown iss: the issuer first',
    token: () => forger.sign({ iss: 'https://unknown.test' }, { now }),
    code: 'token_issuer_unknown',
  },
  {
    name: 'forged without iss: the issuer first',
    token: () => forger.sign({ iss: undefined }, { now }),
    code: 'token_issuer_unknown',
  },
  {
    name: 'forged with typ JWT: the type first',
    token: () => forger.sign({}, { now, header: { typ: 'JWT' } }),
    code: 'token_type_invalid',
  },
  {
    name: 'forged, unknown kid and expired: the signature first',
    token: () => forger.sign({ exp: now - 3600 }, { now, header: { kid: 'nobody' } }),
    code: 'token_signature_invalid',
  },
  {
    name: 'alg none, expired: the algorithm first',
    token: async () => rawJwt({ alg: 'none', typ: 'at+jwt' }, { iss: as.issuer, exp: 1 }, ''),
    code: 'token_algorithm_not_allowed',
  },
  {
    name: 'HS256 with an unknown iss: the algorithm first',
    token: () =>
      new SignJWT({ iss: 'https://unknown.test', exp: now + 60 })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .sign(new Uint8Array(32)),
    code: 'token_algorithm_not_allowed',
  },
];

// One issuer takes the verifier's early-start path, two issuers the decode-first path.
const engines: readonly { name: string; policy: () => Policy }[] = [
  { name: 'one issuer', policy: () => policyFor([as]) },
  { name: 'two issuers', policy: () => policyFor([as, second]) },
];

for (const setup of engines) {
  describe(`reason precedence, ${setup.name}`, () => {
    let engine: Engine;
    before(() => {
      engine = createEngine(setup.policy(), { clock, tokenCache: false });
    });
    for (const { name, token, code } of cases) {
      test(`${name} → ${code}`, async () => {
        const decision = await engine.decide({ authorization: `Bearer ${await token()}` });
        assert.equal(decision.reasons.at(-1)?.code, code, JSON.stringify(decision.reasons));
        assert.equal(decision.allow, code === 'rules_absent');
      });
    }
  });
}

describe('reason precedence with the key set unreachable (fail closed)', () => {
  let server: JwksServer;
  let engines: { name: string; engine: Engine }[];
  before(async () => {
    server = await JwksServer.start({ keys: [] });
    server.status = 503;
    const issuer = (entry: TestIssuer, id: string) => ({
      id,
      issuer: entry.issuer,
      audience: entry.audience,
      jwks: { uri: server.url },
    });
    const policy = (issuers: ReturnType<typeof issuer>[]) =>
      loadPolicy({ apiVersion: 'certbound.dev/v1', issuers });
    engines = [
      { name: 'one issuer', engine: createEngine(policy([issuer(as, 'as')]), { clock, tokenCache: false }) },
      {
        name: 'two issuers',
        engine: createEngine(policy([issuer(as, 'as'), issuer(second, 'second')]), {
          clock,
          tokenCache: false,
        }),
      },
    ];
  });
  after(() => server.close());

  const expectations: readonly {
    name: string;
    token: () => Promise<string>;
    code: string;
    status: number;
  }[] = [
    {
      name: 'a token of the issuer',
      token: () => as.sign({}, { now }),
      code: 'keys_unavailable',
      status: 503,
    },
    {
      name: 'a token of an unknown issuer',
      token: () => as.sign({ iss: 'https://unknown.test' }, { now }),
      code: 'token_issuer_unknown',
      status: 401,
    },
    { name: 'not a JWT', token: async () => 'a.b.c', code: 'token_malformed', status: 401 },
  ];
  for (const { name, token, code, status } of expectations) {
    test(`${name} → ${code} (${status})`, async () => {
      for (const { name: setup, engine } of engines) {
        const decision: Decision = await engine.decide({ authorization: `Bearer ${await token()}` });
        assert.equal(decision.reasons.at(-1)?.code, code, `${setup}: ${JSON.stringify(decision.reasons)}`);
        assert.equal(decision.status, status, setup);
      }
    });
  }
});
