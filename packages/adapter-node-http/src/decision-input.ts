import type { CertificateInput, DecisionInput } from '@certbound/core';
import type { HeaderBag } from './forwarded/forwarded-certificate-reader.js';

/** What the adapter reads from a node:http / node:http2 compatibility request. */
export interface NodeRequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: HeaderBag;
  readonly rawHeaders: readonly string[];
}

/**
 * The engine's input for one request: the Authorization header(s), the certificate, method and
 * path. Node keeps only the first of repeated Authorization headers in `headers`, so they are
 * counted in `rawHeaders`: several are a malformed request the engine must see (RFC 6750 §2).
 */
export function decisionInput(
  request: NodeRequestLike,
  url: string,
  certificate: CertificateInput | undefined,
  explain: boolean,
): DecisionInput {
  return {
    authorization: authorizationValues(request),
    certificate,
    request: { method: request.method, path: url, headers: request.headers },
    explain,
  };
}

function authorizationValues(request: NodeRequestLike): string | readonly string[] | undefined {
  const first = request.headers.authorization;
  if (first === undefined) return undefined;
  const raw = request.rawHeaders;
  const all: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 13 && name.toLowerCase() === 'authorization') all.push(raw[i + 1] as string);
  }
  return all.length > 1 ? all : first;
}
