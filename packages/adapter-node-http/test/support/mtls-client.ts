import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { IssuedCertificate } from '@certbound/core';

export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface RequestOptions {
  readonly path?: string;
  readonly method?: string;
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Client certificate presented on the TLS connection; none when absent. */
  readonly certificate?: IssuedCertificate | undefined;
  readonly agent?: https.Agent;
}

/** One HTTPS/1.1 request over real TLS to 127.0.0.1. */
export function httpsRequest(
  port: number,
  caPem: string,
  options: RequestOptions = {},
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/api/resource',
        method: options.method ?? 'GET',
        ca: caPem,
        servername: 'localhost',
        headers: {
          ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        ...(options.certificate
          ? { cert: options.certificate.pem, key: options.certificate.privateKeyPem }
          : {}),
        agent: options.agent ?? false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error('request timed out')));
    request.on('error', reject);
    request.end();
  });
}

/** An HTTP/2 session over real TLS; every request on it shares one connection. */
export function http2Session(
  port: number,
  caPem: string,
  certificate?: IssuedCertificate,
): http2.ClientHttp2Session {
  return http2.connect(`https://127.0.0.1:${port}`, {
    ca: caPem,
    servername: 'localhost',
    ...(certificate ? { cert: certificate.pem, key: certificate.privateKeyPem } : {}),
  });
}

export function http2Request(
  session: http2.ClientHttp2Session,
  options: { path?: string; token?: string; headers?: Readonly<Record<string, string>> } = {},
): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':path': options.path ?? '/api/resource',
      ':method': 'GET',
      ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    });
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (h) => {
      status = Number(h[':status']);
      headers = h as Record<string, string | string[] | undefined>;
    });
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    stream.on('end', () => resolve({ status, headers, body }));
    stream.on('error', reject);
    stream.setTimeout(10_000, () => stream.close(http2.constants.NGHTTP2_CANCEL));
    stream.end();
  });
}

/** One plain-HTTP request to 127.0.0.1, as a TLS-terminating proxy in front of the service sends it. */
export function httpRequest(port: number, options: RequestOptions = {}): Promise<TestResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/api/resource',
        method: options.method ?? 'GET',
        headers: {
          ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
        agent: false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error('request timed out')));
    request.on('error', reject);
    request.end();
  });
}
