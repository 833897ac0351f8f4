import type { IssuedCertificate } from '@certbound/core';
import { http2Request, http2Session, httpsRequest, type TestResponse } from './mtls-client.js';
import type { Framework } from './protected-servers.js';

/** One request on a new connection, over HTTP/2 for the http2 server and HTTPS/1.1 for the rest. */
export async function send(
  framework: Framework,
  port: number,
  caPem: string,
  options: {
    certificate?: IssuedCertificate | undefined;
    token?: string;
    path?: string;
    headers?: Record<string, string>;
  },
): Promise<TestResponse> {
  if (framework !== 'node-http2') return httpsRequest(port, caPem, options);
  const session = http2Session(port, caPem, options.certificate);
  try {
    return await http2Request(session, options);
  } finally {
    session.close();
  }
}
