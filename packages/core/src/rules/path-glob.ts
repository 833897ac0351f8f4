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
  const globstars = patterns.filter((pattern) => pattern === '**').length;
  if (globstars > 1) {
    return { test: (path) => path.startsWith('/') && matchSegments(patterns, path.slice(1).split('/')) };
  }
  // Zero or one `**` (nearly every real glob): the segments before it match the path's first
  // segments, those after it the path's last ones; no allocation, one pass over the path.
  const star = patterns.indexOf('**');
  const head = (star < 0 ? patterns : patterns.slice(0, star)) as readonly { parts: readonly string[] }[];
  const tail = (star < 0 ? [] : patterns.slice(star + 1)) as readonly { parts: readonly string[] }[];
  return {
    test: (path) => {
      if (!path.startsWith('/')) return false;
      // head: segment i spans (start, end) with `start` just after its leading slash
      let start = 1;
      for (let i = 0; i < head.length; i++) {
        if (start > path.length) return false;
        const slash = path.indexOf('/', start);
        const end = slash < 0 ? path.length : slash;
        if (!matchSegmentAt((head[i] as { parts: readonly string[] }).parts, path, start, end)) return false;
        start = end + 1;
      }
      if (star < 0) return start === path.length + 1; // no segment left over
      // tail, from the end: it must not reach back into the segments the head matched
      let end = path.length;
      for (let i = tail.length - 1; i >= 0; i--) {
        const slash = path.lastIndexOf('/', end - 1);
        if (slash < start - 1 || slash < 0) return false;
        if (!matchSegmentAt((tail[i] as { parts: readonly string[] }).parts, path, slash + 1, end))
          return false;
        end = slash;
      }
      return true;
    },
  };
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
  return matchSegmentAt(parts, segment, 0, segment.length);
}

/** matchSegment for the segment `path[start, end)`, without slicing it out. */
function matchSegmentAt(parts: readonly string[], path: string, start: number, end: number): boolean {
  const first = parts[0] as string;
  if (parts.length === 1) return end - start === first.length && path.startsWith(first, start);
  const last = parts[parts.length - 1] as string;
  if (end - start < first.length + last.length) return false;
  if (!path.startsWith(first, start) || !path.startsWith(last, end - last.length)) return false;
  let at = start + first.length;
  const limit = end - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const found = path.indexOf(part, at);
    if (found < 0 || found + part.length > limit) return false;
    at = found + part.length;
  }
  return true;
}
