import { type BindingRequirement, bindingRequirement } from '../binding/binding-requirement.js';
import { type CertificateDetails, readCertificateDetails } from '../certificate/certificate-details.js';
import { presentedCertificate } from '../certificate/prepared-certificate.js';
import type { PresentedCertificate } from '../certificate/presented-certificate.js';
import { digestsEqual } from '../certificate/thumbprint.js';
import type { Decision } from '../decision/decision.js';
import { DecisionBuilder } from '../decision/decision-builder.js';
import type { DecisionInput } from '../decision/decision-input.js';
import type { Reason } from '../decision/reason-code.js';
import type { ChainVerifier } from '../ports/chain-verifier.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { VerifiedTokenCache } from '../ports/verified-token-cache.js';
import { unmetClaimCondition } from '../rules/claim-conditions.js';
import { normalizePath } from '../rules/normalize-path.js';
import type { RuleOutcome, RuleSet } from '../rules/rule-set.js';
import { extractBearerToken, hasBearerTokenSyntax } from '../token/authorization-header.js';
import type { TokenVerifier, VerifiedToken } from '../token/token-verifier.js';

/** The rules' certificate reader when no rule has certificate conditions: never called. */
const RULES_READ_NO_CERTIFICATE = (): Promise<never> =>
  Promise.reject(new Error('a rule read the certificate although no rule has certificate conditions'));

const RULES_ABSENT: Reason = Object.freeze({
  code: 'rules_absent',
  message: 'policy has no rules: a valid token is enough',
});

export interface EngineDependencies {
  readonly verifier: TokenVerifier;
  readonly rules: RuleSet;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Absent: verified tokens are not cached. */
  readonly tokenCache: VerifiedTokenCache<VerifiedToken> | undefined;
  /** Longest time (ms) a verified token is served from the cache, `exp` permitting. */
  readonly tokenCacheMaxAge: number;
  /** Absent when the policy has no trust anchors: chains that must be verified are then untrusted. */
  readonly chainVerifier: ChainVerifier | undefined;
  readonly requireTransportVerified: boolean;
  readonly realm: string | undefined;
}

/**
 * The decision point: `(mode, token, certificate, request) → Decision`. `decide` never throws and
 * never rejects: every failure, including a bug of ours, is a deny with a reason code.
 */
export class Engine {
  readonly #deps: EngineDependencies;

  constructor(dependencies: EngineDependencies) {
    this.#deps = dependencies;
  }

  decide(input: DecisionInput): Promise<Decision> {
    const decision = this.decideNow(input);
    return decision instanceof Promise ? decision : Promise.resolve(decision);
  }

