// Policy as data: loadPolicy accepts the example in YAML and JSON, returns it frozen, and
// rejects a bad policy as a whole with every problem listed by JSON Pointer.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadPolicy, PolicyError, type PolicyProblem } from '../src/index.js';

const EXAMPLE_YAML = `
apiVersion: certbound.dev/v1
issuers:                         # one entry per authorization server; chosen by the token's iss
  - id: corp
    issuer: https://as.example.com        # must equal iss exactly
    jwks: { uri: https://as.example.com/jwks }
    audience: https://api.example.com
    algorithms: [ES256, PS256, EdDSA]
    mutualTls: request
    clockTolerance: 30
rules:
  - name: read-volumes
    match: { methods: [GET], paths: ["/api/storage/**"] }
    require: { scopes: [volumes.read] }
defaultEffect: deny
`;

const EXAMPLE_OBJECT = {
  apiVersion: 'certbound.dev/v1',
  issuers: [
    {
      id: 'corp',
      issuer: 'https://as.example.com',
      jwks: { uri: 'https://as.example.com/jwks' },
      audience: 'https://api.example.com',
      algorithms: ['ES256', 'PS256', 'EdDSA'],
      mutualTls: 'request',
      clockTolerance: 30,
    },
  ],
  rules: [
    {
      name: 'read-volumes',
      match: { methods: ['GET'], paths: ['/api/storage/**'] },
      require: { scopes: ['volumes.read'] },
    },
  ],
  defaultEffect: 'deny',
};

const EC_PUBLIC_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4',
  y: '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM',
};

function problemsOf(input: string | object): PolicyProblem[] {
  try {
    loadPolicy(input);
  } catch (error) {
    assert.ok(error instanceof PolicyError, `expected a PolicyError, got ${String(error)}`);
    assert.equal(error.code, 'ERR_POLICY_INVALID');
    for (const problem of error.problems) assert.ok(error.message.includes(problem.message));
    return [...error.problems];
  }
  assert.fail('the policy was accepted');
}

function assertProblem(problems: readonly PolicyProblem[], path: string, message: RegExp): void {
  assert.ok(
    problems.some((p) => p.path === path && message.test(p.message)),
    `expected a problem at ${path} matching ${message}; got ${JSON.stringify(problems, null, 1)}`,
  );
}

describe('loadPolicy accepts', () => {
  test("the issue's example as YAML", () => {
    const policy = loadPolicy(EXAMPLE_YAML);
    assert.deepEqual(JSON.parse(JSON.stringify(policy)), EXAMPLE_OBJECT);
  });
  test("the issue's example as JSON text and as an object", () => {
    assert.deepEqual(loadPolicy(JSON.stringify(EXAMPLE_OBJECT)), EXAMPLE_OBJECT);
    assert.deepEqual(loadPolicy(EXAMPLE_OBJECT), EXAMPLE_OBJECT);
  });
  test('http JWKS URIs on loopback hosts (development)', () => {
    for (const uri of ['http://127.0.0.1:8080/jwks', 'http://localhost/jwks', 'http://[::1]:9/jwks']) {
      const policy = loadPolicy({
        ...EXAMPLE_OBJECT,
        issuers: [{ ...EXAMPLE_OBJECT.issuers[0], jwks: { uri } }],
      });
      assert.equal(policy.issuers.length, 1);
    }
  });
  test('inline public JWKs and file JWKS', () => {
    loadPolicy({
      apiVersion: 'certbound.dev/v1',
      issuers: [{ id: 'a', issuer: 'https://a', jwks: { keys: [EC_PUBLIC_JWK] } }],
    });
    loadPolicy({
      apiVersion: 'certbound.dev/v1',
      issuers: [{ id: 'a', issuer: 'https://a', jwks: { file: './jwks.json' } }],
    });
  });
});

