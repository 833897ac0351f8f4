import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { toPem } from '@certbound/core';
import {
  type AuthorizationClient,
  type CheckRequestMessage,
  type CheckResponseMessage,
  deniedHttpStatus,
} from './authorization-client.js';
import { caseIdOf } from './decision-log.js';
import type { DemoPki } from './demo-pki.js';

export interface EnvoyFrontProxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Plays Envoy's part, since the demo cannot ship an Envoy binary: terminates mutual TLS (client
 * certificate optional, as `require_client_certificate: false`), sends the certbound ext_authz
 * service the CheckRequest Envoy's `ext_authz` filter sends with `include_peer_certificate: true`
 * (URL-encoded PEM of the leaf in `source.certificate`, lower-case headers, path with the query),
 * and then does what Envoy does with the CheckResponse: OK → the upstream answers; otherwise the
 * `denied_response` status, headers and body go back to the client.
 */
export async function startEnvoyFrontProxy(
  pki: DemoPki,
  authorization: AuthorizationClient,
  upstream: (req: IncomingMessage, res: ServerResponse, check: CheckResponseMessage) => void,
): Promise<EnvoyFrontProxy> {
  const server: Server = createServer(
    {
      cert: pki.server.pem,
      key: pki.server.privateKeyPem,
      ca: pki.ca.certificate.pem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      void handle(req, res).catch((error: unknown) => {
        // Envoy with failure_mode_allow: false denies when the authorization service fails.
        if (!res.headersSent) res.writeHead(403, { 'content-type': 'text/plain' });
        res.end(`ext_authz failed: ${(error as Error).message}\n`);
      });
    },
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket as TLSSocket;
    const peer = socket.getPeerCertificate();
    if (peer?.raw && !socket.authorized) {
      // Envoy's downstream TLS context rejects a certificate its validation context does not trust.
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('client certificate not trusted by the proxy\n');
      return;
    }
    const response = await authorization.check(checkRequestFor(req, peer?.raw));
    if (response.status?.code === 0 || response.status?.code === undefined) {
      upstream(req, res, response);
      return;
    }
    const headers: Record<string, string> = {};
    for (const option of response.denied_response?.headers ?? []) {
      if (option.header?.key) headers[option.header.key] = option.header.value ?? '';
    }
    res.writeHead(deniedHttpStatus(response), headers);
    res.end(response.denied_response?.body ?? '');
  }

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

/** What Envoy sends: lower-case header names, repeated headers joined with commas. */
function checkRequestFor(req: IncomingMessage, peerDer: Buffer | undefined): CheckRequestMessage {
  const headers: Record<string, string> = {};
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
    const name = (req.rawHeaders[index] as string).toLowerCase();
    const value = req.rawHeaders[index + 1] as string;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  // Envoy generates x-request-id; the demo uses its case id so the service's log line matches it.
  const id = caseIdOf(req.url ?? '/') ?? randomUUID();
  headers['x-request-id'] = id;
  headers[':authority'] = req.headers.host ?? '';
  headers[':method'] = req.method ?? 'GET';
  headers[':path'] = req.url ?? '/';
  return {
    attributes: {
      ...(peerDer ? { source: { certificate: encodeURIComponent(toPem(peerDer, 'CERTIFICATE')) } } : {}),
      request: {
        http: {
          id,
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          host: req.headers.host ?? '',
          scheme: 'https',
          headers,
        },
      },
    },
  };
}
