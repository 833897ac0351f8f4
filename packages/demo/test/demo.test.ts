// `pnpm demo` as CI runs it: a child process with CI=true and piped stdout must walk the whole
// mode table against the live services, print one plain-text row per case, and exit 0 only
// because every row matched the documented expectation.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CERTIFICATE_KINDS, ENFORCEMENT_POINTS, EXPECTED, MODES, TOKEN_KINDS } from '../src/mode-table.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runDemoProcess(env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=certbound-source', '--import', 'tsx', 'packages/demo/src/main.ts'],
      { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('pnpm demo with CI=true', () => {
  let directory: string;
  let run: Run;

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'certbound-demo-'));
    const { FORCE_COLOR: _f, CERTBOUND_DEMO_KEEP_RUNNING: _k, ...env } = process.env;
    run = await runDemoProcess({ ...env, CI: 'true', CERTBOUND_DEMO_DIR: join(directory, 'out') });
  });
  after(() => rm(directory, { recursive: true, force: true }));

  test('exits 0 after the table', () => {
    assert.equal(run.code, 0, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    assert.match(run.stdout, /^36 of 36 cases as documented/m);
    assert.doesNotMatch(run.stdout, /Ctrl-C/);
  });

  test('piped output is plain text: no colour, no progress line', () => {
    assert.ok(!run.stdout.includes('\u001b['), 'no ANSI escape sequences');
    assert.doesNotMatch(run.stdout, /\r/);
  });

  test('prints one row per case, each with the documented decision and reason codes', () => {
    const rows = run.stdout
      .split('\n')
      .filter((line) => /^(node-https|envoy-grpc) /.test(line))
      .map((line) => line.split(/ {2,}/));
    assert.equal(
      rows.length,
      ENFORCEMENT_POINTS.length * MODES.length * TOKEN_KINDS.length * CERTIFICATE_KINDS.length,
    );
    const seen = new Set<string>();
    for (const [via, mode, token, certificate, result, status, reasons, documented] of rows) {
      const expected =
        EXPECTED[mode as (typeof MODES)[number]][token as (typeof TOKEN_KINDS)[number]][
          certificate as (typeof CERTIFICATE_KINDS)[number]
        ];
      assert.ok(expected, `unknown case ${mode} ${token} ${certificate}`);
      const name = `${via} ${mode} ${token} ${certificate}`;
      seen.add(name);
      assert.equal(result, expected.allow ? 'allow' : 'deny', name);
      assert.equal(status, String(expected.status), name);
      assert.equal(reasons, expected.reasons.join(', '), name);
      assert.equal(documented, 'yes', name);
    }
    assert.equal(seen.size, rows.length, 'every case appears exactly once');
  });

  test('writes the files the docs and curl commands use', async () => {
    const files = (await readdir(join(directory, 'out'))).sort();
    assert.deepEqual(files, [
      'bound.jwt',
      'ca.pem',
      'env.sh',
      'other-key.pem',
      'other.pem',
      'own-key.pem',
      'own.pem',
      'policy-none.json',
      'policy-request.json',
      'policy-required.json',
      'unbound.jwt',
    ]);
  });

  test('never prints a token', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const name of ['bound.jwt', 'unbound.jwt']) {
      const token = (await readFile(join(directory, 'out', name), 'utf8')).trim();
      assert.ok(token.split('.').length === 3);
      assert.ok(!run.stdout.includes(token) && !run.stderr.includes(token), `${name} leaked to the output`);
    }
  });
});
