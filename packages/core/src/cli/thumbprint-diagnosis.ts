import { createHash } from 'node:crypto';
import { parsePemBlocks, toPem } from '../certificate/pem.js';
import { decodeX5tS256 } from '../certificate/thumbprint.js';

/** What a pasted thumbprint value looks like, before comparing it with any certificate. */
export type ThumbprintForm =
  | 'x5t#S256'
  | 'hex-sha256'
  | 'base64-sha256'
  | 'hex-sha1'
  | 'base64-sha1'
  | 'malformed-x5t#S256'
  | 'unknown';

export interface ThumbprintReading {
  readonly form: ThumbprintForm;
  /** One sentence on the form, and what is wrong with it when it is not RFC 8705's. */
  readonly explanation: string;
  /** The decoded hash bytes (32 for SHA-256, 20 for SHA-1), when the form could be decoded. */
  readonly digest?: Buffer;
  /** The value converted to x5t#S256, when it is a SHA-256 in another encoding. */
  readonly x5tS256?: string;
}

/** One way of hashing a certificate a user may have used; exactly one of them is RFC 8705's. */
export interface CertificateDigestCandidate {
  readonly what: string;
  readonly digest: Buffer;
  readonly correct: boolean;
}

const HEX = /^[0-9A-Fa-f]+$/;
const BASE64ISH = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Recognise a thumbprint as users paste it: `openssl x509 -fingerprint` output (`sha256
 * Fingerprint=AB:CD:...`), bare hex (XFCC `Hash`, CloudFront), padded or standard base64, SHA-1
 * (`x5t`, not `x5t#S256`), or the RFC 8705 §3.1 form: 43 characters of unpadded base64url.
 */
