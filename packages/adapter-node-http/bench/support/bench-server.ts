// One benchmark case's server, in its own process so the load generator does not share its
// event loop: `bench-server.ts <case> <config.json>`; prints `port <n>` when listening, and answers
// a `usage` line on stdin with `usage <CPU µs used so far> <requests served so far>`.
import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { certboundHandler } from '@certbound/adapter-node-http';
import { certboundExpress } from '@certbound/adapter-node-http/express';
import { loadPolicy } from '@certbound/core';
import express from 'express';
import { auth } from 'express-oauth2-jwt-bearer';
import type { JWK } from 'jose';

export const CASES = ['bare', 'adapter', 'express-peer', 'express-adapter'] as const;
export type BenchCase = (typeof CASES)[number];

export interface BenchConfig {
  readonly serverPem: string;
  readonly serverKeyPem: string;
  readonly caPem: string;
  readonly issuer: string;
  readonly audience: string;
  readonly publicJwk: JWK;
}

const [benchCase, configPath] = process.argv.slice(2) as [BenchCase, string];
const config = JSON.parse(readFileSync(configPath, 'utf8')) as BenchConfig;
const BODY = JSON.stringify({ ok: true, items: [1, 2, 3] });

const policy = loadPolicy({
  apiVersion: 'certbound.dev/v1',
  issuers: [
    {
      id: 'as',
      issuer: config.issuer,
      jwks: { keys: [config.publicJwk] },
      audience: config.audience,
      mutualTls: 'required',
    },
  ],
});

function requestListener(): RequestListener {
  switch (benchCase) {
    case 'bare':
      return (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(BODY);
      };
    case 'adapter':
      return certboundHandler({ policy }, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(BODY);
      });
    case 'express-peer': {
      const app = express();
      app.use(
        auth({
          issuer: config.issuer,
          audience: config.audience,
          publicKey: { keys: [config.publicJwk] } as never, // inline JWK Set, as our policy's jwks.keys
          tokenSigningAlg: 'ES256',
          // RFC 8705 binding: the library hashes what getCertificate returns and compares it with
          // cnf.x5t#S256; required: every token must be certificate-bound.
          getCertificate: (req) => (req.socket as import('node:tls').TLSSocket).getPeerCertificate().raw,
          mtls: { enabled: true, required: true },
        }),
      );
      app.get('/api/resource', (_req, res) => {
        res.type('application/json').send(BODY);
      });
      return app;
    }
    case 'express-adapter': {
      const app = express();
      app.use(certboundExpress({ policy }));
      app.get('/api/resource', (_req, res) => {
        res.type('application/json').send(BODY);
      });
      return app;
    }
  }
}

let served = 0;
const listener = requestListener();
const server = https.createServer(
  {
    cert: config.serverPem,
    key: config.serverKeyPem,
    ca: config.caPem,
    requestCert: true,
    rejectUnauthorized: false,
  },
  (request, response) => {
    served++;
    listener(request, response);
  },
);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (!chunk.includes('usage')) return;
  const cpu = process.cpuUsage();
  console.log(`usage ${cpu.user + cpu.system} ${served}`);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`port ${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
