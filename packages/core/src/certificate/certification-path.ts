import type { Certificate } from 'pkijs';
import type { SignatureCache } from './signature-cache.js';
import { certificateDigest } from './thumbprint.js';

/** A certificate of a path with its DER digest (cache key) and a name for messages. */
export interface PathCertificate {
  readonly certificate: Certificate;
  readonly digest: string;
  readonly name: string;
}

export function pathCertificate(certificate: Certificate, der: Uint8Array): PathCertificate {
  return {
    certificate,
    digest: certificateDigest(der).toString('hex'),
    name: commonName(certificate),
  };
}

/** Leaf first, trust anchor last (a leaf that is itself an anchor is a path of one). */
export type CertificationPath = readonly PathCertificate[];

export type PathOutcome =
  | { readonly kind: 'path'; readonly path: CertificationPath }
  | { readonly kind: 'untrusted'; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string };

/** RFC 5280 sets no limit; real client chains are 2–4 long. Deeper paths are refused. */
const MAX_PATH_LENGTH = 8;
/** Signature checks one call may spend, so crafted chains of look-alike issuers cannot burn CPU. */
const MAX_SIGNATURE_CHECKS = 48;

/**
 * Build a path from the leaf to a trust anchor (RFC 4158 in small): at each step the issuer is
 * chosen by name (issuer DN = subject DN) among the anchors first, then among the given
 * intermediates in any order, and kept only if its key verifies the child's signature.
 */
export async function buildCertificationPath(
  leaf: PathCertificate,
  intermediates: readonly PathCertificate[],
  anchors: readonly PathCertificate[],
  signatures: SignatureCache,
): Promise<PathOutcome> {
  if (anchors.some((anchor) => anchor.digest === leaf.digest)) return { kind: 'path', path: [leaf] };
  let budget = MAX_SIGNATURE_CHECKS;
  let badSignature: string | undefined;
  let stuckAt: PathCertificate = leaf;
  let stuckDepth = 0;
  const signedBy = async (child: PathCertificate, issuer: PathCertificate): Promise<boolean> => {
    budget--;
    const ok = await signatures.verified(`${issuer.digest}>${child.digest}`, () =>
      child.certificate.verify(issuer.certificate),
    );
    if (!ok) badSignature ??= `the signature of ${child.name} does not verify with the key of ${issuer.name}`;
    return ok;
  };
  const extend = async (path: PathCertificate[]): Promise<PathCertificate[] | undefined> => {
    const current = path[path.length - 1] as PathCertificate;
    if (path.length > stuckDepth) {
      stuckDepth = path.length;
      stuckAt = current;
    }
    for (const anchor of anchors) {
      if (budget <= 0) return undefined;
      if (current.certificate.issuer.isEqual(anchor.certificate.subject) && (await signedBy(current, anchor)))
        return [...path, anchor];
    }
    if (path.length >= MAX_PATH_LENGTH - 1) return undefined;
    for (const candidate of intermediates) {
      if (budget <= 0) return undefined;
      if (path.some((p) => p.digest === candidate.digest)) continue;
      if (!current.certificate.issuer.isEqual(candidate.certificate.subject)) continue;
      if (!(await signedBy(current, candidate))) continue;
      const found = await extend([...path, candidate]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const path = await extend([leaf]);
  if (path !== undefined) return { kind: 'path', path };
  if (budget <= 0) return { kind: 'invalid', message: 'too many candidate issuers: path building gave up' };
  if (badSignature !== undefined) return { kind: 'invalid', message: badSignature };
  return {
    kind: 'untrusted',
    message: `no path from ${leaf.name} to a trust anchor: the issuer of ${stuckAt.name} ("${distinguishedName(stuckAt.certificate.issuer)}") is neither a trust anchor nor among the given intermediates`,
  };
}

function commonName(certificate: Certificate): string {
  return `"${distinguishedName(certificate.subject)}"`;
}

/** A short readable DN for messages (CN and O only; not an RFC 4514 rendering). */
function distinguishedName(name: Certificate['subject']): string {
  const parts: string[] = [];
  for (const attribute of name.typesAndValues) {
    const label = attribute.type === '2.5.4.3' ? 'CN' : attribute.type === '2.5.4.10' ? 'O' : undefined;
    const value = (attribute.value as { valueBlock?: { value?: unknown } }).valueBlock?.value;
    if (label !== undefined && typeof value === 'string') parts.push(`${label}=${value}`);
  }
  return parts.length > 0 ? parts.join(',').slice(0, 200) : '(no CN)';
}
