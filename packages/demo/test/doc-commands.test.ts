// The parser behind getting-started.test.ts: if it silently found no commands, or accepted any
// output, the page's test would prove nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { docBlocks, missingOutputLine } from './doc-commands.js';

const page = [
  '<!-- doc-test: run -->',
  '```sh',
  '$ echo hello   # exits 0',
  'hello',
  '$ false   # exits 1',
  '```',
  '<!-- doc-test: skip (needs the network) -->',
  '```sh',
  '$ npm install',
  '```',
  '```ts',
  'not a command',
  '```',
].join('\n');

test('reads commands, exit notes, output lines and markers', () => {
  const blocks = docBlocks(page);
  assert.equal(blocks.length, 2);
  assert.deepEqual(blocks[0]?.commands, [
    { command: 'echo hello', expectedExit: 0, expectedOutput: ['hello'] },
    { command: 'false', expectedExit: 1, expectedOutput: [] },
  ]);
  assert.equal(blocks[1]?.kind, 'skip');
  assert.equal(blocks[1]?.reason, '(needs the network)');
});

test('a sh block with commands but no marker is an error, not skipped', () => {
  assert.throws(() => docBlocks('```sh\n$ ls\n```\n'), /no doc-test marker/);
});

test('expected output lines must all appear, in order; ... matches anything', () => {
  assert.equal(missingOutputLine('a\nx5t#S256: abc\nb\n', ['x5t#S256: ...', 'b']), undefined);
  assert.equal(missingOutputLine('b\na\n', ['a', 'b']), 'b');
  assert.equal(
    missingOutputLine('DENY 401 — binding_mismatch', ['...binding_verified...']),
    '...binding_verified...',
  );
  assert.equal(missingOutputLine('(1.5 s)', ['(...)']), undefined);
  assert.equal(missingOutputLine('a.b', ['a.c']), 'a.c');
});
