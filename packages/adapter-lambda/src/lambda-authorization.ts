import { createEngine, type Decision, type Engine, loadPolicyFile } from '@certbound/core';
import { type TranslatedEvent, translateEvent } from './events/event-source.js';
import {
  type CertboundLambdaOptions,
  type ResolvedLambdaOptions,
  resolveLambdaOptions,
} from './lambda-options.js';

export interface LambdaDecision {
  readonly decision: Decision;
  readonly event: TranslatedEvent;
}

/**
 * Event → one `engine.decide` → decision, with the engine built once per execution environment.
 * Create it at module scope: the policy is read on the first invocation (or when `engine()` is
 * called during init) and the engine, with its key sets and verified-token cache, then serves
 * every later invocation of the warm environment.
 */
export class CertboundLambda {
  readonly #options: CertboundLambdaOptions;
  readonly #resolved: ResolvedLambdaOptions;
  #engine: Engine | undefined;

  constructor(options: CertboundLambdaOptions) {
    this.#resolved = resolveLambdaOptions(options);
    this.#options = options;
    this.#engine = options.engine;
  }

  /** The engine; builds it on first use. Throws only for bad configuration (policy, trust anchors). */
  engine(): Engine {
    if (this.#engine === undefined) {
      const policy = this.#options.policy ?? (process.env.CERTBOUND_POLICY_FILE as string);
      this.#engine = createEngine(
        typeof policy === 'string' ? loadPolicyFile(policy) : policy,
        this.#options.engineOptions,
      );
    }
    return this.#engine;
  }

  /** Decide for a Lambda event. Untrusted event content never throws, it becomes a deny reason. */
  async decide(event: unknown): Promise<LambdaDecision> {
    const engine = this.engine();
    const translated = translateEvent(event, {
      source: this.#resolved.certificateSource,
      albHeaderNames: this.#resolved.albHeaderNames,
    });
    const input = this.#resolved.explain ? { ...translated.input, explain: true } : translated.input;
    return { decision: await engine.decide(input), event: translated };
  }
}
