import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MutualTlsMode } from '@certbound/core';
import type { DemoPki } from './demo-pki.js';
import type { TokenKind } from './mode-table.js';
import { MODES } from './mode-table.js';
import { DEMO_PATH } from './run-cases.js';

/** Base URLs of the running services, per mode. */
export interface DemoUrls {
  readonly node: Readonly<Record<MutualTlsMode, string>>;
  readonly envoy: Readonly<Record<MutualTlsMode, string>>;
  readonly authorizationServer: string;
}

/** The file names the docs and the printed curl commands refer to. */
export const DEMO_FILES = {
  ca: 'ca.pem',
  ownCertificate: 'own.pem',
  ownKey: 'own-key.pem',
  otherCertificate: 'other.pem',
  otherKey: 'other-key.pem',
  boundToken: 'bound.jwt',
  unboundToken: 'unbound.jwt',
  env: 'env.sh',
  policy: (mode: MutualTlsMode) => `policy-${mode}.json`,
} as const;

const envName = (point: 'NODE' | 'ENVOY', mode: MutualTlsMode) =>
  `CERTBOUND_${point}_${mode.toUpperCase()}_URL`;

/**
 * Write what a user needs to try the running services by hand: the CA, both client certificates
 * and keys (keys 0600), both tokens, the policy of each mode with the AS's keys inline (so
 * `certbound decide` works without the AS), and env.sh with the services' URLs.
 */
export async function writeDemoFiles(
  directory: string,
  pki: DemoPki,
  tokens: Readonly<Record<TokenKind, string>>,
  policies: Readonly<Record<MutualTlsMode, object>>,
  urls: DemoUrls,
): Promise<void> {
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  const secret = { mode: 0o600 } as const;
  const env = [
    '# Written by `pnpm demo`: the URLs of the running demo services. Source it: . .certbound-demo/env.sh',
    `export CERTBOUND_DEMO_DIR='${directory}'`,
    `export CERTBOUND_AS_URL='${urls.authorizationServer}'`,
    ...MODES.map((mode) => `export ${envName('NODE', mode)}='${urls.node[mode]}${DEMO_PATH}'`),
    ...MODES.map((mode) => `export ${envName('ENVOY', mode)}='${urls.envoy[mode]}${DEMO_PATH}'`),
    '',
  ];
  await Promise.all([
    writeFile(join(directory, DEMO_FILES.ca), pki.ca.certificate.pem),
    writeFile(join(directory, DEMO_FILES.ownCertificate), pki.own.pem),
    writeFile(join(directory, DEMO_FILES.ownKey), pki.own.privateKeyPem, secret),
    writeFile(join(directory, DEMO_FILES.otherCertificate), pki.other.pem),
    writeFile(join(directory, DEMO_FILES.otherKey), pki.other.privateKeyPem, secret),
    writeFile(join(directory, DEMO_FILES.boundToken), `${tokens.bound}\n`, secret),
    writeFile(join(directory, DEMO_FILES.unboundToken), `${tokens.unbound}\n`, secret),
    writeFile(join(directory, DEMO_FILES.env), env.join('\n')),
    ...MODES.map((mode) =>
      writeFile(join(directory, DEMO_FILES.policy(mode)), `${JSON.stringify(policies[mode], null, 2)}\n`),
    ),
  ]);
}
