import type { ErrorObject } from 'ajv';
import type { PolicyProblem } from '../errors/policy-error.js';

// Inside a failed `oneOf`, each branch reports why it did not match; once the oneOf itself is
// reported these are noise. Other branch errors (a value out of range) stay: they say what to fix.
const BRANCH_NOISE: ReadonlySet<string> = new Set([
  'required',
  'additionalProperties',
  'type',
  'const',
  'enum',
]);

/** Ajv errors as problems with JSON Pointer paths, deduplicated; shared by every schema we ship. */
export function schemaProblems(errors: readonly ErrorObject[]): PolicyProblem[] {
  const oneOfPaths = errors.filter((e) => e.keyword === 'oneOf').map((e) => e.schemaPath);
  const problems: PolicyProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const inOneOf = oneOfPaths.some((p) => error.schemaPath !== p && error.schemaPath.startsWith(`${p}/`));
    if (inOneOf && BRANCH_NOISE.has(error.keyword)) continue;
    const problem = toProblem(error);
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function toProblem(error: ErrorObject): PolicyProblem {
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
