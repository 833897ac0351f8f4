import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { certboundHandler } from '@certbound/adapter-node-http';
import type { Engine, MutualTlsMode } from '@certbound/core';
import type { DecisionLog } from './decision-log.js';
import type { DemoPki } from './demo-pki.js';

export interface ProtectedApi {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * An API on `node:https` guarded by the Node adapter (@certbound/adapter-node-http), which takes
 * the client certificate from the TLS socket. `requestCert` with `rejectUnauthorized: false`:
 * the handshake asks for a certificate but lets clients without one through, so certbound (not
 * TLS) decides, and the TLS layer's own verdict is handed to the engine.
 */
export async function startProtectedApi(
  mode: MutualTlsMode,
  engine: Engine,
  pki: DemoPki,
  log: DecisionLog,
): Promise<ProtectedApi> {
  const handler = certboundHandler(
    { engine, onDecision: (decision, request) => log.record(request.url, decision) },
    (_req, res, decision) => {
      const body = {
        message: `allowed by certbound (Node adapter, mutualTls ${mode})`,
        subject: decision?.subject,
        clientId: decision?.clientId,
        scopes: decision?.scopes,
        certificate: decision?.certificate?.thumbprint ?? null,
        reasons: decision?.reasons.map((reason) => reason.code),
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    },
  );
  const server: Server = createServer(
    {
      cert: pki.server.pem,
      key: pki.server.privateKeyPem,
      ca: pki.ca.certificate.pem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    handler,
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
