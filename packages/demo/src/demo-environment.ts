import { createEngine, type MutualTlsMode } from '@certbound/core';
import { devFetch, startDevAuthorizationServer } from '@certbound/dev-authorization-server';
import { DecisionLog } from './decision-log.js';
import type { DemoUrls } from './demo-files.js';
import { createDemoPki, type DemoPki } from './demo-pki.js';
import { DEMO_RESOURCE, demoPolicy, demoPolicyDocument } from './demo-policy.js';
import { startExtAuthzPath } from './extauthz-service.js';
import { MODES, type TokenKind } from './mode-table.js';
import { startProtectedApi } from './protected-api.js';

/** Everything the demo started, on 127.0.0.1 ports chosen by the OS. */
export interface DemoEnvironment {
  readonly pki: DemoPki;
  readonly tokens: Readonly<Record<TokenKind, string>>;
  readonly urls: DemoUrls;
  /** Each mode's policy with the AS's public keys inline (what `certbound decide` can use offline). */
  readonly policyDocuments: Readonly<Record<MutualTlsMode, object>>;
  readonly log: DecisionLog;
  close(): Promise<void>;
}

/** Access tokens live an hour, long enough to try the curl commands by hand. */
const TOKEN_LIFETIME_SECONDS = 3600;

export async function startDemoEnvironment(progress: (step: string) => void): Promise<DemoEnvironment> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    progress('creating a dev CA, a server certificate and two client certificates');
    const pki = await createDemoPki();

    progress('starting the authorization server (oidc-provider, mutual TLS)');
    const as = await startDevAuthorizationServer({
      ca: pki.ca,
      resource: DEMO_RESOURCE,
      accessTokenTtl: TOKEN_LIFETIME_SECONDS,
    });
    closers.push(() => as.close());

    progress('requesting a certificate-bound and an unbound access token over mutual TLS');
    const [bound, unbound] = await Promise.all([
      as.requestToken({ certificate: pki.own, bound: true }),
      as.requestToken({ certificate: pki.own, bound: false }),
    ]);
    const tokens = { bound: bound.accessToken, unbound: unbound.accessToken };

    const fetch = devFetch(pki.ca.certificate.pem);
    const jwks = JSON.parse(
      await (await fetch(as.jwksUri, { headers: {}, signal: AbortSignal.timeout(10_000) })).text(),
    ) as {
      keys: object[];
    };
    const log = new DecisionLog();
    const node = {} as Record<MutualTlsMode, string>;
    const envoy = {} as Record<MutualTlsMode, string>;
    const policyDocuments = {} as Record<MutualTlsMode, object>;
    for (const mode of MODES) {
      progress(`starting the protected APIs (mutualTls ${mode})`);
      policyDocuments[mode] = demoPolicyDocument(mode, as.issuer, { keys: jwks.keys });
      const engine = createEngine(demoPolicy(mode, as.issuer, as.jwksUri), { fetch });
      const api = await startProtectedApi(mode, engine, pki, log);
      closers.push(() => api.close());
      node[mode] = api.url;
      progress(`starting the Envoy ext_authz service (mutualTls ${mode})`);
      const extAuthz = await startExtAuthzPath(
        mode,
        demoPolicyDocument(mode, as.issuer, { uri: as.jwksUri }),
        fetch,
        pki,
        log,
      );
      closers.push(() => extAuthz.close());
      envoy[mode] = extAuthz.url;
    }
    return {
      pki,
      tokens,
      urls: { node, envoy, authorizationServer: as.issuer },
      policyDocuments,
      log,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
