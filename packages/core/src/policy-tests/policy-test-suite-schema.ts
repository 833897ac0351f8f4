import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';

/** The JSON Schema of policy test suites; shipped as schema/policy-test-suite.v1.schema.json for editors. */
export const POLICY_TEST_SUITE_SCHEMA_URL = new URL(
  '../../schema/policy-test-suite.v1.schema.json',
  import.meta.url,
);

export const policyTestSuiteSchema: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(POLICY_TEST_SUITE_SCHEMA_URL, 'utf8'),
);

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSchema = ajv.compile(policyTestSuiteSchema);

export interface SuiteProblem {
  /** JSON Pointer into the suite document ('' for the whole document). */
  readonly path: string;
  readonly message: string;
}

/** Schema violations of a suite document, by JSON Pointer; empty when it conforms. */
export function suiteSchemaProblems(document: unknown): SuiteProblem[] {
  if (validateSchema(document)) return [];
  const errors = validateSchema.errors ?? [];
  // A failed oneOf reports each branch's failures too; keep the oneOf itself and real value errors.
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
  const problems: SuiteProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const inOneOf = oneOfPaths.some(
      (p) => error.schemaPath !== p && error.schemaPath.startsWith(p.replace(/\/oneOf$/, '/oneOf/')),
    );
    const branchNoise = ['required', 'additionalProperties', 'type', 'const', 'enum'].includes(error.keyword);
    if (inOneOf && branchNoise) continue;
    const problem = toProblem(error);
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function toProblem(error: ErrorObject): SuiteProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${error.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return {
        path: `${error.instancePath}/${String(params.additionalProperty)}`,
        message: 'is not a known field',
      };
    case 'enum':
      return {
        path: error.instancePath,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { path: error.instancePath, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'oneOf':
      return { path: error.instancePath, message: 'must match exactly one of the allowed forms' };
    default:
      return { path: error.instancePath, message: error.message ?? 'is invalid' };
  }
}
