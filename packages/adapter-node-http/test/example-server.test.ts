// The documented example server (examples/server.ts, docs/adapters/node-http.md) run as its own
// process and driven with curl --cert/--key over real mTLS on 127.0.0.1: the results the doc shows.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestIssuer } from './support/test-issuer.js';
import { createTestPki } from './support/test-pki.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

interface CurlResult {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

function curl(args: readonly string[]): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-sS', '-i', '--max-time', '10', ...args], { timeout: 15_000 }, (error, stdout) => {
      if (error) return reject(error);
      const split = stdout.indexOf('\r\n\r\n');
      const headers = stdout.slice(0, split);
      const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(headers)?.[1]);
      resolve({ status, headers, body: stdout.slice(split + 4) });
    });
  });
}

describe('example server with curl', () => {
  let dir: string;
  let child: ChildProcess;
  let url: string;
  let token: string;
  const file = (name: string) => join(dir, name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certbound-example-'));
    const pki = await createTestPki();
    const issuer = await createTestIssuer();
    token = await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } });
    const policy = {
      apiVersion: 'certbound.dev/v1',
      issuers: [
        {
          id: 'dev-as',
          issuer: issuer.issuer,
          jwks: { keys: [issuer.publicJwk] },
          audience: issuer.audience,
          mutualTls: 'required',
        },
      ],
    };
    // JSON is YAML: the example loads it with loadPolicyFile.
    writeFileSync(file('policy.yaml'), JSON.stringify(policy));
    writeFileSync(file('ca.pem'), pki.ca.certificate.pem);
    writeFileSync(file('server.pem'), pki.server.pem);
    writeFileSync(file('server-key.pem'), pki.server.privateKeyPem);
    writeFileSync(file('client.pem'), pki.client.pem);
    writeFileSync(file('client-key.pem'), pki.client.privateKeyPem);
    writeFileSync(file('other.pem'), pki.other.pem);
    writeFileSync(file('other-key.pem'), pki.other.privateKeyPem);

    child = spawn(
      process.execPath,
      ['--conditions=certbound-source', '--import', 'tsx', 'examples/server.ts'],
      {
        cwd: packageDir,
        env: {
          ...process.env,
          CERTBOUND_POLICY: file('policy.yaml'),
          TLS_CERT: file('server.pem'),
          TLS_KEY: file('server-key.pem'),
          CLIENT_CA: file('ca.pem'),
          PORT: '0',
          HOST: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`example did not start: ${output}`)), 30_000);
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        output += chunk;
        const match = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] as string);
        }
      });
      child.once('exit', (code) => reject(new Error(`example exited with ${code}: ${output}`)));
    });
  });

  after(() => {
    child?.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const tls = () => ['--cacert', file('ca.pem')];
  const as = (name: 'client' | 'other') => ['--cert', file(`${name}.pem`), '--key', file(`${name}-key.pem`)];
  const bearer = () => ['-H', `Authorization: Bearer ${token}`];

  test('the client the token is bound to → 200 with the decision', async () => {
    const result = await curl([...tls(), ...as('client'), ...bearer(), `${url}/api/hello`]);
    assert.equal(result.status, 200, result.body);
    const body = JSON.parse(result.body);
    assert.equal(body.hello, 'user-1');
    assert.equal(body.client, 'client-1');
    assert.deepEqual(body.scopes, ['read']);
    assert.match(body.certificate, /^[A-Za-z0-9_-]{43}$/);
  });

  test('another client certificate → 401 invalid_token', async () => {
    const result = await curl([...tls(), ...as('other'), ...bearer(), `${url}/api/hello`]);
    assert.equal(result.status, 401);
    assert.match(
      result.headers,
      /www-authenticate: Bearer error="invalid_token", error_description="The access token is bound to a different client certificate"/i,
    );
    assert.deepEqual(JSON.parse(result.body), {
      error: 'invalid_token',
      error_description: 'The access token is bound to a different client certificate',
    });
  });

  test('no client certificate → 401 invalid_token', async () => {
    const result = await curl([...tls(), ...bearer(), `${url}/api/hello`]);
    assert.equal(result.status, 401);
    assert.equal(
      JSON.parse(result.body).error_description,
      'The access token is certificate-bound but no client certificate was presented',
    );
  });

  test('no token → 401 with a bare Bearer challenge', async () => {
    const result = await curl([...tls(), ...as('client'), `${url}/api/hello`]);
    assert.equal(result.status, 401);
    assert.match(result.headers, /www-authenticate: Bearer\r?$/im);
  });

  test('/health is not guarded', async () => {
    const result = await curl([...tls(), `${url}/health`]);
    assert.equal(result.status, 200);
    assert.deepEqual(JSON.parse(result.body), { status: 'ok' });
  });
});
