// An adapter that cannot read the platform's request hands the engine `request.problem`; the
// engine, not the adapter, builds the 400 request_malformed deny, whatever else the input says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEngine } from '../src/index.js';
import { createTestIssuer } from './support/test-issuer.js';
import { policyFor } from './support/test-policy.js';

test('request.problem is a 400 invalid_request deny, even with a valid token', async () => {
  const as = await createTestIssuer();
  const engine = createEngine(policyFor([as], { realm: 'api' }));
  const token = await as.sign({});
  const ok = await engine.decide({ authorization: `Bearer ${token}` });
  assert.equal(ok.allow, true);
  for (const problem of [
    'check request has no HTTP attributes',
    42 as unknown as string,
    'x'.repeat(10_000),
  ]) {
    const decision = await engine.decide({ authorization: `Bearer ${token}`, request: { problem } });
    assert.equal(decision.allow, false);
    assert.equal(decision.status, 400);
    assert.equal(decision.error, 'invalid_request');
    assert.deepEqual(
      decision.reasons.map((r) => r.code),
      ['request_malformed'],
    );
    assert.ok((decision.reasons[0]?.message.length ?? 0) <= 500);
    assert.match(decision.wwwAuthenticate ?? '', /^Bearer realm="api", error="invalid_request"/);
  }
});
