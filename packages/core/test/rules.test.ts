// Rules: the first matching rule decides (methods, path globs, issuers), then its requirements
// (scopes, claims, certificate subject/SANs). Paths are normalized before matching.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  type CertificateInput,
  createCertificateAuthority,
  createEngine,
  type Decision,
  type Engine,
  type IssuedCertificate,
  type RulePolicy,
} from '../src/index.js';
import { type ClaimOverrides, createTestIssuer, type TestIssuer } from './support/test-issuer.js';
import { policyFor } from './support/test-policy.js';

let as: TestIssuer;
let partner: TestIssuer;
let client: IssuedCertificate;

before(async () => {
  as = await createTestIssuer();
  partner = await createTestIssuer();
  const ca = await createCertificateAuthority();
  client = await ca.issue({
    commonName: 'billing-service',
    organization: 'Example Corp',
    dnsNames: ['Billing.Example.com'],
    uris: ['spiffe://example.com/billing'],
    emails: ['ops@example.com'],
  });
});

function engineWith(rules: readonly RulePolicy[], defaultEffect?: 'allow' | 'deny'): Engine {
  return createEngine(policyFor([as, partner], { rules, ...(defaultEffect ? { defaultEffect } : {}) }));
}

async function decide(
  engine: Engine,
  method: string,
  path: string,
  options: { claims?: ClaimOverrides; issuer?: TestIssuer; certificate?: CertificateInput } = {},
): Promise<Decision> {
  const token = await (options.issuer ?? as).sign(options.claims ?? {});
  return engine.decide({
    authorization: `Bearer ${token}`,
    request: { method, path },
    ...(options.certificate ? { certificate: options.certificate } : {}),
  });
}

function outcome(decision: Decision): string {
  return `${decision.allow ? 'allow' : `deny ${decision.status}`} ${decision.reasons.at(-1)?.code}${decision.rule ? ` ${decision.rule}` : ''}`;
}

