import {
  type CertificateAuthority,
  createCertificateAuthority,
  type IssuedCertificate,
} from '@certbound/core';

/** The demo's dev PKI, all created in-process (pkijs + Web Crypto, no openssl). */
export interface DemoPki {
  readonly ca: CertificateAuthority;
  /** TLS certificate of every demo server (127.0.0.1 and localhost). */
  readonly server: IssuedCertificate;
  /** The client the bound token is issued to. */
  readonly own: IssuedCertificate;
  /** Another client of the same CA: valid for TLS, but not the one the token is bound to. */
  readonly other: IssuedCertificate;
}

export async function createDemoPki(): Promise<DemoPki> {
  const ca = await createCertificateAuthority({ commonName: 'certbound demo CA' });
  const [server, own, other] = await Promise.all([
    ca.issue({
      commonName: 'localhost',
      profile: 'server',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
    }),
    ca.issue({ commonName: 'demo-client', dnsNames: ['demo-client.test'] }),
    ca.issue({ commonName: 'other-client', dnsNames: ['other-client.test'] }),
  ]);
  return { ca, server, own, other };
}
