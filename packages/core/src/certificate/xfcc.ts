import type { CertificateInput } from '../decision/decision-input.js';
import { parsePemCertificates } from './pem.js';
import { percentDecode } from './percent-decode.js';
import { hexSha256ToX5tS256, x5tS256 } from './thumbprint.js';

/** One element of an `x-forwarded-client-cert` value: one proxy hop. Keys lower-cased; DNS/URI may repeat. */
export type XfccElement = ReadonlyMap<string, readonly string[]>;

const MAX_ELEMENTS = 64;

/**
 * Elements of an XFCC value (Envoy's x-forwarded-client-cert): `,`-separated elements of
 * `;`-separated `key=value` pairs; keys are case-insensitive; values holding `,` `;` `=` are
 * double-quoted (with `\"` inside). Returns a message when the value does not follow that grammar
 * or has more than 64 elements: a malformed header is never half-read. Shared by every adapter.
 */
export function parseXfcc(value: string): XfccElement[] | string {
  const elements: XfccElement[] = [];
  let element = new Map<string, string[]>();
  let i = 0;
  const length = value.length;
  while (i <= length) {
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
      if (elements.length >= MAX_ELEMENTS) return `more than ${MAX_ELEMENTS} elements`;
      element = new Map();
    } else if (separator !== ';') {
      return `unexpected ${JSON.stringify(separator)} after the value of ${key}`;
    }
    i++;
    while (value[i] === ' ') i++;
  }
  return 'empty pair at the end';
}

/**
 * The engine input one XFCC element describes: the leaf from `Cert`, else the first of `Chain`
 * (Envoy's Chain is leaf first), else `Hash` — the hex SHA-256 of the leaf's DER, i.e. the
 * x5t#S256 digest (RFC 8705 §3.1). A Hash that disagrees with Cert, repeated fields and unreadable
 * values are a `certificate_malformed` problem. `name` prefixes the messages (the header name).
 */
export function certificateFromXfccElement(
  element: XfccElement,
  source: string,
  name: string,
): CertificateInput {
  const malformed = (message: string): CertificateInput => ({
    problem: { code: 'certificate_malformed', message: `${name}: ${message}` },
    source,
  });
  const single = (key: string): string | undefined | Error => {
    const values = element.get(key);
    if (values === undefined) return undefined;
    if (values.length > 1) return new Error(`${key} appears ${values.length} times in one element`);
    return values[0];
  };
  const cert = single('cert');
  const chain = single('chain');
  const hash = single('hash');
  for (const value of [cert, chain, hash]) if (value instanceof Error) return malformed(value.message);

  let leaf: Uint8Array | undefined;
  let rest: Uint8Array[] = [];
  if (typeof cert === 'string' && cert.length > 0) {
    const certificates = pemCertificates(cert);
    if (typeof certificates === 'string') return malformed(`Cert ${certificates}`);
    if (certificates.length !== 1)
      return malformed(`Cert holds ${certificates.length} certificates, expected one`);
    leaf = certificates[0];
  }
  if (typeof chain === 'string' && chain.length > 0) {
    const certificates = pemCertificates(chain);
    if (typeof certificates === 'string') return malformed(`Chain ${certificates}`);
    if (certificates.length === 0) return malformed('Chain holds no certificate');
    if (leaf !== undefined && !Buffer.from(leaf).equals(certificates[0] as Uint8Array)) {
      return malformed('Cert is not the first certificate of Chain');
    }
    leaf ??= certificates[0];
    rest = certificates.slice(1);
  }
  let thumbprint: string | undefined;
  if (typeof hash === 'string') {
    thumbprint = hexSha256ToX5tS256(hash);
    if (thumbprint === undefined) return malformed('Hash is not a hex SHA-256 (64 hex digits)');
  }
  if (leaf !== undefined) {
    if (thumbprint !== undefined && thumbprint !== x5tS256(leaf))
      return malformed('Hash does not match Cert');
    return rest.length > 0 ? { der: leaf, source, chain: rest } : { der: leaf, source };
  }
  if (thumbprint !== undefined) return { thumbprint, source };
  return malformed('the element has no Cert, Chain or Hash');
}

function pemCertificates(encoded: string): Uint8Array[] | string {
  const pem = percentDecode(encoded);
  if (pem === undefined) return 'is not valid percent-encoding';
  const certificates = parsePemCertificates(pem);
  if (certificates === undefined) return 'is not valid PEM';
  return certificates;
}

/**
 * Which XFCC element describes the client: `first`, `last`, or `{ fromEnd: n }` (0 = last). With
 * APPEND_FORWARD each hop appends its element, so only elements counted from the end are the
 * ones your own proxies added; earlier ones came from whoever sent the request.
 */
export type XfccElementChoice = 'first' | 'last' | { readonly fromEnd: number };

export function isXfccElementChoice(value: unknown): value is XfccElementChoice {
  if (value === 'first' || value === 'last') return true;
  const fromEnd = (value as { fromEnd?: unknown } | null)?.fromEnd;
  return typeof value === 'object' && Number.isSafeInteger(fromEnd) && (fromEnd as number) >= 0;
}

/**
 * The client certificate an XFCC header value describes, from the chosen element (Cert, else
 * Chain's leaf, else Hash), as engine input. A value that is not XFCC, or lacks the element, is a
 * `certificate_malformed` problem for the engine to weigh.
 */
export function certificateFromXfcc(
  value: string,
  choice: XfccElementChoice,
  source: string,
  name: string,
): CertificateInput {
  const elements = parseXfcc(value);
  if (typeof elements === 'string')
    return { problem: { code: 'certificate_malformed', message: `${name}: ${elements}` }, source };
  const index = choice === 'first' ? 0 : elements.length - 1 - (choice === 'last' ? 0 : choice.fromEnd);
  const element = elements[index];
  if (element === undefined) {
    const which = typeof choice === 'string' ? choice : `${choice.fromEnd} from the end`;
    return {
      problem: {
        code: 'certificate_malformed',
        message: `${name} has ${elements.length} element(s), no element ${which}`,
      },
      source,
    };
  }
  return certificateFromXfccElement(element, source, name);
}
