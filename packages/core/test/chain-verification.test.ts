// Chain verification for chains nobody else verified (ALB passthrough): path building from the
// leaf through intermediates in any order to a policy trust anchor, then dates, CA constraints,
// key usage, the leaf's EKU and CRLs (RFC 5280 §6). Every certificate is issued here with the dev
// PKI at fixed dates, and the verifier reads time from a clock set by the test.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  CertboundError,
  type CertificateAuthority,
  type ChainVerifier,
  type Clock,
  createCertificateAuthority,
  createChainVerifier,
  createEngine,
  type IssuedCertificate,
  issueCrl,
  loadPolicy,
} from '../src/index.js';

const at = (iso: string): Date => new Date(iso);
/** Settable by hand so date checks are exact. */
class ManualClock implements Clock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
}
const NOW = at('2031-06-01T00:00:00Z');
const VALID = { notBefore: at('2031-01-01T00:00:00Z'), notAfter: at('2032-01-01T00:00:00Z') };

let root: CertificateAuthority;
let intermediate: CertificateAuthority;
let leaf: IssuedCertificate;
let otherRoot: CertificateAuthority;

before(async () => {
  root = await createCertificateAuthority({
    commonName: 'test root',
    notBefore: at('2030-01-01T00:00:00Z'),
    notAfter: at('2040-01-01T00:00:00Z'),
  });
  intermediate = await root.intermediate('test intermediate', {
    notBefore: at('2030-06-01T00:00:00Z'),
    notAfter: at('2035-01-01T00:00:00Z'),
  });
  leaf = await intermediate.issue({ commonName: 'client-1', ...VALID });
  otherRoot = await createCertificateAuthority({ commonName: 'test root' });
});

function verifierFor(
  options: { anchors?: readonly IssuedCertificate[]; crls?: readonly string[]; clock?: Clock } = {},
): ChainVerifier {
  const verifier = createChainVerifier(
    {
      trustAnchors: (options.anchors ?? [root.certificate]).map((a) => ({ pem: a.pem })),
      ...(options.crls ? { crls: options.crls.map((pem) => ({ pem })) } : {}),
    },
    { baseDir: tmpdir(), clock: options.clock ?? new ManualClock(NOW.getTime()) },
  );
  assert.ok(verifier);
  return verifier;
}

describe('path building', () => {
  test('root → intermediate → leaf verifies', async () => {
    const result = await verifierFor().verify(leaf.der, [intermediate.certificate.der]);
    assert.equal(result.code, 'certificate_chain_verified', result.message);
    assert.equal(result.ok, true);
  });

  test('intermediates in any order (root → A → B → leaf, sent as A, B)', async () => {
    const a = await root.intermediate('intermediate A', VALID);
    const b = await a.intermediate('intermediate B', VALID);
    const deep = await b.issue({ commonName: 'deep client', ...VALID });
    const verifier = verifierFor();
    for (const chain of [
      [b.certificate.der, a.certificate.der],
      [a.certificate.der, b.certificate.der],
    ]) {
      const result = await verifier.verify(deep.der, chain);
      assert.equal(result.code, 'certificate_chain_verified', result.message);
    }
  });

  test('extra, unrelated certificates in the chain are ignored', async () => {
    const result = await verifierFor().verify(leaf.der, [
      otherRoot.certificate.der,
      intermediate.certificate.der,
    ]);
    assert.equal(result.code, 'certificate_chain_verified', result.message);
  });

  test('leaf only, intermediate missing → untrusted', async () => {
    const result = await verifierFor().verify(leaf.der, []);
    assert.equal(result.code, 'certificate_untrusted');
    assert.equal(result.ok, false);
    assert.match(result.message, /test intermediate/);
  });

  test('chain of an unknown CA with the same name as the anchor → untrusted or invalid, never verified', async () => {
    const strangerIntermediate = await otherRoot.intermediate('test intermediate', VALID);
    const stranger = await strangerIntermediate.issue({ commonName: 'client-1', ...VALID });
    const result = await verifierFor().verify(stranger.der, [strangerIntermediate.certificate.der]);
    // Same names, other keys: the anchor's key does not verify the intermediate's signature.
    assert.equal(result.code, 'certificate_chain_invalid');
    assert.match(result.message, /does not verify/);
  });

  test('chain of an unknown CA → untrusted', async () => {
    const unknown = await createCertificateAuthority({ commonName: 'unknown root' });
    const unknownIntermediate = await unknown.intermediate('unknown intermediate', VALID);
    const client = await unknownIntermediate.issue({ commonName: 'client-x', ...VALID });
    const result = await verifierFor().verify(client.der, [unknownIntermediate.certificate.der]);
    assert.equal(result.code, 'certificate_untrusted', result.message);
  });

  test('garbage in the chain or as leaf → chain invalid, no throw', async () => {
    const verifier = verifierFor();
    const garbage = new Uint8Array([0x30, 0x82, 0x01, 0x00, 1, 2, 3, 4]);
    assert.equal((await verifier.verify(leaf.der, [garbage])).code, 'certificate_chain_invalid');
    assert.equal((await verifier.verify(garbage, [])).code, 'certificate_chain_invalid');
    assert.equal((await verifier.verify(new Uint8Array(), [])).code, 'certificate_chain_invalid');
  });
});

