import {
  type CertificateInput,
  type DecisionInput,
  parsePemCertificates,
  percentDecode,
} from '@certbound/core';
import { type EventHeaders, readEventHeaders } from './event-headers.js';

/** ALB listener mTLS modes that hand the target a certificate (`off` hands none). */
export type AlbMode = 'alb-verify' | 'alb-passthrough';

export interface AlbHeaderNames {
  /** verify mode: URL-encoded PEM of the leaf. Default `x-amzn-mtls-clientcert-leaf`. */
  readonly leaf: string;
  /** passthrough mode: URL-encoded PEM of the chain, leaf first. Default `x-amzn-mtls-clientcert`. */
  readonly chain: string;
}

export const DEFAULT_ALB_HEADER_NAMES: AlbHeaderNames = {
  leaf: 'x-amzn-mtls-clientcert-leaf',
  chain: 'x-amzn-mtls-clientcert',
};

/** Longest certificate header read; a 3-certificate chain is ~6 KiB URL-encoded. */
export const MAX_CERTIFICATE_HEADER_LENGTH = 64 * 1024;

export interface AlbEvent {
  readonly httpMethod?: unknown;
  readonly path?: unknown;
  readonly headers?: unknown;
  readonly multiValueHeaders?: unknown;
  readonly requestContext?: { readonly elb?: unknown };
}

/** The engine input for a request an ALB forwarded to a Lambda target. */
export function albDecisionInput(
  event: AlbEvent,
  mode: AlbMode,
  names: AlbHeaderNames,
): { input: DecisionInput; headers: EventHeaders } {
  const headers = readEventHeaders(event);
  return {
    headers,
    input: {
      // One value as a string, repeated ones as a list (the engine denies those as malformed).
      authorization: headers.record.authorization,
      certificate:
        mode === 'alb-verify' ? verifiedLeaf(headers, names.leaf) : passthroughChain(headers, names.chain),
      request: {
        method: typeof event.httpMethod === 'string' ? event.httpMethod : undefined,
        path: typeof event.path === 'string' ? event.path : undefined,
        headers: headers.record,
      },
    },
  };
}

/** verify: ALB checked the chain against its trust store; only the leaf is needed (RFC 8705 §6.2). */
function verifiedLeaf(headers: EventHeaders, name: string): CertificateInput | undefined {
  const source = 'alb-verify';
  const text = readCertificateHeader(headers, name);
  if (text === undefined) return undefined;
  if (typeof text !== 'string') return { problem: text, source };
  // The engine reads the PEM and rejects anything but exactly one certificate.
  return { pem: text, source };
}

/** passthrough: ALB verified nothing, so the engine must build and verify the chain. */
function passthroughChain(headers: EventHeaders, name: string): CertificateInput | undefined {
  const source = 'alb-passthrough';
  const text = readCertificateHeader(headers, name);
  if (text === undefined) return undefined;
  if (typeof text !== 'string') return { problem: text, source };
  const certificates = parsePemCertificates(text);
  if (certificates === undefined || certificates.length === 0)
    return { problem: malformed(`${name} holds no readable PEM certificate`), source };
  const [leaf, ...chain] = certificates as [Uint8Array, ...Uint8Array[]];
  return { der: leaf, chain, verifyChain: true, source };
}

type HeaderProblem = { readonly code: 'certificate_malformed'; readonly message: string };

/** The percent-decoded header text; undefined when absent; a problem when unusable. */
function readCertificateHeader(headers: EventHeaders, name: string): string | HeaderProblem | undefined {
  const values = headers.all(name);
  if (values.length === 0) return undefined;
  if (values.length > 1) return malformed(`${name} appears ${values.length} times`);
  const raw = values[0] as string;
  if (raw.trim().length === 0) return malformed(`${name} is present but empty`);
  if (raw.length > MAX_CERTIFICATE_HEADER_LENGTH)
    return malformed(`${name} is longer than ${MAX_CERTIFICATE_HEADER_LENGTH} characters`);
  return percentDecode(raw) ?? malformed(`${name} is not valid percent-encoding`);
}

function malformed(message: string): HeaderProblem {
  return { code: 'certificate_malformed', message };
}
