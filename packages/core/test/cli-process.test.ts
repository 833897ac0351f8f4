// The `certbound` process itself: argv, stdin, stdout and the exit code through a real child process.
// It runs src/cli/run.ts (what bin/certbound.js imports once built) under the certbound-source condition.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLES, temporaryDirectory } from './support/cli-harness.js';

const ENTRY = new URL('../src/cli/run.ts', import.meta.url).pathname;

function spawnCertbound(args: readonly string[], input?: string) {
  return spawnSync(process.execPath, ['--conditions=certbound-source', '--import', 'tsx', ENTRY, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    timeout: 60_000,
  });
}

test('the certbound process reads stdin and sets its exit code', () => {
  const run = spawnCertbound(
    ['thumbprint', '-'],
    readFileSync(join(EXAMPLES, 'decide', 'client.pem'), 'utf8'),
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^x5t#S256: [A-Za-z0-9_-]{43}\nsha256 \(hex\): [0-9a-f]{64}\n$/);
  const failing = spawnCertbound(['test', join(EXAMPLES, 'ontap-modes.suite.yaml'), '--format', 'tap']);
  assert.equal(failing.status, 0, failing.stderr);
  assert.match(failing.stdout, /^TAP version 13\n1\.\.18\n/);
  const usage = spawnCertbound(['frobnicate']);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /unknown command frobnicate/);
});

test('the installed binary: bin/certbound.js over a fresh build of the package', async () => {
  // Build into a throw-away copy of the package so the shared dist/ is never touched.
  const { dir, remove } = await temporaryDirectory();
  try {
    const root = new URL('..', import.meta.url).pathname;
    cpSync(join(root, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(root, 'schema'), join(dir, 'schema'), { recursive: true });
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    const tsc = spawnSync(
      process.execPath,
      [
        join(root, '../../node_modules/typescript/bin/tsc'),
        '-p',
        join(root, 'tsconfig.build.json'),
        '--outDir',
        join(dir, 'dist'),
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    assert.ok(existsSync(join(dir, 'dist', 'cli', 'run.js')), tsc.stdout + tsc.stderr);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const bin = join(dir, pkg.bin.certbound);
    const run = spawnSync(
      process.execPath,
      [bin, 'test', join(EXAMPLES, 'policy.suite.yaml'), '--format', 'junit'],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /<testsuite name="storage API policy" id="0" tests="14" failures="0" errors="0"/,
    );
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /certbound pki init <dir>/);
  } finally {
    await remove();
  }
});
