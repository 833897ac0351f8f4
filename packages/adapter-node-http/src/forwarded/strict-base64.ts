const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Bytes of padded standard base64 (RFC 4648 §4), or undefined. Node's own decoder silently skips
 * bad characters and stops at truncation; a forwarded certificate must decode exactly or not at all.
 */
export function strictBase64(text: string): Buffer | undefined {
  if (text.length === 0 || !BASE64.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}
