import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CertificateAuthority, IssuedCertificate } from '@certbound/core';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from 'jose';
import Provider, { type JWK } from 'oidc-provider';
import { httpsRequest } from './https-request.js';
import { InstanceStorage } from './instance-storage.js';
import { subjectDn } from './peer-certificate.js';
import { JWKS_PATH, providerConfiguration, TOKEN_PATH } from './provider-configuration.js';

export interface DevAuthorizationServerOptions {
  /** CA that issues the AS's own TLS server certificate (CN/SAN localhost + 127.0.0.1) and whose client certificates the AS accepts (tls_client_auth). */
  readonly ca: CertificateAuthority;
  /** Resource indicator / audience of the JWT access tokens, e.g. 'https://api.example.test'. */
  readonly resource: string;
  /** Scopes the resource accepts; default ['read', 'write']. */
  readonly scopes?: readonly string[];
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (ephemeral). */
  readonly port?: number;
  /** Access token lifetime seconds, default 300. */
  readonly accessTokenTtl?: number;
}

export interface TokenRequest {
  /** The client certificate (and its private key) presented on the TLS connection. */
  readonly certificate: IssuedCertificate;
  /** true: a `tls_client_auth` client with certificate-bound tokens; false: a client_secret_basic client, plain bearer. */
  readonly bound: boolean;
  /** Space-separated scopes; default every scope of the resource. */
  readonly scope?: string;
}

export interface IssuedToken {
  readonly accessToken: string;
  /** The JWT claims, decoded (not verified). */
  readonly claims: Record<string, unknown>;
  /** The JWS protected header, decoded. */
  readonly header: Record<string, unknown>;
  /** The client the token was issued to. */
  readonly clientId: string;
}

export interface DevAuthorizationServer {
  /** e.g. https://127.0.0.1:PORT */
  readonly issuer: string;
  readonly jwksUri: string;
  /** The mutual-TLS token endpoint. */
  readonly tokenEndpoint: string;
  /** PEM of options.ca (to trust the AS's TLS certificate). */
  readonly caPem: string;
  /** Client id of the (unbound) client_secret_basic client. */
  readonly bearerClientId: string;
  /**
   * Client-credentials grant over mTLS, presenting `certificate` (its cert + private key) on the TLS
   * connection. bound=true uses a client registered with tls_client_certificate_bound_access_tokens
   * (token gets cnf.x5t#S256 of that certificate); bound=false uses a client without it (plain bearer
   * JWT, no cnf). Returns the raw access token and its decoded claims.
   */
  requestToken(options: TokenRequest): Promise<IssuedToken>;
  close(): Promise<void>;
}

const DEFAULT_SCOPES: readonly string[] = ['read', 'write'];
const BEARER_CLIENT_ID = 'certbound-dev-bearer-client';

/**
 * Start a real OAuth 2.0 authorization server (oidc-provider) on loopback over mutual TLS that
 * issues RFC 9068 JWT access tokens, certificate-bound per RFC 8705 §3 for bound clients.
 * For development and tests only.
 */
