import type { CertificateInput } from '@certbound/core';

/** Request headers as Node gives them (lower-case names; repeated unknown headers joined by `, `). */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Reads the client certificate a TLS-terminating proxy forwarded in one header format. */
export interface ForwardedCertificateReader {
  /** Lower-case names of the headers this format uses; their presence from an untrusted peer is reported. */
  readonly headerNames: readonly string[];
  /** `header:<name>` of the certificate header, for the decision's `certificate.source`. */
  readonly source: string;
  /**
   * The certificate input for the engine; undefined when the proxy sent no certificate header.
   * Never throws: an unreadable value is `{ problem: { code: 'certificate_malformed', ... } }`.
   */
  read(headers: HeaderBag): CertificateInput | undefined;
}

/** One header's value; several values (an array) are joined as Node joins repeated headers. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}

export function malformed(source: string, message: string): CertificateInput {
  return { problem: { code: 'certificate_malformed', message }, source };
}

/** Lower-case header name, checked against RFC 9110 §5.1 token characters. */
export function headerName(name: unknown, what: string): string {
  if (typeof name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
    throw new TypeError(`${what} must be an HTTP header name`);
  }
  return name.toLowerCase();
}
