import { type Decision, denyResponseBody } from '@certbound/core';

/** Reason phrases for the statuses a decision can carry (RFC 9110 §15). */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? 'Error';
}

/** Headers of every deny response: the RFC 6750 §3 challenge, JSON, never cached. */
export function denyHeaders(decision: Decision): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  };
  if (decision.wwwAuthenticate !== undefined) headers['www-authenticate'] = decision.wwwAuthenticate;
  if (decision.retryAfter !== undefined) headers['retry-after'] = String(decision.retryAfter);
  return headers;
}

export function denyBody(decision: Decision): string {
  return JSON.stringify(denyResponseBody(decision));
}
