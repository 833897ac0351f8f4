// x-forwarded-client-cert as Envoy writes it (forward_client_cert_details with
// set_current_client_cert_details): parsing, element choice, Cert vs Hash, and the trust switch.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { x5tS256 } from '@certbound/core';
import { certificateFromXfcc, type ExtAuthzServer, parseXfcc } from '../src/index.js';
import {
  connectEnvoyClient,
  type EnvoyClient,
  envoyCheckRequest,
  envoyUrlEncode,
} from './support/envoy-client.js';
import { createFixture, type Fixture, policyYaml, startServer, writePolicy } from './support/fixture.js';

const HASH = 'a'.repeat(64);

describe('parseXfcc', () => {
  const cases: [string, string, Record<string, string[]>[] | undefined][] = [
    [
      'one element',
      `By=spiffe://a/b;Hash=${HASH};URI=spiffe://c/d`,
      [{ by: ['spiffe://a/b'], hash: [HASH], uri: ['spiffe://c/d'] }],
    ],
    [
      'quoted values with , ; = inside',
      `Hash=${HASH};Subject="CN=client-a,O=Example;x=1";URI=spiffe://c/d`,
      [{ hash: [HASH], subject: ['CN=client-a,O=Example;x=1'], uri: ['spiffe://c/d'] }],
    ],
    ['escaped quote inside a quoted value', 'Subject="CN=a \\"b\\""', [{ subject: ['CN=a "b"'] }]],
    [
      'several elements (one per hop)',
      `By=spiffe://edge;Hash=${'1'.repeat(64)},By=spiffe://sidecar;Hash=${'2'.repeat(64)}`,
      [
        { by: ['spiffe://edge'], hash: ['1'.repeat(64)] },
        { by: ['spiffe://sidecar'], hash: ['2'.repeat(64)] },
      ],
    ],
    [
      'keys are case-insensitive, DNS repeats',
      'hash=ab;DNS=a.test;dns=b.test',
      [{ hash: ['ab'], dns: ['a.test', 'b.test'] }],
    ],
    ['spaces around elements', ` Hash=${HASH} , Hash=${HASH}`, [{ hash: [HASH] }, { hash: [HASH] }]],
    ['unterminated quote', 'Subject="CN=a', undefined],
    ['key without value', 'Hash', undefined],
    ['empty header', '', undefined],
    ['stray quote in a bare value', 'Hash=ab"c', undefined],
    ['garbage after a quoted value', 'Subject="a"b', undefined],
  ];
  for (const [name, header, expected] of cases) {
    test(name, () => {
      const parsed = parseXfcc(header);
      assert.deepEqual(
        parsed?.map((element) => Object.fromEntries([...element].map(([k, v]) => [k, [...v]]))),
        expected,
      );
    });
  }

  test('more than 64 elements is refused', () => {
    assert.equal(parseXfcc(Array.from({ length: 65 }, () => `Hash=${HASH}`).join(',')), undefined);
  });
});

describe('certificateFromXfcc', () => {
  test('Hash only → the x5t#S256 of the same digest', () => {
    const digest = createHash('sha256').update('certificate').digest();
    const input = certificateFromXfcc(`Hash=${digest.toString('hex')}`, 'last', 's');
    assert.deepEqual(input, { thumbprint: digest.toString('base64url'), source: 's' });
  });

  test('first, last and index select the element', () => {
    const header = [1, 2, 3].map((n) => `Hash=${String(n).repeat(64)}`).join(',');
    const thumbprintOf = (n: number) => Buffer.from(String(n).repeat(64), 'hex').toString('base64url');
    assert.deepEqual(certificateFromXfcc(header, 'first', 's'), { thumbprint: thumbprintOf(1), source: 's' });
    assert.deepEqual(certificateFromXfcc(header, 'last', 's'), { thumbprint: thumbprintOf(3), source: 's' });
    assert.deepEqual(certificateFromXfcc(header, 1, 's'), { thumbprint: thumbprintOf(2), source: 's' });
    assert.equal(
      (certificateFromXfcc(header, 3, 's') as { problem: { code: string } }).problem.code,
      'certificate_malformed',
    );
    // An index counts from the end: the start of the header is whatever the client sent first.
    assert.deepEqual(certificateFromXfcc(header, 0, 's'), { thumbprint: thumbprintOf(3), source: 's' });
    assert.deepEqual(certificateFromXfcc(header, 2, 's'), { thumbprint: thumbprintOf(1), source: 's' });
    const spoofed = `Hash=${'9'.repeat(64)},${header}`; // one extra element in front
    assert.deepEqual(certificateFromXfcc(spoofed, 1, 's'), { thumbprint: thumbprintOf(2), source: 's' });
  });

  for (const [name, header] of [
    ['Hash not hex SHA-256', 'Hash=abc'],
    ['SHA-1 length Hash', `Hash=${'a'.repeat(40)}`],
    ['Cert with broken percent-encoding', 'Cert="%E0%A4%A"'],
    ['neither Cert nor Hash', 'By=spiffe://a;URI=spiffe://b'],
    ['Hash repeated', `Hash=${HASH};Hash=${HASH}`],
    ['not XFCC at all', '"'],
  ] as const) {
    test(`${name} → certificate_malformed`, () => {
      const input = certificateFromXfcc(header, 'last', 'header:x');
      assert.ok('problem' in input);
      assert.equal(input.problem.code, 'certificate_malformed');
      assert.equal(input.source, 'header:x');
    });
  }
});

