// `pnpm bench lambda`: decisions per second of the Lambda adapter on a warm execution
// environment (engine built once, the same bound token each time, as one client's calls), side by side:
//   core floor         engine.decide with the leaf PEM directly (no event translation)
//   ALB verify         wrapped handler, ALB event with the URL-encoded leaf header
//   ALB passthrough    wrapped handler, ALB event with a 3-certificate chain (leaf, intermediate;
//                      root as trust anchor): the engine builds and verifies the chain each time
//   chain verifier     the core chain verifier alone on the same chain (its share of passthrough),
//                      and with empty caches (a chain seen for the first time)
// Each figure is the median of several timed rounds after a warm-up. The issue sets no goal ratio.

import { withCertbound } from '@certbound/adapter-lambda';
import {
  createCertificateAuthority,
  createChainVerifier,
  createEngine,
  loadPolicy,
  PkijsChainVerifier,
  readTrustMaterial,
} from '@certbound/core';
import { albEncode, albEvent, lambdaContext } from '../test/support/lambda-events.js';
import { createTestIssuer } from '../test/support/test-issuer.js';

const ROUNDS = 5;
const WARMUP = 200;

async function medianOpsPerSecond(perRound: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await run();
  const results: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) await run();
    results.push(perRound / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)] as number;
}

const issuer = await createTestIssuer();
const root = await createCertificateAuthority({ commonName: 'bench root' });
const intermediate = await root.intermediate('bench intermediate');
const client = await intermediate.issue({ commonName: 'bench client' });
const certificates = { trustAnchors: [{ pem: root.certificate.pem }] };
const engine = createEngine(
  loadPolicy({
    apiVersion: 'certbound.dev/v1',
    issuers: [
      {
        id: 'as',
        issuer: issuer.issuer,
        audience: issuer.audience,
        jwks: { keys: [issuer.publicJwk] },
        mutualTls: 'required',
      },
    ],
    certificates,
  }),
);
const authorization = `Bearer ${await issuer.sign({ cnf: { 'x5t#S256': client.thumbprint } })}`;
const ok = async () => ({ statusCode: 200 });
const verifyHandler = withCertbound(ok, { engine, certificateSource: 'alb-verify' });
const passthroughHandler = withCertbound(ok, { engine, certificateSource: 'alb-passthrough' });
const verifyEvent = albEvent({
  headers: { authorization, 'x-amzn-mtls-clientcert-leaf': albEncode(client.pem) },
});
const passthroughEvent = albEvent({
  headers: { authorization, 'x-amzn-mtls-clientcert': albEncode(client.pem + intermediate.certificate.pem) },
});
const verifier = createChainVerifier(certificates, {
  baseDir: process.cwd(),
  clock: { now: () => Date.now() },
});
if (verifier === undefined) throw new Error('no verifier');

// Fail loudly if a path under test does not allow: a bench of denies would measure the wrong thing.
for (const [name, handler, event] of [
  ['verify', verifyHandler, verifyEvent],
  ['passthrough', passthroughHandler, passthroughEvent],
] as const) {
  const response = (await handler(event, lambdaContext())) as { statusCode: number };
  if (response.statusCode !== 200) throw new Error(`${name} event was denied (${response.statusCode})`);
}
if (!(await verifier.verify(client.der, [intermediate.certificate.der])).ok)
  throw new Error('chain not verified');

const context = lambdaContext();
const floor = await medianOpsPerSecond(4_000, () =>
  engine.decide({ authorization, certificate: { pem: client.pem, source: 'alb-verify' } }),
);
const albVerify = await medianOpsPerSecond(4_000, () => verifyHandler(verifyEvent, context));
const albPassthrough = await medianOpsPerSecond(1_000, () => passthroughHandler(passthroughEvent, context));
const chainOnly = await medianOpsPerSecond(1_000, () =>
  verifier.verify(client.der, [intermediate.certificate.der]),
);
// A verifier with empty caches each time: the cost of a chain seen for the first time
// (asn1js parsing of both certificates and two ECDSA signature checks).
const trust = readTrustMaterial(certificates, process.cwd());
const clock = { now: () => Date.now() };
const chainFirstSeen = await medianOpsPerSecond(40, () =>
  new PkijsChainVerifier(trust, clock).verify(client.der, [intermediate.certificate.der]),
);

const rows: [string, number, string][] = [
  ['core floor: engine.decide(leaf PEM)', floor, 'baseline'],
  ['ALB verify event (handler wrapper)', albVerify, `${(albVerify / floor).toFixed(2)}× floor`],
  [
    'ALB passthrough event, 3-cert chain',
    albPassthrough,
    `${(albPassthrough / albVerify).toFixed(3)}× verify`,
  ],
  [
    'chain verifier alone, same chain again',
    chainOnly,
    `${((albPassthrough / chainOnly) * 100).toFixed(0)}% of passthrough time`,
  ],
  [
    'chain verifier alone, chain seen first',
    chainFirstSeen,
    `${(chainFirstSeen / chainOnly).toFixed(3)}× same chain`,
  ],
];
console.log('| path | decisions/s | µs each | ratio | goal |');
console.log('| --- | ---: | ---: | --- | --- |');
for (const [name, opsPerSecond, ratio] of rows)
  console.log(
    `| ${name} | ${Math.round(opsPerSecond).toLocaleString('en-US')} | ${(1e6 / opsPerSecond).toFixed(1)} | ${ratio} | — (none set) |`,
  );
