import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { isReasonCode } from '../decision/reason-code.js';
import type { PolicyTestSuite } from './policy-test-suite.js';
import { type SuiteProblem, suiteSchemaProblems } from './policy-test-suite-schema.js';

const MAX_SUITE_BYTES = 4 * 1024 * 1024;

/** A suite that cannot run: unreadable, not YAML, against the schema, or naming things that do not exist. */
export class PolicyTestSuiteError extends Error {
  override readonly name = 'PolicyTestSuiteError';
  readonly problems: readonly SuiteProblem[];

  constructor(problems: readonly SuiteProblem[]) {
    super(problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; '));
    this.problems = problems;
  }
}

/** Read, parse (YAML or JSON) and validate a suite file; every problem is reported at once. */
export async function loadPolicyTestSuite(path: string): Promise<PolicyTestSuite> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PolicyTestSuiteError([
      { path: '', message: `cannot read ${path}: ${(error as Error).message}` },
    ]);
  }
  if (text.length > MAX_SUITE_BYTES) {
    throw new PolicyTestSuiteError([{ path: '', message: `is larger than ${MAX_SUITE_BYTES} bytes` }]);
  }
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new PolicyTestSuiteError(
      document.errors.map((error) => ({
        path: '',
        message: `YAML syntax: ${error.message.split('\n')[0]}${error.linePos ? ` (line ${error.linePos[0].line})` : ''}`,
      })),
    );
  }
  const suite: unknown = document.toJS({ maxAliasCount: 50 });
  const problems = suiteSchemaProblems(suite);
  if (problems.length > 0) throw new PolicyTestSuiteError(problems);
  const references = referenceProblems(suite as PolicyTestSuite);
  if (references.length > 0) throw new PolicyTestSuiteError(references);
  return suite as PolicyTestSuite;
}

/** Names that must exist: certificates, reason codes; and case names must be unique. */
function referenceProblems(suite: PolicyTestSuite): SuiteProblem[] {
  const problems: SuiteProblem[] = [];
  const certificates = new Set(Object.keys(suite.certificates ?? {}));
  const checkCertificate = (name: string | null | undefined, path: string) => {
    if (name !== undefined && name !== null && name !== 'none' && !certificates.has(name))
      problems.push({ path, message: `no certificate named "${name}" in /certificates` });
  };
  checkCertificate(suite.defaults?.certificate, '/defaults/certificate');
  checkCertificate(suite.defaults?.token?.bound, '/defaults/token/bound');
  const names = new Map<string, number>();
  suite.cases.forEach((testCase, index) => {
    const at = `/cases/${index}`;
    if (names.has(testCase.name))
      problems.push({ path: `${at}/name`, message: `duplicates /cases/${names.get(testCase.name)}/name` });
    else names.set(testCase.name, index);
    checkCertificate(testCase.certificate, `${at}/certificate`);
    if (typeof testCase.token === 'object') checkCertificate(testCase.token.bound, `${at}/token/bound`);
    if (testCase.token !== undefined && testCase.authorization !== undefined)
      problems.push({ path: `${at}/authorization`, message: 'give either token or authorization, not both' });
    testCase.expect.reasons?.forEach((code, k) => {
      if (!isReasonCode(code))
        problems.push({
          path: `${at}/expect/reasons/${k}`,
          message: `"${code}" is not a certbound reason code`,
        });
    });
  });
  return problems;
}
