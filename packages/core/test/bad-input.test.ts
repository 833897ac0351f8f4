// Untrusted input never crashes the engine and never allows by accident: every bad token,
// header, certificate or input shape resolves to a deny with a documented reason code.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createCertificateAuthority,
  createEngine,
  type Decision,
  type DecisionInput,
  type Engine,
  type IssuedCertificate,
  REASON_CODES,
  toPem,
} from '../src/index.js';
import { seededRandom } from './support/seeded-random.js';
import { createTestIssuer, rawJwt, type TestIssuer } from './support/test-issuer.js';
import { policyFor } from './support/test-policy.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
after(() => {
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, [], 'no unhandled rejection during the bad-input tests');
});

let as: TestIssuer;
let client: IssuedCertificate;
let boundToken: string;
let engine: Engine;

before(async () => {
  as = await createTestIssuer();
  const ca = await createCertificateAuthority();
  client = await ca.issue({ commonName: 'client-a' });
  boundToken = await as.sign({ cnf: { 'x5t#S256': client.thumbprint } });
  engine = createEngine(
    policyFor([as], {
      issuer: { mutualTls: 'required' },
      rules: [{ name: 'all', match: { paths: ['/**'] } }],
    }),
  );
});

const KNOWN: ReadonlySet<string> = new Set(REASON_CODES);

function assertDeny(decision: Decision, code?: string): void {
  assert.equal(decision.allow, false);
  assert.notEqual(decision.status, 200);
  assert.ok(decision.reasons.length > 0, 'a deny has a reason');
  for (const reason of decision.reasons) assert.ok(KNOWN.has(reason.code), `unknown code ${reason.code}`);
  const deciding = decision.reasons.at(-1)?.code;
  assert.notEqual(
    deciding,
    'internal_error',
    `the engine hit an internal error: ${JSON.stringify(decision.reasons)}`,
  );
  if (code !== undefined) assert.equal(deciding, code);
  assert.ok(typeof decision.wwwAuthenticate === 'string' && decision.wwwAuthenticate.startsWith('Bearer'));
}

const request = { method: 'GET', path: '/x' };

