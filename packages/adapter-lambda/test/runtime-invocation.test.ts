// The exported handler invoked the way the Node.js runtime does it: module loaded once, then
// `handler(event, context)` per invocation, no callback. The policy file is read once per
// execution environment, and the remote JWK Set (served on loopback) is fetched once.
//
// With CERTBOUND_LAMBDA_RIC set to the index.mjs of an installed aws-lambda-ric whose native
// client was built, the same function also runs under that real runtime interface client,
// talking to a Runtime API served here on loopback. The package's native build needs cmake and
// several minutes, so it is not a dependency; without it that test is skipped, saying so.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { albEncode, albEvent, lambdaContext } from './support/lambda-events.js';
import { createTestIssuer, type TestIssuer } from './support/test-issuer.js';
import { createTestPki, type TestPki } from './support/test-pki.js';

let issuer: TestIssuer;
let pki: TestPki;
let jwksServer: Server;
let jwksFetches = 0;
let dir: string;
let policyFile: string;

before(async () => {
  issuer = await createTestIssuer();
  pki = await createTestPki();
  jwksServer = createServer((_req, res) => {
    jwksFetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [issuer.publicJwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const { port } = jwksServer.address() as AddressInfo;
  dir = mkdtempSync(join(tmpdir(), 'certbound-lambda-'));
  policyFile = join(dir, 'policy.yaml');
  writeFileSync(
    policyFile,
    [
      'apiVersion: certbound.dev/v1',
      'issuers:',
      '  - id: as',
      `    issuer: ${issuer.issuer}`,
      `    audience: ${issuer.audience}`,
      `    jwks: { uri: "http://127.0.0.1:${port}/jwks" }`,
      '    mutualTls: required',
      '',
    ].join('\n'),
  );
});

after(() => {
  jwksServer.close();
  rmSync(dir, { recursive: true, force: true });
});

async function events(): Promise<Record<string, unknown>[]> {
  const authorization = `Bearer ${await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } })}`;
  return [
    albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert-leaf': albEncode(pki.client.pem) } }),
    albEvent({ headers: { authorization, 'x-amzn-mtls-clientcert-leaf': albEncode(pki.otherClient.pem) } }),
    albEvent({
      headers: {
        authorization: `Bearer ${await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } })}`,
        'x-amzn-mtls-clientcert-leaf': albEncode(pki.client.pem),
      },
    }),
  ];
}

function checkResponses(responses: readonly Record<string, unknown>[]): void {
  assert.equal(responses[0]?.statusCode, 200);
  assert.equal(JSON.parse(responses[0]?.body as string).subject, 'user-1');
  assert.equal(responses[1]?.statusCode, 401);
  assert.equal(responses[1]?.statusDescription, '401 Unauthorized');
  assert.equal(responses[2]?.statusCode, 200);
}

test('runtime-style invocation: one engine per execution environment', async () => {
  const copy = join(dir, 'policy-copy.yaml');
  writeFileSync(copy, readFileSync(policyFile));
  process.env.CERTBOUND_POLICY_FILE = copy;
  process.env.CERTBOUND_CERTIFICATE_SOURCE = 'alb-verify';
  const fetchesBefore = jwksFetches;
  // A plain .mjs file, as deployed; its path is a variable so TypeScript does not look for types.
  const functionModule: string = './support/runtime-function/index.mjs';
  const { handler } = (await import(functionModule)) as {
    handler: (event: unknown, context: unknown) => Promise<Record<string, unknown>>;
  };
  const responses: Record<string, unknown>[] = [];
  for (const event of await events()) responses.push(await handler(event, lambdaContext()));
  checkResponses(responses);
  assert.equal(jwksFetches - fetchesBefore, 1, 'the JWK Set is fetched once while warm');
  // The policy was read on the first invocation; the warm environment no longer needs the file.
  rmSync(copy);
  const [first] = await events();
  assert.equal((await handler(first, lambdaContext())).statusCode, 200);
});

const ric = process.env.CERTBOUND_LAMBDA_RIC;
test('under the real aws-lambda-ric with a loopback Runtime API', {
  skip: ric === undefined ? 'CERTBOUND_LAMBDA_RIC is not set (aws-lambda-ric needs a native build)' : false,
  timeout: 60_000,
}, async () => {
  const queue = await events();
  const responses: Record<string, unknown>[] = [];
  const errors: string[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  let served = 0;
  const runtimeApi = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const url = req.url ?? '';
      if (url.endsWith('/runtime/invocation/next')) {
        const event = queue[served];
        if (event === undefined) return; // no more work: hold the request, as Lambda does
        served++;
        res.writeHead(200, {
          'content-type': 'application/json',
          'lambda-runtime-aws-request-id': `request-${served}`,
          'lambda-runtime-deadline-ms': String(Date.now() + 30_000),
          'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:certbound',
        });
        res.end(JSON.stringify(event));
        return;
      }
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{}');
      if (url.endsWith('/response')) responses.push(JSON.parse(body));
      else errors.push(`${url}: ${body}`);
      if (responses.length + errors.length >= queue.length || url.includes('/init/error')) done();
    });
  });
  await new Promise<void>((resolve) => runtimeApi.listen(0, '127.0.0.1', resolve));
  const { port } = runtimeApi.address() as AddressInfo;
  const taskRoot = join(import.meta.dirname, 'support', 'runtime-function');
  const child = spawn(
    process.execPath,
    ['--conditions=certbound-source', '--import', 'tsx', ric as string, 'index.handler'],
    {
      cwd: taskRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
        LAMBDA_TASK_ROOT: taskRoot,
        _HANDLER: 'index.handler',
        AWS_LAMBDA_FUNCTION_NAME: 'certbound',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/certbound',
        AWS_LAMBDA_LOG_STREAM_NAME: 'stream',
        CERTBOUND_POLICY_FILE: policyFile,
        CERTBOUND_CERTIFICATE_SOURCE: 'alb-verify',
      },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  child.on('exit', () => done());
  const fetchesBefore = jwksFetches;
  try {
    await finished;
  } finally {
    child.kill();
    runtimeApi.close();
    runtimeApi.closeAllConnections();
  }
  assert.deepEqual(errors, [], stderr);
  checkResponses(responses);
  assert.equal(jwksFetches - fetchesBefore, 1, 'one JWK Set fetch for the whole warm environment');
});
