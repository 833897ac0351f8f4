import { createServer, type Server } from 'node:http';
import type { ExtAuthzMetrics } from './metrics.js';

export interface AdminState {
  /** True once a policy is loaded and until shutdown begins. */
  ready(): boolean;
}

/** `/healthz` (the process is alive), `/readyz` (a policy is loaded, not shutting down), `/metrics`. */
export function createAdminServer(state: AdminState, metrics: ExtAuthzMetrics): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const ready = state.ready();
      response
        .writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' })
        .end(ready ? 'ready\n' : 'not ready\n');
    } else if (path === '/metrics') {
      metrics.text().then(
        (text) => response.writeHead(200, { 'content-type': metrics.contentType() }).end(text),
        () => response.writeHead(500).end(),
      );
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
}
