import { resolve } from 'node:path';
import { policyBaseDir } from './load-policy.js';
import type { Policy } from './policy.js';

/**
 * Every file an engine built from this policy reads at creation — `jwks.file`, trust anchor and
 * CRL `file:` entries — as absolute paths (relative ones against the policy's folder, else
 * `baseDir`, else the working directory, as the engine resolves them). A service that reloads the
 * policy must watch these too: a rotated CRL or CA changes decisions without a byte of the
 * policy changing.
 */
export function policyFiles(policy: Policy, baseDir?: string): string[] {
  const base = baseDir ?? policyBaseDir(policy) ?? process.cwd();
  const files: string[] = [];
  for (const issuer of policy.issuers) if ('file' in issuer.jwks) files.push(resolve(base, issuer.jwks.file));
  for (const source of [...(policy.certificates?.trustAnchors ?? []), ...(policy.certificates?.crls ?? [])]) {
    if ('file' in source) files.push(resolve(base, source.file));
  }
  return files;
}
