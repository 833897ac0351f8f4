import { loadPolicy, type MutualTlsMode, type Policy } from '@certbound/core';

/** The demo API's audience: the resource indicator the AS puts into `aud`. */
export const DEMO_RESOURCE = 'https://api.certbound-demo.test';

/**
 * A policy document for one mode. `mutualTls` is set per issuer (as ONTAP's `use-mutual-tls` is
 * per authorization server), so each mode gets its own policy and its own protected API, all
 * trusting the same authorization server. No rules: a valid token is enough, so the table shows
 * nothing but the binding.
 */
export function demoPolicyDocument(
  mode: MutualTlsMode,
  issuer: string,
  jwks: { readonly uri: string } | { readonly keys: readonly object[] },
): Record<string, unknown> {
  return {
    apiVersion: 'certbound.dev/v1',
    realm: `certbound-demo-${mode}`,
    issuers: [
      {
        id: 'demo-as',
        issuer,
        jwks,
        audience: DEMO_RESOURCE,
        mutualTls: mode,
      },
    ],
  };
}

export function demoPolicy(mode: MutualTlsMode, issuer: string, jwksUri: string): Policy {
  return loadPolicy(demoPolicyDocument(mode, issuer, { uri: jwksUri }));
}
