// Every `$ ` command in the README is run here as a reader would, from the repository root, and
// must exit and print as the README says. The set-up block is marked skip: CI runs its second line
// (.ci/run) and demo.test.ts runs the demo.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { docBlocks, missingOutputLine } from './doc-commands.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const blocks = docBlocks(readFileSync(new URL('README.md', `file://${ROOT}`), 'utf8'));

describe('README commands', () => {
  test('the README has runnable commands and the set-up block', () => {
    assert.ok(blocks.some((b) => b.kind === 'run'));
    const setup = blocks.find((b) => b.kind === 'skip');
    assert.ok(setup?.commands.some((c) => c.command.endsWith('pnpm demo')));
    assert.ok(setup?.commands.some((c) => c.command.endsWith('pnpm test')));
    // CI must run exactly the README's test command.
    const ci = readFileSync(new URL('.ci/run', `file://${ROOT}`), 'utf8');
    const testCommand = setup?.commands.find((c) => c.command.endsWith('pnpm test'))?.command as string;
    assert.ok(ci.includes(testCommand), '.ci/run runs the README test command');
  });

  for (const block of blocks.filter((b) => b.kind === 'run')) {
    for (const command of block.commands) {
      test(command.command, () => {
        const { CI: _ci, ...env } = process.env;
        const result = spawnSync('sh', ['-c', command.command], {
          cwd: ROOT,
          env,
          encoding: 'utf8',
          timeout: 60_000,
        });
        assert.equal(result.status, command.expectedExit, `exit status; stderr: ${result.stderr}`);
        assert.equal(missingOutputLine(result.stdout, command.expectedOutput), undefined, result.stdout);
      });
    }
  }
});
