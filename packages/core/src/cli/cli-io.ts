/** Where CLI commands read and write; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdin: () => Promise<Buffer>;
  readonly cwd: string;
  readonly isTty: boolean;
}

/** Exit codes: 0 allow/ok, 1 deny/failure, 2 usage or policy error. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  },
  cwd: process.cwd(),
  isTty: process.stdout.isTTY === true,
};
