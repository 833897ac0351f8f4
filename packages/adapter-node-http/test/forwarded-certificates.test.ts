// Certificates forwarded by a TLS-terminating proxy, end to end over loopback HTTP: each header
// format from a trusted peer, the same headers spoofed by an untrusted peer, and malformed values.
// Every deny carries its reason; nothing crashes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Decision, type IssuedCertificate, loadPolicy, type Policy } from '@certbound/core';
import type { ForwardedHeaderFormat } from '../src/index.js';
import { httpRequest } from './support/mtls-client.js';
import { type Framework, type RunningServer, startProtectedServer } from './support/protected-servers.js';
import { createTestIssuer } from './support/test-issuer.js';
import { createTestPki, type TestPki } from './support/test-pki.js';

const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');

interface FormatCase {
  readonly format: ForwardedHeaderFormat;
  readonly source: string;
  /** Headers a proxy sends for a certificate. */
  readonly headers: (certificate: IssuedCertificate) => Record<string, string>;
  /** Malformed values of this format (each must deny with certificate_malformed). */
  readonly malformed: (pki: TestPki) => Record<string, Record<string, string>>;
  /** Which framework serves it (all run plain HTTP behind the "proxy"). */
  readonly framework: Framework;
}

/** A certificate's DER cut on a base64 boundary: decodes cleanly, but is not a certificate. */
const truncatedDer = (certificate: IssuedCertificate) => certificate.der.subarray(0, 300);

const FORMATS: readonly FormatCase[] = [
  {
    format: 'xfcc',
    source: 'header:x-forwarded-client-cert',
    framework: 'node-https',
    headers: (c) => ({
      'x-forwarded-client-cert': `By=spiffe://cluster.local/ns/default/sa/api;Hash=${Buffer.from(c.thumbprint, 'base64url').toString('hex')};Cert="${encodeURIComponent(c.pem)}";Subject="CN=${c.subjectCommonName}"`,
    }),
    malformed: (pki) => ({
      'bad percent-encoding': {
        'x-forwarded-client-cert': `Cert="${encodeURIComponent(pki.client.pem).replace('%0A', '%0Z')}"`,
      },
      'two certificates in Cert': {
        'x-forwarded-client-cert': `Cert="${encodeURIComponent(pki.client.pem + pki.other.pem)}"`,
      },
      'unterminated quote': { 'x-forwarded-client-cert': 'Hash=00;Cert="abc' },
    }),
  },
  {
    format: 'nginx',
    source: 'header:ssl-client-cert',
    framework: 'express',
    headers: (c) => ({ 'ssl-client-cert': encodeURIComponent(c.pem), 'ssl-client-verify': 'SUCCESS' }),
    malformed: (pki) => ({
      'bad percent-encoding': { 'ssl-client-cert': `${encodeURIComponent(pki.client.pem)}%` },
      'two certificates': { 'ssl-client-cert': encodeURIComponent(pki.client.pem + pki.other.pem) },
      'form-encoded (+ as space)': {
        'ssl-client-cert': encodeURIComponent(pki.client.pem).replace(/%2B/g, ' '),
      },
    }),
  },
  {
    format: 'traefik',
    source: 'header:x-forwarded-tls-client-cert',
    framework: 'fastify',
    headers: (c) => ({ 'x-forwarded-tls-client-cert': b64(c.der) }),
    malformed: (pki) => ({
      'truncated base64': { 'x-forwarded-tls-client-cert': b64(pki.client.der).slice(0, -2) },
      'truncated DER': { 'x-forwarded-tls-client-cert': b64(truncatedDer(pki.client)) },
    }),
  },
  {
    format: 'rfc9440',
    source: 'header:client-cert',
    framework: 'koa',
    headers: (c) => ({ 'client-cert': `:${b64(c.der)}:` }),
    malformed: (pki) => ({
      'two certificates': { 'client-cert': `:${b64(pki.client.der)}:, :${b64(pki.other.der)}:` },
      'truncated DER': { 'client-cert': `:${b64(truncatedDer(pki.client))}:` },
      'not a byte sequence': { 'client-cert': b64(pki.client.der) },
    }),
  },
  {
    format: { format: 'custom', header: 'x-ssl-client-der', encoding: 'base64-der' },
    source: 'header:x-ssl-client-der',
    framework: 'node-https',
    headers: (c) => ({ 'x-ssl-client-der': b64(c.der) }),
    malformed: () => ({ 'not base64': { 'x-ssl-client-der': '***' } }),
  },
];

