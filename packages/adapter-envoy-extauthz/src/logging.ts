import type { Decision, Logger } from '@certbound/core';
import type { Transport } from './metrics.js';
import { decidingReason } from './upstream-headers.js';

/** Where JSON lines go: process.stdout by default; anything with a `write(string)`. */
export interface LogSink {
  write(line: string): unknown;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface DecisionLogContext {
  readonly transport: Transport;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly requestId: string | undefined;
  readonly durationMs: number;
}

/**
 * Structured logs: one JSON object per line, one line per decision. The token is never logged,
 * and neither is the query string (it may carry secrets); the path is kept without it.
 */
export class JsonLogger implements Logger {
  readonly #sink: LogSink | undefined;
  readonly #minimum: number;

  constructor(sink: LogSink | false = process.stdout, level: Level = 'info') {
    this.#sink = sink === false ? undefined : sink;
    this.#minimum = LEVELS[level];
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#write('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.#write('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.#write('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.#write('error', message, fields);
  }

  decision(decision: Decision, context: DecisionLogContext): void {
    if (this.#sink === undefined || LEVELS.info < this.#minimum) return;
    const queryAt = context.path?.indexOf('?') ?? -1;
    this.#write('info', 'decision', {
      transport: context.transport,
      request_id: context.requestId,
      method: context.method,
      path: queryAt >= 0 ? context.path?.slice(0, queryAt) : context.path,
      allow: decision.allow,
      status: decision.status,
      reason: decidingReason(decision),
      reasons: decision.reasons.map((reason) => reason.code),
      detail: decision.reasons.at(-1)?.message,
      issuer: decision.issuer,
      subject: decision.subject,
      client_id: decision.clientId,
      mode: decision.mode,
      rule: decision.rule,
      thumbprint: decision.certificate?.thumbprint,
      certificate_source: decision.certificate?.source,
      duration_ms: Math.round(context.durationMs * 1000) / 1000,
    });
  }

  #write(level: Level, message: string, fields?: Record<string, unknown>): void {
    if (this.#sink === undefined || LEVELS[level] < this.#minimum) return;
    this.#sink.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`,
    );
  }
}
