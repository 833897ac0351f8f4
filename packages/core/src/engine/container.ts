import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Container, ContainerModule } from 'inversify';
import { createChainVerifier } from '../certificate/pkijs-chain-verifier.js';
import { CertboundError } from '../errors/certbound-error.js';
import type { KeySet } from '../keys/key-set.js';
import { createLocalKeySet } from '../keys/local-key-set.js';
import { RemoteKeySet } from '../keys/remote-key-set.js';
import { policyBaseDir } from '../policy/load-policy.js';
import {
  DEFAULT_ALGORITHMS,
  DEFAULT_CLOCK_TOLERANCE,
  DEFAULT_MUTUAL_TLS,
  DEFAULT_REQUIRED_CLAIMS,
  DEFAULT_TOKEN_TYPES,
  type IssuerPolicy,
  type Policy,
} from '../policy/policy.js';
import type { ChainVerifier } from '../ports/chain-verifier.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { type FetchPort, globalFetch } from '../ports/fetch.js';
import { type Logger, silentLogger } from '../ports/logger.js';
import { LruTokenCache, type VerifiedTokenCache } from '../ports/verified-token-cache.js';
import { RuleSet } from '../rules/rule-set.js';
import { normalizeTokenType, type ResolvedIssuer } from '../token/resolved-issuer.js';
import { TokenVerifier, type VerifiedToken } from '../token/token-verifier.js';
import { Engine } from './engine.js';
import { type EngineOptions, type ResolvedEngineOptions, resolveEngineOptions } from './engine-options.js';

/** Service identifiers of the composition root. Adapters may `rebind` any port before resolving Engine. */
export const CERTBOUND = {
  Policy: Symbol.for('certbound.Policy'),
  Options: Symbol.for('certbound.Options'),
  BaseDir: Symbol.for('certbound.BaseDir'),
  Clock: Symbol.for('certbound.Clock'),
  Logger: Symbol.for('certbound.Logger'),
  Fetch: Symbol.for('certbound.Fetch'),
  TokenCache: Symbol.for('certbound.TokenCache'),
  ChainVerifier: Symbol.for('certbound.ChainVerifier'),
  Issuers: Symbol.for('certbound.Issuers'),
  TokenVerifier: Symbol.for('certbound.TokenVerifier'),
  RuleSet: Symbol.for('certbound.RuleSet'),
  Engine: Symbol.for('certbound.Engine'),
} as const;

/** Default ports: system clock, silent logger, global fetch, LRU token cache. */
function portsModule(options: EngineOptions, resolved: ResolvedEngineOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Clock>(CERTBOUND.Clock).toConstantValue(options.clock ?? systemClock);
    bind<Logger>(CERTBOUND.Logger).toConstantValue(options.logger ?? silentLogger);
    bind<FetchPort>(CERTBOUND.Fetch).toConstantValue(options.fetch ?? globalFetch);
    bind<VerifiedTokenCache<VerifiedToken> | undefined>(CERTBOUND.TokenCache)
      .toResolvedValue(() =>
        resolved.tokenCacheEnabled
          ? new LruTokenCache<VerifiedToken>(resolved.tokenCacheMaxEntries)
          : undefined,
      )
      .inSingletonScope();
  });
}

