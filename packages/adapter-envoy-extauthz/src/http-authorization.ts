import type { IncomingMessage } from 'node:http';
import {
  type CertificateInput,
  type Decision,
  type DecisionInput,
  denyResponseBody,
  percentDecode,
} from '@certbound/core';
import type { TranslatedRequest } from './check-request.js';
import type { ResolvedServiceOptions } from './extauthz-options.js';
import { upstreamHeaders } from './upstream-headers.js';
import { certificateFromXfcc } from './xfcc.js';

/** Envoy's HTTP ext_authz reads this response header as the list of request headers to drop. */
export const ENVOY_HEADERS_TO_REMOVE = 'x-envoy-auth-headers-to-remove';

/**
 * Envoy's HTTP authorization request → engine input. Envoy sends the original method and path
 * (with query) and only the allowed headers; the certificate comes from the one configured header
 * (XFCC, or a header Envoy fills with %DOWNSTREAM_PEER_CERT%), which Envoy itself sets and so is
 * trusted by configuration.
 */
export function httpRequestToInput(
  request: IncomingMessage,
  options: ResolvedServiceOptions,
): TranslatedRequest {
  const requestId = firstValue(request.headersDistinct['x-request-id']);
  let bytes = 0;
  for (const part of request.rawHeaders) bytes += part.length;
  if (bytes > options.maxRequestHeaderBytes) {
    return {
      kind: 'malformed',
      message: `request headers exceed ${options.maxRequestHeaderBytes} bytes`,
      requestId,
    };
  }
  // headersDistinct keeps repeated Authorization headers apart (req.headers drops all but one).
  const authorization = request.headersDistinct.authorization;
  const input: DecisionInput = {
    authorization:
      authorization === undefined ? undefined : authorization.length === 1 ? authorization[0] : authorization,
    ...certificateInput(request, options),
    request: {
      method: request.method,
      path: request.url,
      headers: request.headers as Record<string, string>,
    },
  };
  return { kind: 'input', input, requestId };
}

function firstValue(values: string[] | undefined): string | undefined {
  return values !== undefined && values.length > 0 ? values[0] : undefined;
}

function certificateInput(
  request: IncomingMessage,
  options: ResolvedServiceOptions,
): { certificate?: CertificateInput } {
  const configured = options.httpCertificateHeader;
  if (configured === undefined) return {};
  const values = request.headersDistinct[configured.name];
  if (values === undefined || values.length === 0) return {};
  const source = `header:${configured.name}`;
  if (configured.format === 'xfcc') {
    return { certificate: certificateFromXfcc(values.join(','), options.xfccElement, source) };
  }
  if (values.length > 1 || values[0] === undefined) {
    return {
      certificate: {
        problem: { code: 'certificate_malformed', message: `${configured.name} is repeated` },
        source,
      },
    };
  }
  if (values[0].length === 0) return {};
  const pem = percentDecode(values[0]);
  if (pem === undefined) {
    return {
      certificate: {
        problem: { code: 'certificate_malformed', message: `${configured.name} is not URL-encoded PEM` },
        source,
      },
    };
  }
  return { certificate: { pem, source } };
}

export interface HttpAuthorizationResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Decision → HTTP authorization response, the only place the HTTP mode maps outcomes. 200 allows
 * (Envoy copies the headers named in allowed_upstream_headers to the upstream request); any
 * other status denies and Envoy returns it, with these headers and body, to the client.
 */
export function decisionToHttpResponse(
  decision: Decision,
  options: ResolvedServiceOptions,
): HttpAuthorizationResponse {
  if (decision.allow) {
    const headers: Record<string, string> = {};
    const remove: string[] = [];
    for (const { name, value } of upstreamHeaders(decision, options)) {
      if (value === undefined) remove.push(name);
      else headers[name] = value;
    }
    if (options.removeAuthorization) remove.push('authorization');
    if (remove.length > 0) headers[ENVOY_HEADERS_TO_REMOVE] = remove.join(',');
    return { status: 200, headers, body: '' };
  }
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  };
  if (decision.wwwAuthenticate !== undefined) headers['www-authenticate'] = decision.wwwAuthenticate;
  if (decision.retryAfter !== undefined) headers['retry-after'] = String(decision.retryAfter);
  return { status: decision.status, headers, body: JSON.stringify(denyResponseBody(decision)) };
}
