import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type Transport = 'grpc' | 'http';

/**
 * Prometheus metrics of one server. Its own Registry (not prom-client's global one) so several
 * servers in one process — tests, the demo — never clash.
 */
export class ExtAuthzMetrics {
  readonly registry = new Registry();
  readonly #decisions = new Counter({
    name: 'certbound_extauthz_decisions_total',
    help: 'Authorization decisions by transport, outcome and deciding reason code.',
    labelNames: ['transport', 'allow', 'reason'] as const,
    registers: [this.registry],
  });
  readonly #latency = new Histogram({
    name: 'certbound_extauthz_decision_seconds',
    help: 'Time from receiving a Check / HTTP authorization request to answering it.',
    labelNames: ['transport'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly #reloads = new Counter({
    name: 'certbound_extauthz_policy_reloads_total',
    help: 'Policy reload attempts by outcome; a failed reload keeps the previous policy serving.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly #policyLoaded = new Gauge({
    name: 'certbound_extauthz_policy_loaded_timestamp_seconds',
    help: 'When the policy now serving was loaded.',
    registers: [this.registry],
  });
  readonly #lastReloadFailed = new Gauge({
    name: 'certbound_extauthz_policy_last_reload_failed',
    help: '1 when the last reload attempt failed (the previous policy is still serving).',
    registers: [this.registry],
  });

  recordDecision(transport: Transport, allow: boolean, reason: string, seconds: number): void {
    this.#decisions.inc({ transport, allow: allow ? 'true' : 'false', reason });
    this.#latency.observe({ transport }, seconds);
  }

  recordPolicyLoaded(outcome: 'initial' | 'reloaded' | 'unchanged' | 'failed'): void {
    if (outcome !== 'initial') this.#reloads.inc({ outcome });
    if (outcome === 'failed') {
      this.#lastReloadFailed.set(1);
      return;
    }
    this.#lastReloadFailed.set(0);
    if (outcome !== 'unchanged') this.#policyLoaded.set(Date.now() / 1000);
  }

  contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
