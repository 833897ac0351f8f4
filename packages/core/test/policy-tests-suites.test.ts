// `certbound test`: the shipped example suites (incl. the full ONTAP mode table) pass; failing and
// broken suites are reported in every format and set the exit code.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type FinalResults, Parser } from 'tap-parser';
import { certbound, EXAMPLES, temporaryDirectory } from './support/cli-harness.js';

const POLICY = `apiVersion: certbound.dev/v1
issuers:
  - id: corp
    issuer: https://as.example.com
    jwks: { uri: https://as.example.com/jwks }
    audience: https://api.example.com
    mutualTls: request
  - id: partner
    issuer: https://partner.example.com
    jwks: { file: ./does-not-exist.json }
    algorithms: [PS256]
    mutualTls: required
rules:
  - name: read
    match: { methods: [GET], paths: ["/api/**"] }
    require: { scopes: [read] }
defaultEffect: deny
`;

// Two cases pass, two fail on purpose (wrong expectations), one cannot run.
const FAILING_SUITE = `apiVersion: certbound.dev/v1
kind: PolicyTestSuite
name: deliberately failing
policy: policy.yaml
certificates:
  a: { commonName: a }
  b: { commonName: b }
defaults:
  token: { scopes: [read] }
  request: { path: /api/x }
cases:
  - name: partner key is PS256 and its remote-free jwks is substituted
    token: { issuer: partner, bound: a }
    certificate: a
    expect: { allow: true, status: 200, reasons: [binding_verified, rule_allowed], rule: read }
  - name: bound token with the wrong certificate
    token: { bound: a }
    certificate: b
    expect: { allow: false, status: 401, error: invalid_token, reasons: [binding_mismatch] }
  - name: wrong expectation about a mismatch
    token: { bound: a }
    certificate: b
    expect: { allow: true, status: 200, reasons: [binding_verified] }
  - name: "wrong expectation <& \\"quoted\\"> # not a TAP directive"
    token: { scopes: [] }
    expect: { allow: false, status: 401, reasons: [scope_insufficient] }
  - name: unknown issuer id cannot run
    token: { issuer: nobody }
    expect: { allow: false }
`;

