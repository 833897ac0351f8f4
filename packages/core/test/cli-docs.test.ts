// Every `$ certbound …` line in docs/cli.md and docs/policy-tests.md runs here, in order, in one temp
// folder where `packages/core/examples` is the real examples folder; the noted exit code and the
// output lines under each command must hold (`...` matches anything).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { certbound, EXAMPLES, temporaryDirectory } from './support/cli-harness.js';

interface DocCommand {
  readonly line: number;
  readonly argv: string[];
  readonly exit: number;
  readonly output: string[];
}

/** `$ certbound …` lines of ```sh blocks preceded by `<!-- doc-test: run -->`. */
function documentedCommands(markdown: string): DocCommand[] {
  const lines = markdown.split('\n');
  const commands: DocCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```sh') continue;
    const marked = /<!--\s*doc-test:\s*run\s*-->/.test(lines[i - 1] ?? '');
    for (i++; i < lines.length && lines[i]?.trim() !== '```'; i++) {
      const line = lines[i] as string;
      if (line.startsWith('$ ')) {
        assert.ok(marked, `line ${i + 1}: a command in a block without <!-- doc-test: run -->`);
        const exits = /\s+#\s*exits\s+(\d+)\s*$/.exec(line);
        const command = (exits ? line.slice(0, exits.index) : line).slice(2).trim();
        const argv = shellWords(command);
        assert.equal(argv.shift(), 'certbound', `line ${i + 1}: only certbound commands are run`);
        commands.push({ line: i + 1, argv, exit: exits ? Number(exits[1]) : 0, output: [] });
      } else if (line.trim() !== '') {
        commands.at(-1)?.output.push(line.trim());
      }
    }
  }
  return commands;
}

/** Split like a POSIX shell for the simple cases the docs use: spaces, '…' and "…". */
function shellWords(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? (m[3] as string));
}

function lineMatcher(expected: string): RegExp {
  const pattern = expected
    .split('...')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(pattern);
}

for (const page of ['cli.md', 'policy-tests.md']) {
  test(`docs/${page}: every certbound command runs as documented`, async () => {
    const markdown = readFileSync(new URL(`../../../docs/${page}`, import.meta.url), 'utf8');
    const commands = documentedCommands(markdown);
    assert.ok(commands.length > 0);
    const { dir, remove } = await temporaryDirectory();
    try {
      mkdirSync(join(dir, 'packages', 'core'), { recursive: true });
      symlinkSync(EXAMPLES, join(dir, 'packages', 'core', 'examples'));
      for (const command of commands) {
        const run = await certbound(command.argv, dir);
        const where = `docs/${page}:${command.line} certbound ${command.argv.join(' ')}\n${run.stdout}${run.stderr}`;
        assert.equal(run.code, command.exit, where);
        const outputLines = run.stdout.split('\n');
        for (const expected of command.output) {
          const matcher = lineMatcher(expected);
          assert.ok(
            outputLines.some((line) => matcher.test(line)),
            `expected a line like "${expected}"\n${where}`,
          );
        }
      }
    } finally {
      await remove();
    }
  });
}
