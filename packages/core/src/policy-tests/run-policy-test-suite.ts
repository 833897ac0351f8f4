import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { parsePemCertificates } from '../certificate/pem.js';
import { x5tS256 } from '../certificate/thumbprint.js';
import type { Decision } from '../decision/decision.js';
import type { CertificateInput } from '../decision/decision-input.js';
import { createEngine } from '../engine/create-engine.js';
import type { Engine } from '../engine/engine.js';
import { CertboundError } from '../errors/certbound-error.js';
import { PolicyError } from '../errors/policy-error.js';
import { createCertificateAuthority } from '../pki/certificate-authority.js';
import { loadPolicy, loadPolicyFile } from '../policy/load-policy.js';
import type { JsonWebKeyLike, Policy } from '../policy/policy.js';
import { loadPolicyTestSuite, PolicyTestSuiteError } from './load-policy-test-suite.js';
import type { ActualDecision, PolicyTestCaseResult, PolicyTestSuiteResult } from './policy-test-result.js';
import type { PolicyTestCase, PolicyTestSuite, TestExpectation, TestTokenSpec } from './policy-test-suite.js';
import type { SuiteProblem } from './policy-test-suite-schema.js';
import {
  createTestSigningKey,
  signTestToken,
  type TestSigningKey,
  testAlgorithm,
} from './test-signing-key.js';

export interface RunSuiteOptions {
  /** Folder the suite path is relative to, and `file` is reported relative to. */
  readonly cwd?: string;
}

/** Run one suite file. Never throws for a bad suite or policy: the result carries the problems. */
export async function runPolicyTestSuiteFile(
  file: string,
  options: RunSuiteOptions = {},
): Promise<PolicyTestSuiteResult> {
  const started = performance.now();
  const startedAt = new Date();
  const cwd = options.cwd ?? process.cwd();
  const path = resolve(cwd, file);
  const failed = (
    problems: readonly SuiteProblem[],
    name = basename(file),
    policy?: string,
  ): PolicyTestSuiteResult => ({
    file,
    name,
    ...(policy !== undefined ? { policy } : {}),
    cases: [],
    problems,
    durationMs: performance.now() - started,
    startedAt,
  });
  let suite: PolicyTestSuite;
  try {
    suite = await loadPolicyTestSuite(path);
  } catch (error) {
    if (error instanceof PolicyTestSuiteError) return failed(error.problems);
    throw error;
  }
  const name = suite.name ?? basename(file);
  const policyPath = resolve(dirname(path), suite.policy);
  const policyShown = relative(cwd, policyPath) || policyPath;
  let fixture: SuiteFixture;
  try {
    fixture = await prepareFixture(suite, path, policyPath);
  } catch (error) {
    if (error instanceof PolicyError) {
      return failed(
        error.problems.map((p) => ({ path: `policy ${policyShown}${p.path}`, message: p.message })),
        name,
        policyShown,
      );
    }
    if (error instanceof PolicyTestSuiteError) return failed(error.problems, name, policyShown);
    // The engine could not be built from the policy (an unreadable trust anchor, CRL or JWK Set
    // file): a problem of this suite, not a crash that loses every other suite's results.
    if (error instanceof CertboundError) {
      return failed(
        [{ path: `policy ${policyShown}`, message: `${error.code}: ${error.message}` }],
        name,
        policyShown,
      );
    }
    throw error;
  }
  const cases: PolicyTestCaseResult[] = [];
  for (const testCase of suite.cases) cases.push(await runCase(suite, testCase, fixture));
  return { file, name, policy: policyShown, cases, durationMs: performance.now() - started, startedAt };
}

interface SuiteFixture {
  readonly engine: Engine;
  readonly keys: ReadonlyMap<string, TestSigningKey>;
  readonly unknownKeys: ReadonlyMap<string, CryptoKey>;
  readonly certificates: ReadonlyMap<string, Uint8Array>;
  readonly firstIssuer: string;
}

/**
 * The policy with every issuer's `jwks` replaced by a key generated here (so a policy that names a
 * remote JWKS is tested offline), an engine for it, and the suite's certificates.
 */
async function prepareFixture(
  suite: PolicyTestSuite,
  suitePath: string,
  policyPath: string,
): Promise<SuiteFixture> {
  const original = loadPolicyFile(policyPath);
  const unknownIssuers = Object.keys(suite.issuers ?? {}).filter(
    (id) => !original.issuers.some((issuer) => issuer.id === id),
  );
  if (unknownIssuers.length > 0) {
    throw new PolicyTestSuiteError(
      unknownIssuers.map((id) => ({
        path: `/issuers/${id}`,
        message: `the policy has no issuer with id "${id}"`,
      })),
    );
  }
  const keys = new Map<string, TestSigningKey>();
  const unknownKeys = new Map<string, CryptoKey>();
  for (const issuer of original.issuers) {
    const alg = testAlgorithm(issuer, suite.issuers?.[issuer.id]?.algorithm);
    keys.set(issuer.id, await createTestSigningKey(issuer, alg));
    unknownKeys.set(issuer.id, (await createTestSigningKey(issuer, alg)).privateKey);
  }
  const substituted: Policy = {
    ...structuredClone(original),
    issuers: original.issuers.map((issuer) => ({
      ...structuredClone(issuer),
      jwks: { keys: [(keys.get(issuer.id) as TestSigningKey).publicJwk as JsonWebKeyLike] },
    })),
  };
  const policyDir = dirname(policyPath);
  const engine = createEngine(loadPolicy(substituted, { baseDir: policyDir }), {
    tokenCache: false,
    baseDir: policyDir,
  });
  const certificates = new Map<string, Uint8Array>();
  const specs = Object.entries(suite.certificates ?? {});
  if (specs.length > 0) {
    const ca = await createCertificateAuthority({ commonName: 'certbound policy-test CA' });
    for (const [certificateName, spec] of specs) {
      if ('file' in spec) {
        certificates.set(
          certificateName,
          await readCertificate(resolve(dirname(suitePath), spec.file), certificateName),
        );
        continue;
      }
      const issued = await ca.issue({
        commonName: spec.commonName,
        ...(spec.organization !== undefined ? { organization: spec.organization } : {}),
        ...(spec.dnsNames !== undefined ? { dnsNames: spec.dnsNames } : {}),
        ...(spec.uris !== undefined ? { uris: spec.uris } : {}),
        ...(spec.emails !== undefined ? { emails: spec.emails } : {}),
        ...(spec.keyAlgorithm !== undefined ? { keyAlgorithm: spec.keyAlgorithm } : {}),
      });
      certificates.set(certificateName, issued.der);
    }
  }
  return { engine, keys, unknownKeys, certificates, firstIssuer: original.issuers[0]?.id as string };
}

