// `certbound decide`: JSON by default (unchanged contract), --explain in text or JSON, exit codes.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { certbound, EXAMPLES, temporaryDirectory } from './support/cli-harness.js';

const DECIDE = join(EXAMPLES, 'decide');
const base = (token: string, cert?: string) => [
  'decide',
  '--policy',
  join(DECIDE, 'policy.yaml'),
  '--token-file',
  join(DECIDE, token),
  ...(cert ? ['--cert', join(DECIDE, cert)] : []),
  '--path',
  '/api/storage/volumes',
];

describe('certbound decide', () => {
  test('plain decide prints the decision JSON; exit 0 allow, 1 deny', async () => {
    const allow = await certbound(base('bound.jwt', 'client.pem'), DECIDE);
    assert.equal(allow.code, 0, allow.stderr);
    const decision = JSON.parse(allow.stdout);
    assert.equal(decision.allow, true);
    assert.equal(decision.trace, undefined);
    assert.deepEqual(
      decision.reasons.map((r: { code: string }) => r.code),
      ['token_verified', 'binding_verified', 'rule_allowed'],
    );
    const deny = await certbound(base('bound.jwt', 'other-client.pem'), DECIDE);
    assert.equal(deny.code, 1);
    assert.equal(JSON.parse(deny.stdout).reasons.at(-1).code, 'binding_mismatch');
  });

  test('--explain shows each step, both thumbprints side by side and the deciding reason', async () => {
    const thumbprint = async (file: string) =>
      (await certbound(['thumbprint', join(DECIDE, file)], DECIDE)).stdout
        .split('\n')[0]
        ?.split(' ')[1] as string;
    const own = await thumbprint('client.pem');
    const other = await thumbprint('other-client.pem');
    const run = await certbound([...base('bound.jwt', 'other-client.pem'), '--explain'], DECIDE);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^DENY {2}401 invalid_token — binding_mismatch$/m);
    assert.match(run.stdout, /pass {2}issuer +iss matches issuer corp \(mutualTls required\)/);
    assert.match(run.stdout, /pass {2}signature/);
    assert.match(
      run.stdout,
      new RegExp(`FAIL {2}binding +mode required: token cnf.x5t#S256 ${own} ≠ certificate ${other}`),
    );
    assert.match(run.stdout, new RegExp(`token cnf.x5t#S256: +${own}`));
    assert.match(run.stdout, new RegExp(`certificate x5t#S256: +${other}`));
    assert.match(run.stdout, /same: +NO/);
    assert.ok(
      !run.stdout.includes(readFileSync(join(DECIDE, 'bound.jwt'), 'utf8').trim()),
      'never prints the token',
    );

    const allowed = await certbound([...base('bound.jwt', 'client.pem'), '--explain'], DECIDE);
    assert.equal(allowed.code, 0);
    assert.match(allowed.stdout, /^ALLOW {2}200 — rule_allowed$/m);
    assert.match(allowed.stdout, /pass {2}rules +rule read-volumes/);
    assert.match(allowed.stdout, /^rule: read-volumes$/m);
  });

  test('--explain names what fails before the binding: a plain bearer token under required', async () => {
    const run = await certbound([...base('unbound.jwt', 'client.pem'), '--explain'], DECIDE);
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /FAIL {2}binding +mode required: mutualTls is required and the token has no cnf.x5t#S256/,
    );
    assert.match(run.stdout, /token cnf.x5t#S256: +\(none: the token is not certificate-bound\)/);
  });

  test('--explain with an exp no date can hold: the token summary shows it, no crash', async () => {
    const { dir, remove } = await temporaryDirectory();
    const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${segment({ alg: 'ES256', typ: 'at+jwt' })}.${segment({ iss: 'x', exp: 1e300 })}.c2ln`;
    writeFileSync(join(dir, 'huge-exp.jwt'), token);
    const run = await certbound(
      [
        'decide',
        '--policy',
        join(DECIDE, 'policy.yaml'),
        '--token-file',
        join(dir, 'huge-exp.jwt'),
        '--explain',
      ],
      DECIDE,
    );
    await remove();
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /exp 1e\+300 \(not a date\)/);
  });

  test('--explain --format json is the decision JSON with its trace', async () => {
    const run = await certbound([...base('bound.jwt'), '--explain', '--format', 'json'], DECIDE);
    assert.equal(run.code, 1);
    const decision = JSON.parse(run.stdout);
    assert.equal(decision.reasons.at(-1).code, 'certificate_missing');
    assert.deepEqual(
      decision.trace.map((s: { step: string; outcome: string }) => `${s.step}:${s.outcome}`),
      ['issuer:pass', 'signature:pass', 'binding:fail'],
    );
  });

  test('token from stdin with --token-file -', async () => {
    const run = await certbound(
      [
        'decide',
        '--policy',
        'policy.yaml',
        '--token-file',
        '-',
        '--cert',
        'client.pem',
        '--path',
        '/api/storage/x',
      ],
      DECIDE,
      readFileSync(join(DECIDE, 'bound.jwt')),
    );
    assert.equal(run.code, 0, run.stderr);
  });

  test('usage and policy errors exit 2', async () => {
    const { dir, remove } = await temporaryDirectory();
    try {
      writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: certbound.dev/v1\nissuers: []\nbogus: 1\n');
      const bad = await certbound(['decide', '--policy', 'bad.yaml', '--token', 'x'], dir);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /invalid policy/);
      assert.match(bad.stderr, /\/bogus: is not a known field/);
      assert.equal((await certbound(['decide', '--token', 'x'], dir)).code, 2);
      assert.equal((await certbound([...base('bound.jwt'), '--format', 'yaml'], dir)).code, 2);
      assert.equal((await certbound([...base('bound.jwt'), '--nope'], dir)).code, 2);
    } finally {
      await remove();
    }
  });
});
