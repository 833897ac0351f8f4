import {
  type CertificateAuthority,
  createCertificateAuthority,
  type IssuedCertificate,
} from '@certbound/core';

/** The certificates every end-to-end test uses, generated fresh: nothing is checked in. */
export interface TestPki {
  readonly ca: CertificateAuthority;
  /** TLS server certificate for 127.0.0.1 / localhost. */
  readonly server: IssuedCertificate;
  /** The client the bound token is bound to. */
  readonly client: IssuedCertificate;
  /** Another valid client of the same CA. */
  readonly other: IssuedCertificate;
  /** Same subject and SANs as `client`, another key: another thumbprint. */
  readonly sameSubjectOtherKey: IssuedCertificate;
  /** A client certificate from a CA the server does not trust (TLS verdict: not authorized). */
  readonly foreign: IssuedCertificate;
}

export async function createTestPki(): Promise<TestPki> {
  const ca = await createCertificateAuthority({ commonName: 'adapter-node-http test CA' });
  const foreignCa = await createCertificateAuthority({ commonName: 'foreign CA' });
  const [server, client, other, sameSubjectOtherKey, foreign] = await Promise.all([
    ca.issue({
      commonName: 'localhost',
      profile: 'server',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    }),
    ca.issue({ commonName: 'client-a', dnsNames: ['client-a.test'] }),
    ca.issue({ commonName: 'client-b' }),
    ca.issue({ commonName: 'client-a', dnsNames: ['client-a.test'] }),
    foreignCa.issue({ commonName: 'client-a' }),
  ]);
  return { ca, server, client, other, sameSubjectOtherKey, foreign };
}

/** TLS options of an mTLS server that asks for, but does not insist on, a client certificate. */
export function mtlsServerOptions(pki: TestPki) {
  return {
    key: pki.server.privateKeyPem,
    cert: pki.server.pem,
    ca: [pki.ca.certificate.pem],
    requestCert: true,
    rejectUnauthorized: false,
  };
}

/** The certificate a mode-table cell presents. */
export function certificateFor(
  pki: TestPki,
  kind: 'matching' | 'other' | 'same-subject-other-key' | 'absent',
): IssuedCertificate | undefined {
  if (kind === 'matching') return pki.client;
  if (kind === 'other') return pki.other;
  if (kind === 'same-subject-other-key') return pki.sameSubjectOtherKey;
  return undefined;
}
