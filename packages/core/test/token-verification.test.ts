// Token verification before any binding: signature, algorithms, time claims (with an injected,
// frozen clock), audience, issuer, typ (RFC 9068), required claims and the shape of `cnf`.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import {
  createCertificateAuthority,
  createEngine,
  type Decision,
  type Engine,
  type IssuedCertificate,
  type IssuerPolicy,
} from '../src/index.js';
import { FrozenClock } from './support/frozen-clock.js';
import {
  type ClaimOverrides,
  createTestIssuer,
  rawJwt,
  type SignOptions,
  type TestIssuer,
} from './support/test-issuer.js';
import { policyFor } from './support/test-policy.js';

let as: TestIssuer;
let other: TestIssuer;
let client: IssuedCertificate;

before(async () => {
  as = await createTestIssuer();
  other = await createTestIssuer();
  const ca = await createCertificateAuthority();
  client = await ca.issue({ commonName: 'client-a' });
});

/** Decide with a frozen clock; the token is signed by `as` at the clock's time unless told otherwise. */
async function decideToken(
  token: string | ((clock: FrozenClock) => Promise<string>),
  issuerPolicy: Partial<Omit<IssuerPolicy, 'id' | 'issuer'>> = {},
  clock = new FrozenClock(),
): Promise<Decision> {
  const engine = createEngine(policyFor([as], { issuer: issuerPolicy }), { clock });
  const raw = typeof token === 'string' ? token : await token(clock);
  return engine.decide({ authorization: `Bearer ${raw}`, certificate: { der: client.der } });
}

function signedAt(claims: ClaimOverrides = {}, options: SignOptions = {}) {
  return (clock: FrozenClock) => as.sign(claims, { now: clock.seconds, ...options });
}

function assertDeny(decision: Decision, code: string): void {
  assert.equal(decision.allow, false, `expected a deny with ${code}`);
  assert.equal(decision.reasons.at(-1)?.code, code);
  assert.equal(decision.status, 401);
  assert.equal(decision.error, 'invalid_token');
  assert.match(decision.wwwAuthenticate ?? '', /^Bearer error="invalid_token"/);
}

function assertAllow(decision: Decision): void {
  assert.equal(decision.allow, true, `expected an allow, got ${JSON.stringify(decision.reasons)}`);
  assert.equal(decision.status, 200);
}

describe('time claims (clockTolerance 30 unless said)', () => {
  const cases: readonly {
    name: string;
    claims: (now: number) => ClaimOverrides;
    tolerance?: number;
    expected: 'allow' | string;
  }[] = [
    { name: 'exp in the future', claims: (now) => ({ exp: now + 60 }), expected: 'allow' },
    {
      name: 'exp long past',
      claims: (now) => ({ iat: now - 7200, exp: now - 3600 }),
      expected: 'token_expired',
    },
    // jose: expired when exp <= now - tolerance
    { name: 'exp = now - tolerance + 1', claims: (now) => ({ exp: now - 29 }), expected: 'allow' },
    { name: 'exp = now - tolerance', claims: (now) => ({ exp: now - 30 }), expected: 'token_expired' },
    {
      name: 'exp = now, tolerance 0',
      claims: (now) => ({ exp: now }),
      tolerance: 0,
      expected: 'token_expired',
    },
    {
      name: 'exp = now + 1, tolerance 0',
      claims: (now) => ({ exp: now + 1 }),
      tolerance: 0,
      expected: 'allow',
    },
    {
      name: 'nbf far in the future',
      claims: (now) => ({ nbf: now + 3600 }),
      expected: 'token_not_yet_valid',
    },
    { name: 'nbf = now + tolerance', claims: (now) => ({ nbf: now + 30 }), expected: 'allow' },
    {
      name: 'nbf = now + tolerance + 1',
      claims: (now) => ({ nbf: now + 31 }),
      expected: 'token_not_yet_valid',
    },
    {
      name: 'iat far in the future',
      claims: (now) => ({ iat: now + 3600, exp: now + 7200 }),
      expected: 'token_not_yet_valid',
    },
    { name: 'iat = now + tolerance', claims: (now) => ({ iat: now + 30 }), expected: 'allow' },
    {
      name: 'iat = now + tolerance + 1',
      claims: (now) => ({ iat: now + 31 }),
      expected: 'token_not_yet_valid',
    },
    { name: 'iat in the past', claims: (now) => ({ iat: now - 600 }), expected: 'allow' },
    { name: 'exp not a number', claims: (now) => ({ exp: String(now + 60) }), expected: 'token_malformed' },
    { name: 'iat not a number', claims: () => ({ iat: 'yesterday' }), expected: 'token_malformed' },
    { name: 'nbf not a number', claims: () => ({ nbf: true }), expected: 'token_malformed' },
  ];
  for (const { name, claims, tolerance, expected } of cases) {
    test(`${name} → ${expected}`, async () => {
      const decision = await decideToken(
        (clock) => as.sign(claims(clock.seconds), { now: clock.seconds }),
        tolerance === undefined ? {} : { clockTolerance: tolerance },
      );
      if (expected === 'allow') assertAllow(decision);
      else assertDeny(decision, expected);
    });
  }
});

