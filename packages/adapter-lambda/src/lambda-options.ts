import { type Engine, type EngineOptions, OptionsError, type Policy } from '@certbound/core';
import { type AlbHeaderNames, DEFAULT_ALB_HEADER_NAMES } from './events/alb-event.js';
import type { CertificateSource } from './events/event-source.js';

export interface CertboundLambdaOptions {
  /** Where the client certificate comes from; must match the deployment (see docs/adapters/lambda.md). */
  readonly certificateSource: CertificateSource;
  /**
   * A policy from loadPolicy, or the path of a policy file. Default: the file named by the
   * `CERTBOUND_POLICY_FILE` environment variable. Ignored when `engine` is given.
   */
  readonly policy?: Policy | string;
  /** Options of the engine built from `policy` (clock, logger, token cache...). */
  readonly engineOptions?: EngineOptions;
  /** An engine built elsewhere, shared by several handlers of one execution environment. */
  readonly engine?: Engine;
  /** Renamed ALB certificate headers (`routing.http.request.x_amzn_mtls_clientcert*.header_name`). */
  readonly albHeaderNames?: Partial<AlbHeaderNames>;
  /** Ask the engine for `decision.trace` (for debugging; costs time). */
  readonly explain?: boolean;
}

export interface ResolvedLambdaOptions {
  readonly certificateSource: CertificateSource;
  readonly albHeaderNames: AlbHeaderNames;
  readonly explain: boolean;
}

const SOURCES: readonly CertificateSource[] = ['alb-verify', 'alb-passthrough', 'api-gateway'];
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/; // RFC 9110 §5.6.2 token

/** Check what a programmer passed; misuse throws OptionsError (ERR_INVALID_OPTIONS). */
export function resolveLambdaOptions(options: CertboundLambdaOptions): ResolvedLambdaOptions {
  if (options === null || typeof options !== 'object') throw new OptionsError('options must be an object');
  if (!SOURCES.includes(options.certificateSource))
    throw new OptionsError(`options.certificateSource must be one of ${SOURCES.join(', ')}`);
  const albHeaderNames = { ...DEFAULT_ALB_HEADER_NAMES, ...options.albHeaderNames };
  for (const [key, name] of Object.entries(albHeaderNames)) {
    if (typeof name !== 'string' || !HEADER_NAME.test(name))
      throw new OptionsError(`options.albHeaderNames.${key} must be a header name`);
  }
  if (options.engine === undefined && options.policy === undefined && !process.env.CERTBOUND_POLICY_FILE)
    throw new OptionsError(
      'give options.policy, options.engine or the CERTBOUND_POLICY_FILE environment variable',
    );
  return {
    certificateSource: options.certificateSource,
    albHeaderNames: { leaf: albHeaderNames.leaf.toLowerCase(), chain: albHeaderNames.chain.toLowerCase() },
    explain: options.explain === true,
  };
}
