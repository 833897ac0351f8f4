// What a platform team runs: health (gRPC + HTTP), readiness, Prometheus metrics, policy reload
// (good and bad, by call, by file change and by a real SIGHUP), and the certbound-extauthz
// process starting and stopping gracefully on SIGTERM.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { devFetch } from '@certbound/dev-authorization-server';
import { credentials, loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { exportJWK, generateKeyPair } from 'jose';
import { AUTHORIZATION_SERVICE, type ExtAuthzServer, healthProtoPath } from '../src/index.js';
import { connectEnvoyClient, envoyCheckRequest } from './support/envoy-client.js';
import { createFixture, type Fixture, policyYaml, startServer, writePolicy } from './support/fixture.js';

let fixture: Fixture;

before(async () => {
  fixture = await createFixture();
});

after(() => fixture.close());

function healthCheck(address: string, service: string): Promise<string> {
  const definition = loadSync(healthProtoPath(), { keepCase: true, enums: String });
  // biome-ignore lint/suspicious/noExplicitAny: dynamically loaded package tree.
  const Health = (loadPackageDefinition(definition) as any).grpc.health.v1.Health as ServiceClientConstructor;
  const client = new Health(address, credentials.createInsecure());
  return new Promise((resolve, reject) =>
    // biome-ignore lint/suspicious/noExplicitAny: dynamically loaded client method.
    (client as any).Check(
      { service },
      { deadline: Date.now() + 30_000 },
      (error: Error | null, response: { status: string }) => {
        client.close();
        if (error) reject(error);
        else resolve(response.status);
      },
    ),
  );
}

const unboundCheck = () =>
  envoyCheckRequest({ path: '/api/volumes', headers: { authorization: `Bearer ${fixture.unboundToken}` } });

describe('health, readiness and metrics', () => {
  let server: ExtAuthzServer;
  before(async () => {
    server = await startServer(fixture, writePolicy(fixture, policyYaml(fixture, { mode: 'request' })));
  });
  after(() => server.close());

  test('grpc.health.v1: SERVING for the server and for the Authorization service', async () => {
    assert.equal(await healthCheck(server.grpcAddress as string, ''), 'SERVING');
    assert.equal(await healthCheck(server.grpcAddress as string, AUTHORIZATION_SERVICE), 'SERVING');
    await assert.rejects(healthCheck(server.grpcAddress as string, 'no.such.Service'), /NOT_FOUND/);
  });

  test('/healthz and /readyz answer 200 on the admin listener', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const response = await fetch(`http://${server.adminAddress}${path}`);
      assert.equal(response.status, 200, path);
      await response.text();
    }
  });

  test('the HTTP authorization listener has no health endpoints: /healthz is an authorization request', async () => {
    const response = await fetch(`http://${server.httpAddress}/healthz`);
    assert.equal(response.status, 401);
    await response.text();
  });

  test('/metrics counts decisions by reason code and records latency', async () => {
    const client = connectEnvoyClient(server.grpcAddress as string);
    await client.check(unboundCheck());
    await client.check(envoyCheckRequest({ path: '/' }));
    client.close();
    const response = await fetch(`http://${server.adminAddress}/metrics`);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await response.text();
    assert.match(
      text,
      /certbound_extauthz_decisions_total\{transport="grpc",allow="true",reason="rules_absent"\} 1/,
    );
    assert.match(
      text,
      /certbound_extauthz_decisions_total\{transport="grpc",allow="false",reason="token_missing"\} 1/,
    );
    assert.match(text, /certbound_extauthz_decision_seconds_count\{transport="grpc"\} 2/);
  });
});

