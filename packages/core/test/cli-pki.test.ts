// `certbound pki`: the dev CA, certificates it issues and CSRs, each cross-checked with openssl.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createServer, request } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { certbound, temporaryDirectory } from './support/cli-harness.js';

const openssl = (...args: string[]) =>
  execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** x5t#S256 as openssl computes it: SHA-256 over the DER that `openssl x509 -outform DER` writes. */
function opensslThumbprint(pemFile: string): string {
  const der = execFileSync('openssl', ['x509', '-in', pemFile, '-outform', 'DER']);
  return createHash('sha256').update(der).digest('base64url');
}

describe('certbound pki', () => {
  let dir: string;
  let remove: () => Promise<void>;
  before(async () => {
    ({ dir, remove } = await temporaryDirectory());
  });
  after(() => remove());

  test('init writes a CA certificate and a 0600 private key that belong together', async () => {
    const run = await certbound(['pki', 'init', 'ca', '--cn', 'Test Dev CA'], dir);
    assert.equal(run.code, 0, run.stderr);
    const caPem = join(dir, 'ca', 'ca.pem');
    const caKey = join(dir, 'ca', 'ca-key.pem');
    assert.equal(statSync(caKey).mode & 0o777, 0o600);
    const text = openssl('x509', '-in', caPem, '-noout', '-text');
    assert.match(text, /Subject: CN\s?=\s?Test Dev CA/);
    assert.match(text, /CA:TRUE/);
    assert.match(text, /Certificate Sign/);
    assert.match(text, /id-ecPublicKey/);
    // The key is the CA's: same public key from both files.
    assert.equal(
      openssl('pkey', '-in', caKey, '-pubout'),
      openssl('x509', '-in', caPem, '-noout', '-pubkey'),
    );
    assert.match(run.stdout, new RegExp(`x5t#S256: +${opensslThumbprint(caPem)}`));
  });

  test('init refuses to replace an existing CA unless --force', async () => {
    const before = readFileSync(join(dir, 'ca', 'ca.pem'), 'utf8');
    const run = await certbound(['pki', 'init', 'ca'], dir);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /exists; pass --force/);
    assert.equal(readFileSync(join(dir, 'ca', 'ca.pem'), 'utf8'), before);
  });

  test('issue: a clientAuth certificate chained to the CA, with SANs, and its x5t#S256', async () => {
    const run = await certbound(
      [
        'pki',
        'issue',
        'ca',
        '--cn',
        'client-a',
        '--dns',
        'a.example.com,b.example.com',
        '--uri',
        'spiffe://example.com/client-a',
        '--email',
        'ops@example.com',
      ],
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    const pem = join(dir, 'ca', 'client-a.pem');
    const key = join(dir, 'ca', 'client-a-key.pem');
    assert.equal(statSync(key).mode & 0o777, 0o600);
    assert.match(openssl('verify', '-CAfile', join(dir, 'ca', 'ca.pem'), pem), /OK/);
    const text = openssl('x509', '-in', pem, '-noout', '-text');
    assert.match(text, /TLS Web Client Authentication/);
    assert.doesNotMatch(text, /TLS Web Server Authentication/);
    assert.match(
      text,
      /DNS:a\.example\.com, DNS:b\.example\.com, URI:spiffe:\/\/example\.com\/client-a, email:ops@example\.com/,
    );
    assert.equal(openssl('pkey', '-in', key, '-pubout'), openssl('x509', '-in', pem, '-noout', '-pubkey'));
    assert.ok(run.stdout.includes(`certificate: ${pem}`));
    assert.ok(run.stdout.includes(`x5t#S256:    ${opensslThumbprint(pem)}`));
  });

  test('issue --rsa --days --out', async () => {
    const run = await certbound(
      [
        'pki',
        'issue',
        'ca',
        '--cn',
        'rsa client',
        '--org',
        'Example Corp',
        '--rsa',
        '--days',
        '2',
        '--out',
        'out/rsa',
      ],
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    const text = openssl('x509', '-in', join(dir, 'out', 'rsa.pem'), '-noout', '-text');
    assert.match(text, /rsaEncryption/);
    assert.match(text, /Public-Key: \(2048 bit\)/);
    // One attribute per RDN, not a multi-valued `O = ... + CN = ...`.
    assert.match(text, /Subject: O\s?=\s?Example Corp, CN\s?=\s?rsa client/);
    assert.match(text, /Issuer: CN\s?=\s?Test Dev CA/);
    const dates = openssl('x509', '-in', join(dir, 'out', 'rsa.pem'), '-noout', '-startdate', '-enddate');
    const [start, end] = [...dates.matchAll(/=(.*)/g)].map((m) => Date.parse(m[1] as string));
    assert.equal(((end as number) - (start as number)) / 86_400_000, 2);
    assert.match(openssl('verify', '-CAfile', join(dir, 'ca', 'ca.pem'), join(dir, 'out', 'rsa.pem')), /OK/);
  });

  test('issue without a CA folder, or without --cn, is a usage error', async () => {
    assert.equal((await certbound(['pki', 'issue', 'missing', '--cn', 'x'], dir)).code, 2);
    assert.equal((await certbound(['pki', 'issue', 'ca'], dir)).code, 2);
    assert.equal((await certbound(['pki', 'frobnicate'], dir)).code, 2);
    assert.equal((await certbound(['pki', 'issue', 'ca', '--cn', 'x', '--days', '0'], dir)).code, 2);
  });

  test('a --server certificate and a client certificate complete a real mutual TLS handshake', async () => {
    assert.equal((await certbound(['pki', 'issue', 'ca', '--cn', 'localhost', '--server'], dir)).code, 0);
    const text = openssl('x509', '-in', join(dir, 'ca', 'localhost.pem'), '-noout', '-text');
    assert.match(text, /TLS Web Server Authentication/);
    assert.match(text, /DNS:localhost, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
    const file = (name: string) => readFileSync(join(dir, 'ca', name));
    const server = createServer(
      {
        cert: file('localhost.pem'),
        key: file('localhost-key.pem'),
        ca: file('ca.pem'),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        res.end(createHash('sha256').update(peer.raw).digest('base64url'));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as import('node:net').AddressInfo).port;
      const body = await new Promise<string>((resolve, reject) => {
        request(
          {
            host: '127.0.0.1',
            port,
            servername: 'localhost',
            ca: file('ca.pem'),
            cert: file('client-a.pem'),
            key: file('client-a-key.pem'),
          },
          (res) => {
            let data = '';
            res.on('data', (chunk) => {
              data += chunk;
            });
            res.on('end', () => resolve(data));
          },
        )
          .on('error', reject)
          .end();
      });
      assert.equal(body, opensslThumbprint(join(dir, 'ca', 'client-a.pem')));
    } finally {
      server.close();
    }
  });

  test('csr: a PKCS#10 request openssl verifies, with the SANs and key purpose asked for', async () => {
    const run = await certbound(
      ['pki', 'csr', '--cn', 'svc', '--org', 'Example Corp', '--dns', 'svc.example.com', '--out', 'req/svc'],
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    const csr = join(dir, 'req', 'svc.csr');
    const key = join(dir, 'req', 'svc-key.pem');
    assert.equal(statSync(key).mode & 0o777, 0o600);
    const verified = execFileSync('openssl', ['req', '-in', csr, '-verify', '-noout', '-text'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.match(verified, /Subject: O\s?=\s?Example Corp, CN\s?=\s?svc/);
    assert.match(verified, /DNS:svc\.example\.com/);
    assert.match(verified, /TLS Web Client Authentication/);
    assert.equal(openssl('pkey', '-in', key, '-pubout'), openssl('req', '-in', csr, '-noout', '-pubkey'));
    const rsa = await certbound(['pki', 'csr', '--cn', 'rsa-svc', '--rsa', '--server'], join(dir, 'req'));
    assert.equal(rsa.code, 0, rsa.stderr);
    const rsaText = openssl('req', '-in', join(dir, 'req', 'rsa-svc.csr'), '-verify', '-noout', '-text');
    assert.match(rsaText, /rsaEncryption/);
    assert.match(rsaText, /TLS Web Server Authentication/);
  });
});
