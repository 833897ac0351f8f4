const MAX_PEM_LENGTH = 256 * 1024;
const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \1-----/g;
const BASE64_BODY = /^[A-Za-z0-9+/]+={0,2}$/;

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

/**
 * The PEM blocks in a text (RFC 7468), in order. Text outside blocks is ignored; a block whose body
 * is not strict base64 makes the whole text unreadable (undefined) rather than silently skipped.
 */
export function parsePemBlocks(text: string): PemBlock[] | undefined {
  if (text.length > MAX_PEM_LENGTH) return undefined;
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const body = (match[2] as string).replace(/\s+/g, '');
    if (body.length === 0 || body.length % 4 !== 0 || !BASE64_BODY.test(body)) return undefined;
    blocks.push({ label: match[1] as string, der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

/** DER of every CERTIFICATE block; undefined if the text is unreadable or holds other kinds of blocks only. */
export function parsePemCertificates(text: string): Uint8Array[] | undefined {
  const blocks = parsePemBlocks(text);
  if (blocks === undefined) return undefined;
  return blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE').map((b) => b.der);
}

/** PEM text of a DER certificate. */
export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const body = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${body}${body.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}
