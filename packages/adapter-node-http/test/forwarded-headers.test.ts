// Each proxy header format parsed from real certificates, and malformed values: every bad value is
// a `certificate_malformed` problem with a message, never an exception.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { CertificateInput, IssuedCertificate } from '@certbound/core';
import { forwardedCertificateReader, parseXfcc } from '../src/index.js';
import { createTestPki, type TestPki } from './support/test-pki.js';

let pki: TestPki;
let leaf: IssuedCertificate;
let caPem: string;
let caDer: Uint8Array;

before(async () => {
  pki = await createTestPki();
  leaf = pki.client;
  caPem = pki.ca.certificate.pem;
  caDer = pki.ca.certificate.der;
});

const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
const hex = (thumbprint: string) => Buffer.from(thumbprint, 'base64url').toString('hex');
/** nginx-style escaping: line breaks and spaces escaped, `+ / =` left literal. */
const nginxEscape = (pem: string) => pem.replace(/\n/g, '%0A').replace(/ /g, '%20');

function derOf(input: CertificateInput | undefined): Buffer {
  assert.ok(input && 'der' in input, `expected a DER certificate, got ${JSON.stringify(input)}`);
  return Buffer.from(input.der);
}

function chainOf(input: CertificateInput | undefined): Buffer[] {
  assert.ok(input?.chain, 'expected a chain');
  return input.chain.map((c) => Buffer.from(c as Uint8Array));
}

function assertMalformed(input: CertificateInput | undefined, pattern: RegExp): void {
  assert.ok(input && 'problem' in input, `expected a problem, got ${JSON.stringify(input)?.slice(0, 200)}`);
  assert.equal(input.problem.code, 'certificate_malformed');
  assert.match(input.problem.message, pattern);
}

describe('x-forwarded-client-cert (Envoy / Istio)', () => {
  const xfcc = forwardedCertificateReader('xfcc');
  const read = (value: string) => xfcc.read({ 'x-forwarded-client-cert': value });

  test('Cert: quoted URL-encoded PEM', () => {
    const input = read(
      `By=spiffe://cluster.local/ns/a/sa/api;Hash=${hex(leaf.thumbprint)};Cert="${encodeURIComponent(leaf.pem)}";Subject="CN=client-a";URI=spiffe://x`,
    );
    assert.deepEqual(derOf(input), Buffer.from(leaf.der));
    assert.equal(input?.source, 'header:x-forwarded-client-cert');
  });

  test('keys are case-insensitive and values may be unquoted', () => {
    assert.deepEqual(derOf(read(`cert=${encodeURIComponent(leaf.pem)}`)), Buffer.from(leaf.der));
  });

  test('Hash alone becomes the x5t#S256 thumbprint', () => {
    assert.deepEqual(read(`By=spiffe://a;Hash=${hex(leaf.thumbprint)}`), {
      thumbprint: leaf.thumbprint,
      source: 'header:x-forwarded-client-cert',
    });
  });

  test('Chain: leaf first, the rest becomes the chain', () => {
    const input = read(`Chain="${encodeURIComponent(leaf.pem + caPem)}"`);
    assert.deepEqual(derOf(input), Buffer.from(leaf.der));
    assert.deepEqual(chainOf(input), [Buffer.from(caDer)]);
  });

  test('several elements: the last by default, or the one configured', () => {
    const first = `Hash=${hex(pki.other.thumbprint)};Subject="CN=x, O=y"`;
    const last = `Hash=${hex(leaf.thumbprint)}`;
    const value = `${first},${last}`;
    assert.equal((read(value) as { thumbprint: string }).thumbprint, leaf.thumbprint);
    const byFirst = forwardedCertificateReader({ format: 'xfcc', element: 'first' });
    assert.equal(
      (byFirst.read({ 'x-forwarded-client-cert': value }) as { thumbprint: string }).thumbprint,
      pki.other.thumbprint,
    );
    const oneFromEnd = forwardedCertificateReader({ format: 'xfcc', element: { fromEnd: 1 } });
    assert.equal(
      (oneFromEnd.read({ 'x-forwarded-client-cert': value }) as { thumbprint: string }).thumbprint,
      pki.other.thumbprint,
    );
    assertMalformed(
      forwardedCertificateReader({ format: 'xfcc', element: { fromEnd: 2 } }).read({
        'x-forwarded-client-cert': value,
      }),
      /2 element\(s\)/,
    );
  });

  test('the parser keeps quoted commas, semicolons and escaped quotes inside values', () => {
    const elements = parseXfcc('By=a;Subject="CN=a, O=\\"b; c\\"";DNS=x;DNS=y,Hash=00');
    assert.ok(Array.isArray(elements));
    assert.equal(elements.length, 2);
    assert.deepEqual(elements[0]?.get('subject'), ['CN=a, O="b; c"']);
    assert.deepEqual(elements[0]?.get('dns'), ['x', 'y']);
  });

  const malformed: [string, () => string, RegExp][] = [
    ['bad percent-encoding in Cert', () => `Cert="%ZZ${encodeURIComponent(leaf.pem)}"`, /percent-encoding/],
    ['truncated PEM in Cert', () => `Cert="${encodeURIComponent(leaf.pem.slice(0, 200))}"`, /Cert/],
    [
      'two certificates in Cert',
      () => `Cert="${encodeURIComponent(leaf.pem + caPem)}"`,
      /2 certificates, expected one/,
    ],
    [
      'Cert twice in one element',
      () => `Cert="${encodeURIComponent(leaf.pem)}";Cert="${encodeURIComponent(leaf.pem)}"`,
      /2 times/,
    ],
    ['Hash that is not hex SHA-256', () => 'Hash=abcdef', /hex SHA-256/],
    [
      'Hash that does not match Cert',
      () => `Hash=${hex(pki.other.thumbprint)};Cert="${encodeURIComponent(leaf.pem)}"`,
      /does not match/,
    ],
    [
      'Cert that is not the first of Chain',
      () => `Cert="${encodeURIComponent(leaf.pem)}";Chain="${encodeURIComponent(caPem + leaf.pem)}"`,
      /first certificate of Chain/,
    ],
    ['unterminated quote', () => 'Cert="abc', /unterminated/],
    ['a pair without =', () => 'Cert', /no "="/],
    ['no certificate key', () => 'By=spiffe://a;URI=spiffe://b', /no Cert, Chain or Hash/],
    ['trailing separator', () => `Hash=${hex(leaf.thumbprint)};`, /no "="/],
  ];
  for (const [name, value, pattern] of malformed) {
    test(`malformed: ${name}`, () => assertMalformed(read(value()), pattern));
  }

  test('absent or empty header: no certificate', () => {
    assert.equal(xfcc.read({}), undefined);
    assert.equal(read(''), undefined);
  });
});

