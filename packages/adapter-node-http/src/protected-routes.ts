/** Which requests the adapter guards: path prefixes, or a predicate of your own. Default: all. */
export type ProtectOption = readonly string[] | ((request: ProtectedRouteRequest) => boolean);

export interface ProtectedRouteRequest {
  readonly method: string;
  /** The request target as received (path and query). */
  readonly url: string;
}

/**
 * The guard's scope as a function of method and URL. Prefixes match whole segments (`/api` covers
 * `/api` and `/api/x`, not `/apiary`) on a canonical path — percent-decoded, dot segments removed,
 * slashes collapsed, lower-cased — so spellings a router may treat alike (`/API`, `/x/../api`,
 * `//api`) cannot slip past. A path that cannot be decoded is always protected (fail closed).
 * Mounting the middleware on the routes it guards is still the surest scope.
 */
export function protectedRoutes(option: ProtectOption | undefined): (method: string, url: string) => boolean {
  if (option === undefined) return () => true;
  if (typeof option === 'function') {
    return (method, url) => {
      // The predicate sees an untrusted URL; if it throws, the request is guarded (fail closed).
      try {
        return option({ method, url }) !== false;
      } catch {
        return true;
      }
    };
  }
  if (!Array.isArray(option) || option.length === 0) {
    throw new TypeError('protect must be a non-empty list of path prefixes or a function');
  }
  const prefixes = option.map((prefix) => {
    if (typeof prefix !== 'string' || !prefix.startsWith('/')) {
      throw new TypeError(`protect prefix ${JSON.stringify(prefix)} must be a path starting with /`);
    }
    const canonical = canonicalPath(prefix);
    if (canonical === undefined)
      throw new TypeError(`protect prefix ${JSON.stringify(prefix)} is not a valid path`);
    return canonical === '/' ? '/' : canonical.replace(/\/+$/, '');
  });
  return (_method, url) => {
    const path = canonicalPath(url);
    if (path === undefined) return true;
    return prefixes.some(
      (prefix) =>
        prefix === '/' || path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`),
    );
  };
}

/** Lower-cased, fully percent-decoded path without query, dot segments or repeated slashes. */
export function canonicalPath(url: string): string | undefined {
  let path = url;
  const cut = path.search(/[?#]/);
  if (cut >= 0) path = path.slice(0, cut);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  const segments: string[] = [];
  for (const segment of decoded.replace(/\\/g, '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment.toLowerCase());
  }
  return `/${segments.join('/')}`;
}
