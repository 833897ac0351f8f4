import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import express4 from 'express4';
import Fastify, { type FastifyInstance } from 'fastify';
import Koa from 'koa';
import Koa2 from 'koa2';
import { certboundExpress } from '../../src/express.js';
import { fastifyCertbound } from '../../src/fastify.js';
import type { AllowedDecision, CertboundOptions } from '../../src/index.js';
import { certboundHandler } from '../../src/index.js';
import { type CertboundState, certboundKoa } from '../../src/koa.js';

// express4 and koa2: the previous majors (aliased dev dependencies), which the adapter supports too.
export const FRAMEWORKS = [
  'node-https',
  'node-http2',
  'express',
  'express4',
  'fastify',
  'koa',
  'koa2',
] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

/** What every protected test route answers: the parts of the allow decision a route would use. */
export function routeBody(decision: AllowedDecision | null | undefined): string {
  return JSON.stringify({
    ok: true,
    guarded: decision !== undefined && decision !== null,
    subject: decision?.subject,
    clientId: decision?.clientId,
    scopes: decision?.scopes,
    thumbprint: decision?.certificate?.thumbprint,
    source: decision?.certificate?.source,
  });
}

type TlsOptions = https.ServerOptions;

/**
 * The same protected API in each framework on 127.0.0.1:0: `GET /api/resource` (guarded) and
 * `GET /health` (answers too, guarded or not as `protect` says). TLS when `tls` is given, else
 * plain HTTP (as behind a TLS-terminating proxy).
 */
export async function startProtectedServer(
  framework: Framework,
  options: CertboundOptions,
  tls: TlsOptions | undefined,
): Promise<RunningServer> {
  switch (framework) {
    case 'node-https':
    case 'node-http2': {
      const handler = certboundHandler<
        http.IncomingMessage | http2.Http2ServerRequest,
        http.ServerResponse | http2.Http2ServerResponse
      >(options, (_req, res, decision) => {
        const body = routeBody(decision);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      });
      if (framework === 'node-http2') {
        if (tls === undefined) throw new Error('node-http2 needs TLS here');
        const server = http2.createSecureServer({ ...tls, allowHTTP1: true }, handler);
        const sessions = new Set<http2.ServerHttp2Session>();
        server.on('session', (session) => {
          sessions.add(session);
          session.on('close', () => sessions.delete(session));
        });
        return listen(server, () => {
          for (const session of sessions) session.destroy();
        });
      }
      const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
      return listen(server, () => server.closeAllConnections());
    }
    case 'express':
    case 'express4': {
      const app = framework === 'express' ? express() : (express4() as ReturnType<typeof express>);
      app.use('/api', certboundExpress(options));
      app.get('/api/resource', (req, res) => {
        // res.locals carries the same decision as req.certbound.
        if (res.locals.certbound !== req.certbound) throw new Error('res.locals.certbound differs');
        res.type('application/json').send(routeBody(req.certbound));
      });
      app.get('/health', (req, res) => {
        res.type('application/json').send(routeBody(req.certbound));
      });
      const server = tls ? https.createServer(tls, app) : http.createServer(app);
      return listen(server, () => server.closeAllConnections());
    }
    case 'fastify': {
      // One route setup for both server kinds; the HTTPS instance differs only in its raw server type.
      const app = (tls ? Fastify({ https: tls }) : Fastify()) as unknown as FastifyInstance;
      await app.register(fastifyCertbound, options);
      app.get('/api/resource', async (request, reply) => {
        reply.type('application/json');
        return routeBody(request.certbound);
      });
      app.get('/health', { config: { certbound: false } }, async (request, reply) => {
        reply.type('application/json');
        return routeBody(request.certbound);
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      return {
        port,
        close: async () => {
          app.server.closeAllConnections();
          await app.close();
        },
      };
    }
    case 'koa':
    case 'koa2': {
      const app = framework === 'koa' ? new Koa<CertboundState>() : new Koa2<CertboundState>();
      app.use(certboundKoa({ ...options, protect: options.protect ?? ['/api'] }));
      app.use((ctx) => {
        ctx.type = 'application/json';
        ctx.body = routeBody(ctx.state.certbound);
      });
      const server = tls ? https.createServer(tls, app.callback()) : http.createServer(app.callback());
      return listen(server, () => server.closeAllConnections());
    }
  }
}

function listen(server: http.Server | https.Server | http2.Http2SecureServer, dropConnections: () => void) {
  return new Promise<RunningServer>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            dropConnections();
          }),
      });
    });
  });
}
