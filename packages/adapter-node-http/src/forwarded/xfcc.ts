import { certificateFromXfcc, isXfccElementChoice, type XfccElementChoice } from '@certbound/core';
import { type ForwardedCertificateReader, headerName, headerValue } from './forwarded-certificate-reader.js';

/**
 * Envoy / Istio `x-forwarded-client-cert`. Each proxy hop may append an element; with Envoy's
 * `APPEND_FORWARD` only the last element was added by your own proxy, so that is the default.
 */
export interface XfccFormat {
  readonly format: 'xfcc';
  /** Default `x-forwarded-client-cert`. */
  readonly header?: string;
  /** Which element holds the client's certificate: `last` (default), `first`, or `{ fromEnd: n }` (0 = last). */
  readonly element?: XfccElementChoice;
}

export function xfccReader(format: XfccFormat): ForwardedCertificateReader {
  const name = headerName(format.header ?? 'x-forwarded-client-cert', 'xfcc header');
  const element = format.element ?? 'last';
  if (!isXfccElementChoice(element)) {
    throw new TypeError("xfcc element must be 'first', 'last' or { fromEnd: a non-negative integer }");
  }
  const source = `header:${name}`;
  return {
    headerNames: [name],
    source,
    read(headers) {
      const value = headerValue(headers, name);
      if (value === undefined || value.trim() === '') return undefined;
      return certificateFromXfcc(value, element, source, name);
    },
  };
}
