import { createEngine, type Decision, type Engine, type EngineOptions, type Policy } from '@certbound/core';
import {
  type CertificateSource,
  forwardedCertificateSource,
  tlsCertificateSource,
} from './certificate-source.js';
import {
  type ForwardedHeaderFormat,
  forwardedCertificateReader,
} from './forwarded/forwarded-header-format.js';
import { type ProtectOption, protectedRoutes } from './protected-routes.js';
import { type DenyResponse, denyResponse } from './respond.js';
import { TrustedPeers } from './trusted-peers.js';

/** Take the client certificate from a TLS-terminating proxy's header, believed only from `trustedPeers`. */
export interface ForwardedCertificateOptions {
  readonly header: ForwardedHeaderFormat;
  /** Addresses and CIDRs of the proxies (IPv4, IPv6; IPv4-mapped IPv6 is matched as IPv4). */
  readonly trustedPeers: readonly string[];
}

/** What an audit hook learns about the request besides the decision: never headers, never the token. */
export interface AuditedRequest {
  readonly method: string;
  readonly url: string;
  readonly remoteAddress: string | undefined;
}

export interface CertboundOptions {
  /** The engine that decides. Give this or `policy`. */
  readonly engine?: Engine;
  /** A policy from `loadPolicy` / `loadPolicyFile`; an engine is built from it with `engineOptions`. */
  readonly policy?: Policy;
  readonly engineOptions?: EngineOptions;
  /** Which requests are guarded: path prefixes or a predicate. Default: every request. */
  readonly protect?: ProtectOption;
  /** `tls` (default): the TLS connection's peer certificate; or a trusted proxy's header. */
  readonly certificate?: 'tls' | ForwardedCertificateOptions;
  /** Replace the deny response; receives the decision and the default response. */
  readonly denyResponse?: (decision: Decision, defaultResponse: DenyResponse) => DenyResponse;
  /**
   * Called with every decision of a guarded request, e.g. for audit logs. The decision carries
   * reasons, subject, client and certificate thumbprint, never the raw token. Errors thrown here
   * are swallowed: auditing cannot change a decision.
   */
  readonly onDecision?: (decision: Decision, request: AuditedRequest) => void;
  /** Ask the engine for `decision.trace` (costs a little per request). */
  readonly explain?: boolean;
}

export interface ResolvedOptions {
  readonly engine: Engine;
  readonly isProtected: (method: string, url: string) => boolean;
  readonly certificateSource: CertificateSource;
  readonly denyResponse: (decision: Decision) => DenyResponse;
  readonly onDecision: ((decision: Decision, request: AuditedRequest) => void) | undefined;
  readonly explain: boolean;
}

/** Check options a programmer passed; misuse throws TypeError at setup, never per request. */
export function resolveOptions(options: CertboundOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object')
    throw new TypeError('certbound options must be an object');
  const engine = resolveEngine(options);
  for (const hook of ['denyResponse', 'onDecision'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') {
      throw new TypeError(`${hook} must be a function`);
    }
  }
  if (options.explain !== undefined && typeof options.explain !== 'boolean') {
    throw new TypeError('explain must be a boolean');
  }
  const custom = options.denyResponse;
  return {
    engine,
    isProtected: protectedRoutes(options.protect),
    certificateSource: resolveCertificateSource(options.certificate),
    denyResponse:
      custom === undefined
        ? denyResponse
        : (decision) => {
            const standard = denyResponse(decision);
            // A custom response that throws falls back to the standard deny: never a crash.
            try {
              return custom(decision, standard);
            } catch {
              return standard;
            }
          },
    onDecision: options.onDecision,
    explain: options.explain === true,
  };
}

function resolveEngine(options: CertboundOptions): Engine {
  if (options.engine !== undefined) {
    if (options.policy !== undefined) throw new TypeError('give either engine or policy, not both');
    if (
      options.engine === null ||
      typeof options.engine.decide !== 'function' ||
      typeof options.engine.decideNow !== 'function'
    ) {
      throw new TypeError('engine must be an engine from createEngine');
    }
    return options.engine;
  }
  if (options.policy === undefined) throw new TypeError('engine or policy is required');
  return createEngine(options.policy, options.engineOptions);
}

function resolveCertificateSource(certificate: CertboundOptions['certificate']): CertificateSource {
  if (certificate === undefined || certificate === 'tls') return tlsCertificateSource;
  if (certificate === null || typeof certificate !== 'object') {
    throw new TypeError("certificate must be 'tls' or { header, trustedPeers }");
  }
  if (!Array.isArray(certificate.trustedPeers) || certificate.trustedPeers.length === 0) {
    // An empty list would make the header unusable; a forgotten list must not mean "anyone".
    throw new TypeError('certificate.trustedPeers must list the proxies allowed to forward certificates');
  }
  return forwardedCertificateSource(
    forwardedCertificateReader(certificate.header),
    new TrustedPeers(certificate.trustedPeers),
  );
}
