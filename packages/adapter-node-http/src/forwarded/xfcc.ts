import { type CertificateInput, hexSha256ToX5tS256, parsePemCertificates, x5tS256 } from '@certbound/core';
import {
  type ForwardedCertificateReader,
  headerName,
  headerValue,
  malformed,
} from './forwarded-certificate-reader.js';
import { percentDecode } from './percent-decode.js';

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

type XfccElement = Map<string, string[]>;

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
      return certificateOf(chosen, source, name);
    },
  };
}

function describe(element: NonNullable<XfccFormat['element']>): string {
  return typeof element === 'string' ? element : `${element.fromEnd} from the end`;
}

/** The leaf (from Cert, else the first of Chain, else Hash) and the chain of one XFCC element. */
function certificateOf(element: XfccElement, source: string, name: string): CertificateInput {
  const single = (key: string): string | undefined | Error => {
    const values = element.get(key);
    if (values === undefined) return undefined;
    if (values.length > 1) return new Error(`${name}: ${key} appears ${values.length} times in one element`);
    return values[0];
  };
  const cert = single('cert');
  const chain = single('chain');
  const hash = single('hash');
  for (const value of [cert, chain, hash])
    if (value instanceof Error) return malformed(source, value.message);

  let leaf: Uint8Array | undefined;
  let rest: Uint8Array[] = [];
  if (typeof cert === 'string') {
    const certificates = pemCertificates(cert);
    if (typeof certificates === 'string') return malformed(source, `${name}: Cert ${certificates}`);
    if (certificates.length !== 1) {
      return malformed(source, `${name}: Cert holds ${certificates.length} certificates, expected one`);
    }
    leaf = certificates[0];
  }
  if (typeof chain === 'string') {
    // Envoy's Chain is the whole chain, leaf first.
    const certificates = pemCertificates(chain);
    if (typeof certificates === 'string') return malformed(source, `${name}: Chain ${certificates}`);
    if (certificates.length === 0) return malformed(source, `${name}: Chain holds no certificate`);
    if (leaf !== undefined && !sameBytes(leaf, certificates[0] as Uint8Array)) {
      return malformed(source, `${name}: Cert is not the first certificate of Chain`);
    }
    leaf ??= certificates[0];
    rest = certificates.slice(1);
  }
  let thumbprint: string | undefined;
  if (typeof hash === 'string') {
    thumbprint = hexSha256ToX5tS256(hash);
    if (thumbprint === undefined) return malformed(source, `${name}: Hash is not a hex SHA-256`);
  }
  if (leaf !== undefined) {
    if (thumbprint !== undefined && thumbprint !== x5tS256(leaf)) {
      return malformed(source, `${name}: Hash does not match Cert`);
    }
    return { der: leaf, source, ...(rest.length > 0 ? { chain: rest } : {}) };
  }
  // Hash alone is the SHA-256 of the leaf's DER: exactly the x5t#S256 digest (RFC 8705 §3.1).
  if (thumbprint !== undefined) return { thumbprint, source };
  return malformed(source, `${name}: the element has no Cert, Chain or Hash`);
}

function pemCertificates(encoded: string): Uint8Array[] | string {
  const pem = percentDecode(encoded);
  if (pem === undefined) return 'is not valid percent-encoding';
  const certificates = parsePemCertificates(pem);
  if (certificates === undefined) return 'is not valid PEM';
  return certificates;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

/**
 * Elements of an XFCC value: `,`-separated elements of `;`-separated `key=value` pairs; keys are
 * case-insensitive; values holding `,` `;` `=` are double-quoted (with `\"` inside). Returns a
 * message when the value does not follow that grammar.
 */
export function parseXfcc(value: string): XfccElement[] | string {
  const elements: XfccElement[] = [];
  let element: XfccElement = new Map();
  let i = 0;
  const length = value.length;
  while (i <= length) {
    // key
    const equals = value.indexOf('=', i);
    if (equals < 0) return 'a pair has no "="';
    const key = value.slice(i, equals).trim().toLowerCase();
    if (!/^[a-z]+$/.test(key)) return `invalid key ${JSON.stringify(key.slice(0, 20))}`;
    i = equals + 1;
    while (value[i] === ' ') i++;
    let item: string;
    if (value[i] === '"') {
      item = '';
      i++;
      for (;;) {
        const char = value[i];
        if (char === undefined) return 'unterminated quoted value';
        if (char === '\\') {
          const next = value[i + 1];
          if (next === undefined) return 'unterminated quoted value';
          item += next;
          i += 2;
        } else if (char === '"') {
          i++;
          break;
        } else {
          item += char;
          i++;
        }
      }
      while (value[i] === ' ') i++;
    } else {
      let end = i;
      while (end < length && value[end] !== ';' && value[end] !== ',') end++;
      item = value.slice(i, end).trim();
      if (item.includes('"') || item.includes('=')) return `unquoted value of ${key} holds '"' or '='`;
      i = end;
    }
    const values = element.get(key);
    if (values) values.push(item);
    else element.set(key, [item]);
    const separator = value[i];
    if (separator === undefined) {
      elements.push(element);
      return elements;
    }
    if (separator === ',') {
      elements.push(element);
      element = new Map();
    } else if (separator !== ';') {
      return `unexpected ${JSON.stringify(separator)} after the value of ${key}`;
    }
    i++;
    while (value[i] === ' ') i++;
  }
  return 'empty pair at the end';
}
