import {
  type CertificateInput,
  certificateFromXfcc as coreCertificateFromXfcc,
  parseXfcc as parseXfccElements,
  type XfccElementChoice,
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

/**
 * The client certificate an XFCC header describes, as engine input (core's reading of the chosen
 * element: Cert, else Chain, else Hash). Unreadable headers become a `certificate_malformed`
 * problem, for the engine to weigh.
 */
export function certificateFromXfcc(header: string, which: XfccElement, source: string): CertificateInput {
  return coreCertificateFromXfcc(header, asChoice(which), source, 'x-forwarded-client-cert');
}

/** The option as core's choice: a number counts from the end (0 = last), never from the start. */
function asChoice(which: XfccElement): XfccElementChoice {
  return typeof which === 'number' ? { fromEnd: which } : which;
}
