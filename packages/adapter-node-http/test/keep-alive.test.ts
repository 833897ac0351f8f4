// Many requests on one connection each get their own decision: HTTP/1.1 keep-alive (node:https
// and the http2 server's allowHTTP1 fallback) and HTTP/2 streams on one session, alternating a
// good and a bad token so a decision can never leak from one request to the next.
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type Decision, loadPolicy } from '@certbound/core';
import { certboundHandler } from '../src/index.js';
import { http2Request, http2Session, httpsRequest } from './support/mtls-client.js';
import { type RunningServer, startProtectedServer } from './support/protected-servers.js';
import { createTestIssuer } from './support/test-issuer.js';
import { createTestPki, mtlsServerOptions, type TestPki } from './support/test-pki.js';

const REQUESTS = 40;

describe('one connection, many decisions', () => {
  let pki: TestPki;
  let good: string;
  let bad: string;
  const decisions: Decision[] = [];
  const servers: RunningServer[] = [];
  let httpsPort: number;
  let http2Port: number;

  before(async () => {
    pki = await createTestPki();
    const issuer = await createTestIssuer();
    good = await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } });
    bad = await issuer.sign({ cnf: { 'x5t#S256': pki.other.thumbprint } });
    const options = {
      policy: loadPolicy({
        apiVersion: 'certbound.dev/v1',
        issuers: [
          {
            id: 'as',
            issuer: issuer.issuer,
            jwks: { keys: [issuer.publicJwk] },
            audience: issuer.audience,
            mutualTls: 'required',
          },
        ],
      }),
      onDecision: (decision: Decision) => {
        decisions.push(decision);
      },
    };
    const httpsServer = await startProtectedServer('node-https', options, mtlsServerOptions(pki));
    const http2Server = await startProtectedServer('node-http2', options, mtlsServerOptions(pki));
    servers.push(httpsServer, http2Server);
    httpsPort = httpsServer.port;
    http2Port = http2Server.port;
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  for (const [name, port] of [
    ['node:https', () => httpsPort],
    ['node:http2 with allowHTTP1', () => http2Port],
  ] as const) {
    test(`HTTP/1.1 keep-alive on ${name}: ${REQUESTS} requests on one TLS connection`, async () => {
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      const sockets = new Set<unknown>();
      try {
        for (let i = 0; i < REQUESTS; i++) {
          const goodTurn = i % 2 === 0;
          const response = await httpsRequest(port(), pki.ca.certificate.pem, {
            certificate: pki.client,
            token: goodTurn ? good : bad,
            agent,
          });
          assert.equal(response.status, goodTurn ? 200 : 401, `request ${i}`);
          assert.equal(decisions.at(-1)?.allow, goodTurn);
          for (const list of Object.values(agent.freeSockets)) for (const s of list ?? []) sockets.add(s);
        }
        assert.equal(sockets.size, 1, 'every request reused the one connection');
      } finally {
        agent.destroy();
      }
    });
  }

  test('the certificate is read once per connection: HTTP/1.1 keep-alive and HTTP/2 streams', async () => {
    // A prepared certificate carries one frozen `certificate` report: the same object on every
    // decision of a connection shows it was read (and hashed) once, from its first request on.
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    const session = http2Session(http2Port, pki.ca.certificate.pem, pki.client);
    try {
      for (const send of [
        () =>
          httpsRequest(httpsPort, pki.ca.certificate.pem, { certificate: pki.client, token: good, agent }),
        () => http2Request(session, { token: good }),
      ]) {
        const before = decisions.length;
        for (let i = 0; i < 4; i++) assert.equal((await send()).status, 200);
        const reports = decisions.slice(before).map((d) => d.certificate);
        assert.equal(reports.length, 4);
        assert.ok(reports[0] !== undefined);
        for (const report of reports) assert.equal(report, reports[0]);
      }
    } finally {
      agent.destroy();
      session.close();
    }
  });

  test(`HTTP/2: ${REQUESTS} concurrent streams on one session, alternating tokens`, async () => {
    const session = http2Session(http2Port, pki.ca.certificate.pem, pki.client);
    try {
      const before = decisions.length;
      const responses = await Promise.all(
        Array.from({ length: REQUESTS }, (_, i) =>
          http2Request(session, { token: i % 2 === 0 ? good : bad }),
        ),
      );
      responses.forEach((response, i) => {
        assert.equal(response.status, i % 2 === 0 ? 200 : 401, `stream ${i}`);
        if (i % 2 === 0) assert.equal(JSON.parse(response.body).thumbprint, pki.client.thumbprint);
        else assert.match(String(response.headers['www-authenticate']), /invalid_token/);
      });
      const added = decisions.slice(before);
      assert.equal(added.length, REQUESTS);
      assert.equal(added.filter((d) => d.allow).length, REQUESTS / 2);
      assert.ok(added.filter((d) => !d.allow).every((d) => d.reasons.at(-1)?.code === 'binding_mismatch'));
    } finally {
      session.close();
    }
  });
});

describe("a repeated token is answered in the request's own turn", () => {
  // Engine.decideNow answers a token from the verified-token cache synchronously, so the handler
  // runs (or the deny is written) before the request listener returns: no scheduling round.
  test('first request waits for verification; later ones on the connection are synchronous', async () => {
    const pki = await createTestPki();
    const issuer = await createTestIssuer();
    const good = await issuer.sign({ cnf: { 'x5t#S256': pki.client.thumbprint } });
    const bad = await issuer.sign({ cnf: { 'x5t#S256': pki.other.thumbprint } });
    const policy = loadPolicy({
      apiVersion: 'certbound.dev/v1',
      issuers: [
        { id: 'as', issuer: issuer.issuer, jwks: { keys: [issuer.publicJwk] }, audience: issuer.audience },
      ],
    });
    const audited: boolean[] = [];
    const answeredInTurn: boolean[] = [];
    const handler = certboundHandler({ policy, onDecision: (d) => audited.push(d.allow) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const server = https.createServer(mtlsServerOptions(pki), (req, res) => {
      handler(req, res);
      answeredInTurn.push(res.writableEnded);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const statuses: number[] = [];
      for (const token of [good, good, good, bad, bad]) {
        const response = await httpsRequest(port, pki.ca.certificate.pem, {
          certificate: pki.client,
          token,
          agent,
        });
        statuses.push(response.status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 401, 401]);
      // Fresh tokens (the first good, the first bad) wait for their signature check; cached ones
      // (allow and deny alike) are answered before the listener returns.
      assert.deepEqual(answeredInTurn, [false, true, true, false, true]);
      assert.deepEqual(audited, [true, true, true, false, false]);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