describe('XFCC over gRPC Checks (mode required, bound token)', () => {
  let fixture: Fixture;
  let trusted: ExtAuthzServer;
  let untrusted: ExtAuthzServer;
  let trustedClient: EnvoyClient;
  let untrustedClient: EnvoyClient;

  before(async () => {
    fixture = await createFixture();
    const policy = writePolicy(fixture, policyYaml(fixture, { mode: 'required' }));
    trusted = await startServer(fixture, policy, { trustForwardedClientCert: true });
    untrusted = await startServer(fixture, policy, {});
    trustedClient = connectEnvoyClient(trusted.grpcAddress as string);
    untrustedClient = connectEnvoyClient(untrusted.grpcAddress as string);
  });

  after(async () => {
    trustedClient.close();
    untrustedClient.close();
    await Promise.all([trusted.close(), untrusted.close()]);
    await fixture.close();
  });

  const hashOf = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');
  const check = (client: EnvoyClient, xfcc: string | readonly string[]) =>
    client.check(
      envoyCheckRequest({
        path: '/api/volumes',
        headers: { authorization: `Bearer ${fixture.boundToken}`, 'x-forwarded-client-cert': xfcc },
      }),
    );

  const table: [string, () => string | readonly string[], number, string][] = [
    [
      'Cert (quoted URL-encoded PEM) of the bound client',
      () =>
        `Hash=${hashOf(fixture.clientA.der)};Cert="${envoyUrlEncode(fixture.clientA.pem)}";Subject="CN=client-a";URI=`,
      0,
      'binding_verified',
    ],
    [
      'Hash only, bound client',
      () => `By=spiffe://api;Hash=${hashOf(fixture.clientA.der)}`,
      0,
      'binding_verified',
    ],
    [
      'Hash only, another client',
      () => `By=spiffe://api;Hash=${hashOf(fixture.clientB.der)}`,
      16,
      'binding_mismatch',
    ],
    [
      'several elements: the last (our proxy) is the bound client',
      () => `Hash=${hashOf(fixture.clientB.der)},Hash=${hashOf(fixture.clientA.der)}`,
      0,
      'binding_verified',
    ],
    [
      'several elements: the first is the bound client, the last is not',
      () => `Hash=${hashOf(fixture.clientA.der)},Hash=${hashOf(fixture.clientB.der)}`,
      16,
      'binding_mismatch',
    ],
    [
      'repeated XFCC headers, merged by Envoy with ","',
      () => [`Hash=${hashOf(fixture.clientB.der)}`, `Hash=${hashOf(fixture.clientA.der)}`],
      0,
      'binding_verified',
    ],
    ['malformed XFCC', () => 'Hash="unterminated', 16, 'certificate_malformed'],
  ];
  for (const [name, header, code, reason] of table) {
    test(`trusted: ${name} → code ${code}, ${reason}`, async () => {
      const response = await check(trustedClient, header());
      assert.equal(response.status.code, code);
      const fields = response.dynamic_metadata?.fields ?? {};
      if (code === 0) {
        assert.equal(
          (fields.thumbprint as { stringValue: string }).stringValue,
          x5tS256(fixture.clientA.der),
        );
        assert.equal(
          (fields.certificate_source as { stringValue: string }).stringValue,
          'header:x-forwarded-client-cert',
        );
      } else {
        assert.equal(response.status.message, reason);
      }
    });
  }

  test('untrusted: the header is ignored and reported (certificate_source_untrusted)', async () => {
    const response = await check(untrustedClient, `Hash=${hashOf(fixture.clientA.der)}`);
    assert.equal(response.status.code, 16);
    assert.equal(response.status.message, 'certificate_source_untrusted');
  });

  test('source.certificate wins over XFCC, trusted or not', async () => {
    for (const client of [trustedClient, untrustedClient]) {
      const response = await client.check(
        envoyCheckRequest({
          path: '/api/volumes',
          headers: {
            authorization: `Bearer ${fixture.boundToken}`,
            'x-forwarded-client-cert': `Hash=${hashOf(fixture.clientB.der)}`,
          },
          peerCertificatePem: fixture.clientA.pem,
        }),
      );
      assert.equal(response.status.code, 0);
    }
  });
});
