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
 * path. Read from `rawHeaders`: Node keeps only the first of repeated Authorization headers in
 * `headers` (and builds that object lazily, a cost the hot path need not pay); several are a
 * malformed request the engine must see (RFC 6750 §2).
 */
export function decisionInput(
  request: NodeRequestLike,
  url: string,
  certificate: CertificateInput | undefined,
  explain: boolean,
): DecisionInput {
  return {
    authorization: authorizationValues(request.rawHeaders),
    certificate,
    request: { method: request.method, path: url },
    explain,
  };
}

function authorizationValues(raw: readonly string[]): string | readonly string[] | undefined {
  let first: string | undefined;
  let all: string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length !== 13 || name.toLowerCase() !== 'authorization') continue;
    const value = raw[i + 1] as string;
    if (first === undefined) first = value;
    else if (all === undefined) all = [first, value];
    else all.push(value);
  }
  return all ?? first;
}
