import { bearerChallenge, type Decision, denyMapping } from '@certbound/core';

/**
 * The deny for a request that cannot even be handed to the engine (no HTTP attributes, headers
 * over the limit): request_malformed, from core's own mapping table (RFC 6750 §3.1
 * invalid_request, 400), so it looks exactly like the engine's own malformed-request deny.
 */
export function malformedRequestDecision(message: string, realm: string | undefined): Decision {
  const mapping = denyMapping('request_malformed');
  return {
    allow: false,
    status: mapping.status,
    reasons: [{ code: 'request_malformed', message }],
    wwwAuthenticate: bearerChallenge({ realm, error: mapping.error, description: mapping.description }),
    ...(mapping.error !== undefined ? { error: mapping.error } : {}),
    errorDescription: mapping.description,
    scopes: [],
  };
}
