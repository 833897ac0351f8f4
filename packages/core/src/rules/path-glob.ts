/**
 * Path globs for rules: `*` matches any characters within one segment, `**` (a whole segment)
 * matches zero or more segments. Everything else is literal. `/api/**` matches `/api` too.
 */
export function compilePathGlob(glob: string): RegExp {
  if (!glob.startsWith('/')) throw new Error('must start with "/"');
  const segments = glob.slice(1).split('/');
  let source = '^';
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      // zero or more whole segments, each with its leading slash
      source += last ? '(?:/.*)?' : '(?:/[^/]*)*?';
      return;
    }
    if (segment.includes('**')) throw new Error('"**" must be a whole path segment');
    source += `/${segment.split('*').map(escapeRegExp).join('[^/]*')}`;
  });
  return new RegExp(`${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
