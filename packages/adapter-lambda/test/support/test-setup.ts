import { createEngine, type Engine, loadPolicy, type MutualTlsMode } from '@certbound/core';
import type { TestIssuer } from './test-issuer.js';
import type { TestPki } from './test-pki.js';

/** An engine whose only issuer is the test AS, trusting the test root (and its CRL when asked). */
export function engineFor(
  issuer: TestIssuer,
  pki: TestPki,
  mode: MutualTlsMode,
  options: { crl?: boolean } = {},
): Engine {
  return createEngine(
    loadPolicy({
      apiVersion: 'certbound.dev/v1',
      issuers: [
        {
          id: 'as',
          issuer: issuer.issuer,
          audience: issuer.audience,
          jwks: { keys: [issuer.publicJwk] },
          algorithms: ['ES256'],
          mutualTls: mode,
        },
      ],
      certificates: {
        trustAnchors: [{ pem: pki.root.certificate.pem }],
        ...(options.crl ? { crls: [{ pem: pki.crlPem }] } : {}),
      },
    }),
  );
}
