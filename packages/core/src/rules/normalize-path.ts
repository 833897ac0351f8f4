const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The path rules are matched against: query and fragment dropped, percent-encoded unreserved
 * characters decoded (RFC 3986 §6.2.2.2), dot segments removed (§5.2.4). Encoded slashes stay
 * encoded so `%2F` can never split a segment. Returns undefined for a path no server should accept.
 */
// A path of these characters only has no dot segment, no escape, no query and nothing to reject:
// it is already normal (the common case, so it skips the work below).
const ALREADY_NORMAL = /^\/[A-Za-z0-9\-_~!$&'()*+,;=:@/]*$/;

export function normalizePath(rawPath: string): string | undefined {
  if (rawPath.length <= 8192 && ALREADY_NORMAL.test(rawPath)) return rawPath;
  let path = rawPath;
  const cut = path.search(/[?#]/);
  if (cut >= 0) path = path.slice(0, cut);
  if (!path.startsWith('/') || path.length > 8192) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return undefined;
  let decoded = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i] as string;
    if (char !== '%') {
      decoded += char;
      continue;
    }
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
    const byte = String.fromCharCode(Number.parseInt(hex, 16));
    decoded += UNRESERVED.test(byte) ? byte : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return removeDotSegments(decoded);
}

function removeDotSegments(path: string): string {
  const output: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i] as string;
    const last = i === segments.length - 1;
    if (segment === '..') {
      output.pop();
      if (last) output.push('');
    } else if (segment === '.') {
      if (last) output.push('');
    } else {
      output.push(segment);
    }
  }
  return `/${output.join('/')}`;
}
