import { join } from 'node:path';
import type { MutualTlsMode } from '@certbound/core';
import { DEMO_FILES, type DemoUrls } from './demo-files.js';
import { type CertificateKind, EXPECTED, type TokenKind } from './mode-table.js';
import { DEMO_PATH } from './run-cases.js';

export interface CurlExample {
  readonly title: string;
  readonly command: string;
}

const EXAMPLES: readonly {
  via: 'node' | 'envoy';
  mode: MutualTlsMode;
  token: TokenKind;
  certificate: CertificateKind;
}[] = [
  { via: 'node', mode: 'required', token: 'bound', certificate: 'own' },
  { via: 'node', mode: 'required', token: 'bound', certificate: 'other' },
  { via: 'node', mode: 'required', token: 'bound', certificate: 'none' },
  { via: 'node', mode: 'required', token: 'unbound', certificate: 'own' },
  { via: 'node', mode: 'request', token: 'unbound', certificate: 'none' },
  { via: 'node', mode: 'none', token: 'bound', certificate: 'other' },
  { via: 'envoy', mode: 'required', token: 'bound', certificate: 'own' },
  { via: 'envoy', mode: 'required', token: 'bound', certificate: 'other' },
];

const quote = (value: string) => (/^[\w./:@-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`);

/** Copy-paste curl commands against the running services, each with the answer to expect. */
export function curlExamples(directory: string, urls: DemoUrls): CurlExample[] {
  const file = (name: string) => quote(join(directory, name));
  return EXAMPLES.map(({ via, mode, token, certificate }) => {
    const expected = EXPECTED[mode][token][certificate];
    const certificateOptions =
      certificate === 'none'
        ? []
        : certificate === 'own'
          ? ['--cert', file(DEMO_FILES.ownCertificate), '--key', file(DEMO_FILES.ownKey)]
          : ['--cert', file(DEMO_FILES.otherCertificate), '--key', file(DEMO_FILES.otherKey)];
    const tokenFile = token === 'bound' ? DEMO_FILES.boundToken : DEMO_FILES.unboundToken;
    const base = via === 'node' ? urls.node[mode] : urls.envoy[mode];
    const command = [
      'curl -sS -i',
      '--cacert',
      file(DEMO_FILES.ca),
      ...certificateOptions,
      '-H',
      `"Authorization: Bearer $(cat ${file(tokenFile)})"`,
      `${base}${DEMO_PATH}`,
    ].join(' ');
    const outcome = expected.allow ? 'expect 200' : `expect ${expected.status} (${expected.reasons.at(-1)})`;
    const where = via === 'node' ? 'Node adapter' : 'Envoy ext_authz';
    return {
      title: `${where}, ${mode}: ${token} token, ${certificate === 'none' ? 'no' : certificate} certificate → ${outcome}`,
      command,
    };
  });
}
