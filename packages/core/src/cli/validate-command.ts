import { resolve } from 'node:path';
import { PolicyError } from '../errors/policy-error.js';
import { loadPolicyFile } from '../policy/load-policy.js';
import { type CliIo, UsageError } from './cli-io.js';

/** `certbound validate <policy>`: every problem, by JSON path. */
export async function validateCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.length !== 1) throw new UsageError('usage: certbound validate <policy.yaml|json>');
  const path = args[0] as string;
  try {
    const policy = loadPolicyFile(resolve(io.cwd, path));
    io.stdout(`${path}: valid (${policy.issuers.length} issuer(s), ${policy.rules?.length ?? 0} rule(s))\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    io.stderr(`${path}: invalid policy\n`);
    for (const problem of error.problems) io.stderr(`  ${problem.path || '/'}: ${problem.message}\n`);
    return 2;
  }
}