describe('audience', () => {
  test('wrong audience → token_audience_mismatch', async () => {
    assertDeny(await decideToken(signedAt({ aud: 'https://elsewhere.test' })), 'token_audience_mismatch');
  });
  test('no aud while the policy names one → token_claim_missing', async () => {
    assertDeny(await decideToken(signedAt({ aud: undefined })), 'token_claim_missing');
  });
  test('policy audience list: any listed value is accepted', async () => {
    const audience = ['https://a.test', 'https://b.test'];
    assertAllow(await decideToken(signedAt({ aud: 'https://b.test' }), { audience }));
    assertAllow(await decideToken(signedAt({ aud: ['https://x.test', 'https://a.test'] }), { audience }));
    assertDeny(
      await decideToken(signedAt({ aud: ['https://x.test'] }), { audience }),
      'token_audience_mismatch',
    );
  });
});

describe('issuer', () => {
  test('unknown iss → token_issuer_unknown, no issuer reported', async () => {
    const decision = await decideToken(signedAt({ iss: 'https://unknown.test' }));
    assertDeny(decision, 'token_issuer_unknown');
    assert.equal(decision.issuer, undefined);
  });
  test('iss compared exactly (trailing slash differs)', async () => {
    assertDeny(await decideToken(signedAt({ iss: `${as.issuer}/` })), 'token_issuer_unknown');
  });
  test('no iss → token_issuer_unknown', async () => {
    assertDeny(await decideToken(signedAt({ iss: undefined })), 'token_issuer_unknown');
  });
  test('several issuers at once: each token is verified with its own issuer keys and settings', async () => {
    const policy = policyFor([as, other]);
    const engine = createEngine(policy);
    const mine = await engine.decide({ authorization: `Bearer ${await as.sign()}` });
    const theirs = await engine.decide({ authorization: `Bearer ${await other.sign()}` });
    assertAllow(mine);
    assertAllow(theirs);
    assert.equal(mine.issuer, 'as1');
    assert.equal(theirs.issuer, 'as2');
    // A token claiming issuer 1 but signed with issuer 2's key (and kid) must not verify.
    const forged = await new SignJWT({
      iss: as.issuer,
      aud: as.audience,
      exp: Math.floor(Date.now() / 1000) + 60,
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: other.kid })
      .sign(other.privateKey);
    const decision = await engine.decide({ authorization: `Bearer ${forged}` });
    assertDeny(decision, 'token_signature_invalid');
    assert.equal(decision.issuer, 'as1');
  });
});

