import { type CliIo, processIo, UsageError } from './cli-io.js';
import { decideCommand } from './decide-command.js';
import { thumbprintCommand } from './thumbprint-command.js';
import { validateCommand } from './validate-command.js';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

export const COMMANDS: Readonly<Record<string, Command>> = {
  validate: validateCommand,
  decide: decideCommand,
  thumbprint: thumbprintCommand,
};

const HELP = `certbound — certificate-bound access token (RFC 8705) authorization

commands:
  certbound validate <policy>
  certbound decide --policy <file> --token <jwt> [--cert <file>] [--method M --path P] [--explain]
  certbound thumbprint <certificate file | ->
`;

/** Run the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr(`unknown command ${name}\n${HELP}`);
    return 2;
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
