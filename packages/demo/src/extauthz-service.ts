import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExtAuthzServer } from '@certbound/adapter-envoy-extauthz';
import type { FetchPort, MutualTlsMode } from '@certbound/core';
import { type AuthorizationClient, createAuthorizationClient } from './authorization-client.js';
import type { DecisionLog } from './decision-log.js';
import type { DemoPki } from './demo-pki.js';
import { startEnvoyFrontProxy } from './envoy-front-proxy.js';

export interface ExtAuthzPath {
  /** The Envoy front's URL (mutual TLS), whose requests are decided by the ext_authz service. */
  readonly url: string;
  /** The ext_authz gRPC listener, host:port. */
  readonly grpcAddress: string;
  close(): Promise<void>;
}

/**
 * The certbound ext_authz service (@certbound/adapter-envoy-extauthz, gRPC only) for one mode's
 * policy, and in front of it the Envoy part (see envoy-front-proxy.ts). The service writes one
 * JSON line per decision (never the token); the demo reads the reason codes from those lines.
 */
export async function startExtAuthzPath(
  mode: MutualTlsMode,
  policy: object,
  fetch: FetchPort,
  pki: DemoPki,
  log: DecisionLog,
): Promise<ExtAuthzPath> {
  const directory = await mkdtemp(join(tmpdir(), 'certbound-demo-extauthz-'));
  const policyFile = join(directory, `policy-${mode}.json`);
  await writeFile(policyFile, JSON.stringify(policy));
  let client: AuthorizationClient | undefined;
  try {
    const server = await startExtAuthzServer({
      policyFile,
      grpc: '127.0.0.1:0',
      http: false,
      admin: false,
      watchPolicy: false,
      engine: { fetch },
      log: { write: (line: string) => recordDecisionLine(line, log) },
    });
    const grpcAddress = server.grpcAddress as string;
    client = createAuthorizationClient(grpcAddress);
    const front = await startEnvoyFrontProxy(pki, client, (_req, res, check) => {
      // The upstream service behind Envoy: it sees only requests ext_authz allowed.
      const metadata = check.dynamic_metadata as
        | { fields?: Record<string, { stringValue?: string }> }
        | undefined;
      const body = {
        message: `allowed by certbound (Envoy ext_authz, mutualTls ${mode})`,
        subject: metadata?.fields?.subject?.stringValue,
        certificate: metadata?.fields?.thumbprint?.stringValue ?? null,
        reason: metadata?.fields?.reason?.stringValue,
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    });
    const openClient = client;
    return {
      url: front.url,
      grpcAddress,
      close: async () => {
        await front.close();
        openClient.close();
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    client?.close();
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

function recordDecisionLine(line: string, log: DecisionLog): void {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; request_id?: unknown; reasons?: unknown };
    if (entry.msg !== 'decision' || typeof entry.request_id !== 'string' || !Array.isArray(entry.reasons))
      return;
    log.recordReasons(entry.request_id, entry.reasons.map(String));
  } catch {
    // Not a JSON line: nothing to record.
  }
}