/** The decision logic: plain classes built from the ports. */
function engineModule(
  policy: Policy,
  options: EngineOptions,
  resolved: ResolvedEngineOptions,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<Policy>(CERTBOUND.Policy).toConstantValue(policy);
    bind<string>(CERTBOUND.BaseDir).toConstantValue(
      options.baseDir ?? policyBaseDir(policy) ?? process.cwd(),
    );
    // Trust anchors and CRLs are read here, at engine creation; an options.chainVerifier wins.
    bind<ChainVerifier | undefined>(CERTBOUND.ChainVerifier)
      .toResolvedValue(
        (p: Policy, baseDir: string, clock: Clock) =>
          options.chainVerifier ?? createChainVerifier(p.certificates, { baseDir, clock }),
        [CERTBOUND.Policy, CERTBOUND.BaseDir, CERTBOUND.Clock],
      )
      .inSingletonScope();
    bind<readonly ResolvedIssuer[]>(CERTBOUND.Issuers)
      .toResolvedValue(
        (p: Policy, baseDir: string, clock: Clock, fetch: FetchPort, logger: Logger) =>
          p.issuers.map((issuer) =>
            resolveIssuer(issuer, createKeySet(issuer, baseDir, { clock, fetch, logger })),
          ),
        [CERTBOUND.Policy, CERTBOUND.BaseDir, CERTBOUND.Clock, CERTBOUND.Fetch, CERTBOUND.Logger],
      )
      .inSingletonScope();
    bind<TokenVerifier>(CERTBOUND.TokenVerifier)
      .toResolvedValue(
        (issuers: readonly ResolvedIssuer[], clock: Clock) => new TokenVerifier(issuers, clock),
        [CERTBOUND.Issuers, CERTBOUND.Clock],
      )
      .inSingletonScope();
    bind<RuleSet>(CERTBOUND.RuleSet)
      .toResolvedValue((p: Policy) => new RuleSet(p.rules, p.defaultEffect), [CERTBOUND.Policy])
      .inSingletonScope();
    bind<Engine>(CERTBOUND.Engine)
      .toResolvedValue(
        (
          p: Policy,
          verifier: TokenVerifier,
          rules: RuleSet,
          clock: Clock,
          logger: Logger,
          tokenCache: VerifiedTokenCache<VerifiedToken> | undefined,
          chainVerifier: ChainVerifier | undefined,
        ) =>
          new Engine({
            verifier,
            rules,
            clock,
            logger,
            tokenCache,
            tokenCacheMaxAge: resolved.tokenCacheMaxAgeMs,
            chainVerifier,
            requireTransportVerified: p.certificates?.requireTransportVerified ?? false,
            realm: p.realm,
          }),
        [
          CERTBOUND.Policy,
          CERTBOUND.TokenVerifier,
          CERTBOUND.RuleSet,
          CERTBOUND.Clock,
          CERTBOUND.Logger,
          CERTBOUND.TokenCache,
          CERTBOUND.ChainVerifier,
        ],
      )
      .inSingletonScope();
  });
}

/**
 * The composition root. Adapters call this, optionally `rebind` a port (clock, logger, fetch,
 * cache), then `get(CERTBOUND.Engine)`. `createEngine` does exactly that with no overrides.
 */
export function createCertboundContainer(policy: Policy, options: EngineOptions = {}): Container {
  const resolved = resolveEngineOptions(options);
  const container = new Container();
  container.load(portsModule(options, resolved), engineModule(policy, options, resolved));
  return container;
}

function resolveIssuer(issuer: IssuerPolicy, keySet: KeySet): ResolvedIssuer {
  return {
    id: issuer.id,
    issuer: issuer.issuer,
    audience:
      issuer.audience === undefined
        ? undefined
        : typeof issuer.audience === 'string'
          ? [issuer.audience]
          : issuer.audience,
    algorithms: issuer.algorithms ?? DEFAULT_ALGORITHMS,
    mutualTls: issuer.mutualTls ?? DEFAULT_MUTUAL_TLS,
    clockTolerance: issuer.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE,
    tokenTypes: (issuer.tokenTypes ?? DEFAULT_TOKEN_TYPES).map(normalizeTokenType),
    requiredClaims: issuer.requiredClaims ?? DEFAULT_REQUIRED_CLAIMS,
    claims: issuer.claims,
    keySet,
    verifiedReason: Object.freeze({
      code: 'token_verified',
      message: `token of issuer ${issuer.id} verified`,
    }),
    verifiedFromCacheReason: Object.freeze({
      code: 'token_verified',
      message: `token of issuer ${issuer.id} verified (cached)`,
    }),
  };
}

function createKeySet(
  issuer: IssuerPolicy,
  baseDir: string,
  ports: { clock: Clock; fetch: FetchPort; logger: Logger },
): KeySet {
  const jwks = issuer.jwks;
  if ('keys' in jwks) return createLocalKeySet(jwks.keys);
  if ('file' in jwks) {
    const path = resolve(baseDir, jwks.file);
    let document: unknown;
    try {
      document = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new CertboundError(
        'ERR_KEYS_FILE',
        `issuer ${issuer.id}: cannot read JWK Set ${path}: ${(error as Error).message}`,
      );
    }
    const keys = (document as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys))
      throw new CertboundError('ERR_KEYS_FILE', `issuer ${issuer.id}: ${path} is not a JWK Set`);
    return createLocalKeySet(keys);
  }
  return new RemoteKeySet(
    {
      uri: jwks.uri,
      refreshInterval: jwks.refreshInterval ?? 600,
      cooldown: jwks.cooldown ?? 30,
      timeout: jwks.timeout ?? 5000,
      staleGrace: jwks.staleGrace ?? 86_400,
    },
    ports,
  );
}
