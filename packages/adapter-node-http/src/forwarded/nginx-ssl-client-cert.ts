import {
  type CertificateInput,
  parsePemCertificates,
  percentDecode,
  type TransportVerdict,
} from '@certbound/core';
import {
  type ForwardedCertificateReader,
  headerName,
  headerValue,
  malformed,
} from './forwarded-certificate-reader.js';

/**
 * nginx `proxy_set_header ssl-client-cert $ssl_client_escaped_cert` and ingress-nginx
 * `auth-tls-pass-certificate-to-upstream`: the leaf as URL-encoded PEM. `$ssl_client_verify`
 * (`SUCCESS`, `FAILED:reason`, `NONE`), when forwarded, becomes the transport verdict.
 */
export interface NginxFormat {
  readonly format: 'nginx';
  /** Default `ssl-client-cert` (ingress-nginx's name). */
  readonly header?: string;
  /** Header carrying `$ssl_client_verify`; default `ssl-client-verify`; `false` to ignore it. */
  readonly verifyHeader?: string | false;
}

export function nginxReader(format: NginxFormat): ForwardedCertificateReader {
  const name = headerName(format.header ?? 'ssl-client-cert', 'nginx header');
  const verifyName =
    format.verifyHeader === false
      ? undefined
      : headerName(format.verifyHeader ?? 'ssl-client-verify', 'nginx verifyHeader');
  const source = `header:${name}`;
  return {
    headerNames: verifyName === undefined ? [name] : [name, verifyName],
    source,
    read(headers) {
      const value = headerValue(headers, name);
      if (value === undefined || value.trim() === '') return undefined;
      const pem = percentDecode(value);
      if (pem === undefined) return malformed(source, `${name} is not valid percent-encoding`);
      const certificates = parsePemCertificates(pem);
      if (certificates === undefined) return malformed(source, `${name} is not valid PEM`);
      if (certificates.length !== 1) {
        return malformed(source, `${name} holds ${certificates.length} certificates, expected one`);
      }
      const transport = verifyName === undefined ? undefined : verdict(headerValue(headers, verifyName));
      const input: CertificateInput = { der: certificates[0] as Uint8Array, source };
      return transport === undefined ? input : { ...input, transport };
    },
  };
}

function verdict(value: string | undefined): TransportVerdict | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === 'SUCCESS') return { verified: true };
  return { verified: false, error: trimmed.slice(0, 200) || 'empty ssl-client-verify' };
}