describe('bad tokens', () => {
  const cases: readonly { name: string; token: () => string; code: string }[] = [
    { name: 'one word', token: () => 'garbage', code: 'token_malformed' },
    { name: 'two parts', token: () => 'a.b', code: 'token_malformed' },
    { name: 'three short parts', token: () => 'a.b.c', code: 'token_malformed' },
    { name: 'empty parts', token: () => '..', code: 'token_malformed' },
    { name: 'five parts (JWE)', token: () => 'a.b.c.d.e', code: 'token_malformed' },
    {
      name: 'header not JSON',
      token: () => rawJwt('{not json', { iss: as.issuer }),
      code: 'token_malformed',
    },
    { name: 'header a JSON array', token: () => rawJwt([1], { iss: as.issuer }), code: 'token_malformed' },
    {
      name: 'payload a JSON string',
      token: () => rawJwt({ alg: 'ES256' }, '"text"'),
      code: 'token_malformed',
    },
    { name: 'payload null', token: () => rawJwt({ alg: 'ES256' }, 'null'), code: 'token_malformed' },
    {
      name: 'payload not UTF-8',
      token: () =>
        `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.concat([
          Buffer.from(`{"iss":"${as.issuer}","x":"`),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('"}'),
        ]).toString('base64url')}.c2lnbmF0dXJl`,
      code: 'token_malformed',
    },
    { name: 'alg a number', token: () => rawJwt({ alg: 256 }, { iss: as.issuer }), code: 'token_malformed' },
    { name: 'iss a number', token: () => rawJwt({ alg: 'ES256' }, { iss: 7 }), code: 'token_issuer_unknown' },
    {
      name: 'alg HS512',
      token: () => rawJwt({ alg: 'HS512' }, { iss: as.issuer }),
      code: 'token_algorithm_not_allowed',
    },
    {
      name: 'alg NONE (upper case)',
      token: () => rawJwt({ alg: 'NONE' }, { iss: as.issuer }),
      code: 'token_algorithm_not_allowed',
    },
    {
      name: 'truncated in the signature',
      token: () => boundToken.slice(0, -20),
      code: 'token_signature_invalid',
    },
    {
      name: 'truncated in the payload',
      token: () => boundToken.slice(0, boundToken.indexOf('.') + 15),
      code: 'token_malformed',
    },
    {
      name: 'signature removed',
      token: () => boundToken.slice(0, boundToken.lastIndexOf('.') + 1),
      code: 'token_signature_invalid',
    },
    {
      name: 'huge payload',
      token: () => rawJwt({ alg: 'HS256' }, { iss: as.issuer, pad: 'x'.repeat(10_000) }),
      code: 'token_algorithm_not_allowed',
    },
  ];
  for (const { name, token, code } of cases) {
    test(`${name} → ${code}`, async () => {
      assertDeny(await engine.decide({ authorization: `Bearer ${token()}`, request }), code);
    });
  }
});

describe('bad Authorization headers', () => {
  test('a huge header → 400 request_malformed', async () => {
    const decision = await engine.decide({ authorization: `Bearer ${'a'.repeat(100_000)}`, request });
    assertDeny(decision, 'request_malformed');
    assert.equal(decision.status, 400);
    assert.equal(decision.error, 'invalid_request');
  });
  test('several Authorization values → 400 request_malformed', async () => {
    const decision = await engine.decide({
      authorization: [`Bearer ${boundToken}`, `Bearer ${boundToken}`],
      request,
    });
    assertDeny(decision, 'request_malformed');
    assert.equal(decision.status, 400);
    assert.match(decision.wwwAuthenticate ?? '', /error="invalid_request"/);
  });
  for (const authorization of ['Basic dXNlcjpwYXNz', 'Digest username="x"', 'DPoP abc', 'Bearertoken']) {
    test(`another scheme (${authorization.split(' ')[0]}) → 401 challenge without an error code`, async () => {
      const decision = await engine.decide({ authorization, request });
      assertDeny(decision, 'token_missing');
      assert.equal(decision.status, 401);
      assert.equal(decision.wwwAuthenticate, 'Bearer');
      assert.equal(decision.error, undefined);
    });
  }
  for (const authorization of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer tok€n', 'Bearer a=b']) {
    test(`malformed bearer credentials ${JSON.stringify(authorization)} → 400 request_malformed`, async () => {
      assertDeny(await engine.decide({ authorization, request }), 'request_malformed');
    });
  }
  test('scheme is case-insensitive (RFC 7235 §2.1)', async () => {
    const decision = await engine.decide({
      authorization: `bEaReR ${boundToken}`,
      certificate: { der: client.der },
      request,
    });
    assert.equal(decision.allow, true);
  });
});

describe('bad certificates (token bound, mode required)', () => {
  const cases: readonly { name: string; certificate: () => DecisionInput['certificate']; code: string }[] = [
    {
      name: 'PRIVATE KEY PEM',
      certificate: () => ({ pem: client.privateKeyPem }),
      code: 'certificate_malformed',
    },
    {
      name: 'PEM with two certificates',
      certificate: () => ({ pem: client.pem + client.pem }),
      code: 'certificate_malformed',
    },
    {
      name: 'PEM with a broken body',
      certificate: () => ({ pem: client.pem.replace(/[A-Za-z]{8}\n/, '!!!!!!!!\n') }),
      code: 'certificate_malformed',
    },
    {
      name: 'PEM text without a block',
      certificate: () => ({ pem: 'hello' }),
      code: 'certificate_malformed',
    },
    {
      name: 'PEM of garbage bytes',
      certificate: () => ({ pem: toPem(new Uint8Array([1, 2, 3, 4])) }),
      code: 'certificate_malformed',
    },
    {
      name: 'truncated DER',
      certificate: () => ({ der: client.der.slice(0, client.der.length - 10) }),
      code: 'certificate_malformed',
    },
    {
      name: 'DER with a trailing byte',
      certificate: () => ({ der: new Uint8Array([...client.der, 0]) }),
      code: 'certificate_malformed',
    },
    {
      name: 'one DER byte',
      certificate: () => ({ der: new Uint8Array([0x30]) }),
      code: 'certificate_malformed',
    },
    { name: 'DER as a string', certificate: () => ({ der: 'MIIB' }) as never, code: 'certificate_malformed' },
    {
      name: 'hex thumbprint',
      certificate: () => ({ thumbprint: Buffer.from(client.thumbprint, 'base64url').toString('hex') }),
      code: 'certificate_malformed',
    },
    {
      name: 'padded thumbprint',
      certificate: () => ({ thumbprint: `${client.thumbprint}=` }),
      code: 'certificate_malformed',
    },
    {
      name: 'SHA-1 length thumbprint',
      certificate: () => ({ thumbprint: client.thumbprint.slice(0, 27) }),
      code: 'certificate_malformed',
    },
    {
      name: 'thumbprint a number',
      certificate: () => ({ thumbprint: 5 }) as never,
      code: 'certificate_malformed',
    },
    { name: 'empty object', certificate: () => ({}) as never, code: 'certificate_malformed' },
    { name: 'a string', certificate: () => client.pem as never, code: 'certificate_missing' },
    {
      name: 'problem reported by the adapter',
      certificate: () => ({ problem: { code: 'certificate_malformed', message: 'bad header' } }),
      code: 'certificate_malformed',
    },
    { name: 'problem null', certificate: () => ({ problem: null }) as never, code: 'certificate_malformed' },
    {
      name: 'problem with a code adapters may not use',
      certificate: () => ({ problem: { code: 'binding_verified', message: 'x' } }) as never,
      code: 'certificate_malformed',
    },
    {
      name: 'untrusted source',
      certificate: () => ({ problem: { code: 'certificate_source_untrusted', message: 'peer not trusted' } }),
      code: 'certificate_source_untrusted',
    },
  ];
  for (const { name, certificate, code } of cases) {
    test(`${name} → ${code}`, async () => {
      const decision = await engine.decide({
        authorization: `Bearer ${boundToken}`,
        certificate: certificate(),
        request,
      });
      assertDeny(decision, code);
      assert.equal(decision.status, 401);
    });
  }
});

describe('input of the wrong type', () => {
  const inputs: readonly [string, unknown][] = [
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', 'Bearer x'],
    ['an array', []],
    ['authorization null', { authorization: null }],
    ['authorization a number', { authorization: 42 }],
    ['authorization an object', { authorization: {} }],
    ['authorization [number]', { authorization: [42] }],
    ['authorization [null]', { authorization: [null] }],
    ['certificate null', { authorization: 'Bearer a.b.c', certificate: null }],
    ['request null', { authorization: 'Bearer a.b.c', request: null }],
    ['request fields of wrong types', { authorization: 'Bearer a.b.c', request: { method: 1, path: {} } }],
  ];
  for (const [name, input] of inputs) {
    test(`${name} → a deny`, async () => {
      assertDeny(await engine.decide(input as DecisionInput));
    });
  }
  test('a valid token with a request of the wrong types → request_malformed', async () => {
    const decision = await engine.decide({
      authorization: `Bearer ${boundToken}`,
      certificate: { der: client.der },
      request: { method: 7, path: ['/x'] } as never,
    });
    assertDeny(decision, 'request_malformed');
  });
});

describe('property: mutated tokens and certificates never allow (seeded, 2,000 cases)', () => {
  const CASES = 2_000;
  const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const PICK = `${B64URL}.=+/ ~%"\u0000é`;

  function mutateString(text: string, random: () => number): string {
    const at = Math.floor(random() * text.length);
    const char = PICK[Math.floor(random() * PICK.length)] as string;
    switch (Math.floor(random() * 6)) {
      case 0:
        return text.slice(0, at) + char + text.slice(at + 1); // replace
      case 1:
        return text.slice(0, at) + char + text.slice(at); // insert
      case 2:
        return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20)); // delete a run
      case 3:
        return text.slice(0, at); // truncate
      case 4: {
        const parts = text.split('.');
        const i = Math.floor(random() * parts.length);
        const j = Math.floor(random() * parts.length);
        [parts[i], parts[j]] = [parts[j] as string, parts[i] as string];
        return parts.join('.'); // swap segments
      }
      default:
        return `${text}.${text.slice(0, at)}`; // extra segment
    }
  }

  function mutateBytes(bytes: Uint8Array, random: () => number): Uint8Array {
    const copy = new Uint8Array(bytes);
    const at = Math.floor(random() * copy.length);
    switch (Math.floor(random() * 3)) {
      case 0:
        copy[at] = (copy[at] as number) ^ (1 << Math.floor(random() * 8));
        return copy;
      case 1:
        return copy.slice(0, at);
      default:
        return new Uint8Array([...copy.slice(0, at), Math.floor(random() * 256), ...copy.slice(at)]);
    }
  }

  /** Same signing input and same signature bytes: base64url's unused low bits of the last character. */
  function equivalentToken(mutated: string): boolean {
    const [h, p, s] = mutated.split('.');
    const [oh, op, os] = boundToken.split('.');
    if (mutated.split('.').length !== 3 || h !== oh || p !== op || s === undefined) return false;
    if (!/^[A-Za-z0-9_-]*$/.test(s)) return false;
    return Buffer.from(s, 'base64url').equals(Buffer.from(os as string, 'base64url'));
  }

  test('every mutation ends in a deny with a known reason and no internal error', async () => {
    const seed = 0x5eed;
    const random = seededRandom(seed);
    let denied = 0;
    const allowedByKind: number[] = [];
    for (let i = 0; i < CASES; i++) {
      const kind = Math.floor(random() * 4);
      let authorization = `Bearer ${boundToken}`;
      let certificate: DecisionInput['certificate'] = { der: client.der };
      let mayAllow = false;
      if (kind === 0) {
        const token = mutateString(boundToken, random);
        authorization = `Bearer ${token}`;
        mayAllow = equivalentToken(token);
      } else if (kind === 1) {
        certificate = { der: mutateBytes(client.der, random) };
      } else if (kind === 2) {
        certificate = { pem: mutateString(client.pem, random) };
        mayAllow = true; // a PEM change may fall outside the base64 body (e.g. in the trailing newline)
      } else {
        const thumbprint = mutateString(client.thumbprint, random);
        certificate = { thumbprint };
        mayAllow = thumbprint === client.thumbprint; // e.g. a segment swap of a text without dots
      }
      const decision = await engine.decide({ authorization, certificate, request });
      if (decision.allow) {
        const sameCertificate =
          'pem' in certificate && decision.certificate?.thumbprint === client.thumbprint;
        assert.ok(
          mayAllow && (kind !== 2 || sameCertificate),
          `case ${i} (seed ${seed}, kind ${kind}) allowed: ${JSON.stringify(certificate).slice(0, 300)} ${authorization.slice(-30)}`,
        );
        allowedByKind[kind] = (allowedByKind[kind] ?? 0) + 1;
        continue;
      }
      denied++;
      assertDeny(decision);
    }
    // Some mutations are legitimately harmless: a segment swap of dot-free text, text appended
    // after a PEM block, equivalent base64url. The rest (well over 80%) must all be denials.
    assert.ok(
      denied > CASES * 0.8,
      `most mutations are denied (${denied}/${CASES}; allowed by kind ${allowedByKind})`,
    );
  });
});
