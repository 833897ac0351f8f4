// Real parts for the tests: a dev CA, the real oidc-provider authorization server issuing bound and
// unbound tokens over mTLS, policy files on disk and running certbound-extauthz servers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CertificateAuthority,
  createCertificateAuthority,
  type IssuedCertificate,
  type MutualTlsMode,
} from '@certbound/core';
import {
  type DevAuthorizationServer,
  devFetch,
  startDevAuthorizationServer,
} from '@certbound/dev-authorization-server';
import { type ExtAuthzServer, type ExtAuthzServiceOptions, startExtAuthzServer } from '../../src/index.js';

export const RESOURCE = 'https://api.example.test';

export interface Fixture {
  readonly dir: string;
  readonly ca: CertificateAuthority;
  readonly as: DevAuthorizationServer;
  readonly clientA: IssuedCertificate;
  readonly clientB: IssuedCertificate;
  /** Bound to clientA, scope "read write". */
  readonly boundToken: string;
  /** Plain bearer, scope "read write". */
  readonly unboundToken: string;
  /** Bound to clientA, scope "read" only. */
  readonly readOnlyToken: string;
  /** Decoded claims of each token above, by token. */
  readonly claims: ReadonlyMap<string, Record<string, unknown>>;
  close(): Promise<void>;
}

export async function createFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'certbound-extauthz-'));
  const ca = await createCertificateAuthority();
  const [clientA, clientB] = await Promise.all([
    ca.issue({ commonName: 'client-a' }),
    ca.issue({ commonName: 'client-b' }),
  ]);
  const as = await startDevAuthorizationServer({ ca, resource: RESOURCE });
  const [bound, unbound, readOnly] = await Promise.all([
    as.requestToken({ certificate: clientA, bound: true }),
    as.requestToken({ certificate: clientA, bound: false }),
    as.requestToken({ certificate: clientA, bound: true, scope: 'read' }),
  ]);
  return {
    dir,
    ca,
    as,
    clientA,
    clientB,
    boundToken: bound.accessToken,
    unboundToken: unbound.accessToken,
    readOnlyToken: readOnly.accessToken,
    claims: new Map([bound, unbound, readOnly].map((t) => [t.accessToken, t.claims])),
    async close() {
      await as.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Policy YAML for the fixture's AS: one issuer with the given mode, rules optional. */
export function policyYaml(
  fixture: Fixture,
  options: { mode?: MutualTlsMode; rules?: string; jwksUri?: string; realm?: string } = {},
): string {
  return [
    'apiVersion: certbound.dev/v1',
    ...(options.realm !== undefined ? [`realm: ${JSON.stringify(options.realm)}`] : []),
    'issuers:',
    '  - id: dev-as',
    `    issuer: ${JSON.stringify(fixture.as.issuer)}`,
    `    jwks: { uri: ${JSON.stringify(options.jwksUri ?? fixture.as.jwksUri)}, timeout: 1000 }`,
    `    audience: ${JSON.stringify(RESOURCE)}`,
    `    mutualTls: ${options.mode ?? 'request'}`,
    ...(options.rules !== undefined ? [options.rules] : []),
    '',
  ].join('\n');
}

let policyCounter = 0;

export function writePolicy(fixture: Fixture, text: string, name = `policy-${++policyCounter}.yaml`): string {
  const path = join(fixture.dir, name);
  writeFileSync(path, text);
  return path;
}

/** A server on ephemeral loopback ports, logging to `lines` (kept for assertions). */
export async function startServer(
  fixture: Fixture,
  policyFile: string,
  service: ExtAuthzServiceOptions = {},
  lines: string[] = [],
): Promise<ExtAuthzServer> {
  return startExtAuthzServer({
    policyFile,
    grpc: '127.0.0.1:0',
    http: '127.0.0.1:0',
    admin: '127.0.0.1:0',
    service,
    engine: { fetch: devFetch(fixture.as.caPem) },
    log: { write: (line: string) => lines.push(line) },
    watchPolicy: false,
    shutdownGraceMs: 2000,
  });
}