async function readCertificate(path: string, name: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new PolicyTestSuiteError([
      { path: `/certificates/${name}/file`, message: `cannot read ${path}: ${(error as Error).message}` },
    ]);
  }
  const text = bytes.toString('latin1');
  const der = text.includes('-----BEGIN') ? parsePemCertificates(text)?.[0] : new Uint8Array(bytes);
  if (der === undefined)
    throw new PolicyTestSuiteError([
      { path: `/certificates/${name}/file`, message: `${path} holds no certificate` },
    ]);
  return der;
}

async function runCase(
  suite: PolicyTestSuite,
  testCase: PolicyTestCase,
  fixture: SuiteFixture,
): Promise<PolicyTestCaseResult> {
  const started = performance.now();
  const result = (fields: Partial<PolicyTestCaseResult>): PolicyTestCaseResult => ({
    name: testCase.name,
    passed: false,
    expected: testCase.expect,
    mismatches: [],
    ...fields,
    durationMs: performance.now() - started,
  });
  let authorization: string | undefined;
  try {
    authorization = await authorizationFor(suite, testCase, fixture);
  } catch (error) {
    return result({ problem: (error as Error).message });
  }
  const certificateName =
    testCase.certificate !== undefined ? testCase.certificate : (suite.defaults?.certificate ?? null);
  const der =
    certificateName === null || certificateName === 'none'
      ? undefined
      : fixture.certificates.get(certificateName);
  const certificate: CertificateInput | undefined =
    der === undefined ? undefined : { der, source: 'policy-test' };
  const request = { ...suite.defaults?.request, ...testCase.request };
  const decision = await fixture.engine.decide({
    authorization,
    certificate,
    request: {
      method: request.method ?? 'GET',
      path: request.path ?? '/',
      headers: { ...suite.defaults?.request?.headers, ...testCase.request?.headers },
    },
  });
  const actual = actualOf(decision);
  const mismatches = compare(testCase.expect, actual);
  return result({ passed: mismatches.length === 0, actual, mismatches });
}

async function authorizationFor(
  suite: PolicyTestSuite,
  testCase: PolicyTestCase,
  fixture: SuiteFixture,
): Promise<string | undefined> {
  if (testCase.authorization !== undefined) return testCase.authorization;
  if (testCase.token === 'none') return undefined;
  const defaults = suite.defaults?.token ?? {};
  const own = testCase.token ?? {};
  const spec: TestTokenSpec = {
    ...defaults,
    ...own,
    claims: { ...defaults.claims, ...own.claims },
    header: { ...defaults.header, ...own.header },
  };
  const issuerId = spec.issuer ?? fixture.firstIssuer;
  const key = fixture.keys.get(issuerId);
  if (key === undefined) throw new Error(`token.issuer "${issuerId}" is not an issuer id of the policy`);
  let bound: string | undefined;
  if (spec.bound !== undefined && spec.bound !== null) {
    const der = fixture.certificates.get(spec.bound);
    if (der === undefined) throw new Error(`token.bound "${spec.bound}" is not a certificate of the suite`);
    bound = x5tS256(der);
  }
  const signWith = spec.signingKey === 'unknown' ? fixture.unknownKeys.get(issuerId) : undefined;
  const token = await signTestToken(key, spec, bound, Math.floor(Date.now() / 1000), signWith);
  return `Bearer ${token}`;
}

function actualOf(decision: Decision): ActualDecision {
  return {
    allow: decision.allow,
    status: decision.status,
    reasons: decision.reasons,
    ...(decision.error !== undefined ? { error: decision.error } : {}),
    ...(decision.rule !== undefined ? { rule: decision.rule } : {}),
  };
}

/** Fields of the expectation that do not hold; reasons match as a subset of the actual codes. */
function compare(expected: TestExpectation, actual: ActualDecision): string[] {
  const mismatches: string[] = [];
  if (expected.allow !== actual.allow) mismatches.push('allow');
  if (expected.status !== undefined && expected.status !== actual.status) mismatches.push('status');
  if (expected.reasons !== undefined) {
    const codes = new Set(actual.reasons.map((reason) => reason.code as string));
    if (!expected.reasons.every((code) => codes.has(code))) mismatches.push('reasons');
  }
  if (expected.error !== undefined && expected.error !== actual.error) mismatches.push('error');
  if (expected.rule !== undefined && expected.rule !== actual.rule) mismatches.push('rule');
  return mismatches;
}
