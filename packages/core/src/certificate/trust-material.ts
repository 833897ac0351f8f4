import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Certificate, CertificateRevocationList } from 'pkijs';
import { CertboundError } from '../errors/certbound-error.js';
import type { CertificatesPolicy, PemSource } from '../policy/policy.js';
import { parsePemBlocks } from './pem.js';

/** The policy's trust anchors and CRLs, parsed once when the engine is created. */
export interface TrustMaterial {
  readonly anchors: readonly Certificate[];
  readonly crls: readonly CertificateRevocationList[];
}

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);
// RFC 7468 §5 names the label `X509 CRL`.
const CRL_LABELS = new Set(['X509 CRL']);

/**
 * Read `certificates.trustAnchors` and `certificates.crls`; `file:` entries resolve against baseDir.
 * A source that cannot be read or holds no block of the expected kind is a configuration error:
 * throws CertboundError('ERR_TRUST_ANCHOR') so the engine never starts with a silently empty trust store.
 */
export function readTrustMaterial(certificates: CertificatesPolicy, baseDir: string): TrustMaterial {
  const anchors = (certificates.trustAnchors ?? []).flatMap((source, index) =>
    readBlocks(source, baseDir, `certificates.trustAnchors[${index}]`, CERTIFICATE_LABELS, 'CERTIFICATE').map(
      ({ der, where }) => parse(() => Certificate.fromBER(new Uint8Array(der)), where, 'certificate'),
    ),
  );
  const crls = (certificates.crls ?? []).flatMap((source, index) =>
    readBlocks(source, baseDir, `certificates.crls[${index}]`, CRL_LABELS, 'X509 CRL').map(({ der, where }) =>
      parse(() => CertificateRevocationList.fromBER(new Uint8Array(der)), where, 'CRL'),
    ),
  );
  return { anchors, crls };
}

function readBlocks(
  source: PemSource,
  baseDir: string,
  path: string,
  labels: ReadonlySet<string>,
  expected: string,
): { der: Uint8Array; where: string }[] {
  let text: string;
  let where = path;
  if ('file' in source) {
    const file = resolve(baseDir, source.file);
    where = `${path} (${file})`;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CertboundError('ERR_TRUST_ANCHOR', `${where}: cannot read: ${(error as Error).message}`, {
        cause: error,
      });
    }
  } else {
    text = source.pem;
  }
  const blocks = parsePemBlocks(text);
  if (blocks === undefined) throw new CertboundError('ERR_TRUST_ANCHOR', `${where}: not valid PEM`);
  const wanted = blocks.filter((block) => labels.has(block.label));
  if (wanted.length === 0)
    throw new CertboundError('ERR_TRUST_ANCHOR', `${where}: holds no ${expected} block`);
  return wanted.map((block, index) => ({ der: block.der, where: `${where} block ${index + 1}` }));
}

function parse<T>(read: () => T, where: string, what: string): T {
  try {
    return read();
  } catch (error) {
    throw new CertboundError('ERR_TRUST_ANCHOR', `${where}: not a DER ${what}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