  /**
   * The same decision as `decide`, returned synchronously when nothing has to be waited for — a
   * token served from the verified-token cache and no certificate chain to verify, i.e. most
   * requests of a busy server — and as a promise otherwise. For adapters whose platform answers
   * faster in the same turn (a Node server that responds before its socket callback returns saves
   * a scheduling round per request). Never throws, never rejects.
   */
  decideNow(input: DecisionInput): Decision | Promise<Decision> {
    let builder: DecisionBuilder | undefined;
    try {
      // Even reading the input may throw (a getter): that too is a deny, never a throw.
      const explain = input !== null && typeof input === 'object' && input.explain === true;
      const d = new DecisionBuilder(this.#deps.realm, explain);
      builder = d;
      const decision = this.#decide(input ?? {}, d);
      return decision instanceof Promise ? decision.catch((error) => this.#failed(error, d)) : decision;
    } catch (error) {
      return this.#failed(error, builder ?? new DecisionBuilder(this.#deps.realm, false));
    }
  }

  #failed(error: unknown, builder: DecisionBuilder): Decision {
    try {
      this.#deps.logger.error('decision failed unexpectedly', {
        error: (error as Error)?.stack ?? String(error),
      });
    } catch {
      // A logger that throws cannot turn the deny into a throw.
    }
    return builder.deny({
      code: 'internal_error',
      message: 'the engine failed unexpectedly; denied (fail closed)',
    });
  }

  // The decision runs in stages that are synchronous unless they must wait (a fresh token's
  // signature, a certificate chain, a rule's certificate conditions); each stage hands on to the
  // next directly or through `then`.

  #decide(input: DecisionInput, d: DecisionBuilder): Decision | Promise<Decision> {
    const unreadable = input.request?.problem;
    if (unreadable !== undefined) {
      const message =
        typeof unreadable === 'string' ? unreadable.slice(0, 500) : 'the adapter could not read the request';
      d.step('request', 'fail', message);
      return d.deny({ code: 'request_malformed', message });
    }
    const extraction = extractBearerToken(input.authorization);
    if (extraction.kind === 'missing') {
      d.step('token', 'fail', extraction.detail);
      return d.deny({ code: 'token_missing', message: extraction.detail });
    }
    if (extraction.kind === 'malformed-request') {
      d.step('request', 'fail', extraction.detail);
      return d.deny({ code: 'request_malformed', message: extraction.detail });
    }

    // A cache hit stays synchronous: a repeated token costs a lookup, not a trip through the verifier.
    const cached = this.#cachedToken(extraction.token, d);
    if (cached !== undefined) return this.#withToken(input, d, cached, undefined);
    if (!hasBearerTokenSyntax(extraction.token)) {
      d.step('request', 'fail', 'token has characters a bearer token cannot have');
      return d.deny({
        code: 'request_malformed',
        message: 'token has characters a bearer token cannot have',
      });
    }
    // The certificate is read while the token's signature is verified.
    let presented: PresentedCertificate | undefined;
    return this.#verifiedToken(extraction.token, d, () => {
      presented = presentedCertificate(input.certificate);
    }).then((token) =>
      'issuer' in token && 'binding' in token ? this.#withToken(input, d, token, presented) : token,
    );
  }

  /** Binding (RFC 8705 §3), as ONTAP's use-mutual-tls: the token was fully verified first. */
  #withToken(
    input: DecisionInput,
    d: DecisionBuilder,
    token: VerifiedToken,
    presentedEarly: PresentedCertificate | undefined,
  ): Decision | Promise<Decision> {
    const issuer = token.issuer;
    d.issuer = issuer.id;
    d.subject = token.subject;
    d.clientId = token.clientId;
    d.scopes = token.scopes;
    d.claims = token.claims;
    d.mode = issuer.mutualTls;

    const presented = presentedEarly ?? presentedCertificate(input.certificate);
    if (presented.kind === 'present') {
      d.certificate = presented.reported;
    } else if (presented.kind === 'problem') {
      d.note({ code: presented.code, message: presented.message });
      if (presented.source !== undefined) d.certificate = { source: presented.source };
    }
    const requirement = bindingRequirement(issuer.mutualTls, token.binding);
    if (requirement.kind === 'deny') {
      d.step('binding', 'fail', () => `mode ${issuer.mutualTls}: ${requirement.reason.message}`);
      return d.deny(requirement.reason);
    }
    if (requirement.kind === 'skip') {
      if (d.explaining) d.step('binding', 'skip', `mode ${issuer.mutualTls}: ${requirement.reason.message}`);
      d.note(requirement.reason);
      return this.#withBinding(input, d, token, presented, undefined);
    }
    const verdict = this.#certificateTrust(presented, d);
    return verdict instanceof Promise
      ? verdict.then((trusted) => this.#bound(input, d, token, presented, requirement, trusted))
      : this.#bound(input, d, token, presented, requirement, verdict);
  }

  /** A bound token: the presented certificate, once trusted, must be the one it is bound to. */
  #bound(
    input: DecisionInput,
    d: DecisionBuilder,
    token: VerifiedToken,
    presented: PresentedCertificate,
    requirement: Extract<BindingRequirement, { kind: 'check' }>,
    trusted: true | Reason,
  ): Decision | Promise<Decision> {
    const mode = token.issuer.mutualTls;
    if (trusted !== true) {
      d.step(
        'binding',
        'fail',
        () => `mode ${mode}: token bound to ${requirement.thumbprint}; ${trusted.message}`,
      );
      return d.deny(trusted);
    }
    const cert = presented as Extract<PresentedCertificate, { kind: 'present' }>;
    if (!digestsEqual(requirement.expected, cert.digest)) {
      d.step(
        'binding',
        'fail',
        () => `mode ${mode}: token cnf.x5t#S256 ${requirement.thumbprint} ≠ certificate ${cert.thumbprint}`,
      );
      return d.deny({
        code: 'binding_mismatch',
        message: `token is bound to ${requirement.thumbprint}, the presented certificate is ${cert.thumbprint}`,
      });
    }
    if (d.explaining) {
      d.step(
        'binding',
        'pass',
        `mode ${mode}: cnf.x5t#S256 ${requirement.thumbprint} = certificate ${cert.thumbprint}`,
      );
    }
    d.note(
      token.bindingVerifiedReason ?? {
        code: 'binding_verified',
        message: `certificate ${cert.thumbprint} matches cnf.x5t#S256`,
      },
    );
    return this.#withBinding(input, d, token, presented, trusted);
  }

  /**
   * Claim conditions and rules: first match decides. `knownTrust` is the certificate's trust
   * verdict when the binding check already established it.
   */
  #withBinding(
    input: DecisionInput,
    d: DecisionBuilder,
    token: VerifiedToken,
    presented: PresentedCertificate,
    knownTrust: true | Reason | undefined,
  ): Decision | Promise<Decision> {
    const issuer = token.issuer;
    const unmetIssuerClaim = unmetClaimCondition(issuer.claims, token.claims);
    if (unmetIssuerClaim !== undefined) {
      d.step('claims', 'fail', () => `issuer ${issuer.id}: ${unmetIssuerClaim}`);
      return d.deny({ code: 'claim_condition_unmet', message: `issuer ${issuer.id}: ${unmetIssuerClaim}` });
    }
    const rules = this.#deps.rules;
    if (rules.empty) {
      d.step('rules', 'skip', 'policy has no rules');
      return d.allow(RULES_ABSENT);
    }
    const method = typeof input.request?.method === 'string' ? input.request.method.toUpperCase() : undefined;
    const path = typeof input.request?.path === 'string' ? normalizePath(input.request.path) : undefined;
    if (method === undefined || path === undefined) {
      d.step('request', 'fail', 'method or path is missing or not a valid request path');
      return d.deny({ code: 'request_malformed', message: 'request method or path is missing or invalid' });
    }
    const evaluation = rules.evaluate({
      method,
      path,
      mergedPath: path.includes('//') ? path.replace(/\/{2,}/g, '/') : undefined,
      issuerId: issuer.id,
      scopes: token.scopes,
      claims: token.claims,
      certificate: rules.readsCertificates
        ? this.#certificateForRules(d, presented, knownTrust)
        : RULES_READ_NO_CERTIFICATE,
    });
    return evaluation instanceof Promise
      ? evaluation.then((outcome) => this.#ruled(d, outcome))
      : this.#ruled(d, evaluation);
  }

  #ruled(d: DecisionBuilder, outcome: RuleOutcome): Decision {
    if (outcome.rule !== undefined) d.rule = outcome.rule;
    d.step('rules', outcome.allow ? 'pass' : 'fail', outcome.reason.message);
    if (outcome.allow) return d.allow(outcome.reason);
    return d.deny(outcome.reason, 'missingScopes' in outcome ? outcome.missingScopes : undefined);
  }

  /** The certificate's details for a rule's certificate conditions, read (and trusted) at most once. */
  #certificateForRules(
    d: DecisionBuilder,
    presented: PresentedCertificate,
    knownTrust: true | Reason | undefined,
  ): () => Promise<CertificateDetails | Reason> {
    let trust: true | Reason | Promise<true | Reason> | undefined = knownTrust;
    return async () => {
      // An unreadable or untrusted certificate keeps its own reason (401), as for a bound token.
      trust ??= this.#certificateTrust(presented, d);
      const trusted = await trust;
      if (trusted !== true) return trusted;
      if (presented.kind !== 'present')
        return { code: 'certificate_missing', message: 'no client certificate was presented' };
      if (presented.der === undefined) {
        return {
          code: 'certificate_missing',
          message: 'only a thumbprint was presented, not the certificate',
        };
      }
      d.certificateDetails ??= readCertificateDetails(presented.der);
      return (
        d.certificateDetails ?? {
          code: 'certificate_malformed',
          message: 'certificate could not be parsed',
        }
      );
    };
  }

  #cachedToken(raw: string, d: DecisionBuilder): VerifiedToken | undefined {
    const cached = this.#deps.tokenCache?.get(raw, this.#deps.clock.now());
    if (cached !== undefined) {
      if (d.explaining)
        d.step('token', 'pass', `verified token served from cache (issuer ${cached.issuer.id})`);
      d.note(cached.issuer.verifiedFromCacheReason);
    }
    return cached;
  }

  /** A token verified now (and cached); or the deny decision. */
  async #verifiedToken(
    raw: string,
    d: DecisionBuilder,
    meanwhile: () => void,
  ): Promise<VerifiedToken | Decision> {
    const now = this.#deps.clock.now();
    const result = await this.#deps.verifier.verify(raw, meanwhile);
    if (!result.ok) {
      const issuer = result.issuer;
      if (issuer) {
        d.issuer = issuer.id;
        d.mode = issuer.mutualTls;
        d.step('issuer', 'pass', () => `iss matches issuer ${issuer.id}`);
      }
      d.step('signature', 'fail', () => `${result.code}: ${result.message}`);
      return d.deny({ code: result.code, message: result.message });
    }
    const token = result.token;
    d.step(
      'issuer',
      'pass',
      () => `iss matches issuer ${token.issuer.id} (mutualTls ${token.issuer.mutualTls})`,
    );
    d.step('signature', 'pass', 'signature verified; exp, nbf, aud and required claims hold');
    d.note(token.issuer.verifiedReason);
    if (this.#deps.tokenCache !== undefined) {
      this.#deps.tokenCache.set(raw, token, Math.min(token.expiresAt, now + this.#deps.tokenCacheMaxAge));
    }
    return token;
  }

  /**
   * Whether the presented certificate may be used. Synchronous unless a chain has to be verified,
   * so the common path never waits; callers ask at most once per request.
   */
  #certificateTrust(
    presented: PresentedCertificate,
    d: DecisionBuilder,
  ): true | Reason | Promise<true | Reason> {
    if (presented.kind === 'absent')
      return { code: 'certificate_missing', message: 'no client certificate was presented' };
    if (presented.kind === 'problem') return { code: presented.code, message: presented.message };
    if (this.#deps.requireTransportVerified && presented.transport?.verified === false) {
      return {
        code: 'certificate_transport_unverified',
        message: `the TLS layer did not verify the certificate (${presented.transport.error ?? 'no reason given'})`,
      };
    }
    if (presented.verifyChain) return this.#verifiedChain(presented, d);
    return true;
  }

  /** Chain verification against the policy's trust anchors, for inputs that ask for it. */
  async #verifiedChain(
    presented: Extract<PresentedCertificate, { kind: 'present' }>,
    d: DecisionBuilder,
  ): Promise<true | Reason> {
    if (presented.der === undefined)
      return { code: 'certificate_chain_invalid', message: 'a chain cannot be verified from a thumbprint' };
    if (typeof presented.chain === 'string')
      return { code: 'certificate_chain_invalid', message: presented.chain };
    if (this.#deps.chainVerifier === undefined) {
      return {
        code: 'certificate_untrusted',
        message: 'the policy has no certificates.trustAnchors to verify the chain against',
      };
    }
    const result = await this.#deps.chainVerifier.verify(presented.der, presented.chain);
    d.step('certificate', result.ok ? 'pass' : 'fail', `chain: ${result.message}`);
    if (!result.ok) return { code: result.code, message: result.message };
    d.note({ code: result.code, message: result.message });
    return true;
  }
}