export function readThumbprintValue(raw: string): ThumbprintReading {
  const value = raw
    .trim()
    .replace(/^(sha-?(1|256)\s+fingerprint|x5t(#S256)?|cnf\.x5t#S256)\s*[=:]\s*/i, '')
    .replace(/^"(.*)"$/, '$1');
  const compact = /^([0-9A-Fa-f]{2}:)+[0-9A-Fa-f]{2}$/.test(value) ? value.replaceAll(':', '') : value;
  if (HEX.test(compact) && compact.length === 64) {
    const digest = Buffer.from(compact, 'hex');
    return {
      form: 'hex-sha256',
      explanation:
        'a SHA-256 in hex (64 hex digits), as openssl, Envoy XFCC Hash and CloudFront print it; ' +
        'RFC 8705 §3.1 wants the same 32 bytes as unpadded base64url',
      digest,
      x5tS256: digest.toString('base64url'),
    };
  }
  if (HEX.test(compact) && compact.length === 40) {
    return {
      form: 'hex-sha1',
      explanation:
        'a SHA-1 in hex (40 hex digits), e.g. a Windows or `openssl -fingerprint` default thumbprint; ' +
        'RFC 8705 binds with SHA-256 and cannot use it: compute the SHA-256 of the certificate instead',
      digest: Buffer.from(compact, 'hex'),
    };
  }
  if (decodeX5tS256(value) !== undefined) {
    return {
      form: 'x5t#S256',
      explanation: 'the RFC 8705 §3.1 form: 43 characters of unpadded base64url (SHA-256 of the DER)',
      digest: Buffer.from(value, 'base64url'),
      x5tS256: value,
    };
  }
  if (BASE64ISH.test(value)) {
    const body = value.replace(/=+$/, '');
    const padded = value.endsWith('=');
    const standard = /[+/]/.test(value);
    const mixed = standard && /[-_]/.test(value);
    const bytes = mixed ? undefined : Buffer.from(body, standard ? 'base64' : 'base64url');
    const wrongs = [padded ? 'padded with =' : '', standard ? 'standard base64 (+ and /)' : '']
      .filter(Boolean)
      .join(' and ');
    if (bytes?.length === 32 && body.length === 43 && (padded || standard)) {
      return {
        form: 'base64-sha256',
        explanation: `a SHA-256 in base64, but ${wrongs}; RFC 8705 §3.1 wants base64url without padding`,
        digest: bytes,
        x5tS256: bytes.toString('base64url'),
      };
    }
    if (bytes?.length === 20 && body.length === 27) {
      return {
        form: 'base64-sha1',
        explanation:
          'a SHA-1 in base64 (27 characters): that is `x5t`, not `x5t#S256`; RFC 8705 binds with SHA-256',
        digest: bytes,
      };
    }
    if (body.length === 43 && !padded && !standard) {
      return {
        form: 'malformed-x5t#S256',
        explanation:
          '43 base64url characters, but the last one leaves stray bits: not a canonical encoding of 32 bytes',
      };
    }
  }
  return {
    form: 'unknown',
    explanation: `not a thumbprint form certbound knows (${value.length} characters); x5t#S256 is 43 base64url characters`,
  };
}

/**
 * The digests a user may have computed from a certificate file: the right one (SHA-256 of the
 * leaf's DER) and the usual wrong ones — the PEM text, the base64 inside it, SHA-1, or another
 * certificate of the chain (only the leaf is hashed).
 */
export function certificateDigestCandidates(
  fileBytes: Uint8Array,
  leafAndChain: readonly Uint8Array[],
): CertificateDigestCandidate[] {
  const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
  const [leaf, ...chain] = leafAndChain;
  if (leaf === undefined) return [];
  const candidates: CertificateDigestCandidate[] = [
    {
      what: "SHA-256 of the leaf certificate's DER (the RFC 8705 x5t#S256)",
      digest: sha256(leaf),
      correct: true,
    },
    {
      what: "SHA-1 of the leaf certificate's DER",
      digest: createHash('sha1').update(leaf).digest(),
      correct: false,
    },
  ];
  chain.forEach((der, index) => {
    candidates.push({
      what: `SHA-256 of certificate #${index + 2} in the file (an issuer), not of the leaf (the first one)`,
      digest: sha256(der),
      correct: false,
    });
  });
  const fileText = Buffer.from(fileBytes).toString('latin1');
  const pemTexts = new Set<string>([toPem(leaf)]);
  if (fileText.includes('-----BEGIN')) {
    pemTexts.add(fileText);
    pemTexts.add(fileText.replace(/\r\n/g, '\n'));
    const block = /-----BEGIN [A-Z0-9 ]+-----[^-]*-----END [A-Z0-9 ]+-----/.exec(fileText)?.[0];
    if (block !== undefined) {
      pemTexts.add(block);
      pemTexts.add(`${block}\n`);
    }
  }
  for (const text of pemTexts) {
    candidates.push({
      what: 'SHA-256 of the PEM text, not of the DER it encodes',
      digest: sha256(text),
      correct: false,
    });
    candidates.push({
      what: 'SHA-256 of the PEM text, not of the DER it encodes',
      digest: sha256(text.trimEnd()),
      correct: false,
    });
    const body = /-----BEGIN [A-Z0-9 ]+-----([^-]*)-----END/.exec(text)?.[1];
    if (body !== undefined) {
      candidates.push({
        what: 'SHA-256 of the base64 text inside the PEM, not of the decoded DER',
        digest: sha256(body.replace(/\s+/g, '')),
        correct: false,
      });
      candidates.push({
        what: 'SHA-256 of the base64 text inside the PEM (with its line breaks), not of the decoded DER',
        digest: sha256(body.trim()),
        correct: false,
      });
    }
  }
  return candidates;
}

/** The certificates in a file: every PEM CERTIFICATE block, or the whole file as one DER. */
export function certificatesInFile(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (!text.includes('-----BEGIN')) return bytes.length > 0 ? [bytes] : [];
  return (parsePemBlocks(text) ?? [])
    .filter((block) => block.label === 'CERTIFICATE' || block.label === 'X509 CERTIFICATE')
    .map((block) => block.der);
}