describe('forwarded certificates behind a proxy (plain HTTP on loopback)', () => {
  let pki: TestPki;
  let token: string;
  let policy: Policy;
  const decisions: Decision[] = [];
  const servers: RunningServer[] = [];

  before(async () => {
    pki = await createTestPki();
    const issuer = await createTestIssuer();
    token = await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } });
    policy = loadPolicy({
      apiVersion: 'certbound.dev/v1',
      issuers: [
        {
          id: 'as',
          issuer: issuer.issuer,
          jwks: { keys: [issuer.publicJwk] },
          audience: issuer.audience,
          mutualTls: 'required',
        },
      ],
    });
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  async function serve(format: FormatCase, trustedPeers: string[]): Promise<number> {
    const server = await startProtectedServer(
      format.framework,
      {
        policy,
        protect: ['/api'],
        certificate: { header: format.format, trustedPeers },
        onDecision: (decision) => decisions.push(decision),
      },
      undefined,
    );
    servers.push(server);
    return server.port;
  }

  async function decide(port: number, headers: Record<string, string>) {
    const before = decisions.length;
    const response = await httpRequest(port, { token, headers });
    assert.equal(decisions.length, before + 1);
    return { response, decision: decisions.at(-1) as Decision };
  }

  function assertDenied(
    result: { response: { status: number; headers: Record<string, unknown> }; decision: Decision },
    code: string,
  ) {
    assert.equal(result.response.status, 401);
    assert.match(String(result.response.headers['www-authenticate']), /^Bearer error="invalid_token"/);
    assert.ok(
      result.decision.reasons.some((r) => r.code === code),
      `expected ${code} in ${result.decision.reasons.map((r) => r.code).join(', ')}`,
    );
  }

  for (const format of FORMATS) {
    const name = typeof format.format === 'string' ? format.format : format.format.format;
    describe(`${name} (${format.framework})`, () => {
      let trustedPort: number;
      let untrustedPort: number;
      before(async () => {
        // The loopback client is 127.0.0.1; written as a CIDR and as IPv4-mapped IPv6 on purpose.
        trustedPort = await serve(format, ['127.0.0.0/8', '::ffff:192.0.2.1']);
        untrustedPort = await serve(format, ['10.0.0.0/8', '::1']);
      });

      test('trusted proxy, the token’s certificate → allow, source is the header', async () => {
        const { response, decision } = await decide(trustedPort, format.headers(pki.client));
        assert.equal(response.status, 200, response.body);
        assert.equal(JSON.parse(response.body).thumbprint, pki.client.thumbprint);
        assert.equal(decision.certificate?.source, format.source);
      });

      test('trusted proxy, another certificate → 401 binding_mismatch', async () => {
        assertDenied(await decide(trustedPort, format.headers(pki.other)), 'binding_mismatch');
      });

      test('trusted proxy, no header → 401 certificate_missing', async () => {
        assertDenied(await decide(trustedPort, {}), 'certificate_missing');
      });

      test('untrusted peer spoofing the token’s certificate → 401 certificate_source_untrusted', async () => {
        const result = await decide(untrustedPort, format.headers(pki.client));
        assertDenied(result, 'certificate_source_untrusted');
        assert.equal(result.decision.certificate?.source, format.source);
        assert.equal(result.decision.certificate?.thumbprint, undefined);
      });

      test('malformed values → 401 certificate_malformed', async (t) => {
        for (const [label, headers] of Object.entries(format.malformed(pki))) {
          await t.test(label, async () => {
            const result = await decide(trustedPort, headers);
            assertDenied(result, 'certificate_malformed');
            assert.deepEqual(Object.keys(JSON.parse(result.response.body as string)).sort(), [
              'error',
              'error_description',
            ]);
          });
        }
      });
    });
  }
});
