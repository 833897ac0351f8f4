import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { createEngine, type Engine, type EngineOptions, loadPolicy, type Policy } from '@certbound/core';
import type { JsonLogger } from './logging.js';
import type { ExtAuthzMetrics } from './metrics.js';

export interface ServingPolicy {
  readonly policy: Policy;
  readonly engine: Engine;
}

export type ReloadOutcome =
  | { readonly outcome: 'reloaded' | 'unchanged' }
  | { readonly outcome: 'failed'; readonly error: string };

/**
 * Keeps an engine built from the policy file and replaces it when the file changes (fs.watch) or
 * on request (SIGHUP). Build-then-swap: a new policy that does not load leaves the old engine
 * serving, and the failure is logged and counted. In-flight decisions finish on the engine they
 * started with.
 */
export class PolicyReloader {
  readonly #path: string;
  readonly #engineOptions: EngineOptions;
  readonly #logger: JsonLogger;
  readonly #metrics: ExtAuthzMetrics;
  #current: ServingPolicy;
  #digest: string;
  #watcher: FSWatcher | undefined;
  #debounce: NodeJS.Timeout | undefined;

  /** Loads the policy now; throws PolicyError when the initial policy is invalid. */
  constructor(path: string, engineOptions: EngineOptions, logger: JsonLogger, metrics: ExtAuthzMetrics) {
    this.#path = resolve(path);
    this.#engineOptions = engineOptions;
    this.#logger = logger;
    this.#metrics = metrics;
    const { serving, digest } = this.#build();
    this.#current = serving;
    this.#digest = digest;
    metrics.recordPolicyLoaded('initial');
    logger.info('policy loaded', { policy: this.#path, issuers: serving.policy.issuers.length });
  }

  get current(): ServingPolicy {
    return this.#current;
  }

  get path(): string {
    return this.#path;
  }

  /** Re-read the policy file (what SIGHUP and file changes do). Never throws. */
  reload(trigger: 'signal' | 'file-change' | 'api' = 'api'): ReloadOutcome {
    let built: { serving: ServingPolicy; digest: string };
    try {
      const text = readFileSync(this.#path, 'utf8');
      const digest = createHash('sha256').update(text).digest('hex');
      if (digest === this.#digest) {
        this.#metrics.recordPolicyLoaded('unchanged');
        return { outcome: 'unchanged' };
      }
      built = this.#build(text, digest);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      this.#metrics.recordPolicyLoaded('failed');
      this.#logger.error('policy reload failed; the previous policy keeps serving', {
        policy: this.#path,
        trigger,
        error: message,
      });
      return { outcome: 'failed', error: message };
    }
    this.#current = built.serving;
    this.#digest = built.digest;
    this.#metrics.recordPolicyLoaded('reloaded');
    this.#logger.info('policy reloaded', {
      policy: this.#path,
      trigger,
      issuers: built.serving.policy.issuers.length,
    });
    return { outcome: 'reloaded' };
  }

  /**
   * Reload when the file changes. The folder is watched, not the file: editors save by renaming
   * and Kubernetes swaps ConfigMap files through a `..data` symlink, both of which a watch on the
   * file itself would lose.
   */
  watch(debounceMs = 100): void {
    if (this.#watcher !== undefined) return;
    const name = basename(this.#path);
    this.#watcher = watch(dirname(this.#path), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name && !String(changed).startsWith('..')) return;
      clearTimeout(this.#debounce);
      this.#debounce = setTimeout(() => this.reload('file-change'), debounceMs);
      this.#debounce.unref();
    });
    this.#watcher.on('error', (error) => this.#logger.warn('policy watch failed', { error: error.message }));
  }

  close(): void {
    clearTimeout(this.#debounce);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  #build(text?: string, digest?: string): { serving: ServingPolicy; digest: string } {
    const content = text ?? readFileSync(this.#path, 'utf8');
    const policy = loadPolicy(content, { baseDir: dirname(this.#path) });
    const engine = createEngine(policy, { logger: this.#logger, ...this.#engineOptions });
    return {
      serving: { policy, engine },
      digest: digest ?? createHash('sha256').update(content).digest('hex'),
    };
  }
}
