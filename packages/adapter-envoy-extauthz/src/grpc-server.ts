import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { AuthorizationService } from './authorization-service.js';
import type { CheckRequest, CheckResponse } from './envoy-messages.js';
import { AUTHORIZATION_SERVICE, loadAuthorizationService } from './envoy-protos.js';
import type { JsonLogger } from './logging.js';

export interface GrpcAuthorizationServer {
  readonly address: string;
  /** grpc.health.v1: SERVING while the policy serves, NOT_SERVING once shutdown starts. */
  setServing(serving: boolean): void;
  /** Stop accepting calls, let in-flight ones finish (forced after `graceMs`). */
  close(graceMs: number): Promise<void>;
}

/** envoy.service.auth.v3.Authorization/Check and grpc.health.v1.Health on one gRPC server. */
export async function startGrpcServer(
  hostPort: string,
  service: AuthorizationService,
  logger: JsonLogger,
): Promise<GrpcAuthorizationServer> {
  const { service: definition } = loadAuthorizationService();
  const server = new Server({
    // Envoy keeps long-lived HTTP/2 connections to the service; answer its pings.
    'grpc.keepalive_permit_without_calls': 1,
  });
  server.addService(definition, {
    Check(call: ServerUnaryCall<CheckRequest, CheckResponse>, callback: sendUnaryData<CheckResponse>) {
      service.check(call.request).then(
        (response) => callback(null, response),
        // check() never rejects (the engine never throws); if it ever did, the call fails and
        // Envoy denies (failure_mode_allow: false).
        (error: unknown) => {
          logger.error('Check failed unexpectedly', { error: String((error as Error)?.stack ?? error) });
          callback({ code: 13, details: 'internal error' } as Parameters<typeof callback>[0]);
        },
      );
    },
  });
  const health = new HealthImplementation({ '': 'SERVING', [AUTHORIZATION_SERVICE]: 'SERVING' });
  health.addToServer(server);
  const port = await new Promise<number>((resolvePort, reject) =>
    server.bindAsync(hostPort, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolvePort(bound),
    ),
  );
  const host = hostPort.slice(0, hostPort.lastIndexOf(':'));
  return {
    address: `${host}:${port}`,
    setServing(serving) {
      const status = serving ? 'SERVING' : 'NOT_SERVING';
      health.setStatus('', status);
      health.setStatus(AUTHORIZATION_SERVICE, status);
    },
    close(graceMs) {
      return new Promise<void>((done) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          done();
        }, graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          done();
        });
      });
    },
  };
}
