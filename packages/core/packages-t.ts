import { createCertificateAuthority } from '@certbound/core';

const ca = await createCertificateAuthority();
const inter = await ca.intermediate('inter');
const leaf = await inter.issue({ commonName: 'client-a', dnsNames: ['a.test'] });
const server = await ca.issue({
  commonName: 'localhost',
  profile: 'server',
  dnsNames: ['localhost'],
  ipAddresses: ['127.0.0.1'],
});

import { writeFileSync } from 'node:fs';

writeFileSync('/tmp/ca.pem', ca.certificate.pem);
writeFileSync('/tmp/inter.pem', inter.certificate.pem);
writeFileSync('/tmp/leaf.pem', leaf.pem);
writeFileSync('/tmp/server.pem', server.pem);
writeFileSync('/tmp/leaf.key', leaf.privateKeyPem);
console.log(leaf.thumbprint);
