import { certificateFromXfccElement, parseXfcc } from '@certbound/core';
import {
  type ForwardedCertificateReader,
  headerName,
  headerValue,
  malformed,
} from './forwarded-certificate-reader.js';

/**
 * Envoy / Istio `x-forwarded-client-cert`. Each proxy hop may append an element; with Envoy's
 * `APPEND_FORWARD` only the last element was added by your own proxy, so that is the default.
 */
export interface XfccFormat {
  readonly format: 'xfcc';
  /** Default `x-forwarded-client-cert`. */
  readonly header?: string;
  /** Which element holds the client's certificate: `last` (default), `first`, or `{ fromEnd: n }` (0 = last). */
  readonly element?: 'first' | 'last' | { readonly fromEnd: number };
}

export function xfccReader(format: XfccFormat): ForwardedCertificateReader {
  const name = headerName(format.header ?? 'x-forwarded-client-cert', 'xfcc header');
  const element = format.element ?? 'last';
  const fromEnd = element === 'last' ? 0 : element === 'first' ? undefined : element.fromEnd;
  if (fromEnd !== undefined && !(Number.isSafeInteger(fromEnd) && fromEnd >= 0)) {
    throw new TypeError("xfcc element must be 'first', 'last' or { fromEnd: a non-negative integer }");
  }
  const source = `header:${name}`;
  return {
    headerNames: [name],
    source,
    read(headers) {
      const value = headerValue(headers, name);
      if (value === undefined || value.trim() === '') return undefined;
      const elements = parseXfcc(value);
      if (typeof elements === 'string') return malformed(source, `${name}: ${elements}`);
      const index = fromEnd === undefined ? 0 : elements.length - 1 - fromEnd;
      const chosen = elements[index];
      if (chosen === undefined) {
        return malformed(
          source,
          `${name} has ${elements.length} element(s), no element ${describe(element)}`,
        );
      }
      return certificateFromXfccElement(chosen, source, name);
    },
  };
}

function describe(element: NonNullable<XfccFormat['element']>): string {
  return typeof element === 'string' ? element : `${element.fromEnd} from the end`;
}
