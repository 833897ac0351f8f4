/**
 * Strict percent-decoding (RFC 3986 §2.1), as proxies URL-encode PEM (ALB, Envoy, nginx): `+`, `/`
 * and `=` stay literal. Never form decoding: `+` → space would corrupt the base64. Undefined on a
 * bad escape or bytes that are not UTF-8.
 */
export function percentDecode(text: string): string | undefined {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