describe('ssl-client-cert (nginx / ingress-nginx)', () => {
  const nginx = forwardedCertificateReader('nginx');

  test('URL-encoded PEM, percent-decoded (a literal + stays +)', () => {
    assert.ok(/[+/=]/.test(leaf.pem));
    assert.deepEqual(derOf(nginx.read({ 'ssl-client-cert': nginxEscape(leaf.pem) })), Buffer.from(leaf.der));
    assert.deepEqual(
      derOf(nginx.read({ 'ssl-client-cert': encodeURIComponent(leaf.pem) })),
      Buffer.from(leaf.der),
    );
  });

  test('ssl-client-verify becomes the transport verdict', () => {
    const ok = nginx.read({
      'ssl-client-cert': encodeURIComponent(leaf.pem),
      'ssl-client-verify': 'SUCCESS',
    });
    assert.deepEqual(ok?.transport, { verified: true });
    const failed = nginx.read({
      'ssl-client-cert': encodeURIComponent(leaf.pem),
      'ssl-client-verify': 'FAILED:certificate has expired',
    });
    assert.deepEqual(failed?.transport, { verified: false, error: 'FAILED:certificate has expired' });
  });

  test('malformed: bad percent-encoding', () => {
    assertMalformed(
      nginx.read({ 'ssl-client-cert': `${encodeURIComponent(leaf.pem)}%E0%A4%A` }),
      /percent-encoding/,
    );
  });
  test('malformed: two certificates where one is expected (also a repeated header)', () => {
    assertMalformed(
      nginx.read({ 'ssl-client-cert': encodeURIComponent(leaf.pem + caPem) }),
      /2 certificates/,
    );
    assertMalformed(
      nginx.read({ 'ssl-client-cert': [encodeURIComponent(leaf.pem), encodeURIComponent(caPem)] }),
      /2 certificates/,
    );
  });
  test('malformed: not PEM', () => {
    assertMalformed(nginx.read({ 'ssl-client-cert': 'hello' }), /0 certificates/);
    assertMalformed(
      nginx.read({ 'ssl-client-cert': encodeURIComponent(leaf.pem.replace('MII', 'M*I')) }),
      /not valid PEM/,
    );
  });
});

describe('X-Forwarded-Tls-Client-Cert (Traefik)', () => {
  const traefik = forwardedCertificateReader('traefik');
  const read = (value: string) => traefik.read({ 'x-forwarded-tls-client-cert': value });

  test('base64 DER, comma-separated chain, leaf first', () => {
    const input = read(`${b64(leaf.der)},${b64(caDer)}`);
    assert.deepEqual(derOf(input), Buffer.from(leaf.der));
    assert.deepEqual(chainOf(input), [Buffer.from(caDer)]);
    assert.deepEqual(derOf(read(b64(leaf.der))), Buffer.from(leaf.der));
  });
  test('Traefik v1 URL-escaped value', () => {
    assert.deepEqual(derOf(read(encodeURIComponent(b64(leaf.der)))), Buffer.from(leaf.der));
  });
  test('malformed: truncated base64', () => {
    assertMalformed(read(b64(leaf.der).slice(0, -3)), /certificate 1 is not base64/);
  });
  test('malformed: garbage in the chain', () => {
    assertMalformed(read(`${b64(leaf.der)},not base64!`), /certificate 2 is not base64/);
  });
});

