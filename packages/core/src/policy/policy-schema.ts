import { readFileSync } from 'node:fs';

/** The JSON Schema every policy is validated against; shipped as schema/policy.v1.schema.json for editors. */
export const POLICY_SCHEMA_URL = new URL('../../schema/policy.v1.schema.json', import.meta.url);

export const policySchema: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(POLICY_SCHEMA_URL, 'utf8'),
);
