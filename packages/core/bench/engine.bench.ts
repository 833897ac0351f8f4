// `pnpm bench`: the engine's cost against the floor it is built on (issue 2's goals).
//   baseline  jose.jwtVerify, ES256, with the public key at hand (no JWKS lookup, no engine)
//   fresh     engine.decide on a token it has never seen (the cache cannot help): full
//             verification, binding check against a certificate DER (mode required), one rule
//   repeated  engine.decide on the same token: cache hit + SHA-256 of the certificate DER +
//             constant-time compare + the rule
//   prepared  the same with the certificate prepared once (what the Node adapter does per TLS 1.3
//             connection): no SHA-256; via `await decide` and via the synchronous `decideNow`
// Baseline and fresh take turns operation by operation, and the repeated case runs in every round,
// so a busy machine slows them alike; each figure is the median over the rounds, each ratio the
// median of the per-round ratios. All fresh tokens are signed before timing starts.
import * as nodeCrypto from 'node:crypto';
import {
  createCertificateAuthority,
  createEngine,
  type Decision,
  type DecisionInput,
  prepareCertificate,
} from '@certbound/core';
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

/** Operations per second over about TIMED_MS of synchronous runs (batches of 500). */
function timedSyncRate(run: () => unknown): number {
  let count = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < TIMED_MS) {
    for (let i = 0; i < 500; i++) run();
    count += 500;
    elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  }
  return count / (elapsed / 1000);
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
const rules = [
  {
    name: 'read-volumes',
    match: { methods: ['GET'], paths: ['/api/storage/**'] },
    require: { scopes: ['volumes.read'] },
  },
];
const engine = createEngine(policyFor([as], { issuer: { mutualTls: 'required' }, rules }), {
  tokenCache: { maxEntries: 100_000 },
});
// With several issuers the verifier must read `iss` before it can choose keys (see
// docs/architecture.md): the same decisions, measured on that path too.
const otherIssuer = await createTestIssuer();
const engineTwoIssuers = createEngine(
  policyFor([as, otherIssuer], { issuer: { mutualTls: 'required' }, rules }),
  { tokenCache: { maxEntries: 100_000 } },
);

const cnf = { 'x5t#S256': client.thumbprint };
const tokens: string[] = [];
for (let i = 0; i < 2 * WARMUP + 3 * ROUNDS * FRESH_PER_ROUND; i++) tokens.push(await as.sign({ cnf }));
const request = { method: 'GET', path: '/api/storage/volumes/7' };
const inputFor = (token: string): DecisionInput => ({
  authorization: `Bearer ${token}`,
  certificate: { der: client.der, source: 'tls' },
  request,
});

// The benchmarked path must be the allow path, not a fast deny.
for (const e of [engine, engineTwoIssuers]) {
  const check = await e.decide(inputFor(tokens[0] as string));
  if (!check.allow) throw new Error(`bench setup: expected allow, got ${JSON.stringify(check.reasons)}`);
}
const repeated = inputFor(tokens[0] as string);
const repeatedPrepared: DecisionInput = {
  ...repeated,
  certificate: prepareCertificate({ der: client.der, source: 'tls' }),
};
const decideNowAllows = () => {
  const decision = engine.decideNow(repeatedPrepared);
  if (decision instanceof Promise || !(decision as Decision).allow)
    throw new Error('decideNow: not a synchronous allow');
};

// Warm-up: JIT, jose's imported-key cache, and every code path.
await rate(WARMUP, (i) => jwtVerify(tokens[i] as string, as.publicKey, { algorithms: ['ES256'] }));
await rate(WARMUP, (i) => engine.decide(inputFor(tokens[i] as string)));
await rate(WARMUP, (i) => engineTwoIssuers.decide(inputFor(tokens[WARMUP + i] as string)));
await timedRate(() => engine.decide(repeated));
await timedRate(() => engine.decide(repeatedPrepared));
timedSyncRate(decideNowAllows);

const baseline: number[] = [];
const fresh: number[] = [];
const freshTwo: number[] = [];
const cached: number[] = [];
const freshRatio: number[] = [];
const freshTwoRatio: number[] = [];
const cachedRatio: number[] = [];
const prepared: number[] = [];
const preparedNow: number[] = [];
/**
 * Baseline, fresh (one issuer) and fresh (two issuers) take turns operation by operation (the
 * order rotates), each on its own never-seen token, so drifts in machine speed hit all alike;
 * ops/s = count / the summed time of that case's operations.
 */
