// Check calls/s and latency with 64 concurrent streams: a no-op Check server built from the same
// official protos (always OK) vs certbound-extauthz deciding a certificate-bound token (mode
// required, URL-encoded PEM in source.certificate, as Envoy sends it). Each server runs in its
// own process; this process plays Envoy. Loopback only, bounded: both servers run side by side
// and the cases alternate (no-op, certbound, no-op, certbound: 1 s warm-up, then 2 × 4 s each) so
// a slow phase of a shared machine hits both alike.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority } from '@certbound/core';
import { loadSync } from '@grpc/proto-loader';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  ENVOY_PROTO_LOADER_OPTIONS,
  EXTERNAL_AUTH_PROTO,
  envoyProtoIncludeDirs,
} from '../src/envoy-protos.js';
import { connectEnvoyClient, type EnvoyClient, envoyCheckRequest } from '../test/support/envoy-client.js';

const STREAMS = 64;
const WARMUP_MS = 1000;
const MEASURE_MS = 4000;
const ROUNDS = 2;
const GOAL = 0.8;

async function benchFixture(dir: string) {
  const ca = await createCertificateAuthority();
  const client = await ca.issue({ commonName: 'bench-client' });
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    sub: 'bench-user',
    client_id: 'bench-client',
    scope: 'read',
    jti: 'bench',
    cnf: { 'x5t#S256': client.thumbprint },
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'bench' })
    .setIssuer('https://as.bench.test')
    .setAudience('https://api.bench.test')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
  const policyFile = join(dir, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      apiVersion: 'certbound.dev/v1',
      issuers: [
        {
          id: 'bench-as',
          issuer: 'https://as.bench.test',
          jwks: { keys: [jwk] },
          audience: 'https://api.bench.test',
          mutualTls: 'required',
        },
      ],
      rules: [
        { name: 'read', match: { methods: ['GET'], paths: ['/api/**'] }, require: { scopes: ['read'] } },
      ],
    }),
  );
  return { policyFile, token, certificatePem: client.pem };
}

async function startChild(args: string[]): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./check-server.ts', import.meta.url).pathname, ...args],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  const address = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(buffer.slice(0, newline)).address);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, address };
}

interface Run {
  readonly callsPerSecond: number;
  readonly allowed: number;
  readonly calls: number;
  readonly latencies: number[];
}

interface Result {
  readonly callsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly allowed: number;
  readonly calls: number;
}

async function run(
  client: EnvoyClient,
  request: ReturnType<typeof envoyCheckRequest>,
  ms: number,
): Promise<Run> {
  const latencies: number[] = [];
  let allowed = 0;
  const end = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: STREAMS }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const response = await client.check(request);
        latencies.push(performance.now() - t);
        if (response.status.code === 0) allowed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { callsPerSecond: latencies.length / elapsed, allowed, calls: latencies.length, latencies };
}

/** Calls and latencies of several runs of one case, pooled. */
function pooled(results: readonly Run[]): Result {
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    callsPerSecond: results.reduce((sum, r) => sum + r.callsPerSecond, 0) / results.length,
    p50: at(0.5),
    p99: at(0.99),
    allowed: results.reduce((sum, r) => sum + r.allowed, 0),
    calls: results.reduce((sum, r) => sum + r.calls, 0),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'certbound-extauthz-bench-'));
try {
  const loadStarted = performance.now();
  loadSync(EXTERNAL_AUTH_PROTO, { ...ENVOY_PROTO_LOADER_OPTIONS, includeDirs: envoyProtoIncludeDirs() });
  const protoLoadMs = performance.now() - loadStarted;

  const fixture = await benchFixture(dir);
  const request = envoyCheckRequest({
    method: 'GET',
    path: '/api/volumes?limit=10',
    headers: { authorization: `Bearer ${fixture.token}`, 'user-agent': 'bench', accept: '*/*' },
    peerCertificatePem: fixture.certificatePem,
  });
  const servers = [await startChild(['noop']), await startChild(['certbound', fixture.policyFile])];
  const clients = servers.map(({ address }) => connectEnvoyClient(address));
  const runs: Run[][] = [[], []];
  try {
    for (const client of clients) await run(client, request, WARMUP_MS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, client] of clients.entries())
        runs[index]?.push(await run(client, request, MEASURE_MS));
    }
  } finally {
    for (const client of clients) client.close();
    for (const { child } of servers) child.kill('SIGTERM');
  }
  const baseline = pooled(runs[0] ?? []);
  const ours = pooled(runs[1] ?? []);
  if (ours.allowed !== ours.calls)
    throw new Error(`certbound denied ${ours.calls - ours.allowed} of ${ours.calls} Checks`);

  const row = (name: string, r: Result) =>
    `| ${name.padEnd(38)} | ${r.callsPerSecond.toFixed(0).padStart(8)} | ${r.p50.toFixed(2).padStart(8)} | ${r.p99.toFixed(2).padStart(8)} |`;
  const ratio = ours.callsPerSecond / baseline.callsPerSecond;
  console.log(
    `Envoy ext_authz Check, ${STREAMS} concurrent streams, one channel, ${ROUNDS} × ${MEASURE_MS / 1000} s per case (alternating)`,
  );
  console.log('| server                                 | calls/s  | p50 ms   | p99 ms   |');
  console.log('|----------------------------------------|----------|----------|----------|');
  console.log(row('no-op Check (same protos, always OK)', baseline));
  console.log(row('certbound-extauthz (bound, required)', ours));
  console.log(
    `ratio ${ratio.toFixed(2)}× the no-op throughput (goal ≥ ${GOAL}×): ${ratio >= GOAL ? 'met' : 'NOT met'}`,
  );
  console.log(`proto load at start (external_auth.proto + imports, dynamic): ${protoLoadMs.toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
