/** HTTP client port used for remote JWK Sets; defaults to the global Web `fetch`. */
export type FetchPort = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
}>;

export const globalFetch: FetchPort = (url, init) => fetch(url, { ...init, redirect: 'error' });