async function interleavedRates(offset: number): Promise<[number, number, number]> {
  const ns = [0n, 0n, 0n];
  const cases = [
    (token: string) => jwtVerify(token, as.publicKey, { algorithms: ['ES256'] }),
    async (token: string) => {
      if (!(await engine.decide(inputFor(token))).allow) throw new Error('fresh denied');
    },
    async (token: string) => {
      if (!(await engineTwoIssuers.decide(inputFor(token))).allow) throw new Error('fresh denied');
    },
  ];
  for (let i = 0; i < FRESH_PER_ROUND; i++) {
    for (let k = 0; k < 3; k++) {
      const which = (i + k) % 3;
      const token = tokens[offset + 3 * i + k] as string;
      const started = process.hrtime.bigint();
      await (cases[which] as (token: string) => Promise<unknown>)(token);
      ns[which] = (ns[which] as bigint) + (process.hrtime.bigint() - started);
    }
  }
  const rateOf = (total: bigint) => FRESH_PER_ROUND / (Number(total) / 1e9);
  return [rateOf(ns[0] as bigint), rateOf(ns[1] as bigint), rateOf(ns[2] as bigint)];
}

for (let round = 0; round < ROUNDS; round++) {
  const offset = 2 * WARMUP + 3 * round * FRESH_PER_ROUND;
  const [b, f, f2] = await interleavedRates(offset);
  const c = await timedRate(async () => {
    if (!(await engine.decide(repeated)).allow) throw new Error('repeated denied');
  });
  prepared.push(
    await timedRate(async () => {
      if (!(await engine.decide(repeatedPrepared)).allow) throw new Error('prepared denied');
    }),
  );
  preparedNow.push(timedSyncRate(decideNowAllows));
  baseline.push(b);
  fresh.push(f);
  freshTwo.push(f2);
  cached.push(c);
  freshRatio.push(f / b);
  freshTwoRatio.push(f2 / b);
  cachedRatio.push(c / b);
}

// The engine hashes with the one-shot crypto.hash where Node has it (20.12+), else createHash.
const oneShot = typeof nodeCrypto.hash === 'function';
const nodeHash: number[] = [];
const oneShotHash: number[] = [];
const subtleHash: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  nodeHash.push(await timedRate(() => nodeCrypto.createHash('sha256').update(client.der).digest()));
  if (oneShot) oneShotHash.push(await timedRate(() => nodeCrypto.hash('sha256', client.der, 'buffer')));
  subtleHash.push(await timedRate(() => nodeCrypto.webcrypto.subtle.digest('SHA-256', client.der)));
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
  'engine.decide, fresh token, two issuers in the policy',
  median(freshTwo),
  `${median(freshTwoRatio).toFixed(2)}×`,
  '',
);
row(
  'engine.decide, repeated token (cache + SHA-256 + rule)',
  median(cached),
  `${median(cachedRatio).toFixed(1)}×`,
  '≥ 40×',
);
row(
  'repeated, certificate prepared once: await engine.decide',
  median(prepared),
  `${(median(prepared) / median(baseline)).toFixed(1)}×`,
  '',
);
row(
  'repeated, certificate prepared once: engine.decideNow (sync)',
  median(preparedNow),
  `${(median(preparedNow) / median(baseline)).toFixed(1)}×`,
  '',
);
row('SHA-256 of the certificate DER: node:crypto createHash', median(nodeHash), '1.00×', '');
if (oneShot) {
  row(
    'SHA-256 of the certificate DER: crypto.hash (engine uses)',
    median(oneShotHash),
    `${(median(oneShotHash) / median(nodeHash)).toFixed(2)}×`,
    '',
  );
}
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
  `${ROUNDS} rounds, each: ${FRESH_PER_ROUND} baseline verifications taking turns one by one with ${FRESH_PER_ROUND} fresh decisions of each engine, then ~${TIMED_MS} ms of repeated decisions; ` +
    `certificate DER ${client.der.length} bytes; median reported`,
);