export async function startDevAuthorizationServer(
  options: DevAuthorizationServerOptions,
): Promise<DevAuthorizationServer> {
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const host = options.host ?? '127.0.0.1';
  const accessTokenTtl = options.accessTokenTtl ?? 300;
  if (!Number.isSafeInteger(accessTokenTtl) || accessTokenTtl < 1) {
    throw new TypeError('accessTokenTtl must be a positive integer number of seconds');
  }
  if (typeof options.resource !== 'string' || !isResourceIndicator(options.resource)) {
    throw new TypeError('resource must be an absolute URI without a fragment (RFC 8707 §2)');
  }
  if (scopes.length === 0 || scopes.some((scope) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope))) {
    throw new TypeError('scopes must be a non-empty list of RFC 6749 §3.3 scope tokens');
  }

  const caPem = options.ca.certificate.pem;
  const serverCertificate = await options.ca.issue({
    commonName: 'localhost',
    profile: 'server',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
  });
  const server = createServer({
    key: serverCertificate.privateKeyPem,
    cert: serverCertificate.pem,
    ca: [caPem],
    requestCert: true,
    // Certificates from other CAs still connect, so oidc-provider answers invalid_client instead
    // of the handshake failing; `certificateAuthorized` checks `socket.authorized`.
    rejectUnauthorized: false,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const issuer = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const storage = new InstanceStorage();
  const bearerClient = { clientId: BEARER_CLIENT_ID, clientSecret: randomBytes(32).toString('base64url') };
  const provider = new Provider(
    issuer,
    providerConfiguration({
      resource: options.resource,
      scopes,
      accessTokenTtl,
      signingKey: await signingKey(),
      storage,
      bearerClient,
      cookieKeys: [randomBytes(32).toString('base64url')],
    }),
  );
  server.on('request', provider.callback());

  const tokenEndpoint = `${issuer}${TOKEN_PATH}`;
  let closed: Promise<void> | undefined;
  const defaultScope = scopes.join(' ');

  return {
    issuer,
    jwksUri: `${issuer}${JWKS_PATH}`,
    tokenEndpoint,
    caPem,
    bearerClientId: bearerClient.clientId,
    async requestToken({ certificate, bound, scope = defaultScope }) {
      const form = new URLSearchParams({
        grant_type: 'client_credentials',
        scope,
        resource: options.resource,
      });
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      };
      let clientId: string;
      if (bound) {
        clientId = registerBoundClient(storage, certificate, defaultScope);
        form.set('client_id', clientId); // RFC 8705 §2: tls_client_auth sends client_id in the body
      } else {
        clientId = bearerClient.clientId;
        headers.authorization = `Basic ${Buffer.from(
          `${encodeURIComponent(clientId)}:${encodeURIComponent(bearerClient.clientSecret)}`,
        ).toString('base64')}`;
      }
      const response = await httpsRequest({
        method: 'POST',
        url: tokenEndpoint,
        caPem,
        headers,
        body: form.toString(),
        clientCertificate: { certPem: certificate.pem, keyPem: certificate.privateKeyPem },
      });
      const accessToken = parseTokenResponse(response.status, response.body);
      return {
        accessToken,
        claims: decodeJwt(accessToken) as Record<string, unknown>,
        header: decodeProtectedHeader(accessToken) as Record<string, unknown>,
        clientId,
      };
    },
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function isResourceIndicator(value: string): boolean {
  try {
    const url = new URL(value);
    return url.hash === '' && !value.includes('#');
  } catch {
    return false;
  }
}

/**
 * Register the `tls_client_auth` client for this certificate's subject (RFC 8705 §2.1): client_id
 * is the subject CN, authenticated by the subject DN and the dev CA. Any certificate the CA
 * issued thus gets a client on first use; a rotated certificate with the same subject keeps it.
 */
function registerBoundClient(
  storage: InstanceStorage,
  certificate: IssuedCertificate,
  scope: string,
): string {
  const clientId = certificate.subjectCommonName;
  if (clientId === BEARER_CLIENT_ID)
    throw new TypeError(`${BEARER_CLIENT_ID} is reserved for the bearer client`);
  storage.registerClient({
    client_id: clientId,
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: subjectDn(new X509Certificate(certificate.pem)),
    tls_client_certificate_bound_access_tokens: true,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    scope,
  });
  return clientId;
}

function parseTokenResponse(status: number, body: string): string {
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    // reported below with the status
  }
  if (status !== 200 || typeof json.access_token !== 'string') {
    const error = typeof json.error === 'string' ? json.error : 'unexpected response';
    const description = typeof json.error_description === 'string' ? `: ${json.error_description}` : '';
    throw new Error(`token request failed with HTTP ${status}: ${error}${description}`);
  }
  return json.access_token;
}

/** A fresh ES256 signing key for this server instance, kid = its RFC 7638 thumbprint. */
async function signingKey(): Promise<JWK> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  return { ...jwk, alg: 'ES256', use: 'sig', kid: await calculateJwkThumbprint(jwk as never) };
}