describe('algorithms and signatures', () => {
  test('alg none with an empty signature → token_algorithm_not_allowed', async () => {
    const token = rawJwt({ alg: 'none', typ: 'at+jwt' }, { iss: as.issuer, aud: as.audience, exp: 4e9 }, '');
    assertDeny(await decideToken(token), 'token_algorithm_not_allowed');
  });
  test('alg none with a signature → token_algorithm_not_allowed', async () => {
    const token = rawJwt({ alg: 'none', typ: 'at+jwt' }, { iss: as.issuer, aud: as.audience, exp: 4e9 });
    assertDeny(await decideToken(token), 'token_algorithm_not_allowed');
  });
  test('HS256 signed with the issuer public key bytes (key confusion) → token_algorithm_not_allowed', async () => {
    const publicKeyPem = createPublicKey({ key: as.publicJwk as never, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    for (const secret of [Buffer.from(publicKeyPem), Buffer.from(JSON.stringify(as.publicJwk))]) {
      const token = await new SignJWT({
        iss: as.issuer,
        aud: as.audience,
        exp: Math.floor(Date.now() / 1000) + 60,
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: as.kid })
        .sign(new Uint8Array(secret));
      assertDeny(await decideToken(token), 'token_algorithm_not_allowed');
    }
  });
  test('an algorithm not in the issuer list → token_algorithm_not_allowed, issuer reported', async () => {
    const decision = await decideToken(signedAt(), { algorithms: ['PS256'] });
    assertDeny(decision, 'token_algorithm_not_allowed');
    assert.equal(decision.issuer, 'as1');
  });
  test('RS256 token for an ES256 issuer → token_algorithm_not_allowed', async () => {
    const rsa = await createTestIssuer({ alg: 'RS256', issuer: as.issuer, kid: as.kid });
    assertDeny(await decideToken(await rsa.sign()), 'token_algorithm_not_allowed');
  });
  test('no alg → token_malformed', async () => {
    const token = rawJwt({ typ: 'at+jwt' }, { iss: as.issuer, exp: 4e9 });
    assertDeny(await decideToken(token), 'token_malformed');
  });
  test('unknown kid → token_signature_invalid', async () => {
    assertDeny(await decideToken(signedAt({}, { header: { kid: 'nobody' } })), 'token_signature_invalid');
  });
  test('no kid with a one-key set verifies', async () => {
    assertAllow(await decideToken(signedAt({}, { header: { kid: undefined } })));
  });
  test('signed by another key under the right kid → token_signature_invalid', async () => {
    const impostor = await createTestIssuer({ issuer: as.issuer, kid: as.kid, audience: as.audience });
    assertDeny(await decideToken(await impostor.sign()), 'token_signature_invalid');
  });
  test('a signature byte changed → token_signature_invalid', async () => {
    const decision = await decideToken(async (clock) => {
      const token = await as.sign({}, { now: clock.seconds });
      return flipSignatureCharacter(token);
    });
    assertDeny(decision, 'token_signature_invalid');
  });
  test('payload changed after signing → token_signature_invalid', async () => {
    const decision = await decideToken(async (clock) => {
      const [header, , signature] = (await as.sign({}, { now: clock.seconds })).split('.');
      const payload = Buffer.from(
        JSON.stringify({ iss: as.issuer, aud: as.audience, exp: clock.seconds + 60, scope: 'admin' }),
      ).toString('base64url');
      return `${header}.${payload}.${signature}`;
    });
    assertDeny(decision, 'token_signature_invalid');
  });
  test('PS256 and EdDSA issuers verify', async () => {
    for (const alg of ['PS256', 'EdDSA'] as const) {
      const issuer = await createTestIssuer({ alg });
      const engine = createEngine(policyFor([issuer]));
      assertAllow(await engine.decide({ authorization: `Bearer ${await issuer.sign()}` }));
    }
  });
});

describe('typ (RFC 9068 §2.1)', () => {
  const cases: readonly { typ: string | undefined; expected: 'allow' | 'token_type_invalid' }[] = [
    { typ: 'at+jwt', expected: 'allow' },
    { typ: 'application/at+jwt', expected: 'allow' },
    { typ: 'AT+JWT', expected: 'allow' },
    { typ: undefined, expected: 'token_type_invalid' },
    { typ: 'JWT', expected: 'token_type_invalid' },
    { typ: 'application/jwt', expected: 'token_type_invalid' },
    { typ: 'dpop+jwt', expected: 'token_type_invalid' },
  ];
  for (const { typ, expected } of cases) {
    test(`typ ${typ ?? '(absent)'} → ${expected}`, async () => {
      const decision = await decideToken(signedAt({}, { header: { typ } }));
      if (expected === 'allow') assertAllow(decision);
      else assertDeny(decision, expected);
    });
  }
  test('tokenTypes [] accepts any typ, including none', async () => {
    assertAllow(await decideToken(signedAt({}, { header: { typ: undefined } }), { tokenTypes: [] }));
    assertAllow(await decideToken(signedAt({}, { header: { typ: 'JWT' } }), { tokenTypes: [] }));
  });
  test('tokenTypes [JWT] accepts JWT but not at+jwt', async () => {
    assertAllow(await decideToken(signedAt({}, { header: { typ: 'JWT' } }), { tokenTypes: ['JWT'] }));
    assertDeny(await decideToken(signedAt(), { tokenTypes: ['JWT'] }), 'token_type_invalid');
  });
});

describe('required claims', () => {
  test('exp is required by default', async () => {
    assertDeny(await decideToken(signedAt({ exp: undefined })), 'token_claim_missing');
  });
  test('requiredClaims [] accepts a token without exp', async () => {
    assertAllow(await decideToken(signedAt({ exp: undefined }), { requiredClaims: [] }));
  });
  for (const claim of ['sub', 'client_id', 'jti', 'iat']) {
    test(`requiredClaims names ${claim}: missing → token_claim_missing`, async () => {
      const requiredClaims = ['exp', claim];
      assertAllow(await decideToken(signedAt(), { requiredClaims }));
      const decision = await decideToken(signedAt({ [claim]: undefined }), { requiredClaims });
      assertDeny(decision, 'token_claim_missing');
      assert.match(decision.reasons.at(-1)?.message ?? '', new RegExp(claim));
    });
  }
});

describe('cnf claim', () => {
  const malformed: readonly { name: string; cnf: unknown }[] = [
    {
      name: 'hex SHA-256 thumbprint',
      cnf: () => ({ 'x5t#S256': Buffer.from(client.thumbprint, 'base64url').toString('hex') }),
    },
    { name: 'padded base64url', cnf: () => ({ 'x5t#S256': `${client.thumbprint}=` }) },
    {
      name: 'standard base64',
      cnf: () => ({ 'x5t#S256': Buffer.from(client.thumbprint, 'base64url').toString('base64') }),
    },
    { name: 'SHA-1 length (27 characters)', cnf: () => ({ 'x5t#S256': client.thumbprint.slice(0, 27) }) },
    { name: 'one character short', cnf: () => ({ 'x5t#S256': client.thumbprint.slice(0, 42) }) },
    { name: 'a number', cnf: () => ({ 'x5t#S256': 12345 }) },
    { name: 'null value', cnf: () => ({ 'x5t#S256': null }) },
    { name: 'cnf a string', cnf: () => client.thumbprint },
    { name: 'cnf an array', cnf: () => [{ 'x5t#S256': client.thumbprint }] },
    { name: 'cnf null', cnf: () => null },
  ];
  for (const { name, cnf } of malformed) {
    for (const mode of ['request', 'required'] as const) {
      test(`${name} in mode ${mode} → binding_malformed (not a mismatch)`, async () => {
        const value = (cnf as () => unknown)();
        assertDeny(await decideToken(signedAt({ cnf: value }), { mutualTls: mode }), 'binding_malformed');
      });
    }
    test(`${name} in mode none → allowed, binding_not_checked`, async () => {
      const value = (cnf as () => unknown)();
      const decision = await decideToken(signedAt({ cnf: value }), { mutualTls: 'none' });
      assertAllow(decision);
      assert.ok(decision.reasons.some((r) => r.code === 'binding_not_checked'));
    });
  }
  test('cnf {} is an unbound token', async () => {
    const decision = await decideToken(signedAt({ cnf: {} }));
    assertAllow(decision);
    assert.ok(decision.reasons.some((r) => r.code === 'binding_not_requested'));
  });
  test('cnf.jkt only (DPoP): request → binding_unsupported, required → binding_required, none → allow', async () => {
    const cnf = { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' };
    assertDeny(await decideToken(signedAt({ cnf }), { mutualTls: 'request' }), 'binding_unsupported');
    assertDeny(await decideToken(signedAt({ cnf }), { mutualTls: 'required' }), 'binding_required');
    assertAllow(await decideToken(signedAt({ cnf }), { mutualTls: 'none' }));
  });
  test('cnf with x5t#S256 and jkt: the x5t#S256 binding is checked', async () => {
    const cnf = { 'x5t#S256': client.thumbprint, jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' };
    const decision = await decideToken(signedAt({ cnf }), { mutualTls: 'required' });
    assertAllow(decision);
    assert.ok(decision.reasons.some((r) => r.code === 'binding_verified'));
  });
});

describe('verified claims in the decision', () => {
  test('scope (space separated) and scp (array) become scopes', async () => {
    const a = await decideToken(signedAt({ scope: 'a b  c' }));
    assert.deepEqual(a.scopes, ['a', 'b', 'c']);
    const b = await decideToken(signedAt({ scope: undefined, scp: ['x', 'y'] }));
    assert.deepEqual(b.scopes, ['x', 'y']);
    assert.equal(b.claims?.sub, 'user-1');
  });
});

/** Change one base64url character in the middle of the signature (never the last, whose low bits may be ignored). */
export function flipSignatureCharacter(token: string): string {
  const dot = token.lastIndexOf('.');
  const index = dot + 10;
  const char = token[index];
  return `${token.slice(0, index)}${char === 'A' ? 'B' : 'A'}${token.slice(index + 1)}`;
}

export type { Engine };