describe('matching', () => {
  const rules: RulePolicy[] = [
    { name: 'no-admin', match: { paths: ['/api/admin/**'] }, effect: 'deny' },
    { name: 'read-volumes', match: { methods: ['get', 'HEAD'], paths: ['/api/storage/**'] } },
    { name: 'one-segment', match: { methods: ['GET'], paths: ['/api/items/*/detail'] } },
    { name: 'partner-only', match: { paths: ['/api/partner/**'], issuers: ['as2'] } },
    { name: 'suffix', match: { methods: ['GET'], paths: ['/files/*.txt'] } },
  ];
  const cases: readonly [string, string, string, (TestIssuer | 'partner')?][] = [
    ['GET', '/api/storage/volumes', 'allow rule_allowed read-volumes'],
    ['GET', '/api/storage', 'allow rule_allowed read-volumes'],
    ['head', '/api/storage/a/b/c', 'allow rule_allowed read-volumes'],
    ['POST', '/api/storage/volumes', 'deny 403 rule_no_match'],
    ['GET', '/api/storagex', 'deny 403 rule_no_match'],
    ['GET', '/api/storage/volumes?admin=true#x', 'allow rule_allowed read-volumes'],
    ['GET', '/api/admin/users', 'deny 403 rule_denied no-admin'],
    ['GET', '/api/admin', 'deny 403 rule_denied no-admin'],
    // dot segments are removed before matching: these are /api/admin/... in disguise
    ['GET', '/api/storage/../admin/users', 'deny 403 rule_denied no-admin'],
    ['GET', '/api/storage/%2e%2e/admin', 'deny 403 rule_denied no-admin'],
    ['GET', '/api/storage/./../../api/admin', 'deny 403 rule_denied no-admin'],
    ['GET', '/api/storage/..', 'deny 403 rule_no_match'],
    // percent-encoded unreserved characters are decoded, encoded slashes are not
    ['GET', '/api/%73torage/x', 'allow rule_allowed read-volumes'],
    ['GET', '/api/storage%2Fx', 'deny 403 rule_no_match'],
    ['GET', '/api/items/7/detail', 'allow rule_allowed one-segment'],
    ['GET', '/api/items/7/8/detail', 'deny 403 rule_no_match'],
    ['GET', '/api/items//detail', 'allow rule_allowed one-segment'],
    // repeated slashes cannot sidestep a rule (proxies may merge them): either form matches
    ['GET', '/api//admin/users', 'deny 403 rule_denied no-admin'],
    ['GET', '//api/admin', 'deny 403 rule_denied no-admin'],
    ['GET', '/api/storage//x', 'allow rule_allowed read-volumes'],
    ['GET', '/files/a.txt', 'allow rule_allowed suffix'],
    ['GET', '/files/a.txt/b', 'deny 403 rule_no_match'],
    ['GET', '/api/partner/x', 'deny 403 rule_no_match'],
    ['GET', '/api/partner/x', 'allow rule_allowed partner-only', 'partner'],
  ];
  for (const [method, path, expected, issuer] of cases) {
    test(`${method} ${path}${issuer ? ' (partner token)' : ''} → ${expected}`, async () => {
      const decision = await decide(engineWith(rules), method, path, issuer ? { issuer: partner } : {});
      assert.equal(outcome(decision), expected);
    });
  }

  test('the first matching rule decides, even when a later one would allow', async () => {
    const engine = engineWith([
      { name: 'deny-delete', match: { methods: ['DELETE'] }, effect: 'deny' },
      { name: 'everything', match: { paths: ['/**'] } },
    ]);
    assert.equal(outcome(await decide(engine, 'DELETE', '/x')), 'deny 403 rule_denied deny-delete');
    assert.equal(outcome(await decide(engine, 'GET', '/x')), 'allow rule_allowed everything');
  });

  test('a rule without match applies to every request', async () => {
    const engine = engineWith([{ name: 'all', require: { scopes: ['volumes.read'] } }]);
    assert.equal(outcome(await decide(engine, 'PATCH', '/anything')), 'allow rule_allowed all');
  });

  test('defaultEffect allow: no match is allowed and says so', async () => {
    const engine = engineWith(
      [{ name: 'no-admin', match: { paths: ['/admin/**'] }, effect: 'deny' }],
      'allow',
    );
    const decision = await decide(engine, 'GET', '/public');
    assert.equal(outcome(decision), 'allow rule_no_match');
    assert.equal(decision.rule, undefined);
  });

  test('defaultEffect deny is the default', async () => {
    const engine = engineWith([{ name: 'r', match: { paths: ['/a'] } }]);
    const decision = await decide(engine, 'GET', '/b');
    assert.equal(outcome(decision), 'deny 403 rule_no_match');
    assert.equal(decision.error, 'insufficient_scope');
  });

  for (const [name, request] of [
    ['no request', undefined],
    ['a relative path', { method: 'GET', path: 'api/x' }],
    ['a control character', { method: 'GET', path: '/a\u0000b' }],
    ['a backslash', { method: 'GET', path: '/a\\..\\admin' }],
    ['a broken percent escape', { method: 'GET', path: '/a%zz' }],
    ['no method', { path: '/a' }],
  ] as const) {
    test(`with rules, ${name} → 400 request_malformed`, async () => {
      const engine = engineWith([{ name: 'all' }]);
      const decision = await engine.decide({
        authorization: `Bearer ${await as.sign()}`,
        ...(request ? { request } : {}),
      });
      assert.equal(outcome(decision), 'deny 400 request_malformed');
    });
  }

  test('without rules, any valid token passes and no request is needed', async () => {
    const decision = await createEngine(policyFor([as])).decide({
      authorization: `Bearer ${await as.sign()}`,
    });
    assert.equal(outcome(decision), 'allow rules_absent');
  });
});

describe('claim conditions', () => {
  const rules: RulePolicy[] = [
    {
      name: 'tenant-a',
      match: { paths: ['/tenants/a/**'] },
      require: { claims: { tenant: 'a', level: [2, 3], active: true } },
    },
  ];
  const cases: readonly [string, ClaimOverrides, string][] = [
    ['all conditions hold', { tenant: 'a', level: 3, active: true }, 'allow rule_allowed tenant-a'],
    [
      'array claim containing the value',
      { tenant: ['b', 'a'], level: 2, active: true },
      'allow rule_allowed tenant-a',
    ],
    ['wrong value', { tenant: 'b', level: 3, active: true }, 'deny 403 claim_condition_unmet tenant-a'],
    ['claim missing', { level: 3, active: true }, 'deny 403 claim_condition_unmet tenant-a'],
    [
      'number given as a string',
      { tenant: 'a', level: '3', active: true },
      'deny 403 claim_condition_unmet tenant-a',
    ],
    [
      'boolean given as a string',
      { tenant: 'a', level: 3, active: 'true' },
      'deny 403 claim_condition_unmet tenant-a',
    ],
  ];
  for (const [name, claims, expected] of cases) {
    test(`${name} → ${expected}`, async () => {
      assert.equal(outcome(await decide(engineWith(rules), 'GET', '/tenants/a/x', { claims })), expected);
    });
  }
  test('an inherited property name is not a claim', async () => {
    const engine = engineWith([{ name: 'proto', require: { claims: { toString: 'x' } } }]);
    assert.equal(outcome(await decide(engine, 'GET', '/x')), 'deny 403 claim_condition_unmet proto');
  });
  test('issuer-level claim conditions apply to every request of that issuer', async () => {
    const engine = createEngine(policyFor([as], { issuer: { claims: { tenant: 'a' } } }));
    const ok = await engine.decide({ authorization: `Bearer ${await as.sign({ tenant: 'a' })}` });
    const bad = await engine.decide({ authorization: `Bearer ${await as.sign({ tenant: 'b' })}` });
    assert.equal(outcome(ok), 'allow rules_absent');
    assert.equal(outcome(bad), 'deny 403 claim_condition_unmet');
  });
});