describe('policy reload', () => {
  test('a good policy replaces the engine; a bad one keeps the old one serving and is reported', async () => {
    const lines: string[] = [];
    const policyFile = writePolicy(fixture, policyYaml(fixture, { mode: 'required' }));
    const server = await startServer(fixture, policyFile, {}, lines);
    const client = connectEnvoyClient(server.grpcAddress as string);
    try {
      assert.equal((await client.check(unboundCheck())).status.message, 'binding_required');
      assert.deepEqual(server.reloadPolicy(), { outcome: 'unchanged' });

      writeFileSync(policyFile, policyYaml(fixture, { mode: 'none' }));
      assert.deepEqual(server.reloadPolicy(), { outcome: 'reloaded' });
      assert.equal((await client.check(unboundCheck())).status.code, 0);

      writeFileSync(policyFile, 'apiVersion: certbound.dev/v1\nissuers: []\n');
      const outcome = server.reloadPolicy();
      assert.equal(outcome.outcome, 'failed');
      assert.match((outcome as { error: string }).error, /issuers/);
      assert.equal((await client.check(unboundCheck())).status.code, 0, 'the previous policy still serves');
      const metrics = await server.metrics.text();
      assert.match(metrics, /certbound_extauthz_policy_reloads_total\{outcome="failed"\} 1/);
      assert.match(metrics, /certbound_extauthz_policy_last_reload_failed 1/);
      const failure = lines.map((line) => JSON.parse(line)).find((line) => line.level === 'error');
      assert.match(failure.msg, /previous policy keeps serving/);

      writeFileSync(policyFile, 'apiVersion: [');
      assert.equal(server.reloadPolicy().outcome, 'failed', 'YAML syntax errors too');
    } finally {
      client.close();
      await server.close();
    }
  });

  test('a file the policy references (a JWK Set) counts: SIGHUP reloads when it alone changed', async () => {
    const jwksFile = join(fixture.dir, 'reload-keys.json');
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(jwksFile, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'stale' }] }));
    const policyFile = writePolicy(
      fixture,
      policyYaml(fixture, { mode: 'none' }).replace(/jwks: \{[^}]*\}/, 'jwks: { file: reload-keys.json }'),
    );
    const server = await startServer(fixture, policyFile);
    const client = connectEnvoyClient(server.grpcAddress as string);
    try {
      assert.equal((await client.check(unboundCheck())).status.message, 'token_signature_invalid');
      assert.deepEqual(server.reloadPolicy(), { outcome: 'unchanged' });
      // The authorization server's real keys, written over the file; the policy text is untouched.
      const response = await devFetch(fixture.as.caPem)(fixture.as.jwksUri, {
        signal: AbortSignal.timeout(5000),
        headers: {},
      });
      writeFileSync(jwksFile, await response.text());
      assert.deepEqual(server.reloadPolicy(), { outcome: 'reloaded' });
      assert.equal((await client.check(unboundCheck())).status.code, 0);
      assert.deepEqual(server.reloadPolicy(), { outcome: 'unchanged' });
    } finally {
      client.close();
      await server.close();
    }
  });

  test('a change to the watched file is picked up', async () => {
    const policyFile = writePolicy(fixture, policyYaml(fixture, { mode: 'required' }), 'watched.yaml');
    const { startExtAuthzServer } = await import('../src/index.js');
    const { devFetch } = await import('@certbound/dev-authorization-server');
    const server = await startExtAuthzServer({
      policyFile,
      grpc: '127.0.0.1:0',
      http: false,
      admin: false,
      log: false,
      engine: { fetch: devFetch(fixture.as.caPem) },
    });
    const client = connectEnvoyClient(server.grpcAddress as string);
    try {
      assert.equal((await client.check(unboundCheck())).status.code, 16);
      // Replaced the way editors and ConfigMap updates do it: a new file renamed over the old.
      const next = join(fixture.dir, '.watched.yaml.tmp');
      writeFileSync(next, policyYaml(fixture, { mode: 'none' }));
      (await import('node:fs')).renameSync(next, policyFile);
      let code = 16;
      for (let attempt = 0; attempt < 100 && code !== 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        code = (await client.check(unboundCheck())).status.code;
      }
      assert.equal(code, 0, 'the new policy (mode none) serves');
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe('the certbound-extauthz process', () => {
  const entry = new URL('./support/cli-entry.ts', import.meta.url).pathname;

  /** Collects JSON log lines and lets a test wait for one. */
  function watchLines(child: ChildProcess) {
    const lines: Record<string, unknown>[] = [];
    const waiters: {
      match: (line: Record<string, unknown>) => boolean;
      resolve: (line: Record<string, unknown>) => void;
    }[] = [];
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
        buffer = buffer.slice(newline + 1);
        lines.push(line);
        for (const waiter of [...waiters]) {
          if (waiter.match(line)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
        newline = buffer.indexOf('\n');
      }
    });
    return {
      lines,
      next(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
        return new Promise((resolve) => waiters.push({ match, resolve }));
      },
    };
  }

  test('serves, reloads on SIGHUP (good and bad policy), stops gracefully on SIGTERM', async () => {
    const policyFile = writePolicy(fixture, policyYaml(fixture, { mode: 'required' }), 'cli-policy.yaml');
    const caFile = join(fixture.dir, 'ca.pem');
    writeFileSync(caFile, fixture.as.caPem);
    const configFile = join(fixture.dir, 'extauthz.yaml');
    writeFileSync(
      configFile,
      'extauthz:\n  upstreamHeaders:\n    clientId: x-certbound-client-id\n  removeAuthorization: true\n',
    );
    const child = spawn(
      process.execPath,
      [
        '--conditions=certbound-source',
        '--import',
        'tsx',
        entry,
        '--policy',
        policyFile,
        '--config',
        configFile,
        '--grpc',
        '127.0.0.1:0',
        '--http',
        '127.0.0.1:0',
        '--admin',
        '127.0.0.1:0',
        '--no-watch',
      ],
      // The JWKS is served over TLS by the dev CA: trusted the way a deployment trusts a private CA.
      {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile, NODE_NO_WARNINGS: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const log = watchLines(child);
    try {
      const listening = await Promise.race([
        log.next((line) => line.msg === 'certbound-extauthz listening'),
        exited.then((code) => assert.fail(`exited early (${code}): ${stderr}`)),
      ]);
      const client = connectEnvoyClient(listening.grpc as string);
      try {
        assert.equal((await client.check(unboundCheck())).status.message, 'binding_required');
        const allowed = await client.check(
          envoyCheckRequest({
            path: '/',
            headers: { authorization: `Bearer ${fixture.boundToken}` },
            peerCertificatePem: fixture.clientA.pem,
          }),
        );
        assert.equal(allowed.status.code, 0);
        assert.ok(allowed.ok_response?.headers_to_remove?.includes('authorization'), 'config file applied');

        writeFileSync(policyFile, policyYaml(fixture, { mode: 'none' }));
        const reloaded = log.next((line) => line.msg === 'policy reloaded');
        child.kill('SIGHUP');
        assert.equal((await reloaded).trigger, 'signal');
        assert.equal((await client.check(unboundCheck())).status.code, 0);

        writeFileSync(policyFile, 'apiVersion: certbound.dev/v2\n');
        const failed = log.next((line) => line.level === 'error');
        child.kill('SIGHUP');
        assert.match(String((await failed).msg), /previous policy keeps serving/);
        assert.equal((await client.check(unboundCheck())).status.code, 0);
        const ready = await fetch(`http://${listening.admin}/readyz`);
        assert.equal(ready.status, 200);
        await ready.text();
      } finally {
        client.close();
      }
      const stopped = log.next((line) => line.msg === 'certbound-extauthz stopped');
      child.kill('SIGTERM');
      await stopped;
      assert.equal(await exited, 0);
      assert.match(stderr, /SIGTERM, shutting down/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  test('an invalid policy at start: exit code 2 and every problem on stderr', async () => {
    const policyFile = writePolicy(fixture, 'apiVersion: certbound.dev/v1\nissuers: []\nextra: 1\n');
    const child = spawn(
      process.execPath,
      ['--conditions=certbound-source', '--import', 'tsx', entry, '--policy', policyFile],
      {
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /\/issuers/);
    assert.match(stderr, /extra/);
  });
});
