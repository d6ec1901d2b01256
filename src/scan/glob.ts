/**
 * A small glob matcher (Node 20 has no fs.glob): `*` and `?` within one path segment, `**` for any number
 * of segments, `[abc]`/`[a-z]`/`[!a]` classes, `\` escapes. Globs are matched against `/`-separated paths
 * relative to the glob's static base directory, which is where the walk starts. Dotfiles are matched like
 * any name (logs are often dot-named rotations); say so rather than surprise.
 */

const META = /[*?[]/;

export function hasGlobMeta(pattern: string): boolean {
  return META.test(pattern.replace(/\\./g, ''));
}

export interface SplitGlob {
  /** The leading segments without meta characters ('' = current directory, '/' = root). */
  readonly base: string;
  /** The rest, matched against paths relative to `base`. */
  readonly pattern: string;
}

export function splitGlob(glob: string): SplitGlob {
  const segments = glob.split('/');
  const firstMeta = segments.findIndex((s) => hasGlobMeta(s));
  if (firstMeta < 0) return { base: glob, pattern: '' };
  const baseSegments = segments.slice(0, firstMeta);
  let base = baseSegments.join('/');
  if (base === '' && glob.startsWith('/')) base = '/';
  return { base, pattern: segments.slice(firstMeta).join('/') };
}

/** Compiles a glob to a RegExp over a whole `/`-separated relative path. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const atSegmentStart = i === 0 || pattern[i - 1] === '/';
        const atSegmentEnd = i + 2 === pattern.length || pattern[i + 2] === '/';
        if (atSegmentStart && atSegmentEnd) {
          // `**/` = zero or more whole segments; a final `**` = anything below.
          if (i + 2 === pattern.length) re += '.*';
          else re += '(?:[^/]*/)*';
          i += 3;
          continue;
        }
      }
      re += '[^/]*';
      while (pattern[i] === '*') i++;
      continue;
    }
    if (c === '?') {
      re += '[^/]';
      i++;
      continue;
    }
    if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close > 0) {
        let body = pattern.slice(i + 1, close);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) body = body.slice(1);
        const escaped = body.replace(/[\\\]^]/g, (m) => `\\${m}`);
        re += negated ? `[^/${escaped}]` : `[${escaped}]`;
        i = close + 1;
        continue;
      }
    }
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRegExp(pattern[i + 1] as string);
      i += 2;
      continue;
    }
    re += escapeRegExp(c);
    i++;
  }
  return new RegExp(`^${re}$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Removes glob escapes from a segment without meta characters. */
export function unescapeGlob(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}
