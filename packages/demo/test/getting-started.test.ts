// Runs every command shown in docs/getting-started.md the way a reader would, from the repository
// root: the demo as a server, curl against it, the CLI on the files it wrote, and the CI run.
// Each command must exit as documented and print the documented output lines.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type DocBlock, docBlocks, missingOutputLine } from './doc-commands.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PAGE = 'docs/getting-started.md';

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A clean environment: no CI flag or colour settings leaking in from the test runner. */
function readerEnvironment(): NodeJS.ProcessEnv {
  const { CI: _ci, FORCE_COLOR: _fc, NO_COLOR: _nc, CERTBOUND_DEMO_DIR: _dir, ...env } = process.env;
  return env;
}

/** One block's commands in one shell (so `. env.sh` carries over), with a marker after each. */
function runBlock(block: DocBlock): Promise<Finished[]> {
  const script = block.commands
    .map((command, index) => `${command.command}\nprintf '\\n@@doc-test %d %d@@\\n' ${index} "$?"`)
    .join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], { cwd: ROOT, env: readerEnvironment() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const results: Finished[] = [];
      let rest = stdout;
      for (let index = 0; index < block.commands.length; index++) {
        const marker = new RegExp(`\\n@@doc-test ${index} (\\d+)@@\\n`).exec(rest);
        if (marker === null) {
          results.push({ code: null, stdout: rest, stderr });
          break;
        }
        results.push({ code: Number(marker[1]), stdout: rest.slice(0, marker.index), stderr });
        rest = rest.slice(marker.index + marker[0].length);
      }
      resolve(results);
    });
  });
}

/** Start a command that serves until stopped; resolves with its output once it prints "Ready". */
function startServer(command: string): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so stopping it stops pnpm and the node process it started.
    const child = spawn('sh', ['-c', `exec ${command}`], {
      cwd: ROOT,
      env: readerEnvironment(),
      detached: true,
    });
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`"${command}" printed no "Ready" in 90 s:\n${stdout}`)),
      90_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/^Ready\./m.test(stdout)) {
        clearTimeout(timer);
        resolve({ child, output: () => stdout });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`"${command}" exited with ${code} before it was ready:\n${stdout}`));
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    process.kill(-child.pid, 'SIGINT');
  });
}

describe(`the commands in ${PAGE}`, async () => {
  const blocks = docBlocks(await readFile(new URL(`../../../${PAGE}`, import.meta.url), 'utf8'));
  const servers: ChildProcess[] = [];
  after(async () => {
    for (const child of servers.splice(0)) await stopServer(child);
  });

  test('the page shows commands, and every skipped block says why', () => {
    assert.ok(blocks.filter((block) => block.kind !== 'skip').flatMap((b) => b.commands).length >= 8);
    for (const block of blocks.filter((b) => b.kind === 'skip'))
      assert.ok(block.reason, `line ${block.line}`);
  });

  for (const block of blocks) {
    const first = block.commands[0]?.command ?? '';
    const names = `${first.length > 60 ? `${first.slice(0, 59)}…` : first}${
      block.commands.length > 1 ? ` (+${block.commands.length - 1} more)` : ''
    }`;
    if (block.kind === 'skip') {
      test(`line ${block.line}: ${names}`, { skip: block.reason ?? 'marked skip' }, () => {});
      continue;
    }
    test(`line ${block.line} (${block.kind}): ${names}`, async () => {
      if (block.kind === 'keeps-running') {
        for (const command of block.commands) {
          // pnpm demo keeps serving on a terminal; the test has none, so it says so explicitly.
          const server = await startServer(`env CERTBOUND_DEMO_KEEP_RUNNING=1 ${command.command}`);
          servers.push(server.child);
          const missing = missingOutputLine(server.output(), command.expectedOutput);
          assert.equal(
            missing,
            undefined,
            `"${command.command}" did not print:\n${missing}\n---\n${server.output()}`,
          );
        }
        return;
      }
      if (block.kind === 'stop-servers') {
        for (const child of servers.splice(0)) await stopServer(child);
      }
      const results = await runBlock(block);
      block.commands.forEach((command, index) => {
        const result = results[index];
        assert.ok(result, `"${command.command}" did not run`);
        const where = `"${command.command}"\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
        assert.equal(result.code, command.expectedExit, `exit status of ${where}`);
        const missing = missingOutputLine(result.stdout, command.expectedOutput);
        assert.equal(missing, undefined, `missing output line ${missing} of ${where}`);
      });
    });
  }
});
