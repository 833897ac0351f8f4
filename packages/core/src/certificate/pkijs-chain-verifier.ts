import { Certificate } from 'pkijs';
import { ensurePkijsEngine } from '../pki/webcrypto-engine.js';
import type { CertificatesPolicy } from '../policy/policy.js';
import type { ChainVerification, ChainVerifier } from '../ports/chain-verifier.js';
import type { Clock } from '../ports/clock.js';
import { buildCertificationPath, type PathCertificate, pathCertificate } from './certification-path.js';
import { CHAIN_CHECKS, type ChainCheckContext } from './chain-checks.js';
import { SignatureCache } from './signature-cache.js';
import { certificateDigest } from './thumbprint.js';
import { readTrustMaterial, type TrustMaterial } from './trust-material.js';

const MAX_PARSED_CERTIFICATES = 2048;

/**
 * Verifies client chains nobody else verified (e.g. ALB passthrough) with pkijs and Web Crypto:
 * builds a path to a trust anchor from intermediates in any order, then runs the named checks of
 * chain-checks.ts. Never throws: any failure, including a bug, is a `certificate_chain_invalid`.
 */
export class PkijsChainVerifier implements ChainVerifier {
  readonly #anchors: readonly PathCertificate[];
  readonly #crls: ChainCheckContext['crls'];
  readonly #clock: Clock;
  readonly #signatures = new SignatureCache();
  /** Parsed certificates by DER digest: asn1js parsing costs ~1 ms, clients resend the same chain. */
  readonly #parsed = new Map<string, PathCertificate>();

  constructor(trust: TrustMaterial, clock: Clock) {
    this.#anchors = trust.anchors.map((anchor) =>
      pathCertificate(anchor, new Uint8Array(anchor.toSchema(true).toBER(false))),
    );
    this.#crls = trust.crls.map((crl, index) => ({ crl, id: String(index) }));
    this.#clock = clock;
  }

  async verify(leaf: Uint8Array, intermediates: readonly Uint8Array[]): Promise<ChainVerification> {
    try {
      ensurePkijsEngine();
      const leafCertificate = this.#parse(leaf);
      if (leafCertificate === undefined) return invalid('the leaf is not a parsable X.509 certificate');
      const issuers: PathCertificate[] = [];
      for (const [index, der] of intermediates.entries()) {
        const certificate = this.#parse(der);
        if (certificate === undefined)
          return invalid(`chain certificate ${index + 1} is not a parsable X.509 certificate`);
        issuers.push(certificate);
      }
      const outcome = await buildCertificationPath(leafCertificate, issuers, this.#anchors, this.#signatures);
      if (outcome.kind === 'untrusted')
        return { ok: false, code: 'certificate_untrusted', message: outcome.message };
      if (outcome.kind === 'invalid') return invalid(outcome.message);
      const context: ChainCheckContext = {
        now: new Date(this.#clock.now()),
        crls: this.#crls,
        signatures: this.#signatures,
      };
      for (const check of CHAIN_CHECKS) {
        const failure = await check(outcome.path, context);
        if (failure !== undefined) return failure;
      }
      return {
        ok: true,
        code: 'certificate_chain_verified',
        message: `chain ${outcome.path.map((c) => c.name).join(' → ')} verified`,
      };
    } catch (error) {
      return invalid(`chain verification failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  #parse(der: Uint8Array): PathCertificate | undefined {
    const digest = certificateDigest(der).toString('hex');
    const known = this.#parsed.get(digest);
    if (known !== undefined) return known;
    let parsed: PathCertificate;
    try {
      parsed = pathCertificate(Certificate.fromBER(new Uint8Array(der)), der);
    } catch {
      return undefined;
    }
    if (this.#parsed.size >= MAX_PARSED_CERTIFICATES) {
      const oldest = this.#parsed.keys().next();
      if (oldest.done !== true) this.#parsed.delete(oldest.value);
    }
    this.#parsed.set(digest, parsed);
    return parsed;
  }
}

/**
 * The verifier for a policy's `certificates` section, or undefined without trust anchors (the
 * engine then answers `certificate_untrusted` to every chain it is asked to verify). Reads files
 * now; throws CertboundError('ERR_TRUST_ANCHOR') when one cannot be read.
 */
export function createChainVerifier(
  certificates: CertificatesPolicy | undefined,
  options: { baseDir: string; clock: Clock },
): ChainVerifier | undefined {
  if (certificates?.trustAnchors === undefined || certificates.trustAnchors.length === 0) return undefined;
  ensurePkijsEngine();
  return new PkijsChainVerifier(readTrustMaterial(certificates, options.baseDir), options.clock);
}

function invalid(message: string): ChainVerification {
  return { ok: false, code: 'certificate_chain_invalid', message };
}
