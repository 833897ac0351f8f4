import type { FetchPort } from '@certbound/core';
import { httpsRequest } from './https-request.js';

/**
 * A FetchPort (for `createEngine({ fetch })`) that trusts `caPem`, the dev CA, instead of the
 * system roots: global fetch does not trust the dev authorization server's TLS certificate.
 * HTTPS only: plain HTTP URLs are rejected.
 */
export function devFetch(caPem: string): FetchPort {
  return async (url, init) => {
    if (!url.startsWith('https://')) throw new TypeError(`devFetch fetches https: URLs only, got ${url}`);
    const response = await httpsRequest({
      method: 'GET',
      url,
      caPem,
      headers: init.headers,
      signal: init.signal,
    });
    return {
      ok: response.status >= 200 && response.status < 300,
      status: response.status,
      text: async () => response.body,
    };
  };
}