describe('certbound test', () => {
  let dir: string;
  let remove: () => Promise<void>;
  before(async () => {
    ({ dir, remove } = await temporaryDirectory());
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    writeFileSync(join(dir, 'failing.suite.yaml'), FAILING_SUITE);
  });
  after(() => remove());

  test('the shipped example suites pass, including the full ONTAP mode table', async () => {
    const run = await certbound(
      [
        'test',
        join(EXAMPLES, 'ontap-modes.suite.yaml'),
        join(EXAMPLES, 'policy.suite.yaml'),
        '--format',
        'json',
      ],
      dir,
    );
    assert.equal(run.code, 0, run.stdout);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.summary, { suites: 2, cases: 32, passed: 32, failed: 0, errors: 0 });
    // 3 modes × bound/unbound × own/other/no certificate, each exactly once.
    const table = report.suites[0].cases.map((c: { name: string }) => c.name);
    const expected = ['none', 'request', 'required'].flatMap((mode) =>
      ['bound', 'unbound'].flatMap((token) =>
        ['own', 'other', 'no'].map((cert) => `${mode} / ${token} token / ${cert} certificate`),
      ),
    );
    assert.deepEqual(table, expected);
  });

  test('text: a failing case shows expected and actual side by side; exit 1', async () => {
    const run = await certbound(['test', 'failing.suite.yaml'], dir);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /PASS {2}partner key is PS256/);
    assert.match(
      run.stdout,
      /FAIL {2}wrong expectation about a mismatch\n +expected +actual\n *≠ allow +allow +deny\n *≠ status +200 +401/,
    );
    assert.match(run.stdout, /≠ reasons +binding_verified +token_verified\n +binding_mismatch/);
    assert.match(run.stdout, /deciding reason: binding_mismatch: token is bound to/);
    assert.match(
      run.stdout,
      /FAIL {2}unknown issuer id cannot run\n +could not run: token.issuer "nobody" is not an issuer id/,
    );
    assert.match(run.stdout, /5 case\(s\) in 1 suite\(s\): 2 passed, 3 failed/);
  });

  test('junit: well-formed XML with the counts and a <failure> per failed expectation', async () => {
    const run = await certbound(
      ['test', 'failing.suite.yaml', join(EXAMPLES, 'ontap-modes.suite.yaml'), '--format', 'junit'],
      dir,
    );
    assert.equal(run.code, 1);
    assert.equal(XMLValidator.validate(run.stdout), true);
    const xml = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => name === 'testsuite' || name === 'testcase',
    }).parse(run.stdout);
    const root = xml.testsuites;
    assert.equal(root.tests, '23');
    assert.equal(root.failures, '2');
    assert.equal(root.errors, '1');
    const [failing, modes] = root.testsuite;
    assert.equal(failing.name, 'deliberately failing');
    assert.equal(failing.tests, '5');
    assert.equal(failing.failures, '2');
    assert.equal(failing.errors, '1');
    const byName = new Map(failing.testcase.map((c: { name: string }) => [c.name, c]));
    const weird = byName.get('wrong expectation <& "quoted"> # not a TAP directive') as {
      failure: { message: string };
    };
    assert.match(
      weird.failure.message,
      /^expected deny 401 \[scope_insufficient ⊆\], got deny 403 insufficient_scope rule read/,
    );
    assert.ok((byName.get('unknown issuer id cannot run') as { error?: unknown }).error);
    assert.equal(
      (byName.get('bound token with the wrong certificate') as { failure?: unknown }).failure,
      undefined,
    );
    assert.equal(modes.tests, '18');
    assert.equal(modes.failures, '0');
  });

  test('tap: TAP 13 a TAP parser accepts, with YAML diagnostics on failures', async () => {
    const run = await certbound(['test', 'failing.suite.yaml', '--format', 'tap'], dir);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^TAP version 13\n1\.\.5\n/);
    const results = await new Promise<FinalResults>((resolve) => {
      const parser = new Parser(resolve);
      parser.end(run.stdout);
    });
    assert.equal(results.count, 5);
    assert.equal(results.pass, 2);
    assert.equal(results.fail, 3);
    assert.equal(results.plan.end, 5);
    const mismatch = results.failures.find((f) => f.name.endsWith('wrong expectation about a mismatch'));
    assert.deepEqual(mismatch?.diag?.expected, { allow: true, status: 200, reasons: ['binding_verified'] });
    assert.equal(mismatch?.diag?.actual?.allow, false);
    assert.deepEqual(mismatch?.diag?.mismatched, ['allow', 'status', 'reasons']);
    // `#` in a case name is escaped, not read as a directive
    const weird = results.failures.find((f) => f.name.includes('not a TAP directive'));
    assert.equal(weird?.todo, false);
    assert.equal(weird?.skip, false);
  });

  test('json: the full comparison, machine-readable', async () => {
    const run = await certbound(['test', 'failing.suite.yaml', '--format', 'json'], dir);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.deepEqual(report.summary, { suites: 1, cases: 5, passed: 2, failed: 3, errors: 0 });
    const mismatch = report.suites[0].cases[2];
    assert.deepEqual(mismatch.mismatches, ['allow', 'status', 'reasons']);
    assert.deepEqual(
      mismatch.actual.reasons.map((r: { code: string }) => r.code),
      ['token_verified', 'binding_mismatch'],
    );
  });

  test('a suite that breaks its schema or names unknown things is rejected whole; exit 2', async () => {
    writeFileSync(
      join(dir, 'broken.suite.yaml'),
      `apiVersion: certbound.dev/v1
kind: PolicyTestSuite
policy: policy.yaml
certificates: { a: { commonName: a } }
cases:
  - name: one
    token: { bound: missing }
    certificate: also-missing
    expect: { allow: true, reasons: [binding_verfied] }
  - name: one
    token: { issuer: corp }
    authorization: Bearer x
    expect: { allow: false }
  - name: three
    expect: { allow: maybe, colour: red }
`,
    );
    const schema = await certbound(['test', 'broken.suite.yaml'], dir);
    assert.equal(schema.code, 2);
    assert.match(schema.stdout, /\/cases\/2\/expect\/allow: must be boolean/);
    assert.match(schema.stdout, /\/cases\/2\/expect\/colour: is not a known field/);
    writeFileSync(
      join(dir, 'broken.suite.yaml'),
      (await import('node:fs'))
        .readFileSync(join(dir, 'broken.suite.yaml'), 'utf8')
        .replace(/ {2}- name: three[\s\S]*/, ''),
    );
    const references = await certbound(['test', 'broken.suite.yaml', '--format', 'tap'], dir);
    assert.equal(references.code, 2);
    for (const problem of [
      '/cases/0/certificate: no certificate named "also-missing"',
      '/cases/0/token/bound: no certificate named "missing"',
      '/cases/0/expect/reasons/0: "binding_verfied" is not a certbound reason code',
      '/cases/1/name: duplicates /cases/0/name',
      '/cases/1/authorization: give either token or authorization, not both',
    ]) {
      assert.ok(references.stdout.includes(problem), `${problem}\n${references.stdout}`);
    }
    assert.match(references.stdout, /^not ok 1 - broken.suite.yaml # suite could not be run$/m);
  });

  test('a suite whose policy is invalid, or who names an issuer the policy lacks, cannot run; exit 2', async () => {
    writeFileSync(join(dir, 'bad-policy.yaml'), 'apiVersion: certbound.dev/v1\nissuers: [{ id: x }]\n');
    writeFileSync(
      join(dir, 'bad-policy.suite.yaml'),
      'apiVersion: certbound.dev/v1\nkind: PolicyTestSuite\npolicy: bad-policy.yaml\ncases: [{ name: a, expect: { allow: true } }]\n',
    );
    const run = await certbound(['test', 'bad-policy.suite.yaml', '--format', 'junit'], dir);
    assert.equal(run.code, 2);
    assert.equal(XMLValidator.validate(run.stdout), true);
    assert.match(run.stdout, /policy bad-policy.yaml\/issuers\/0\/issuer: is required/);
    writeFileSync(
      join(dir, 'unknown-issuer.suite.yaml'),
      'apiVersion: certbound.dev/v1\nkind: PolicyTestSuite\npolicy: policy.yaml\nissuers: { nobody: { algorithm: ES256 } }\ncases: [{ name: a, expect: { allow: true } }]\n',
    );
    const unknown = await certbound(['test', 'unknown-issuer.suite.yaml'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stdout, /\/issuers\/nobody: the policy has no issuer with id "nobody"/);
    assert.equal((await certbound(['test', 'missing.suite.yaml'], dir)).code, 2);
  });

  test('a suite whose policy names an unreadable trust anchor file is reported, not a crash; exit 2', async () => {
    writeFileSync(
      join(dir, 'missing-anchor-policy.yaml'),
      `apiVersion: certbound.dev/v1
issuers: [{ id: corp, issuer: https://as.example.com, jwks: { uri: https://as.example.com/jwks } }]
certificates: { trustAnchors: [{ file: no-such-ca.pem }] }
`,
    );
    writeFileSync(
      join(dir, 'missing-anchor.suite.yaml'),
      'apiVersion: certbound.dev/v1\nkind: PolicyTestSuite\npolicy: missing-anchor-policy.yaml\ncases: [{ name: a, expect: { allow: true } }]\n',
    );
    const run = await certbound(['test', 'missing-anchor.suite.yaml', 'bad-policy.suite.yaml'], dir);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, /ERR_TRUST_ANCHOR/);
    assert.match(run.stdout, /2 suite\(s\)/, 'the other suite is still reported');
  });

  test("a test key outside the issuer's algorithms is refused by the engine, as in production", async () => {
    writeFileSync(
      join(dir, 'algorithm.suite.yaml'),
      `apiVersion: certbound.dev/v1
kind: PolicyTestSuite
policy: policy.yaml
issuers: { corp: { algorithm: ES384 } }
cases:
  - name: ES384 is not among the default algorithms
    request: { path: /api/x }
    token: { scopes: [read] }
    expect: { allow: false, status: 401, reasons: [token_algorithm_not_allowed] }
`,
    );
    const run = await certbound(['test', 'algorithm.suite.yaml'], dir);
    assert.equal(run.code, 0, run.stdout);
  });

  test('usage errors exit 2', async () => {
    assert.equal((await certbound(['test'], dir)).code, 2);
    assert.equal((await certbound(['test', 'failing.suite.yaml', '--format', 'xml'], dir)).code, 2);
  });
});
