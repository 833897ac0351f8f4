// `certbound thumbprint` and `--check`: every form users paste, against openssl's own output.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createCertificateAuthority, type IssuedCertificate } from '../src/index.js';
import { certbound, temporaryDirectory } from './support/cli-harness.js';

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

describe('certbound thumbprint', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let client: IssuedCertificate;
  let other: IssuedCertificate;
  let caPem: string;
  before(async () => {
    ({ dir, remove } = await temporaryDirectory());
    const ca = await createCertificateAuthority();
    client = await ca.issue({ commonName: 'client-a' });
    other = await ca.issue({ commonName: 'client-b' });
    caPem = ca.certificate.pem;
    writeFileSync(join(dir, 'client.pem'), client.pem);
    writeFileSync(join(dir, 'client.der'), client.der);
    writeFileSync(join(dir, 'chain.pem'), client.pem + caPem);
    writeFileSync(join(dir, 'ca-first.pem'), caPem + client.pem);
    writeFileSync(join(dir, 'key.pem'), client.privateKeyPem);
  });
  after(() => remove());

  test('prints x5t#S256 and hex SHA-256 of PEM, DER and stdin input, as openssl computes them', async () => {
    const der = execFileSync('openssl', ['x509', '-in', join(dir, 'client.pem'), '-outform', 'DER']);
    const hex = openssl('x509', '-in', join(dir, 'client.pem'), '-noout', '-fingerprint', '-sha256')
      .split('=')[1]
      ?.trim()
      .replaceAll(':', '')
      .toLowerCase();
    const expected = `x5t#S256: ${createHash('sha256').update(der).digest('base64url')}\nsha256 (hex): ${hex}\n`;
    for (const [args, stdin] of [
      [['thumbprint', 'client.pem'], ''],
      [['thumbprint', 'client.der'], ''],
      [['thumbprint', '-'], client.pem],
      [['thumbprint', '-'], client.der],
    ] as const) {
      const run = await certbound(args, dir, stdin);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, expected, args.join(' '));
    }
  });

  test('a chain file: only the leaf (first) certificate is hashed, with a note', async () => {
    const run = await certbound(['thumbprint', 'chain.pem'], dir);
    assert.equal(run.code, 0);
    assert.match(run.stdout, new RegExp(`^x5t#S256: ${client.thumbprint}$`, 'm'));
    assert.match(run.stderr, /holds 2 certificates; only the first/);
  });

  test('input without a certificate exits 1; bad usage exits 2', async () => {
    assert.equal((await certbound(['thumbprint', 'key.pem'], dir)).code, 1);
    assert.equal((await certbound(['thumbprint', '-'], dir, 'hello')).code, 1);
    assert.equal((await certbound(['thumbprint', 'missing.pem'], dir)).code, 2);
    assert.equal((await certbound(['thumbprint'], dir)).code, 2);
    assert.equal((await certbound(['thumbprint', 'a', 'b'], dir)).code, 2);
  });

  describe('--check explains what a pasted value is', () => {
    const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();
    // value → [exit code, form text, verdict text] when checked against client.pem
    const cases: [string, () => string, number, RegExp, RegExp][] = [
      [
        'the correct x5t#S256',
        () => client.thumbprint,
        0,
        /x5t#S256 \(correct form\)/,
        /MATCH — this is the certificate's x5t#S256/,
      ],
      [
        'hex SHA-256',
        () => sha256(client.der).toString('hex'),
        1,
        /hex SHA-256 \(wrong encoding, convertible\)/,
        /same certificate, wrong encoding/,
      ],
      [
        'openssl -fingerprint -sha256 output',
        () => openssl('x509', '-in', join(dir, 'client.pem'), '-noout', '-fingerprint', '-sha256').trim(),
        1,
        /hex SHA-256/,
        /same certificate, wrong encoding/,
      ],
      [
        'openssl -fingerprint -sha1 output',
        () => openssl('x509', '-in', join(dir, 'client.pem'), '-noout', '-fingerprint', '-sha1').trim(),
        1,
        /hex SHA-1 \(wrong hash\)/,
        /NO MATCH — the value is the SHA-1 of the leaf certificate's DER/,
      ],
      [
        'base64url SHA-1 (x5t)',
        () => createHash('sha1').update(client.der).digest('base64url'),
        1,
        /base64url SHA-1, i\.e\. x5t \(wrong hash\)/,
        /SHA-1 of the leaf/,
      ],
      [
        'padded base64url',
        () => `${client.thumbprint}=`,
        1,
        /base64 SHA-256 \(wrong encoding/,
        /same certificate, wrong encoding/,
      ],
      [
        'standard padded base64',
        () => sha256(client.der).toString('base64'),
        1,
        /base64 SHA-256/,
        /same certificate, wrong encoding/,
      ],
      [
        'SHA-256 of the PEM text',
        () => sha256(client.pem).toString('base64url'),
        1,
        /x5t#S256 \(correct form\)/,
        /NO MATCH — the value is the SHA-256 of the PEM text, not of the DER/,
      ],
      [
        'hex SHA-256 of the PEM text',
        () => sha256(client.pem).toString('hex'),
        1,
        /hex SHA-256/,
        /SHA-256 of the PEM text/,
      ],
      [
        'SHA-256 of the base64 body',
        () => sha256(Buffer.from(client.der).toString('base64')).toString('base64url'),
        1,
        /correct form/,
        /SHA-256 of the base64 text inside the PEM/,
      ],
      [
        'another certificate',
        () => other.thumbprint,
        1,
        /correct form/,
        /no hash of this certificate certbound knows/,
      ],
      [
        '43 characters with stray bits',
        () => {
          const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
          const last = alphabet.indexOf(client.thumbprint.at(-1) as string);
          return client.thumbprint.slice(0, 42) + alphabet[last + 1]; // canonical last chars are multiples of 4
        },
        1,
        /malformed x5t#S256/,
        /NO MATCH/,
      ],
      ['garbage', () => 'not a thumbprint', 1, /form: +unknown/, /NO MATCH/],
    ];
    for (const [label, value, code, form, verdict] of cases) {
      test(label, async () => {
        const run = await certbound(['thumbprint', '--check', value(), 'client.pem'], dir);
        assert.equal(run.code, code, run.stdout + run.stderr);
        assert.match(run.stdout, form);
        assert.match(run.stdout, verdict);
        assert.ok(run.stdout.includes(`x5t#S256:     ${client.thumbprint}`), 'shows the right value');
      });
    }

    test('a thumbprint of the issuer in a chain file is called out', async () => {
      const run = await certbound(
        [
          'thumbprint',
          '--check',
          createHash('sha256')
            .update(Buffer.from(caPem.split('-----')[2]?.replace(/\s+/g, '') ?? '', 'base64'))
            .digest('base64url'),
          'chain.pem',
        ],
        dir,
      );
      assert.equal(run.code, 1);
      assert.match(run.stdout, /certificate #2 in the file \(an issuer\), not of the leaf/);
    });

    test('without a certificate it only classifies the value; converts hex', async () => {
      const hex = sha256(client.der).toString('hex').toUpperCase();
      const run = await certbound(['thumbprint', '--check', hex], dir);
      assert.equal(run.code, 1);
      assert.match(run.stdout, new RegExp(`as x5t#S256: +${client.thumbprint}`));
      assert.equal((await certbound(['thumbprint', '--check', client.thumbprint], dir)).code, 0);
    });

    test('the certificate can come from stdin', async () => {
      const run = await certbound(['thumbprint', '--check', client.thumbprint, '-'], dir, client.pem);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /MATCH/);
    });
  });
});

test('--check takes a value that starts with "-" (1 in 64 thumbprints do)', async () => {
  const { dir, remove } = await temporaryDirectory();
  try {
    const run = await certbound(
      ['thumbprint', '--check', '-xJ0aFAkn2fNDsZNQ3Y4AmjGLYCvC7U5ICCFm-k4iRc'],
      dir,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /correct form/);
  } finally {
    await remove();
  }
});
