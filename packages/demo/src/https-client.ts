import { request } from 'node:https';
import type { IssuedCertificate } from '@certbound/core';

export interface ClientResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/**
 * One HTTPS request on a fresh connection (no agent and no TLS session reuse), presenting
 * `certificate` when given: each case shows exactly the certificate it names, or none.
 */
export function httpsGet(
  url: string,
  options: {
    readonly caPem: string;
    readonly certificate?: IssuedCertificate | undefined;
    readonly headers?: Readonly<Record<string, string>>;
  },
): Promise<ClientResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      agent: false,
      ca: options.caPem,
      headers: { ...options.headers },
      timeout: 10_000,
      ...(options.certificate
        ? { cert: options.certificate.pem, key: options.certificate.privateKeyPem }
        : {}),
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end();
  });
}
