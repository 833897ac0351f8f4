import { type EngineOptions, OptionsError } from '@certbound/core';
import { createAdminServer } from './admin-server.js';
import { AuthorizationService } from './authorization-service.js';
import { type ExtAuthzServiceOptions, resolveServiceOptions } from './extauthz-options.js';
import { type GrpcAuthorizationServer, startGrpcServer } from './grpc-server.js';
import { createHttpAuthorizationServer } from './http-server.js';
import { closeServer, listen } from './listen.js';
import { JsonLogger, type LogSink } from './logging.js';
import { ExtAuthzMetrics } from './metrics.js';
import { PolicyReloader, type ReloadOutcome } from './policy-reloader.js';

export const DEFAULT_GRPC_ADDRESS = '127.0.0.1:9001';
export const DEFAULT_HTTP_ADDRESS = '127.0.0.1:9002';
export const DEFAULT_ADMIN_ADDRESS = '127.0.0.1:9003';

export interface ExtAuthzServerOptions {
  /** Policy file (YAML or JSON); reloaded on file change and by `reloadPolicy()`. */
  readonly policyFile: string;
  /** gRPC ext_authz listener `host:port`, or false for none. Default 127.0.0.1:9001. */
  readonly grpc?: string | false;
  /** HTTP ext_authz listener, or false. Default 127.0.0.1:9002. */
  readonly http?: string | false;
  /** /healthz, /readyz, /metrics listener, or false. Default 127.0.0.1:9003. */
  readonly admin?: string | false;
  readonly service?: ExtAuthzServiceOptions;
  /** Passed to createEngine on every (re)load, e.g. `fetch` for a private CA. */
  readonly engine?: EngineOptions;
  /** Watch the policy file and reload on change. Default true. */
  readonly watchPolicy?: boolean;
  /** JSON-lines log destination, false for none. Default process.stdout. */
  readonly log?: LogSink | false;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Longest wait for in-flight requests on close(). Default 10000 ms. */
  readonly shutdownGraceMs?: number;
}

export interface ExtAuthzServer {
  /** Bound addresses (`host:port`), undefined for a listener that is off. */
  readonly grpcAddress: string | undefined;
  readonly httpAddress: string | undefined;
  readonly adminAddress: string | undefined;
  readonly metrics: ExtAuthzMetrics;
  /** What SIGHUP does: re-read the policy; an invalid one keeps the old one serving. */
  reloadPolicy(): ReloadOutcome;
  /** Graceful: not ready, stop accepting, finish in-flight requests, then close. */
  close(): Promise<void>;
}

/**
 * Start the certbound ext_authz service: gRPC Authorization/Check + grpc.health.v1, the HTTP
 * authorization service and the admin listener. Throws PolicyError when the policy is invalid
 * and OptionsError for bad options, before anything listens.
 */
export async function startExtAuthzServer(options: ExtAuthzServerOptions): Promise<ExtAuthzServer> {
  if (options === null || typeof options !== 'object' || typeof options.policyFile !== 'string')
    throw new OptionsError('options.policyFile must be a path');
  const serviceOptions = resolveServiceOptions(options.service);
  const logger = new JsonLogger(options.log ?? process.stdout, options.logLevel ?? 'info');
  const metrics = new ExtAuthzMetrics();
  const reloader = new PolicyReloader(options.policyFile, options.engine ?? {}, logger, metrics);
  const service = new AuthorizationService(reloader, serviceOptions, metrics, logger);
  let closing = false;
  const graceMs = options.shutdownGraceMs ?? 10_000;

  const grpcAddress = options.grpc === undefined ? DEFAULT_GRPC_ADDRESS : options.grpc;
  const httpAddress = options.http === undefined ? DEFAULT_HTTP_ADDRESS : options.http;
  const adminAddress = options.admin === undefined ? DEFAULT_ADMIN_ADDRESS : options.admin;

  let grpc: GrpcAuthorizationServer | undefined;
  const http =
    httpAddress === false
      ? undefined
      : createHttpAuthorizationServer(service, logger, serviceOptions.maxRequestHeaderBytes);
  const admin = adminAddress === false ? undefined : createAdminServer({ ready: () => !closing }, metrics);
  const bound: { grpc?: string; http?: string; admin?: string } = {};
  try {
    if (grpcAddress !== false) {
      grpc = await startGrpcServer(grpcAddress, service, logger);
      bound.grpc = grpc.address;
    }
    if (http !== undefined && httpAddress !== false) bound.http = await listen(http, httpAddress);
    if (admin !== undefined && adminAddress !== false) bound.admin = await listen(admin, adminAddress);
  } catch (error) {
    await Promise.all([grpc?.close(0), http && closeServer(http, 0), admin && closeServer(admin, 0)]);
    reloader.close();
    throw error;
  }
  if (options.watchPolicy !== false) {
    // fs.watch can fail at once (e.g. the inotify watch limit): keep serving, reload on SIGHUP only.
    try {
      reloader.watch();
    } catch (error) {
      logger.warn('policy watch failed; reload with SIGHUP', {
        error: (error as Error)?.message ?? String(error),
      });
    }
  }
  logger.info('certbound-extauthz listening', { grpc: bound.grpc, http: bound.http, admin: bound.admin });

  let closed: Promise<void> | undefined;
  return {
    grpcAddress: bound.grpc,
    httpAddress: bound.http,
    adminAddress: bound.admin,
    metrics,
    reloadPolicy: () => reloader.reload('signal'),
    close() {
      closed ??= (async () => {
        closing = true;
        grpc?.setServing(false);
        reloader.close();
        await Promise.all([grpc?.close(graceMs), http && closeServer(http, graceMs)]);
        if (admin) await closeServer(admin, graceMs);
        logger.info('certbound-extauthz stopped');
      })();
      return closed;
    },
  };
}
