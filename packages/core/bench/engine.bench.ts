// `pnpm bench`: the engine's cost against the floor it is built on (issue 2's goals).
//   baseline  jose.jwtVerify, ES256, with the public key at hand (no JWKS lookup, no engine)
//   fresh     engine.decide on a token it has never seen (the cache cannot help): full
//             verification, binding check against a certificate DER (mode required), one rule
//   repeated  engine.decide on the same token: cache hit + SHA-256 of the certificate DER +
//             constant-time compare + the rule
// Baseline and fresh alternate operation by operation, and the repeated case runs in every round,
// so a busy machine slows them alike; each figure is the median over the rounds, each ratio the
// median of the per-round ratios. All fresh tokens are signed before timing starts.
import { createHash, webcrypto } from 'node:crypto';
import { createCertificateAuthority, createEngine, type DecisionInput } from '@certbound/core';
import { jwtVerify } from 'jose';
import { createTestIssuer } from '../test/support/test-issuer.js';
import { policyFor } from '../test/support/test-policy.js';

const ROUNDS = 7;
const FRESH_PER_ROUND = 300;
const WARMUP = 300;
const TIMED_MS = 250;

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Operations per second of `count` sequential runs. */
async function rate(count: number, run: (index: number) => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await run(i);
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Operations per second over about TIMED_MS of runs (batches of 500). */
async function timedRate(run: () => unknown): Promise<number> {
  let count = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < TIMED_MS) {
    for (let i = 0; i < 500; i++) await run();
    count += 500;
    elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  }
  return count / (elapsed / 1000);
}

const as = await createTestIssuer();
const ca = await createCertificateAuthority();
const client = await ca.issue({ commonName: 'bench-client', dnsNames: ['bench.test'] });
const engine = createEngine(
  policyFor([as], {
    issuer: { mutualTls: 'required' },
    rules: [
      {
        name: 'read-volumes',
        match: { methods: ['GET'], paths: ['/api/storage/**'] },
        require: { scopes: ['volumes.read'] },
      },
    ],
  }),
  { tokenCache: { maxEntries: 100_000 } },
);

const cnf = { 'x5t#S256': client.thumbprint };
const tokens: string[] = [];
for (let i = 0; i < WARMUP + 2 * ROUNDS * FRESH_PER_ROUND; i++) tokens.push(await as.sign({ cnf }));
const request = { method: 'GET', path: '/api/storage/volumes/7' };
const inputFor = (token: string): DecisionInput => ({
  authorization: `Bearer ${token}`,
  certificate: { der: client.der, source: 'tls' },
  request,
});

// The benchmarked path must be the allow path, not a fast deny.
const check = await engine.decide(inputFor(tokens[0] as string));
if (!check.allow) throw new Error(`bench setup: expected allow, got ${JSON.stringify(check.reasons)}`);
const repeated = inputFor(tokens[0] as string);

// Warm-up: JIT, jose's imported-key cache, and every code path.
await rate(WARMUP, (i) => jwtVerify(tokens[i] as string, as.publicKey, { algorithms: ['ES256'] }));
await rate(WARMUP, (i) => engine.decide(inputFor(tokens[i] as string)));
await timedRate(() => engine.decide(repeated));

const baseline: number[] = [];
const fresh: number[] = [];
const cached: number[] = [];
const freshRatio: number[] = [];
const cachedRatio: number[] = [];
/**
 * Baseline and fresh decisions alternate operation by operation (which goes first alternates too),
 * each on its own never-seen token, so drifts in machine speed hit both alike; ops/s = count / the
 * summed time of that case's operations.
 */
async function pairedRates(offset: number): Promise<[number, number]> {
  let baselineNs = 0n;
  let freshNs = 0n;
  const verifyBaseline = async (token: string) => {
    const started = process.hrtime.bigint();
    await jwtVerify(token, as.publicKey, { algorithms: ['ES256'] });
    baselineNs += process.hrtime.bigint() - started;
  };
  const decideFresh = async (token: string) => {
    const started = process.hrtime.bigint();
    const decision = await engine.decide(inputFor(token));
    freshNs += process.hrtime.bigint() - started;
    if (!decision.allow) throw new Error('fresh denied');
  };
  for (let i = 0; i < FRESH_PER_ROUND; i++) {
    const first = tokens[offset + 2 * i] as string;
    const second = tokens[offset + 2 * i + 1] as string;
    if (i % 2 === 0) {
      await verifyBaseline(first);
      await decideFresh(second);
    } else {
      await decideFresh(first);
      await verifyBaseline(second);
    }
  }
  return [FRESH_PER_ROUND / (Number(baselineNs) / 1e9), FRESH_PER_ROUND / (Number(freshNs) / 1e9)];
}

for (let round = 0; round < ROUNDS; round++) {
  const offset = WARMUP + 2 * round * FRESH_PER_ROUND;
  const [b, f] = await pairedRates(offset);
  const c = await timedRate(async () => {
    if (!(await engine.decide(repeated)).allow) throw new Error('repeated denied');
  });
  baseline.push(b);
  fresh.push(f);
  cached.push(c);
  freshRatio.push(f / b);
  cachedRatio.push(c / b);
}

const nodeHash: number[] = [];
const subtleHash: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  nodeHash.push(await timedRate(() => createHash('sha256').update(client.der).digest()));
  subtleHash.push(await timedRate(() => webcrypto.subtle.digest('SHA-256', client.der)));
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12);
const row = (name: string, ops: number, ratio: string, goal: string) =>
  console.log(`${name.padEnd(60)}${fmt(ops)}${ratio.padStart(10)}${goal.padStart(9)}`);
console.log(`${'case'.padEnd(60)}${'ops/s'.padStart(12)}${'ratio'.padStart(10)}${'goal'.padStart(9)}`);
row('baseline: jose.jwtVerify ES256, local key', median(baseline), '1.00×', '');
row(
  'engine.decide, fresh token (required, cert DER, 1 rule)',
  median(fresh),
  `${median(freshRatio).toFixed(2)}×`,
  '≥ 0.9×',
);
row(
  'engine.decide, repeated token (cache + SHA-256 + rule)',
  median(cached),
  `${median(cachedRatio).toFixed(1)}×`,
  '≥ 40×',
);
row('SHA-256 of the certificate DER: node:crypto createHash', median(nodeHash), '1.00×', '');
row(
  'SHA-256 of the certificate DER: crypto.subtle.digest',
  median(subtleHash),
  `${(median(subtleHash) / median(nodeHash)).toFixed(2)}×`,
  '',
);
console.log(
  `\nfresh/baseline ${median(freshRatio).toFixed(2)} (goal ≥ 0.9): ${median(freshRatio) >= 0.9 ? 'met' : 'NOT met'}; ` +
    `repeated/baseline ${median(cachedRatio).toFixed(1)} (goal ≥ 40): ${median(cachedRatio) >= 40 ? 'met' : 'NOT met'}`,
);
console.log(
  `${ROUNDS} rounds, each: ${FRESH_PER_ROUND} baseline verifications alternating one by one with ${FRESH_PER_ROUND} fresh decisions, then ~${TIMED_MS} ms of repeated decisions; ` +
    `certificate DER ${client.der.length} bytes; median reported`,
);
