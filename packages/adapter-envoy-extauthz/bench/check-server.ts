// The server side of extauthz.bench.ts, in its own process so client and server do not share an
// event loop: `noop` answers every Check OK from the same official protos; `certbound` is
// startExtAuthzServer with the bench policy. Prints {"address": ...} on stdout when listening.
import { createWriteStream } from 'node:fs';
import { loadAuthorizationService, startExtAuthzServer } from '@certbound/adapter-envoy-extauthz';
import { Server, ServerCredentials } from '@grpc/grpc-js';

const [kind, policyFile] = process.argv.slice(2);

if (kind === 'noop') {
  const { service } = loadAuthorizationService();
  const server = new Server();
  const ok = { status: { code: 0 }, ok_response: {} };
  server.addService(service, {
    Check: (_call: unknown, callback: (error: null, response: typeof ok) => void) => callback(null, ok),
  });
  server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    process.stdout.write(`${JSON.stringify({ address: `127.0.0.1:${port}` })}\n`);
  });
} else {
  // Decision logs are part of the cost: written, as in production, but to /dev/null.
  const server = await startExtAuthzServer({
    policyFile: policyFile as string,
    grpc: '127.0.0.1:0',
    http: false,
    admin: false,
    watchPolicy: false,
    log: createWriteStream('/dev/null'),
  });
  process.stdout.write(`${JSON.stringify({ address: server.grpcAddress })}\n`);
}