describe('certificate conditions', () => {
  const cases: readonly [string, RulePolicy['require'], string][] = [
    ['commonNames', { certificate: { commonNames: ['billing-service'] } }, 'allow'],
    ['commonNames (case-sensitive)', { certificate: { commonNames: ['Billing-Service'] } }, 'deny'],
    ['dnsNames (case-insensitive)', { certificate: { dnsNames: ['billing.example.com'] } }, 'allow'],
    ['organizations', { certificate: { organizations: ['Example Corp'] } }, 'allow'],
    ['organizations (other)', { certificate: { organizations: ['Evil Corp'] } }, 'deny'],
    ['uris', { certificate: { uris: ['spiffe://example.com/billing'] } }, 'allow'],
    ['uris (other)', { certificate: { uris: ['spiffe://example.com/other'] } }, 'deny'],
    ['emails', { certificate: { emails: ['OPS@example.com'] } }, 'allow'],
    ['any of several values', { certificate: { commonNames: ['x', 'billing-service'] } }, 'allow'],
    [
      'every listed field must hold',
      { certificate: { commonNames: ['billing-service'], dnsNames: ['x.test'] } },
      'deny',
    ],
  ];
  for (const [name, require, expected] of cases) {
    for (const form of ['der', 'pem'] as const) {
      test(`${name} (certificate as ${form}) → ${expected}`, async () => {
        const engine = engineWith([{ name: 'cert', ...(require ? { require } : {}) }]);
        const certificate = form === 'der' ? { der: client.der } : { pem: client.pem };
        const decision = await decide(engine, 'GET', '/x', { certificate });
        assert.equal(
          outcome(decision),
          expected === 'allow' ? 'allow rule_allowed cert' : 'deny 403 certificate_condition_unmet cert',
        );
      });
    }
  }
  test('a thumbprint alone cannot satisfy certificate conditions', async () => {
    const engine = engineWith([
      { name: 'cert', require: { certificate: { commonNames: ['billing-service'] } } },
    ]);
    const decision = await decide(engine, 'GET', '/x', { certificate: { thumbprint: client.thumbprint } });
    assert.equal(outcome(decision), 'deny 403 certificate_condition_unmet cert');
    assert.match(decision.reasons.at(-1)?.message ?? '', /thumbprint/);
  });
  test('no certificate → certificate_condition_unmet', async () => {
    const engine = engineWith([
      { name: 'cert', require: { certificate: { commonNames: ['billing-service'] } } },
    ]);
    assert.equal(outcome(await decide(engine, 'GET', '/x')), 'deny 403 certificate_condition_unmet cert');
  });
  test('an unreadable certificate → 401 certificate_malformed, not a condition failure', async () => {
    const engine = engineWith([
      { name: 'cert', require: { certificate: { commonNames: ['billing-service'] } } },
    ]);
    const decision = await decide(engine, 'GET', '/x', { certificate: { der: client.der.slice(1) } });
    assert.equal(outcome(decision), 'deny 401 certificate_malformed cert');
  });
  test('the certificate conditions are checked after scopes', async () => {
    const engine = engineWith([
      { name: 'cert', require: { scopes: ['admin'], certificate: { commonNames: ['billing-service'] } } },
    ]);
    const decision = await decide(engine, 'GET', '/x', { certificate: { der: client.der } });
    assert.equal(outcome(decision), 'deny 403 scope_insufficient cert');
  });
});
