import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { schemaProblems } from '../policy/schema-problems.js';

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
  return validateSchema(document) ? [] : schemaProblems(validateSchema.errors ?? []);
}