describe('named checks', () => {
  test('expired leaf', async () => {
    const expired = await intermediate.issue({
      commonName: 'expired',
      notBefore: at('2031-01-01T00:00:00Z'),
      notAfter: at('2031-05-01T00:00:00Z'),
    });
    const result = await verifierFor().verify(expired.der, [intermediate.certificate.der]);
    assert.equal(result.code, 'certificate_expired');
    assert.match(result.message, /expired at 2031-05-01/);
  });

  test('not-yet-valid leaf', async () => {
    const future = await intermediate.issue({
      commonName: 'future',
      notBefore: at('2031-07-01T00:00:00Z'),
      notAfter: at('2032-01-01T00:00:00Z'),
    });
    const result = await verifierFor().verify(future.der, [intermediate.certificate.der]);
    assert.equal(result.code, 'certificate_not_yet_valid');
  });

  test('expired intermediate', async () => {
    const old = await root.intermediate('old intermediate', {
      notBefore: at('2030-01-01T00:00:00Z'),
      notAfter: at('2031-01-01T00:00:00Z'),
    });
    const client = await old.issue({ commonName: 'client-old', ...VALID });
    const result = await verifierFor().verify(client.der, [old.certificate.der]);
    assert.equal(result.code, 'certificate_expired');
    assert.match(result.message, /old intermediate/);
  });

  test('frozen clock decides: the same chain is valid, then expired, then not yet valid', async () => {
    const clock = new ManualClock(NOW.getTime());
    const verifier = verifierFor({ clock });
    assert.equal(
      (await verifier.verify(leaf.der, [intermediate.certificate.der])).code,
      'certificate_chain_verified',
    );
    clock.time = at('2032-01-01T00:00:01Z').getTime();
    assert.equal(
      (await verifier.verify(leaf.der, [intermediate.certificate.der])).code,
      'certificate_expired',
    );
    clock.time = at('2030-12-31T23:59:59Z').getTime();
    assert.equal(
      (await verifier.verify(leaf.der, [intermediate.certificate.der])).code,
      'certificate_not_yet_valid',
    );
  });

  test('intermediate without basicConstraints cA → chain invalid', async () => {
    // A client certificate (cA false, no keyCertSign) used to sign another certificate.
    const notCa = await root.issue({ commonName: 'not a CA', ...VALID });
    const { certificateAuthorityFrom } = await import('../src/index.js');
    const client = await certificateAuthorityFrom(notCa).issue({ commonName: 'client-y', ...VALID });
    const result = await verifierFor().verify(client.der, [notCa.der]);
    assert.equal(result.code, 'certificate_chain_invalid');
    assert.match(result.message, /not a CA/);
  });

  test('leaf with a serverAuth-only EKU → chain invalid', async () => {
    const server = await intermediate.issue({ commonName: 'server', profile: 'server', ...VALID });
    const result = await verifierFor().verify(server.der, [intermediate.certificate.der]);
    assert.equal(result.code, 'certificate_chain_invalid');
    assert.match(result.message, /clientAuth/);
  });
});

describe('CRLs', () => {
  test('revoked leaf → certificate_revoked; a sibling leaf still verifies', async () => {
    const revoked = await intermediate.issue({ commonName: 'revoked', ...VALID });
    const crl = await issueCrl(intermediate, {
      revoked: [{ certificate: revoked, date: at('2031-03-01T00:00:00Z') }],
      thisUpdate: at('2031-05-01T00:00:00Z'),
      nextUpdate: at('2031-07-01T00:00:00Z'),
    });
    assert.match(crl.pem, /^-----BEGIN X509 CRL-----/);
    const verifier = verifierFor({ crls: [crl.pem] });
    const result = await verifier.verify(revoked.der, [intermediate.certificate.der]);
    assert.equal(result.code, 'certificate_revoked', result.message);
    assert.equal(
      (await verifier.verify(leaf.der, [intermediate.certificate.der])).code,
      'certificate_chain_verified',
    );
  });

  test('revoked intermediate (CRL of the root) → certificate_revoked', async () => {
    const crl = await issueCrl(root, {
      revoked: [{ certificate: intermediate.certificate }],
      thisUpdate: at('2031-05-01T00:00:00Z'),
      nextUpdate: at('2031-07-01T00:00:00Z'),
    });
    const result = await verifierFor({ crls: [crl.pem] }).verify(leaf.der, [intermediate.certificate.der]);
    assert.equal(result.code, 'certificate_revoked');
    assert.match(result.message, /test intermediate/);
  });

  test('a CRL past its nextUpdate → status unknown, chain invalid', async () => {
    const crl = await issueCrl(intermediate, {
      thisUpdate: at('2031-01-01T00:00:00Z'),
      nextUpdate: at('2031-02-01T00:00:00Z'),
    });
    const result = await verifierFor({ crls: [crl.pem] }).verify(leaf.der, [intermediate.certificate.der]);
    assert.equal(result.code, 'certificate_chain_invalid');
    assert.match(result.message, /not current/);
  });

  test('a CRL signed by another key under the same name is ignored', async () => {
    const impostor = await createCertificateAuthority({ commonName: 'test intermediate' });
    const crl = await issueCrl(impostor, {
      revoked: [{ certificate: leaf }],
      thisUpdate: at('2031-05-01T00:00:00Z'),
      nextUpdate: at('2031-07-01T00:00:00Z'),
    });
    const result = await verifierFor({ crls: [crl.pem] }).verify(leaf.der, [intermediate.certificate.der]);
    assert.equal(result.code, 'certificate_chain_verified', result.message);
  });
});

