import type { CertificateInput, DecisionInput } from '@certbound/core';
import { percentDecode } from '@certbound/core';
import type { CheckRequest, HeaderValue } from './envoy-messages.js';
import type { ResolvedServiceOptions } from './extauthz-options.js';
import { certificateFromXfcc } from './xfcc.js';

export const PEER_CERTIFICATE_SOURCE = 'envoy:source.certificate';
export const XFCC_HEADER = 'x-forwarded-client-cert';
export const XFCC_SOURCE = `header:${XFCC_HEADER}`;

/** What a CheckRequest becomes: engine input, or the reason it cannot be one. */
export type TranslatedRequest =
  | { readonly kind: 'input'; readonly input: DecisionInput; readonly requestId: string | undefined }
  | { readonly kind: 'malformed'; readonly message: string; readonly requestId: string | undefined };

type Headers = Record<string, string | string[]>;

/**
 * CheckRequest → engine input. Token from `request.http.headers.authorization`; certificate from
 * `source.certificate` (set by Envoy from its own TLS handshake with include_peer_certificate) or,
 * only when configured as trusted, from x-forwarded-client-cert; method and path (with query)
 * from `request.http`. Never throws: anything unexpected on the wire is `malformed`.
 */
export function checkRequestToInput(
  request: CheckRequest,
  options: ResolvedServiceOptions,
): TranslatedRequest {
  const http = request?.attributes?.request?.http;
  if (http === undefined || http === null || typeof http !== 'object') {
    return {
      kind: 'malformed',
      message: 'CheckRequest has no attributes.request.http (not an HTTP request)',
      requestId: undefined,
    };
  }
  const requestId = typeof http.id === 'string' && http.id.length > 0 ? http.id : undefined;
  const headers = readHeaders(http.headers, http.header_map?.headers, options.maxRequestHeaderBytes);
  if (typeof headers === 'string') return { kind: 'malformed', message: headers, requestId };
  const certificate = peerCertificate(request.attributes?.source?.certificate, headers, options);
  return {
    kind: 'input',
    requestId,
    input: {
      authorization: headers.authorization,
      ...(certificate !== undefined ? { certificate } : {}),
      request: {
        method: typeof http.method === 'string' ? http.method : undefined,
        path: typeof http.path === 'string' ? http.path : undefined,
        headers,
      },
    },
  };
}

/** The headers as one record; a string says why they were refused (over the size limit). */
function readHeaders(
  map: Readonly<Record<string, string>> | undefined,
  raw: readonly HeaderValue[] | undefined,
  maxBytes: number,
): Headers | string {
  const headers: Headers = {};
  let bytes = 0;
  if (raw !== undefined && Array.isArray(raw)) {
    // encode_raw_headers: repeated headers arrive as separate entries, keep them apart so the
    // engine sees "several Authorization headers" as such.
    for (const entry of raw) {
      if (typeof entry?.key !== 'string') continue;
      const key = entry.key.toLowerCase();
      const value =
        entry.raw_value !== undefined && entry.raw_value.length > 0
          ? Buffer.from(entry.raw_value).toString('latin1')
          : (entry.value ?? '');
      bytes += key.length + value.length;
      if (bytes > maxBytes) return `request headers exceed ${maxBytes} bytes`;
      const existing = headers[key];
      if (existing === undefined) headers[key] = value;
      else headers[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    return headers;
  }
  if (map !== undefined && map !== null && typeof map === 'object') {
    for (const key in map) {
      const value = map[key];
      if (typeof value !== 'string') continue;
      bytes += key.length + value.length;
      if (bytes > maxBytes) return `request headers exceed ${maxBytes} bytes`;
      // Envoy lower-cases keys already; a client of ours that does not is still read right.
      headers[key.toLowerCase()] = value;
    }
  }
  return headers;
}

function peerCertificate(
  sourceCertificate: string | undefined,
  headers: Headers,
  options: ResolvedServiceOptions,
): CertificateInput | undefined {
  if (typeof sourceCertificate === 'string' && sourceCertificate.length > 0) {
    const pem = percentDecode(sourceCertificate);
    if (pem === undefined) {
      return {
        problem: { code: 'certificate_malformed', message: 'source.certificate is not URL-encoded PEM' },
        source: PEER_CERTIFICATE_SOURCE,
      };
    }
    return { pem, source: PEER_CERTIFICATE_SOURCE };
  }
  const xfcc = headers[XFCC_HEADER];
  if (xfcc === undefined) return undefined;
  if (!options.trustForwardedClientCert) {
    // RFC 8705 §6.5 leaves proxies to deployment; a header we were not told to trust is ignored,
    // and said so, because anyone can send one.
    return {
      problem: {
        code: 'certificate_source_untrusted',
        message: 'x-forwarded-client-cert is present but not configured as trusted',
      },
      source: XFCC_SOURCE,
    };
  }
  // Repeated XFCC headers are one list (RFC 9110 §5.3), as Envoy merges them.
  return certificateFromXfcc(Array.isArray(xfcc) ? xfcc.join(',') : xfcc, options.xfccElement, XFCC_SOURCE);
}
