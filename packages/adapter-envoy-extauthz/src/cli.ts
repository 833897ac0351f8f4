import { parseArgs } from 'node:util';
import { CertboundError } from '@certbound/core';
import { loadExtAuthzConfig } from './config-file.js';
import { startExtAuthzServer } from './extauthz-server.js';
import { parseHostPort } from './listen.js';

const USAGE = `usage: certbound-extauthz --policy <file> [--config <file>]
                          [--grpc <host:port>|off] [--http <host:port>|off] [--admin <host:port>|off]
                          [--log-level debug|info|warn|error] [--no-watch]

  --policy     certbound policy (YAML/JSON); reloaded on SIGHUP and when the file changes
  --config     YAML/JSON file with an "extauthz" section (XFCC trust, upstream headers, ...)
  --grpc       Envoy gRPC ext_authz (envoy.service.auth.v3) + grpc.health.v1   [127.0.0.1:9001]
  --http       Envoy HTTP ext_authz (every path is an authorization request)  [127.0.0.1:9002]
  --admin      /healthz /readyz /metrics                                      [127.0.0.1:9003]
  --no-watch   reload the policy on SIGHUP only, not when the file changes
`;

function listener(value: string | undefined): string | false | undefined {
  if (value === undefined) return undefined;
  if (value === 'off') return false;
  parseHostPort(value);
  return value;
}

/** Run the server until SIGTERM/SIGINT; resolves with the exit code. */
export async function runExtAuthzCli(argv: readonly string[]): Promise<number> {
  let args: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      args: [...argv],
      options: {
        policy: { type: 'string' },
        config: { type: 'string' },
        grpc: { type: 'string' },
        http: { type: 'string' },
        admin: { type: 'string' },
        'log-level': { type: 'string' },
        'no-watch': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  try {
    args = parse();
    if (args.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (args.policy === undefined) throw new TypeError('--policy is required');
  } catch (error) {
    process.stderr.write(`certbound-extauthz: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let server: Awaited<ReturnType<typeof startExtAuthzServer>>;
  try {
    const config = args.config !== undefined ? loadExtAuthzConfig(args.config) : undefined;
    const level = args['log-level'] ?? config?.logLevel ?? 'info';
    if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new TypeError(`bad --log-level ${level}`);
    const grpc = listener(args.grpc) ?? config?.grpc;
    const http = listener(args.http) ?? config?.http;
    const admin = listener(args.admin) ?? config?.admin;
    server = await startExtAuthzServer({
      policyFile: args.policy,
      ...(grpc !== undefined ? { grpc } : {}),
      ...(http !== undefined ? { http } : {}),
      ...(admin !== undefined ? { admin } : {}),
      ...(config !== undefined ? { service: config.service } : {}),
      logLevel: level as 'debug' | 'info' | 'warn' | 'error',
      watchPolicy: args['no-watch'] !== true,
    });
  } catch (error) {
    const message =
      error instanceof CertboundError || error instanceof TypeError ? error.message : String(error);
    process.stderr.write(`certbound-extauthz: ${message}\n`);
    return 2;
  }
  return new Promise<number>((done) => {
    const onHup = () => server.reloadPolicy();
    const stop = (signal: string) => {
      process.off('SIGHUP', onHup);
      process.stderr.write(`certbound-extauthz: ${signal}, shutting down\n`);
      server.close().then(
        () => done(0),
        () => done(1),
      );
    };
    process.on('SIGHUP', onHup);
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