describe('engine wiring', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'certbound-chain-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function tokenSetup(): Promise<{ issuer: object; token: string }> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const now = Math.floor(NOW.getTime() / 1000);
    const token = await new SignJWT({
      sub: 'user',
      client_id: 'c',
      cnf: { 'x5t#S256': leaf.thumbprint },
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
      .setIssuer('https://as.test')
      .setAudience('https://api.test')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    return {
      issuer: {
        id: 'as',
        issuer: 'https://as.test',
        audience: 'https://api.test',
        jwks: { keys: [jwk] },
        mutualTls: 'required',
      },
      token,
    };
  }

  test('trust anchor and CRL files resolve against the policy folder; the engine allows a verified chain', async () => {
    const { issuer, token } = await tokenSetup();
    writeFileSync(join(dir, 'ca.pem'), root.certificate.pem);
    const crl = await issueCrl(intermediate, {
      thisUpdate: at('2031-05-01T00:00:00Z'),
      nextUpdate: at('2031-07-01T00:00:00Z'),
    });
    writeFileSync(join(dir, 'intermediate.crl.pem'), crl.pem);
    const policy = loadPolicy(
      {
        apiVersion: 'certbound.dev/v1',
        issuers: [issuer],
        certificates: { trustAnchors: [{ file: 'ca.pem' }], crls: [{ file: 'intermediate.crl.pem' }] },
      },
      { baseDir: dir },
    );
    const engine = createEngine(policy, { clock: new ManualClock(NOW.getTime()) });
    const allowed = await engine.decide({
      authorization: `Bearer ${token}`,
      certificate: {
        pem: leaf.pem,
        chain: [intermediate.certificate.pem],
        verifyChain: true,
        source: 'test',
      },
    });
    assert.equal(allowed.allow, true, JSON.stringify(allowed.reasons));
    assert.ok(allowed.reasons.some((r) => r.code === 'certificate_chain_verified'));
    const leafOnly = await engine.decide({
      authorization: `Bearer ${token}`,
      certificate: { pem: leaf.pem, verifyChain: true },
    });
    assert.equal(leafOnly.allow, false);
    assert.equal(leafOnly.reasons.at(-1)?.code, 'certificate_untrusted');
  });

  test('an unreadable trust anchor file fails engine creation with ERR_TRUST_ANCHOR', async () => {
    const { issuer } = await tokenSetup();
    for (const certificates of [
      { trustAnchors: [{ file: 'missing.pem' }] },
      { trustAnchors: [{ pem: 'not pem at all' }] },
      { trustAnchors: [{ pem: root.certificate.pem }], crls: [{ pem: root.certificate.pem }] },
    ]) {
      const policy = loadPolicy(
        { apiVersion: 'certbound.dev/v1', issuers: [issuer], certificates },
        { baseDir: dir },
      );
      assert.throws(
        () => createEngine(policy),
        (error: unknown) => error instanceof CertboundError && error.code === 'ERR_TRUST_ANCHOR',
      );
    }
  });

  test('no trust anchors → verifyChain inputs are untrusted; options.chainVerifier overrides', async () => {
    const { issuer, token } = await tokenSetup();
    const policy = loadPolicy({ apiVersion: 'certbound.dev/v1', issuers: [issuer] });
    const input = {
      authorization: `Bearer ${token}`,
      certificate: { pem: leaf.pem, chain: [intermediate.certificate.pem], verifyChain: true },
    };
    const clock = new ManualClock(NOW.getTime());
    const untrusted = await createEngine(policy, { clock }).decide(input);
    assert.equal(untrusted.reasons.at(-1)?.code, 'certificate_untrusted');
    const overridden = await createEngine(policy, { clock, chainVerifier: verifierFor({ clock }) }).decide(
      input,
    );
    assert.equal(overridden.allow, true, JSON.stringify(overridden.reasons));
  });
});
