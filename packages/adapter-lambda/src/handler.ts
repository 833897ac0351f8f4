import type { Decision } from '@certbound/core';
import type { Context } from 'aws-lambda';
import { CertboundLambda } from './lambda-authorization.js';
import type { CertboundLambdaOptions } from './lambda-options.js';
import { type DenyResponse, denyResponse } from './responses/deny-response.js';

/** A handler that runs only for allowed requests and gets the decision (subject, scopes, claims...). */
export type CertboundHandler<TEvent, TResult> = (
  event: TEvent,
  context: Context,
  decision: Decision,
) => Promise<TResult>;

/**
 * Wrap a handler: deny → the platform's deny response (status, WWW-Authenticate, JSON body);
 * allow → the handler with the decision. Call it at module scope so the engine is reused.
 */
export function withCertbound<TEvent, TResult>(
  handler: CertboundHandler<TEvent, TResult>,
  options: CertboundLambdaOptions | CertboundLambda,
): (event: TEvent, context: Context) => Promise<TResult | DenyResponse> {
  const certbound = options instanceof CertboundLambda ? options : new CertboundLambda(options);
  return async (event, context) => {
    const { decision, event: translated } = await certbound.decide(event);
    if (!decision.allow) return denyResponse(translated, decision);
    return handler(event, context, decision);
  };
}
