import type { Decision } from '@certbound/core';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { CertboundLambda } from './lambda-authorization.js';
import type { CertboundLambdaOptions } from './lambda-options.js';
import { denyResponse } from './responses/deny-response.js';

/** The Lambda context after the middleware ran: the allow decision is on `context.certbound`. */
export type CertboundContext = Context & { certbound: Decision };

/**
 * middy middleware (`@certbound/adapter-lambda/middy`): a deny ends the chain early with the
 * platform's deny response; an allow puts the decision on `context.certbound` for the handler.
 */
export function certbound(
  options: CertboundLambdaOptions | CertboundLambda,
): MiddlewareObj<unknown, unknown> {
  const lambda = options instanceof CertboundLambda ? options : new CertboundLambda(options);
  return {
    name: 'certbound',
    before: async (request) => {
      const { decision, event } = await lambda.decide(request.event);
      if (!decision.allow) return denyResponse(event, decision);
      (request.context as CertboundContext).certbound = decision;
      return undefined;
    },
  };
}
