import type { CertificateDetails } from '../certificate/certificate-details.js';
import type { MutualTlsMode } from '../policy/policy.js';
import { bearerChallenge } from './challenge.js';
import type { Decision, DecisionCertificate, TraceStep } from './decision.js';
import type { Reason } from './reason-code.js';
import { denyMapping } from './response-mapping.js';

type MutableDecision = { -readonly [K in keyof Decision]: Decision[K] };

const NO_SCOPES: readonly string[] = Object.freeze([]);

/** Collects what the engine learns while deciding, then produces the one Decision object. */
export class DecisionBuilder {
  readonly #reasons: Reason[] = [];
  readonly #trace: TraceStep[] | undefined;
  readonly #realm: string | undefined;
  issuer: string | undefined;
  subject: string | undefined;
  clientId: string | undefined;
  scopes: readonly string[] = NO_SCOPES;
  claims: Readonly<Record<string, unknown>> | undefined;
  mode: MutualTlsMode | undefined;
  certificate: DecisionCertificate | undefined;
  certificateDetails: CertificateDetails | undefined;
  rule: string | undefined;

  constructor(realm: string | undefined, explain: boolean) {
    this.#realm = realm;
    this.#trace = explain ? [] : undefined;
  }

  /** Record a reason that does not decide (e.g. binding_verified on the way to an allow). */
  note(reason: Reason): void {
    this.#reasons.push(reason);
  }

  step(step: TraceStep['step'], outcome: TraceStep['outcome'], detail: string | (() => string)): void {
    this.#trace?.push({ step, outcome, detail: typeof detail === 'function' ? detail() : detail });
  }

  get explaining(): boolean {
    return this.#trace !== undefined;
  }

  allow(reason: Reason): Decision {
    this.#reasons.push(reason);
    // Built as one literal, no spreads: this is on every request's path.
    return this.#complete({ allow: true, status: 200, reasons: this.#reasons, scopes: this.scopes });
  }

  deny(reason: Reason, scope?: readonly string[]): Decision {
    this.#reasons.push(reason);
    const mapping = denyMapping(reason.code);
    const decision: MutableDecision = {
      allow: false,
      status: mapping.status,
      reasons: this.#reasons,
      scopes: this.scopes,
      wwwAuthenticate: bearerChallenge({
        realm: this.#realm,
        error: mapping.error,
        description: mapping.description,
        scope,
      }),
      errorDescription: mapping.description,
    };
    if (mapping.error) decision.error = mapping.error;
    if (mapping.status === 503) decision.retryAfter = 30;
    return this.#complete(decision);
  }

  #complete(decision: MutableDecision): Decision {
    if (this.issuer !== undefined) decision.issuer = this.issuer;
    if (this.subject !== undefined) decision.subject = this.subject;
    if (this.clientId !== undefined) decision.clientId = this.clientId;
    if (this.claims !== undefined) decision.claims = this.claims;
    if (this.mode !== undefined) decision.mode = this.mode;
    if (this.certificate !== undefined) decision.certificate = this.certificate;
    if (this.rule !== undefined) decision.rule = this.rule;
    if (this.#trace !== undefined) decision.trace = this.#trace;
    return decision;
  }
}
