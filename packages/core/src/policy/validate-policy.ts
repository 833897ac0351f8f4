import { Ajv } from 'ajv';
import type { PolicyProblem } from '../errors/policy-error.js';
import { compilePathGlob } from '../rules/path-glob.js';
import { policySchema } from './policy-schema.js';
import { schemaProblems } from './schema-problems.js';

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validateSchema = ajv.compile(policySchema);

/**
 * Every problem of a policy document: schema violations, then cross-field checks. The cross-field
 * checks run even when the schema fails, on whatever parts are well-formed enough, so one run
 * reports everything a user has to fix.
 */
export function validatePolicy(document: unknown): PolicyProblem[] {
  const problems = validateSchema(document) ? [] : schemaProblems(validateSchema.errors ?? []);
  for (const problem of semanticProblems(document)) {
    if (!problems.some((p) => p.path === problem.path && p.message === problem.message))
      problems.push(problem);
  }
  return problems;
}

function semanticProblems(document: unknown): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (!isRecord(document)) return problems;
  const ids = new Map<string, number>();
  const issuerValues = new Map<string, number>();
  listOf(document.issuers).forEach((issuer, i) => {
    if (!isRecord(issuer)) return;
    if (typeof issuer.id === 'string') {
      if (ids.has(issuer.id))
        problems.push({ path: `/issuers/${i}/id`, message: `duplicates /issuers/${ids.get(issuer.id)}/id` });
      else ids.set(issuer.id, i);
    }
    if (typeof issuer.issuer === 'string') {
      if (issuerValues.has(issuer.issuer))
        problems.push({
          path: `/issuers/${i}/issuer`,
          message: `duplicates /issuers/${issuerValues.get(issuer.issuer)}/issuer`,
        });
      else issuerValues.set(issuer.issuer, i);
    }
    const jwks = issuer.jwks;
    if (!isRecord(jwks)) return;
    if (typeof jwks.uri === 'string') {
      const problem = jwksUriProblem(jwks.uri);
      if (problem) problems.push({ path: `/issuers/${i}/jwks/uri`, message: problem });
    }
    listOf(jwks.keys).forEach((key, k) => {
      if (!isRecord(key)) return;
      const path = `/issuers/${i}/jwks/keys/${k}`;
      if (key.kty === 'oct') problems.push({ path, message: 'symmetric keys are never accepted' });
      else if ('d' in key) problems.push({ path, message: 'is a private key; give the public key only' });
    });
  });
  const ruleNames = new Map<string, number>();
  listOf(document.rules).forEach((rule, r) => {
    if (!isRecord(rule)) return;
    if (typeof rule.name === 'string') {
      if (ruleNames.has(rule.name))
        problems.push({
          path: `/rules/${r}/name`,
          message: `duplicates /rules/${ruleNames.get(rule.name)}/name`,
        });
      else ruleNames.set(rule.name, r);
    }
    const match = isRecord(rule.match) ? rule.match : {};
    listOf(match.issuers).forEach((id, k) => {
      if (typeof id === 'string' && !ids.has(id))
        problems.push({ path: `/rules/${r}/match/issuers/${k}`, message: `no issuer has id "${id}"` });
    });
    listOf(match.paths).forEach((glob, k) => {
      if (typeof glob !== 'string') return;
      try {
        compilePathGlob(glob);
      } catch (error) {
        problems.push({ path: `/rules/${r}/match/paths/${k}`, message: (error as Error).message });
      }
    });
  });
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function jwksUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol === 'https:') return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return loopback ? undefined : 'must use https (plain http is accepted only on loopback, for development)';
}
