/**
 * Path globs for rules: `*` matches any characters within one segment, `**` (a whole segment)
 * matches zero or more segments. Everything else is literal. `/api/**` matches `/api` too.
 *
 * Matched segment by segment, never through a backtracking regular expression: the path is
 * untrusted (up to 8 KiB), and a glob such as `/a/**\/b/**\/c` or `/f/*-*-*.txt` compiled to one
 * regex takes seconds on a crafted path. Here a match costs at most (glob segments × path
 * segments) segment comparisons, each linear in the segment.
 */
export interface PathGlob {
  test(path: string): boolean;
}

type SegmentPattern = '**' | { readonly parts: readonly string[] };

export function compilePathGlob(glob: string): PathGlob {
  if (!glob.startsWith('/')) throw new Error('must start with "/"');
  const patterns: SegmentPattern[] = glob
    .slice(1)
    .split('/')
    .map((segment) => {
      if (segment === '**') return '**';
      if (segment.includes('**')) throw new Error('"**" must be a whole path segment');
      return { parts: segment.split('*') };
    });
  return { test: (path) => path.startsWith('/') && matchSegments(patterns, path.slice(1).split('/')) };
}

/** Whether the glob's segments match all of the path's; `**` takes zero or more whole segments. */
function matchSegments(patterns: readonly SegmentPattern[], segments: readonly string[]): boolean {
  // matches[p] (for the glob position being filled): glob patterns from `gi` on match segments from p on.
  let next = new Uint8Array(segments.length + 1);
  next[segments.length] = 1; // past the last pattern: only the empty rest matches
  for (let gi = patterns.length - 1; gi >= 0; gi--) {
    const pattern = patterns[gi] as SegmentPattern;
    const current = new Uint8Array(segments.length + 1);
    for (let p = segments.length; p >= 0; p--) {
      if (pattern === '**') {
        current[p] = next[p] === 1 || (p < segments.length && current[p + 1] === 1) ? 1 : 0;
      } else {
        current[p] =
          p < segments.length && next[p + 1] === 1 && matchSegment(pattern.parts, segments[p] as string)
            ? 1
            : 0;
      }
    }
    next = current;
  }
  return next[0] === 1;
}

/** `parts` are the glob segment split at `*`: first a prefix, last a suffix, the rest in order. */
function matchSegment(parts: readonly string[], segment: string): boolean {
  const first = parts[0] as string;
  if (parts.length === 1) return segment === first;
  const last = parts[parts.length - 1] as string;
  if (segment.length < first.length + last.length) return false;
  if (!segment.startsWith(first) || !segment.endsWith(last)) return false;
  let at = first.length;
  const end = segment.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const found = segment.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
