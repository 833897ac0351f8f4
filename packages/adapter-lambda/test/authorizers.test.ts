// API Gateway authorizers (REST REQUEST → IAM policy; HTTP API → simple response) and the
// middy middleware, each invoked with an event in AWS's documented shape and a context object.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Engine } from '@certbound/core';
import middy from '@middy/core';
import { httpApiSimpleAuthorizer, restApiRequestAuthorizer } from '../src/index.js';
import { type CertboundContext, certbound } from '../src/middy.js';
import {
  albEncode,
  albEvent,
  httpAuthorizerEvent,
  lambdaContext,
  restAuthorizerEvent,
} from './support/lambda-events.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';
import { createTestPki, type TestPki } from './support/test-pki.js';
import { engineFor } from './support/test-setup.js';

let issuer: TestIssuer;
let pki: TestPki;
let engine: Engine;
let authorization: string;

before(async () => {
  issuer = await createTestIssuer();
  pki = await createTestPki();
  engine = engineFor(issuer, pki, 'required');
  authorization = `Bearer ${await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } })}`;
});

function assertScalarContext(context: Record<string, unknown> | null | undefined): void {
  assert.ok(context);
  for (const [key, value] of Object.entries(context))
    assert.ok(['string', 'number', 'boolean'].includes(typeof value), `context.${key} is ${typeof value}`);
}

describe('REST API REQUEST authorizer', () => {
  test('bound token + matching certificate → Allow for the called method only', async () => {
    const event = restAuthorizerEvent({
      headers: { Authorization: authorization },
      clientCertPem: pki.client.pem,
    });
    const result = await restApiRequestAuthorizer({ engine })(event as never, lambdaContext());
    assert.equal(result.principalId, 'user-1');
    assert.deepEqual(result.policyDocument, {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    });
    assertScalarContext(result.context);
    assert.equal(result.context?.reason, 'rules_absent');
    assert.equal(result.context?.thumbprint, pki.client.thumbprint);
    assert.equal(result.context?.scope, 'orders.read');
  });

  test('an allowed decision without a methodArn → Deny (an Allow never goes to a wildcard)', async () => {
    const { methodArn: _dropped, ...event } = restAuthorizerEvent({
      headers: { Authorization: authorization },
      clientCertPem: pki.client.pem,
    }) as Record<string, unknown>;
    const result = await restApiRequestAuthorizer({ engine })(event as never, lambdaContext());
    assert.equal(result.principalId, 'denied');
    assert.deepEqual(result.policyDocument, {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: '*' }],
    });
  });

  test('other certificate → Deny with the reason and challenge in context', async () => {
    const event = restAuthorizerEvent({
      headers: { Authorization: authorization },
      clientCertPem: pki.otherClient.pem,
    });
    const result = await restApiRequestAuthorizer({ engine })(event as never, lambdaContext());
    assert.equal(result.policyDocument.Statement[0]?.Effect, 'Deny');
    assertScalarContext(result.context);
    assert.equal(result.context?.reason, 'binding_mismatch');
    assert.equal(result.context?.status, 401);
    assert.match(String(result.context?.wwwAuthenticate), /error="invalid_token"/);
  });

  test('no certificate (execute-api endpoint left on) → Deny certificate_missing', async () => {
    const event = restAuthorizerEvent({ headers: { Authorization: authorization } });
    const result = await restApiRequestAuthorizer({ engine })(event as never, lambdaContext());
    assert.equal(result.policyDocument.Statement[0]?.Effect, 'Deny');
    assert.equal(result.context?.reason, 'certificate_missing');
  });
});

describe('HTTP API simple authorizer', () => {
  test('allow and deny', async () => {
    const authorize = httpApiSimpleAuthorizer({ engine });
    const allowed = await authorize(
      httpAuthorizerEvent({ headers: { authorization }, clientCertPem: pki.client.pem }) as never,
      lambdaContext(),
    );
    assert.equal(allowed.isAuthorized, true);
    assertScalarContext(allowed.context);
    assert.equal(allowed.context.subject, 'user-1');
    const denied = await authorize(
      httpAuthorizerEvent({ headers: { authorization }, clientCertPem: pki.strangerClient.pem }) as never,
      lambdaContext(),
    );
    assert.equal(denied.isAuthorized, false);
    assert.equal(denied.context.reason, 'binding_mismatch');
  });
});

describe('middy middleware', () => {
  test('allow → handler sees context.certbound; deny → early ALB response, handler not run', async () => {
    let calls = 0;
    const handler = middy(async (_event: unknown, context: CertboundContext) => {
      calls++;
      return { statusCode: 200, body: context.certbound.subject ?? '' };
    }).use(certbound({ engine, certificateSource: 'alb-verify' }));
    const allowed = await handler(
      albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert-leaf': albEncode(pki.client.pem) } }),
      lambdaContext() as CertboundContext,
    );
    assert.deepEqual(allowed, { statusCode: 200, body: 'user-1' });
    const denied = (await handler(
      albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert-leaf': albEncode(pki.otherClient.pem) } }),
      lambdaContext() as CertboundContext,
    )) as Record<string, unknown>;
    assert.equal(calls, 1);
    assert.equal(denied.statusCode, 401);
    assert.equal(denied.statusDescription, '401 Unauthorized');
  });
});
