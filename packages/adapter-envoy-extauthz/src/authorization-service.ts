import type { IncomingMessage } from 'node:http';
import type { Decision } from '@certbound/core';
import { checkRequestToInput, type TranslatedRequest } from './check-request.js';
import { decisionToCheckResponse } from './check-response.js';
import type { CheckRequest, CheckResponse } from './envoy-messages.js';
import type { ResolvedServiceOptions } from './extauthz-options.js';
import {
  decisionToHttpResponse,
  type HttpAuthorizationResponse,
  httpRequestToInput,
} from './http-authorization.js';
import type { JsonLogger } from './logging.js';
import type { ExtAuthzMetrics, Transport } from './metrics.js';
import { decidingReason } from './upstream-headers.js';

/** Where the engine comes from: the reloader's current one, read per request. */
export interface EngineSource {
  readonly current: {
    readonly engine: { decide: import('@certbound/core').Engine['decide'] };
  };
}

/**
 * Both modes' one path: translate the platform request, ONE engine decision, translate back,
 * then one metric sample and one log line.
 */
export class AuthorizationService {
  readonly #engines: EngineSource;
  readonly #options: ResolvedServiceOptions;
  readonly #metrics: ExtAuthzMetrics;
  readonly #logger: JsonLogger;

  constructor(
    engines: EngineSource,
    options: ResolvedServiceOptions,
    metrics: ExtAuthzMetrics,
    logger: JsonLogger,
  ) {
    this.#engines = engines;
    this.#options = options;
    this.#metrics = metrics;
    this.#logger = logger;
  }

  async check(request: CheckRequest): Promise<CheckResponse> {
    const started = performance.now();
    const translated = checkRequestToInput(request, this.#options);
    const decision = await this.#decide(translated);
    const http = request?.attributes?.request?.http;
    this.#record('grpc', decision, translated, started, http?.method, http?.path);
    return decisionToCheckResponse(decision, this.#options);
  }

  async authorizeHttp(request: IncomingMessage): Promise<HttpAuthorizationResponse> {
    const started = performance.now();
    const translated = httpRequestToInput(request, this.#options);
    const decision = await this.#decide(translated);
    this.#record('http', decision, translated, started, request.method, request.url);
    return decisionToHttpResponse(decision, this.#options);
  }

  #decide(translated: TranslatedRequest): Promise<Decision> {
    const { engine } = this.#engines.current;
    // A request that could not be translated still goes through the one decide: the engine
    // answers request_malformed for it.
    if (translated.kind === 'malformed') return engine.decide({ request: { problem: translated.message } });
    return engine.decide(translated.input);
  }

  #record(
    transport: Transport,
    decision: Decision,
    translated: TranslatedRequest,
    started: number,
    method: string | undefined,
    path: string | undefined,
  ): void {
    const durationMs = performance.now() - started;
    this.#metrics.recordDecision(transport, decision.allow, decidingReason(decision), durationMs / 1000);
    this.#logger.decision(decision, {
      transport,
      method: typeof method === 'string' ? method : undefined,
      path: typeof path === 'string' ? path : undefined,
      requestId: translated.requestId,
      durationMs,
    });
  }
}
