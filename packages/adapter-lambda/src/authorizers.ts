import type { Decision } from '@certbound/core';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  Context,
} from 'aws-lambda';
import { isRecord } from './events/event-headers.js';
import { CertboundLambda } from './lambda-authorization.js';
import type { CertboundLambdaOptions } from './lambda-options.js';

/** Authorizers always read the certificate API Gateway verified; the source is fixed. */
export type AuthorizerOptions = Omit<CertboundLambdaOptions, 'certificateSource' | 'albHeaderNames'>;

/**
 * What the backend integration sees as `$context.authorizer.*` / `requestContext.authorizer`.
 * API Gateway accepts only strings, numbers and booleans here: no objects, no arrays.
 */
export type AuthorizerContext = Record<string, string | number | boolean>;

export function authorizerContext(decision: Decision): AuthorizerContext {
  const context: AuthorizerContext = {
    allow: decision.allow,
    status: decision.status,
    reason: decision.reasons.at(-1)?.code ?? 'internal_error',
  };
  const optional: Record<string, string | undefined> = {
    issuer: decision.issuer,
    subject: decision.subject,
    clientId: decision.clientId,
    mode: decision.mode,
    rule: decision.rule,
    thumbprint: decision.certificate?.thumbprint,
    error: decision.error,
    wwwAuthenticate: decision.wwwAuthenticate,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) context[key] = value;
  if (decision.scopes.length > 0) context.scope = decision.scopes.join(' ');
  return context;
}

/**
 * REST API REQUEST authorizer (TOKEN authorizers never see the certificate). Answers an IAM
 * policy for the called method: Allow, or Deny (API Gateway then answers 403 ACCESS_DENIED; map
 * `context.wwwAuthenticate` into that gateway response, see the docs). Disable authorizer caching:
 * a cached Allow keyed on the token alone would skip the certificate binding.
 */
export function restApiRequestAuthorizer(
  options: AuthorizerOptions | CertboundLambda,
): (event: APIGatewayRequestAuthorizerEvent, context?: Context) => Promise<APIGatewayAuthorizerResult> {
  const certbound = asCertbound(options);
  return async (event) => {
    const { decision } = await certbound.decide(event);
    const methodArn = isRecord(event) && typeof event.methodArn === 'string' ? event.methodArn : undefined;
    // An allow names the one method it was decided for; without a methodArn there is nothing to
    // allow, so the answer is a Deny (on everything, the safe wildcard).
    const allow = decision.allow && methodArn !== undefined;
    return {
      principalId: allow ? (decision.subject ?? decision.clientId ?? 'certbound') : 'denied',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: allow ? 'Allow' : 'Deny',
            Resource: methodArn ?? '*',
          },
        ],
      },
      context: authorizerContext(decision),
    };
  };
}

/** HTTP API Lambda authorizer, payload 2.0, simple responses enabled. */
export function httpApiSimpleAuthorizer(
  options: AuthorizerOptions | CertboundLambda,
): (
  event: APIGatewayRequestAuthorizerEventV2,
  context?: Context,
) => Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> {
  const certbound = asCertbound(options);
  return async (event) => {
    const { decision } = await certbound.decide(event);
    return { isAuthorized: decision.allow, context: authorizerContext(decision) };
  };
}

function asCertbound(options: AuthorizerOptions | CertboundLambda): CertboundLambda {
  return options instanceof CertboundLambda
    ? options
    : new CertboundLambda({ ...options, certificateSource: 'api-gateway' });
}
