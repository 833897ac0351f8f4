import {
  type CertificateAuthority,
  createCertificateAuthority,
  type IssuedCertificate,
  issueCrl,
} from '@certbound/core';

/** root → intermediate → clients, plus the odd certificates the passthrough tests need. */
export interface TestPki {
  readonly root: CertificateAuthority;
  readonly intermediate: CertificateAuthority;
  readonly client: IssuedCertificate;
  readonly otherClient: IssuedCertificate;
  readonly expiredClient: IssuedCertificate;
  readonly revokedClient: IssuedCertificate;
  /** A client of a CA the policy does not trust. */
  readonly strangerClient: IssuedCertificate;
  readonly strangerIntermediate: CertificateAuthority;
  /** root → A → B → deep client, for out-of-order chains. */
  readonly intermediateA: CertificateAuthority;
  readonly intermediateB: CertificateAuthority;
  readonly deepClient: IssuedCertificate;
  /** CRL of the intermediate listing revokedClient. */
  readonly crlPem: string;
}

const DAY = 86_400_000;

export async function createTestPki(): Promise<TestPki> {
  const root = await createCertificateAuthority({ commonName: 'lambda test root' });
  const intermediate = await root.intermediate('lambda test intermediate');
  const client = await intermediate.issue({ commonName: 'client-a' });
  const otherClient = await intermediate.issue({ commonName: 'client-b' });
  const expiredClient = await intermediate.issue({
    commonName: 'client-expired',
    notBefore: new Date(Date.now() - 30 * DAY),
    notAfter: new Date(Date.now() - DAY),
  });
  const revokedClient = await intermediate.issue({ commonName: 'client-revoked' });
  const stranger = await createCertificateAuthority({ commonName: 'stranger root' });
  const strangerIntermediate = await stranger.intermediate('stranger intermediate');
  const strangerClient = await strangerIntermediate.issue({ commonName: 'client-a' });
  const intermediateA = await root.intermediate('intermediate A');
  const intermediateB = await intermediateA.intermediate('intermediate B');
  const deepClient = await intermediateB.issue({ commonName: 'client-deep' });
  const crl = await issueCrl(intermediate, { revoked: [{ certificate: revokedClient }] });
  return {
    root,
    intermediate,
    client,
    otherClient,
    expiredClient,
    revokedClient,
    strangerClient,
    strangerIntermediate,
    intermediateA,
    intermediateB,
    deepClient,
    crlPem: crl.pem,
  };
}
