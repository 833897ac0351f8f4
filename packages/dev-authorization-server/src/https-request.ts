import { request } from 'node:https';

export interface HttpsRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** PEM the server certificate must chain to (the dev CA). */
  readonly caPem: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Client certificate and key to present (mutual TLS). */
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string };
  readonly signal?: AbortSignal;
  /** Milliseconds without any activity before the request fails; default 10 s (never hangs). */
  readonly timeoutMs?: number;
}

export interface HttpsResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One HTTPS request on a fresh connection (no agent, so nothing keeps the process alive and
 * every call presents exactly the certificate it was given: no TLS session reuse across clients).
 */
export function httpsRequest(options: HttpsRequest): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(options.url, {
      method: options.method,
      ca: options.caPem,
      agent: false,
      headers: {
        ...options.headers,
        ...(options.body === undefined ? {} : { 'content-length': Buffer.byteLength(options.body) }),
      },
      ...(options.clientCertificate
        ? { cert: options.clientCertificate.certPem, key: options.clientCertificate.keyPem }
        : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    req.on('timeout', () =>
      req.destroy(
        new Error(`no answer from ${options.url} within ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`),
      ),
    );
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          res.destroy(new Error(`response from ${options.url} exceeds ${MAX_BODY_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end(options.body);
  });
}
