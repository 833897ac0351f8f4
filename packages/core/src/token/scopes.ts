/** Granted scopes: the `scope` claim (space-separated, RFC 8693 §4.2 / RFC 9068 §2.2.3) or `scp` (array or string). */
export function grantedScopes(claims: Readonly<Record<string, unknown>>): string[] {
  const scope = claims.scope ?? claims.scp;
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(scope)) return scope.filter((s): s is string => typeof s === 'string' && s.length > 0);
  return [];
}
