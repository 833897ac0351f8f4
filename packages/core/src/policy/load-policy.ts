import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { PolicyError } from '../errors/policy-error.js';
import { deepFreeze } from '../util/deep-freeze.js';
import type { Policy } from './policy.js';
import { validatePolicy } from './validate-policy.js';

const MAX_POLICY_BYTES = 4 * 1024 * 1024;
const policyBaseDirs = new WeakMap<Policy, string>();

/**
 * Validate a policy given as YAML/JSON text or as an already parsed object. Returns a deep copy,
 * frozen, or throws a PolicyError that lists every problem found (JSON Pointer paths).
 */
export function loadPolicy(textOrObject: string | object, options: { baseDir?: string } = {}): Policy {
  const document =
    typeof textOrObject === 'string' ? parsePolicyText(textOrObject) : structuredClone(textOrObject);
  const problems = validatePolicy(document);
  if (problems.length > 0) throw new PolicyError(problems);
  const policy = deepFreeze(document as Policy);
  if (options.baseDir !== undefined) policyBaseDirs.set(policy, resolve(options.baseDir));
  return policy;
}

/** Read and validate a policy file; relative `file:` references in it resolve against its folder. */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(
      [{ path: '', message: `cannot read ${path}: ${(error as Error).message}` }],
      'ERR_POLICY_FILE',
    );
  }
  return loadPolicy(text, { baseDir: dirname(resolve(path)) });
}

/** The folder relative `file:` references of this policy resolve against. */
export function policyBaseDir(policy: Policy): string | undefined {
  return policyBaseDirs.get(policy);
}

function parsePolicyText(text: string): unknown {
  if (text.length > MAX_POLICY_BYTES) {
    throw new PolicyError([{ path: '', message: `is larger than ${MAX_POLICY_BYTES} bytes` }]);
  }
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new PolicyError(
      document.errors.map((error) => ({
        path: '',
        message: `YAML/JSON syntax: ${error.message.split('\n')[0]} (line ${lineOf(text, error.pos[0])})`,
      })),
    );
  }
  return document.toJS({ maxAliasCount: 50 });
}

/** 1-based line of a character offset (the parser's linePos is only set with prettyErrors). */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