describe('the returned policy', () => {
  test('is deeply frozen', () => {
    const policy = loadPolicy(EXAMPLE_YAML);
    assert.ok(Object.isFrozen(policy));
    assert.ok(Object.isFrozen(policy.issuers));
    assert.ok(Object.isFrozen(policy.issuers[0]));
    assert.ok(Object.isFrozen(policy.issuers[0]?.jwks));
    assert.ok(Object.isFrozen(policy.rules?.[0]?.match?.paths));
    assert.throws(() => {
      (policy.issuers[0] as { mutualTls: string }).mutualTls = 'none';
    }, TypeError);
  });
  test('is a copy: changing the input object later changes nothing', () => {
    const input = structuredClone(EXAMPLE_OBJECT);
    const policy = loadPolicy(input);
    (input.issuers[0] as { mutualTls: string }).mutualTls = 'none';
    assert.equal(policy.issuers[0]?.mutualTls, 'request');
  });
});

describe('loadPolicy rejects', () => {
  test('a document with many problems, listing every one by JSON path', () => {
    const problems = problemsOf({
      apiVersion: 'certbound.dev/v2',
      issuers: [
        {
          id: 'corp',
          issuer: 'https://as.example.com',
          jwks: { uri: 'https://as.example.com/jwks' },
          algorithms: ['HS256', 'ES256'],
          clockTolerance: 301,
          mutualTls: 'sometimes',
          colour: 'blue',
        },
      ],
      rules: [{ name: 'r', effect: 'maybe' }, { match: {} }],
      defaultEffect: 'permit',
      extra: true,
    });
    assertProblem(problems, '/apiVersion', /certbound\.dev\/v1/);
    assertProblem(problems, '/issuers/0/algorithms/0', /must be one of/);
    assertProblem(problems, '/issuers/0/clockTolerance', /300/);
    assertProblem(problems, '/issuers/0/mutualTls', /"none", "request", "required"/);
    assertProblem(problems, '/issuers/0/colour', /not a known field/);
    assertProblem(problems, '/rules/0/effect', /must be one of/);
    assertProblem(problems, '/rules/1/name', /is required/);
    assertProblem(problems, '/defaultEffect', /must be one of/);
    assertProblem(problems, '/extra', /not a known field/);
    assert.equal(problems.length, 9, JSON.stringify(problems, null, 1));
  });

  test('cross-field problems: duplicate ids and issuers, unknown rule issuers, keys, http on a public host', () => {
    const problems = problemsOf({
      apiVersion: 'certbound.dev/v1',
      issuers: [
        { id: 'corp', issuer: 'https://as.example.com', jwks: { uri: 'http://as.example.com/jwks' } },
        { id: 'corp', issuer: 'https://as.example.com', jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } },
        {
          id: 'other',
          issuer: 'https://b.example.com',
          jwks: { keys: [{ ...EC_PUBLIC_JWK, d: 'private' }] },
        },
      ],
      rules: [
        { name: 'r', match: { issuers: ['corp', 'nobody'] } },
        { name: 'r', match: { paths: ['/a/**b'] } },
      ],
    });
    assertProblem(problems, '/issuers/0/jwks/uri', /https/);
    assertProblem(problems, '/issuers/1/id', /duplicates \/issuers\/0\/id/);
    assertProblem(problems, '/issuers/1/issuer', /duplicates \/issuers\/0\/issuer/);
    assertProblem(problems, '/issuers/1/jwks/keys/0', /symmetric/);
    assertProblem(problems, '/issuers/2/jwks/keys/0', /private key/);
    assertProblem(problems, '/rules/0/match/issuers/1', /no issuer has id "nobody"/);
    assertProblem(problems, '/rules/1/name', /duplicates \/rules\/0\/name/);
    assertProblem(problems, '/rules/1/match/paths/0', /\*\*/);
    assert.equal(problems.length, 8, JSON.stringify(problems, null, 1));
  });

  test('schema and cross-field problems in one document are all reported together', () => {
    const problems = problemsOf({
      apiVersion: 'certbound.dev/v1',
      issuers: [
        {
          id: 'corp',
          issuer: 'https://a.example.com',
          jwks: { uri: 'https://a.example.com/jwks' },
          clockTolerance: -1,
        },
        { id: 'corp', issuer: 'https://b.example.com', jwks: { uri: 'http://b.example.com/jwks' } },
      ],
      rules: [{ name: 'r', match: { issuers: ['nobody'] } }],
    });
    assertProblem(problems, '/issuers/0/clockTolerance', />= 0/);
    assertProblem(problems, '/issuers/1/id', /duplicates/);
    assertProblem(problems, '/issuers/1/jwks/uri', /https/);
    assertProblem(problems, '/rules/0/match/issuers/0', /no issuer has id/);
  });

  const single: readonly {
    name: string;
    patch: (p: typeof EXAMPLE_OBJECT) => unknown;
    path: string;
    message: RegExp;
  }[] = [
    {
      name: 'HS256',
      patch: (p) => issuerWith(p, { algorithms: ['HS256'] }),
      path: '/issuers/0/algorithms/0',
      message: /must be one of/,
    },
    {
      name: 'alg none',
      patch: (p) => issuerWith(p, { algorithms: ['none'] }),
      path: '/issuers/0/algorithms/0',
      message: /must be one of/,
    },
    {
      name: 'clockTolerance 301',
      patch: (p) => issuerWith(p, { clockTolerance: 301 }),
      path: '/issuers/0/clockTolerance',
      message: /<= 300/,
    },
    {
      name: 'clockTolerance 1.5',
      patch: (p) => issuerWith(p, { clockTolerance: 1.5 }),
      path: '/issuers/0/clockTolerance',
      message: /integer/,
    },
    {
      name: 'jwks with uri and keys',
      patch: (p) => issuerWith(p, { jwks: { uri: 'https://a/jwks', keys: [EC_PUBLIC_JWK] } }),
      path: '/issuers/0/jwks',
      message: /exactly one/,
    },
    {
      name: 'jwks uri ftp',
      patch: (p) => issuerWith(p, { jwks: { uri: 'ftp://a/jwks' } }),
      path: '/issuers/0/jwks/uri',
      message: /pattern/,
    },
    { name: 'no issuers', patch: (p) => ({ ...p, issuers: [] }), path: '/issuers', message: /fewer than 1/ },
    {
      name: 'unknown field in a rule match',
      patch: (p) => ({ ...p, rules: [{ name: 'r', match: { hosts: ['a'] } }] }),
      path: '/rules/0/match/hosts',
      message: /not a known field/,
    },
    {
      name: 'scope with a quote',
      patch: (p) => ({ ...p, rules: [{ name: 'r', require: { scopes: ['a"b'] } }] }),
      path: '/rules/0/require/scopes/0',
      message: /pattern/,
    },
    {
      name: 'realm with a quote',
      patch: (p) => ({ ...p, realm: 'a"b' }),
      path: '/realm',
      message: /pattern/,
    },
  ];
  for (const { name, patch, path, message } of single) {
    test(name, () => {
      assertProblem(problemsOf(patch(structuredClone(EXAMPLE_OBJECT)) as object), path, message);
    });
  }

  test('YAML syntax errors, with the line', () => {
    const problems = problemsOf('apiVersion: certbound.dev/v1\nissuers: [\n  - id: x\n');
    assert.ok(problems.length >= 1);
    assert.equal(problems[0]?.path, '');
    assert.match(problems[0]?.message ?? '', /YAML\/JSON syntax.*line/);
  });
  test('duplicate keys in YAML', () => {
    const problems = problemsOf('apiVersion: certbound.dev/v1\napiVersion: certbound.dev/v1\nissuers: []\n');
    assert.match(problems[0]?.message ?? '', /YAML\/JSON syntax/);
  });
  test('a document that is not an object', () => {
    assertProblem(problemsOf('42'), '', /must be object/);
    assertProblem(problemsOf('- a\n- b\n'), '', /must be object/);
  });
});

function issuerWith(policy: typeof EXAMPLE_OBJECT, fields: Record<string, unknown>): unknown {
  return { ...policy, issuers: [{ ...policy.issuers[0], ...fields }] };
}