describe('Client-Cert / Client-Cert-Chain (RFC 9440)', () => {
  const rfc9440 = forwardedCertificateReader('rfc9440');

  test('byte sequence leaf and chain list', () => {
    const input = rfc9440.read({
      'client-cert': `:${b64(leaf.der)}:`,
      'client-cert-chain': `:${b64(caDer)}:`,
    });
    assert.deepEqual(derOf(input), Buffer.from(leaf.der));
    assert.deepEqual(chainOf(input), [Buffer.from(caDer)]);
    assert.equal(input?.source, 'header:client-cert');
  });
  test('malformed: two certificates in Client-Cert', () => {
    assertMalformed(rfc9440.read({ 'client-cert': `:${b64(leaf.der)}:, :${b64(caDer)}:` }), /2 certificates/);
  });
  test('malformed: not a byte sequence', () => {
    assertMalformed(rfc9440.read({ 'client-cert': b64(leaf.der) }), /byte sequence/);
  });
  test('malformed: truncated base64', () => {
    // Cut to 4n+1 characters: no padding can repair that. (A cut on a 4-character boundary decodes
    // to truncated DER, which the engine rejects: see forwarded-certificates.test.ts.)
    const body = b64(leaf.der).replace(/=+$/, '');
    assertMalformed(
      rfc9440.read({ 'client-cert': `:${body.slice(0, body.length - (body.length % 4) - 3)}:` }),
      /base64/,
    );
  });
  test('malformed: bad chain', () => {
    assertMalformed(
      rfc9440.read({ 'client-cert': `:${b64(leaf.der)}:`, 'client-cert-chain': ':@@:' }),
      /Chain/,
    );
  });
});

describe('custom header with a declared encoding', () => {
  const cases: [string, () => string, (input: CertificateInput | undefined) => void][] = [
    ['base64-der', () => b64(leaf.der), (i) => assert.deepEqual(derOf(i), Buffer.from(leaf.der))],
    [
      'url-encoded-pem',
      () => encodeURIComponent(leaf.pem),
      (i) => assert.deepEqual(derOf(i), Buffer.from(leaf.der)),
    ],
    ['pem', () => leaf.pem.replace(/\n/g, ' '), (i) => assert.deepEqual(derOf(i), Buffer.from(leaf.der))],
    [
      'hex-sha256',
      () => hex(leaf.thumbprint),
      (i) => assert.equal((i as { thumbprint: string }).thumbprint, leaf.thumbprint),
    ],
    [
      'x5t#S256',
      () => leaf.thumbprint,
      (i) => assert.equal((i as { thumbprint: string }).thumbprint, leaf.thumbprint),
    ],
  ];
  for (const [encoding, value, check] of cases) {
    test(encoding, () => {
      const reader = forwardedCertificateReader({
        format: 'custom',
        header: 'X-Client-Cert',
        encoding: encoding as 'pem',
      });
      const input = reader.read({ 'x-client-cert': value() });
      check(input);
      assert.equal(input?.source, 'header:x-client-cert');
    });
  }
  test('malformed values of each encoding', () => {
    const bad: [string, string][] = [
      ['base64-der', 'abc'],
      ['url-encoded-pem', '%G0'],
      ['pem', 'not pem'],
      ['hex-sha256', 'zz'],
    ];
    for (const [encoding, value] of bad) {
      const reader = forwardedCertificateReader({
        format: 'custom',
        header: 'x-c',
        encoding: encoding as 'pem',
      });
      assertMalformed(reader.read({ 'x-c': value }), /x-c/);
    }
  });
});

describe('configuration mistakes are TypeErrors at setup', () => {
  const bad: [string, unknown][] = [
    ['unknown format', 'haproxy'],
    ['custom without encoding', { format: 'custom', header: 'x-c' }],
    ['bad header name', { format: 'nginx', header: 'bad header' }],
    ['bad xfcc element', { format: 'xfcc', element: { fromEnd: -1 } }],
  ];
  for (const [name, format] of bad) {
    test(name, () => assert.throws(() => forwardedCertificateReader(format as 'xfcc'), TypeError));
  }
});

test('garbage in any format never throws', () => {
  const garbage = [
    '"',
    ',',
    ';;;',
    '=',
    ':',
    '::',
    '%',
    '%%%',
    'a'.repeat(20_000),
    '\u0000',
    'Cert="%"',
    ':=:',
    ',,,',
  ];
  for (const format of ['xfcc', 'nginx', 'traefik', 'rfc9440'] as const) {
    const reader = forwardedCertificateReader(format);
    for (const value of garbage) {
      for (const name of reader.headerNames) {
        const input = reader.read({ [name]: value });
        assert.ok(input === undefined || 'problem' in input || 'der' in input || 'thumbprint' in input);
      }
    }
  }
});
