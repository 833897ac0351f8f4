import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { denyResponseBody, type Engine } from '@certbound/core';
import { CASE_HEADER, type DecisionLog } from './decision-log.js';
import type { DemoPki } from './demo-pki.js';

export interface ProtectedApi {
  readonly url: string;
  close(): Promise<void>;
}

// TEMPORARY stand-in until @certbound/adapter-node-http lands.
export async function startProtectedApi(
  engine: Engine,
  pki: DemoPki,
  log: DecisionLog,
): Promise<ProtectedApi> {
  const server: Server = createServer(
    {
      cert: pki.server.pem,
      key: pki.server.privateKeyPem,
      ca: pki.ca.certificate.pem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    async (req, res) => {
      const socket = req.socket as import('node:tls').TLSSocket;
      const peer = socket.getPeerCertificate();
      const decision = await engine.decide({
        authorization: req.headers.authorization,
        ...(peer?.raw ? { certificate: { der: peer.raw, source: 'tls' } } : {}),
        request: { method: req.method, path: req.url },
      });
      log.record(req.headers[CASE_HEADER], decision);
      if (!decision.allow) {
        res.writeHead(decision.status, {
          'content-type': 'application/json',
          'www-authenticate': decision.wwwAuthenticate ?? '',
        });
        res.end(JSON.stringify(denyResponseBody(decision)));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ subject: decision.subject }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
