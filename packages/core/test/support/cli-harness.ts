import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `certbound <argv>` in-process with an in-memory CliIo rooted at `cwd`. */
export async function certbound(
  argv: readonly string[],
  cwd: string,
  stdin: string | Uint8Array = '',
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stdin: async () => Buffer.from(stdin),
    cwd,
    isTty: false,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function temporaryDirectory(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'certbound-cli-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The package's examples folder. */
export const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
