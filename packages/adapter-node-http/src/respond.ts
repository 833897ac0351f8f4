import { type Decision, denyResponseBody } from '@certbound/core';

/** The HTTP response a deny decision becomes, independent of the framework that sends it. */
export interface DenyResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The one decision → response mapping of this adapter: the decision's status, its RFC 6750 §3
 * challenge as `WWW-Authenticate`, `Retry-After` on 503 and the small JSON body from
 * `denyResponseBody` (public text only, never a reason's internal detail).
 */
export function denyResponse(decision: Decision): DenyResponse {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  };
  if (decision.wwwAuthenticate !== undefined) headers['www-authenticate'] = decision.wwwAuthenticate;
  if (decision.status === 503 && decision.retryAfter !== undefined) {
    headers['retry-after'] = String(decision.retryAfter);
  }
  return { status: decision.status, headers, body: JSON.stringify(denyResponseBody(decision)) };
}

/** The writable side of node:http, node:https and the node:http2 compatibility API. */
export interface NodeResponse {
  readonly headersSent: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

/** Send a deny response on a raw Node response (also Express's, which extends it). */
export function writeDenyResponse(res: NodeResponse, response: DenyResponse): void {
  if (res.headersSent) return;
  res.writeHead(response.status, {
    ...response.headers,
    'content-length': String(Buffer.byteLength(response.body)),
  });
  res.end(response.body);
}
