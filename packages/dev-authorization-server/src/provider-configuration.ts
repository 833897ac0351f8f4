import type { TLSSocket } from 'node:tls';
import type { Configuration, JWK, KoaContextWithOIDC } from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { InstanceStorage } from './instance-storage.js';
import { peerCertificate, subjectDn } from './peer-certificate.js';

export interface ProviderSettings {
  readonly resource: string;
  readonly scopes: readonly string[];
  readonly accessTokenTtl: number;
  readonly signingKey: JWK;
  readonly storage: InstanceStorage;
  readonly bearerClient: { readonly clientId: string; readonly clientSecret: string };
  readonly cookieKeys: readonly string[];
}

export const TOKEN_PATH = '/token';
export const JWKS_PATH = '/jwks';

function tlsSocket(ctx: KoaContextWithOIDC): TLSSocket {
  return ctx.req.socket as TLSSocket;
}

/**
 * oidc-provider configuration for a client-credentials-only AS that issues RFC 9068 JWT access
 * tokens for one resource, bound to the client certificate (RFC 8705 §3) for clients registered
 * with `tls_client_certificate_bound_access_tokens`.
 */
export function providerConfiguration(settings: ProviderSettings): Configuration {
  const scope = settings.scopes.join(' ');
  return {
    adapter: settings.storage.adapter,
    jwks: { keys: [settings.signingKey] },
    cookies: { keys: [...settings.cookieKeys] },
    scopes: [...settings.scopes],
    routes: { token: TOKEN_PATH, jwks: JWKS_PATH },
    // The only signing key is ES256 (FAPI 2.0 allows PS256, ES256, EdDSA); RS256 is the default.
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    clientAuthMethods: ['tls_client_auth', 'client_secret_basic'],
    ttl: { ClientCredentials: settings.accessTokenTtl },
    clients: [
      {
        client_id: settings.bearerClient.clientId,
        client_secret: settings.bearerClient.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope,
      },
    ],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: false,
        getCertificate: (ctx) => peerCertificate(tlsSocket(ctx)),
        // The TLS layer verified the chain against the dev CA (`ca` of the https server);
        // `rejectUnauthorized: false` only lets other certificates reach a clear invalid_client.
        certificateAuthorized: (ctx) => tlsSocket(ctx).authorized === true,
        // Bound clients register their subject DN (RFC 8705 §2.1.2); no client uses a SAN property.
        certificateSubjectMatches: (ctx, property, expected) => {
          const certificate = peerCertificate(tlsSocket(ctx));
          return (
            property === 'tls_client_auth_subject_dn' &&
            certificate !== undefined &&
            subjectDn(certificate) === expected
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => settings.resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resourceIndicator) => {
          if (resourceIndicator !== settings.resource) {
            throw new errors.InvalidTarget(`unknown resource ${resourceIndicator}`);
          }
          return {
            scope,
            audience: settings.resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: settings.accessTokenTtl,
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
  };
}
