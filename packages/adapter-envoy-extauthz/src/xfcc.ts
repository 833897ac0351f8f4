import {
  type CertificateInput,
  certificateFromXfccElement,
  parseXfcc as parseXfccElements,
  type XfccElement as XfccElementFields,
} from '@certbound/core';
import type { XfccElement } from './extauthz-options.js';

export type { XfccElementFields };

/**
 * The elements of an `x-forwarded-client-cert` value (core's parser), or undefined for anything
 * that does not follow the XFCC grammar: a malformed header is never half-read.
 */
export function parseXfcc(header: string): XfccElementFields[] | undefined {
  const elements = parseXfccElements(header);
  return typeof elements === 'string' ? undefined : elements;
}

/** The element a deployment trusts: your own proxy's is the last one with APPEND_FORWARD. */
export function selectXfccElement(
  elements: readonly XfccElementFields[],
  which: XfccElement,
): XfccElementFields | undefined {
  if (which === 'first') return elements[0];
  if (which === 'last') return elements.at(-1);
  return elements[which];
}

/**
 * The client certificate an XFCC header describes, as engine input (core's reading of the chosen
 * element: Cert, else Chain, else Hash). Unreadable headers become a `certificate_malformed`
 * problem, for the engine to weigh.
 */
export function certificateFromXfcc(header: string, which: XfccElement, source: string): CertificateInput {
  const elements = parseXfccElements(header);
  if (typeof elements === 'string') {
    return {
      problem: { code: 'certificate_malformed', message: `x-forwarded-client-cert: ${elements}` },
      source,
    };
  }
  const element = selectXfccElement(elements, which);
  if (element === undefined) {
    return {
      problem: {
        code: 'certificate_malformed',
        message: `x-forwarded-client-cert has ${elements.length} element(s), no element ${which}`,
      },
      source,
    };
  }
  return certificateFromXfccElement(element, source, 'x-forwarded-client-cert');
}
