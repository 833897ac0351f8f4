import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Split `host:port` (IPv6 as `[::1]:9001`); throws TypeError for anything else. */
export function parseHostPort(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (match === null || port > 65535) throw new TypeError(`expected host:port, got ${JSON.stringify(value)}`);
  return { host: (match[1] ?? match[2]) as string, port };
}

/** Listen and return the bound `host:port`. */
export function listen(server: Server, hostPort: string): Promise<string> {
  const { host, port } = parseHostPort(hostPort);
  return new Promise((resolveAddress, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolveAddress(
        address.family === 'IPv6'
          ? `[${address.address}]:${address.port}`
          : `${address.address}:${address.port}`,
      );
    });
  });
}

/** Stop accepting, let in-flight requests finish, drop idle keep-alive connections; force after graceMs. */
export function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((done) => {
    if (!server.listening) return done();
    const force = setTimeout(() => {
      server.closeAllConnections();
    }, graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      done();
    });
    server.closeIdleConnections();
  });
}
