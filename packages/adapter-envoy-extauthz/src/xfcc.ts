import { type CertificateInput, hexSha256ToX5tS256 } from '@certbound/core';
import type { XfccElement } from './extauthz-options.js';
import { decodeUrlEncodedPem } from './url-encoded-pem.js';

/** One XFCC element: one proxy hop's view of its client. Keys lower-cased; `DNS`/`URI` may repeat. */
export type XfccElementFields = ReadonlyMap<string, readonly string[]>;

const MAX_ELEMENTS = 64;

/**
 * Parse an `x-forwarded-client-cert` value: elements separated by `,`, each a `;`-separated list of
 * `key=value` pairs; keys are case-insensitive; a value containing `,` `;` or `=` is double-quoted
 * (and `"` inside it backslash-escaped). Returns undefined for anything that does not follow that
 * grammar: a malformed header is never half-read.
 */
export function parseXfcc(header: string): XfccElementFields[] | undefined {
  const elements: XfccElementFields[] = [];
  let fields = new Map<string, string[]>();
  let i = 0;
  const n = header.length;
  for (;;) {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
    // key
    const keyStart = i;
    while (i < n && header[i] !== '=' && header[i] !== ';' && header[i] !== ',') i++;
    const key = header.slice(keyStart, i).trim().toLowerCase();
    if (key.length === 0 || header[i] !== '=') return undefined;
    i++;
    // value: quoted or bare
    let value = '';
    if (header[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = header[i] as string;
        if (c === '\\' && i + 1 < n) {
          value += header[i + 1];
          i += 2;
        } else if (c === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) return undefined;
      while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
    } else {
      const valueStart = i;
      while (i < n && header[i] !== ';' && header[i] !== ',') i++;
      value = header.slice(valueStart, i).trim();
      if (value.includes('"')) return undefined;
    }
    const existing = fields.get(key);
    if (existing) existing.push(value);
    else fields.set(key, [value]);
    if (i >= n) {
      elements.push(fields);
      return elements;
    }
    const separator = header[i];
    i++;
    if (separator === ',') {
      elements.push(fields);
      if (elements.length >= MAX_ELEMENTS) return undefined;
      fields = new Map();
    } else if (separator !== ';') {
      return undefined;
    }
  }
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
 * The client certificate an XFCC header describes, as engine input: the `Cert` field (URL-encoded
 * PEM) when present, else `Hash` (hex SHA-256 of the DER, i.e. x5t#S256 in hex) as a thumbprint.
 * Unreadable headers become a `certificate_malformed` problem, for the engine to weigh.
 */
export function certificateFromXfcc(header: string, which: XfccElement, source: string): CertificateInput {
  const malformed = (message: string): CertificateInput => ({
    problem: { code: 'certificate_malformed', message },
    source,
  });
  const elements = parseXfcc(header);
  if (elements === undefined) return malformed('x-forwarded-client-cert is not a valid XFCC value');
  const element = selectXfccElement(elements, which);
  if (element === undefined)
    return malformed(`x-forwarded-client-cert has ${elements.length} element(s), no element ${which}`);
  const cert = element.get('cert');
  const hash = element.get('hash');
  if ((cert?.length ?? 0) > 1 || (hash?.length ?? 0) > 1)
    return malformed('x-forwarded-client-cert element repeats Cert or Hash');
  const certValue = cert?.[0];
  if (certValue !== undefined && certValue.length > 0) {
    const pem = decodeUrlEncodedPem(certValue);
    if (pem === undefined) return malformed('x-forwarded-client-cert Cert is not URL-encoded PEM');
    return { pem, source };
  }
  const hashValue = hash?.[0];
  if (hashValue !== undefined) {
    const thumbprint = hexSha256ToX5tS256(hashValue);
    if (thumbprint === undefined)
      return malformed('x-forwarded-client-cert Hash is not a hex SHA-256 (64 hex digits)');
    return { thumbprint, source };
  }
  return malformed('x-forwarded-client-cert element has neither Cert nor Hash');
}
