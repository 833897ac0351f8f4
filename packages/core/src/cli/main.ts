import { type CliIo, processIo, UsageError } from './cli-io.js';
import { decideCommand } from './decide-command.js';
import { pkiCommand } from './pki-command.js';
import { testCommand } from './test-command.js';
import { thumbprintCommand } from './thumbprint-command.js';
import { validateCommand } from './validate-command.js';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

export const COMMANDS: Readonly<Record<string, Command>> = {
  validate: validateCommand,
  decide: decideCommand,
  thumbprint: thumbprintCommand,
  pki: pkiCommand,
  test: testCommand,
};

export const HELP = `certbound — certificate-bound access token (RFC 8705) authorization

usage: certbound <command> [options]        (docs/cli.md has every flag and example)

policies
  certbound validate <policy.yaml|json>
      check a policy against its JSON Schema; every problem by JSON path
  certbound decide --policy <file> (--token <jwt> | --token-file <file|->) [--cert <pem-or-der|->]
                   [--method M] [--path P] [--explain] [--format json|text]
      the decision as JSON; --explain prints each step the engine took, both thumbprints and the rule
  certbound test <suite.yaml ...> [--format text|json|junit|tap]
      run policy test suites (kind: PolicyTestSuite; docs/policy-tests.md)

certificates
  certbound thumbprint <certificate file | ->
      x5t#S256 (RFC 8705 §3.1) and hex SHA-256 of the leaf certificate
  certbound thumbprint --check <value> [<certificate file | ->]
      what a pasted thumbprint is (hex, SHA-1, padded, PEM-hashed...) and whether it matches
  certbound pki init <dir> [--cn NAME] [--rsa] [--days N] [--force]
      a dev CA in <dir>: ca.pem, ca-key.pem (0600)
  certbound pki issue <dir> --cn NAME [--server] [--rsa] [--dns a,b] [--ip A] [--uri U] [--email E]
                      [--org O] [--days N] [--out PREFIX] [--force]
      a client (clientAuth) or --server (serverAuth) certificate + key signed by the dev CA
  certbound pki csr --cn NAME [--server] [--rsa] [--dns a,b] [--uri U] [--email E] [--org O]
                    [--out PREFIX] [--force]
      a PKCS#10 certificate signing request + key for a real CA

exit codes
  0  allow / success        1  deny / check failed / test failed        2  usage, policy or suite error
`;

/** Run the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? io.stderr : io.stdout)(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`unknown command ${name}\n${HELP}`);
    return 2;
  }
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    io.stdout(HELP);
    return 0;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
