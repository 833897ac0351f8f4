/**
 * Decode a URL-encoded PEM as Envoy writes it (source.certificate, XFCC `Cert`,
 * %DOWNSTREAM_PEER_CERT%): percent-decoding only. Form decoding (`+` → space) would corrupt the
 * base64. Undefined when the percent-encoding is broken.
 */
export function decodeUrlEncodedPem(value: string): string | undefined {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
