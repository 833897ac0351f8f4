import { createHash } from 'node:crypto';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  createEngine,
  type Engine,
  type EngineOptions,
  loadPolicy,
  type Policy,
  policyFiles,
} from '@certbound/core';
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
    const { policy, digest } = this.#read();
    const serving = this.#build(policy);
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

  /**
   * Re-read the policy file (what SIGHUP and file changes do). Never throws. "Unchanged" means the
   * policy text and every file it references (JWK Sets, trust anchors, CRLs) are as last loaded.
   */
  reload(trigger: 'signal' | 'file-change' | 'api' = 'api'): ReloadOutcome {
    let built: ServingPolicy;
    try {
      const { policy, digest } = this.#read();
      if (digest === this.#digest) {
        this.#metrics.recordPolicyLoaded('unchanged');
        return { outcome: 'unchanged' };
      }
      built = this.#build(policy);
      this.#digest = digest;
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
    this.#current = built;
    this.#metrics.recordPolicyLoaded('reloaded');
    this.#logger.info('policy reloaded', {
      policy: this.#path,
      trigger,
      issuers: built.policy.issuers.length,
    });
    return { outcome: 'reloaded' };
  }

  /**
   * Reload when the policy file, or a file it references in the same folder, changes. The folder
   * is watched, not the file: editors save by renaming and Kubernetes swaps ConfigMap files
   * through a `..data` symlink, both of which a watch on the file itself would lose.
   */
  watch(debounceMs = 100): void {
    if (this.#watcher !== undefined) return;
    const folder = dirname(this.#path);
    this.#watcher = watch(folder, { persistent: false }, (_event, changed) => {
      if (changed !== null && !String(changed).startsWith('..') && !this.#watches(resolve(folder, changed)))
        return;
      clearTimeout(this.#debounce);
      this.#debounce = setTimeout(() => this.reload('file-change'), debounceMs);
      this.#debounce.unref();
    });
    this.#watcher.on('error', (error) => this.#logger.warn('policy watch failed', { error: error.message }));
  }

  /** The policy file, or a file the serving policy references (a JWK Set, CA or CRL beside it). */
  #watches(file: string): boolean {
    return file === this.#path || policyFiles(this.#current.policy).includes(file);
  }

  close(): void {
    clearTimeout(this.#debounce);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  /** The policy file, validated, and a digest of it and of every file it references. */
  #read(): { policy: Policy; digest: string } {
    const text = readFileSync(this.#path, 'utf8');
    const policy = loadPolicy(text, { baseDir: dirname(this.#path) });
    const hash = createHash('sha256').update(text);
    for (const file of policyFiles(policy)) {
      hash.update(`\0${file}\0`);
      // An unreadable file changes the digest too; building the engine then reports it.
      try {
        hash.update(readFileSync(file));
      } catch {
        hash.update('\0unreadable');
      }
    }
    return { policy, digest: hash.digest('hex') };
  }

  #build(policy: Policy): ServingPolicy {
    return { policy, engine: createEngine(policy, { logger: this.#logger, ...this.#engineOptions }) };
  }
}
