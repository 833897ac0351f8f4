import { OptionsError } from '@certbound/core';

/**
 * Which XFCC element carries the client certificate: with APPEND_FORWARD, your own proxy's is the
 * last. A number counts from the end (0 = last, 1 = the one before): elements counted from the
 * start may come from whoever sent the request.
 */
export type XfccElement = 'first' | 'last' | number;

/** Decision fields that can be passed to the upstream as request headers on allow. */
export const UPSTREAM_FIELDS = ['subject', 'clientId', 'issuer', 'thumbprint', 'scopes', 'mode'] as const;
export type UpstreamField = (typeof UPSTREAM_FIELDS)[number];

export interface ExtAuthzServiceOptions {
  /**
   * Trust `x-forwarded-client-cert` on gRPC Checks. Only when your Envoy sanitizes or sets it
   * (forward_client_cert_details SANITIZE_SET / APPEND_FORWARD): otherwise anyone can claim any
   * certificate. `attributes.source.certificate`, when present, always wins. Default false.
   */
  readonly trustForwardedClientCert?: boolean;
  /** Which XFCC element to read. Default `last`. */
  readonly xfccElement?: XfccElement;
  /**
   * HTTP mode: the header Envoy puts the client certificate in (it must be in the filter's
   * allowed_headers / headers_to_add). Absent: HTTP-mode requests carry no certificate.
   */
  readonly httpCertificateHeader?: {
    readonly name: string;
    /** `xfcc`: an x-forwarded-client-cert value; `pem`: URL-encoded PEM (%DOWNSTREAM_PEER_CERT%). */
    readonly format: 'xfcc' | 'pem';
  };
  /** Request headers added for the upstream on allow, e.g. `{ subject: 'x-certbound-subject' }`. */
  readonly upstreamHeaders?: Readonly<Partial<Record<UpstreamField, string>>>;
  /** Remove the Authorization header before the request goes upstream. Default false. */
  readonly removeAuthorization?: boolean;
  /** Requests whose headers add up to more bytes are denied as malformed. Default 65536 (Envoy: 60 KiB). */
  readonly maxRequestHeaderBytes?: number;
}

export interface ResolvedServiceOptions {
  readonly trustForwardedClientCert: boolean;
  readonly xfccElement: XfccElement;
  readonly httpCertificateHeader: { readonly name: string; readonly format: 'xfcc' | 'pem' } | undefined;
  /** [field, lower-case header name] */
  readonly upstreamHeaders: readonly (readonly [UpstreamField, string])[];
  readonly removeAuthorization: boolean;
  readonly maxRequestHeaderBytes: number;
}

const HEADER_NAME = /^[a-z0-9!#$%&'*+\-.^_`|~]{1,256}$/;

/** Validate service options (from code or the config file's `extauthz` section); misuse throws OptionsError. */
export function resolveServiceOptions(options: ExtAuthzServiceOptions = {}): ResolvedServiceOptions {
  if (options === null || typeof options !== 'object')
    throw new OptionsError('extauthz options must be an object');
  const known = new Set([
    'trustForwardedClientCert',
    'xfccElement',
    'httpCertificateHeader',
    'upstreamHeaders',
    'removeAuthorization',
    'maxRequestHeaderBytes',
  ]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new OptionsError(`extauthz.${key} is not a known option`);
  }
  const trust = options.trustForwardedClientCert ?? false;
  if (typeof trust !== 'boolean')
    throw new OptionsError('extauthz.trustForwardedClientCert must be a boolean');
  const element = options.xfccElement ?? 'last';
  if (element !== 'first' && element !== 'last' && !(Number.isInteger(element) && (element as number) >= 0)) {
    throw new OptionsError('extauthz.xfccElement must be "first", "last" or a 0-based index from the end');
  }
  let certificateHeader: ResolvedServiceOptions['httpCertificateHeader'];
  if (options.httpCertificateHeader !== undefined) {
    const { name, format } = options.httpCertificateHeader as { name?: unknown; format?: unknown };
    if (typeof name !== 'string' || !HEADER_NAME.test(name.toLowerCase()))
      throw new OptionsError('extauthz.httpCertificateHeader.name must be a header name');
    if (format !== 'xfcc' && format !== 'pem')
      throw new OptionsError('extauthz.httpCertificateHeader.format must be "xfcc" or "pem"');
    certificateHeader = { name: name.toLowerCase(), format };
  }
  const upstream: [UpstreamField, string][] = [];
  const headers = options.upstreamHeaders ?? {};
  if (headers === null || typeof headers !== 'object')
    throw new OptionsError('extauthz.upstreamHeaders must be an object');
  for (const [field, header] of Object.entries(headers)) {
    if (!(UPSTREAM_FIELDS as readonly string[]).includes(field))
      throw new OptionsError(`extauthz.upstreamHeaders.${field}: one of ${UPSTREAM_FIELDS.join(', ')}`);
    if (typeof header !== 'string' || !HEADER_NAME.test(header.toLowerCase()) || header.startsWith(':'))
      throw new OptionsError(`extauthz.upstreamHeaders.${field} must be a header name`);
    if (header.toLowerCase() === 'authorization' || header.toLowerCase() === 'host')
      throw new OptionsError(`extauthz.upstreamHeaders.${field} cannot be ${header}`);
    upstream.push([field as UpstreamField, header.toLowerCase()]);
  }
  const remove = options.removeAuthorization ?? false;
  if (typeof remove !== 'boolean') throw new OptionsError('extauthz.removeAuthorization must be a boolean');
  const maxBytes = options.maxRequestHeaderBytes ?? 65_536;
  if (!Number.isInteger(maxBytes) || maxBytes < 1024 || maxBytes > 8 * 1024 * 1024)
    throw new OptionsError('extauthz.maxRequestHeaderBytes must be an integer in [1024, 8388608]');
  return {
    trustForwardedClientCert: trust,
    xfccElement: element,
    httpCertificateHeader: certificateHeader,
    upstreamHeaders: upstream,
    removeAuthorization: remove,
    maxRequestHeaderBytes: maxBytes,
  };
}
