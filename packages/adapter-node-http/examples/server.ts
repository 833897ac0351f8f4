// A complete mTLS API protected by certbound (docs/adapters/node-http.md). Run it with:
//   CERTBOUND_POLICY=policy.yaml TLS_CERT=server.pem TLS_KEY=server-key.pem CLIENT_CA=ca.pem \
//     node examples/server.js            (or: pnpm --filter @certbound/adapter-node-http example)
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { certboundHandler } from '@certbound/adapter-node-http';
import { loadPolicyFile } from '@certbound/core';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`set ${name}`);
  return value;
};

const handler = certboundHandler(
  {
    policy: loadPolicyFile(env('CERTBOUND_POLICY', 'policy.yaml')),
    // Only /api is guarded; /health stays open.
    protect: ['/api'],
    // Audit log: the decision has reasons, subject, client and thumbprint, never the token.
    onDecision: (decision, request) => {
      console.log(
        JSON.stringify({
          allow: decision.allow,
          status: decision.status,
          reason: decision.reasons.at(-1)?.code,
          subject: decision.subject,
          client: decision.clientId,
          thumbprint: decision.certificate?.thumbprint,
          method: request.method,
          url: request.url,
        }),
      );
    },
  },
  (request, response, decision) => {
    if (request.url === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"status":"ok"}');
      return;
    }
    if (decision === undefined || request.url?.split('?')[0] !== '/api/hello') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":"not_found"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        hello: decision.subject,
        client: decision.clientId,
        scopes: decision.scopes,
        certificate: decision.certificate?.thumbprint,
      }),
    );
  },
);

const server = https.createServer(
  {
    cert: readFileSync(env('TLS_CERT')),
    key: readFileSync(env('TLS_KEY')),
    // Ask every client for a certificate from this CA; let the handshake finish without one, so a
    // missing or unknown certificate becomes a precise 401 instead of a TLS alert.
    ca: readFileSync(env('CLIENT_CA')),
    requestCert: true,
    rejectUnauthorized: false,
  },
  handler,
);

server.listen(Number(env('PORT', '8443')), env('HOST', '127.0.0.1'), () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(`listening on https://${address}:${port}`);
});
