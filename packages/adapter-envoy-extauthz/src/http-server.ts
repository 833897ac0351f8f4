import { createServer, type Server } from 'node:http';
import type { AuthorizationService } from './authorization-service.js';
import type { JsonLogger } from './logging.js';

/**
 * Envoy's HTTP authorization service: EVERY method and path is an authorization request, because
 * Envoy forwards the client's own method and path. That is why health and metrics live on the
 * admin listener: a /healthz here would answer 200 — allow — for a client's GET /healthz.
 */
export function createHttpAuthorizationServer(
  service: AuthorizationService,
  logger: JsonLogger,
  maxRequestHeaderBytes: number,
): Server {
  // Node's own limit sits above ours so oversized headers reach us and get a proper 400 deny.
  const server = createServer({ maxHeaderSize: maxRequestHeaderBytes + 16 * 1024 }, (request, response) => {
    // The body (Envoy's with_request_body) is not used for the decision.
    request.resume();
    service
      .authorizeHttp(request)
      .then((result) => {
        response.writeHead(result.status, result.headers);
        response.end(result.body);
      })
      // Also catches a failure while writing the answer: never an unhandled rejection.
      .catch((error: unknown) => {
        logger.error('HTTP authorization failed unexpectedly', {
          error: String((error as Error)?.stack ?? error),
        });
        if (response.headersSent) {
          response.destroy();
          return;
        }
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(
          '{"error":"temporarily_unavailable","error_description":"Authorization failed unexpectedly"}',
        );
      });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
