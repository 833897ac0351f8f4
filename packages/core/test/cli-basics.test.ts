// The CLI's basic commands through runCli with an in-memory CliIo: validate, decide, thumbprint.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CliIo } from '../src/cli/cli-io.js';
import { runCli } from '../src/cli/main.js';
import { createCertificateAuthority, type IssuedCertificate } from '../src/index.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let folder: string;
let as: TestIssuer;
let client: IssuedCertificate;
let other: IssuedCertificate;

async function cli(args: readonly string[], stdin: Buffer = Buffer.alloc(0)): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdin: async () => stdin,
    cwd: folder,
    isTty: false,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}

/** The x5t#S256 the command printed: the whole output, or its `x5t#S256:` line. */
function printedThumbprint(stdout: string): string | undefined {
  return /^(?:x5t#S256:\s*)?([A-Za-z0-9_-]{43})$/m.exec(stdout)?.[1];
}

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'certbound-cli-'));
  as = await createTestIssuer();
  const ca = await createCertificateAuthority();
  client = await ca.issue({ commonName: 'client-a' });
  other = await ca.issue({ commonName: 'client-b' });
  writeFileSync(join(folder, 'jwks.json'), JSON.stringify({ keys: [as.publicJwk] }));
  writeFileSync(
    join(folder, 'policy.yaml'),
    [
      'apiVersion: certbound.dev/v1',
      'issuers:',
      '  - id: corp',
      `    issuer: ${as.issuer}`,
      '    jwks: { file: ./jwks.json }',
      `    audience: ${as.audience}`,
      '    algorithms: [ES256]',
      '    mutualTls: required',
      'rules:',
      '  - name: read-volumes',
      '    match: { methods: [GET], paths: ["/api/storage/**"] }',
      '    require: { scopes: [volumes.read] }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(folder, 'bad.yaml'),
    'apiVersion: certbound.dev/v2\nissuers:\n  - id: corp\n    issuer: x\n    jwks: { uri: "http://as.example.com/jwks" }\n    clockTolerance: 999\n',
  );
  writeFileSync(join(folder, 'client.pem'), client.pem);
  writeFileSync(join(folder, 'client.der'), client.der);
  writeFileSync(join(folder, 'other.pem'), other.pem);
  writeFileSync(join(folder, 'key.pem'), client.privateKeyPem);
});
after(() => rmSync(folder, { recursive: true, force: true }));

describe('certbound validate', () => {
  test('a valid policy → exit 0', async () => {
    const run = await cli(['validate', 'policy.yaml']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /valid/);
  });
  test('an invalid policy → exit 2 with every problem by path', async () => {
    const run = await cli(['validate', 'bad.yaml']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /\/apiVersion/);
    assert.match(run.stderr, /\/issuers\/0\/clockTolerance/);
    assert.match(run.stderr, /\/issuers\/0\/jwks\/uri/);
  });
  test('a missing file → exit 2', async () => {
    assert.equal((await cli(['validate', 'missing.yaml'])).code, 2);
  });
  test('no argument → exit 2', async () => {
    assert.equal((await cli(['validate'])).code, 2);
  });
});

describe('certbound decide', () => {
  test('bound token + matching certificate (PEM and DER) → exit 0 and the decision JSON', async () => {
    const token = await as.sign({ cnf: { 'x5t#S256': client.thumbprint } });
    for (const cert of ['client.pem', 'client.der']) {
      const run = await cli([
        'decide',
        '--policy',
        'policy.yaml',
        '--token',
        token,
        '--cert',
        cert,
        '--path',
        '/api/storage/v',
      ]);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const decision = JSON.parse(run.stdout);
      assert.equal(decision.allow, true);
      assert.equal(decision.rule, 'read-volumes');
      assert.equal(decision.certificate.thumbprint, client.thumbprint);
      assert.ok(!run.stdout.includes(token), 'the decision never echoes the token');
    }
  });
  test('other certificate → exit 1, binding_mismatch', async () => {
    const token = await as.sign({ cnf: { 'x5t#S256': client.thumbprint } });
    const run = await cli([
      'decide',
      '--policy',
      'policy.yaml',
      '--token',
      token,
      '--cert',
      'other.pem',
      '--path',
      '/api/storage/v',
    ]);
    assert.equal(run.code, 1);
    assert.equal(JSON.parse(run.stdout).reasons.at(-1).code, 'binding_mismatch');
  });
  test('unbound token in required mode → exit 1, binding_required', async () => {
    const run = await cli([
      'decide',
      '--policy',
      'policy.yaml',
      '--token',
      await as.sign(),
      '--path',
      '/api/storage/v',
    ]);
    assert.equal(run.code, 1);
    assert.equal(JSON.parse(run.stdout).reasons.at(-1).code, 'binding_required');
  });
  test('usage errors → exit 2', async () => {
    assert.equal((await cli(['decide'])).code, 2);
    assert.equal((await cli(['decide', '--policy', 'policy.yaml'])).code, 2);
    assert.equal((await cli(['decide', '--policy', 'policy.yaml', '--token', 'x', '--bogus'])).code, 2);
  });
  test('an invalid policy → exit 2', async () => {
    assert.equal((await cli(['decide', '--policy', 'bad.yaml', '--token', 'a.b.c'])).code, 2);
  });
});

describe('certbound thumbprint', () => {
  test('PEM, DER and stdin all print the x5t#S256', async () => {
    for (const args of [['client.pem'], ['client.der']]) {
      const run = await cli(['thumbprint', ...args]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(printedThumbprint(run.stdout), client.thumbprint);
    }
    const piped = await cli(['thumbprint', '-'], Buffer.from(client.pem));
    assert.equal(printedThumbprint(piped.stdout), client.thumbprint);
  });
  test('a file without a certificate → non-zero', async () => {
    const run = await cli(['thumbprint', 'key.pem']);
    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, '');
  });
  test('no argument → exit 2', async () => {
    assert.equal((await cli(['thumbprint'])).code, 2);
  });
});

describe('certbound', () => {
  test('an unknown command → exit 2', async () => {
    assert.equal((await cli(['frobnicate'])).code, 2);
  });
});
