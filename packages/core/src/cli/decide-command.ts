import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../engine/create-engine.js';
import { CertboundError } from '../errors/certbound-error.js';
import { PolicyError } from '../errors/policy-error.js';
import { loadPolicyFile } from '../policy/load-policy.js';
import { type CliIo, UsageError } from './cli-io.js';
import { formatExplanation } from './explain-format.js';
import { readCertificateFile } from './read-certificate-file.js';

export const DECIDE_USAGE =
  'usage: certbound decide --policy <file> (--token <jwt> | --token-file <file|->) [--cert <pem-or-der file|->]\n' +
  '                        [--method M] [--path P] [--explain] [--format json|text]';

/**
 * `certbound decide`: the decision as JSON (default), or with `--explain` each step in readable
 * text (`--format json` keeps JSON, with the trace). Exit 0 allow, 1 deny, 2 usage or policy error.
 */
export async function decideCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      policy: { type: 'string' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      cert: { type: 'string' },
      method: { type: 'string', default: 'GET' },
      path: { type: 'string', default: '/' },
      explain: { type: 'boolean', default: false },
      format: { type: 'string' },
    },
    strict: true,
  });
  if (values.policy === undefined || (values.token === undefined) === (values['token-file'] === undefined)) {
    throw new UsageError(DECIDE_USAGE);
  }
  const format = values.format ?? (values.explain ? 'text' : 'json');
  if (format !== 'json' && format !== 'text')
    throw new UsageError(`--format must be json or text\n${DECIDE_USAGE}`);
  const explain = values.explain || format === 'text';
  if (values['token-file'] === '-' && values.cert === '-')
    throw new UsageError('only one of --token-file and --cert can be -');
  let token = values.token;
  if (values['token-file'] !== undefined) {
    try {
      const file = values['token-file'];
      token = (
        file === '-' ? (await io.stdin()).toString('utf8') : await readFile(resolve(io.cwd, file), 'utf8')
      ).trim();
    } catch (error) {
      throw new UsageError(`cannot read token file: ${(error as Error).message}`);
    }
  }
  let engine: ReturnType<typeof createEngine>;
  try {
    engine = createEngine(loadPolicyFile(resolve(io.cwd, values.policy)));
  } catch (error) {
    if (error instanceof PolicyError) {
      io.stderr(`${values.policy}: invalid policy\n`);
      for (const problem of error.problems) io.stderr(`  ${problem.path || '/'}: ${problem.message}\n`);
      return 2;
    }
    if (error instanceof CertboundError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const certificate = values.cert === undefined ? undefined : await readCertificateFile(values.cert, io);
  const decision = await engine.decide({
    authorization: `Bearer ${token}`,
    certificate,
    request: { method: values.method, path: values.path },
    explain,
  });
  io.stdout(
    format === 'text' ? formatExplanation(decision, token) : `${JSON.stringify(decision, null, 2)}\n`,
  );
  return decision.allow ? 0 : 1;
}
