/** Small pure helpers over patterns (literal runs + wildcards). */
import { isPlaceholder, isWildcard, type Pattern, type PatternPart } from './types';

/** Merges adjacent literals, drops empty ones and collapses `**` to `*`. */
export function normalizePattern(parts: readonly PatternPart[]): Pattern {
  const out: PatternPart[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      if (p === '') continue;
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + p;
      else out.push(p);
    } else if (isWildcard(p) && p.wildcard === '*') {
      const last = out[out.length - 1];
      if (last !== undefined && isWildcard(last) && last.wildcard === '*') continue;
      out.push(p);
    } else {
      out.push(p);
    }
  }
  return out;
}

const STAR: PatternPart = { wildcard: '*' };

export function startsWithStar(p: Pattern): boolean {
  const first = p[0];
  return first !== undefined && isWildcard(first) && first.wildcard === '*';
}

export function endsWithStar(p: Pattern): boolean {
  const last = p[p.length - 1];
  return last !== undefined && isWildcard(last) && last.wildcard === '*';
}

export function withLeadingStar(p: Pattern): Pattern {
  return startsWithStar(p) ? p : [STAR, ...p];
}

export function withTrailingStar(p: Pattern): Pattern {
  return endsWithStar(p) ? p : [...p, STAR];
}

export function hasWildcards(p: Pattern): boolean {
  return p.some((x) => typeof x !== 'string' && isWildcard(x));
}

export function hasPlaceholders(p: Pattern): boolean {
  return p.some((x) => typeof x !== 'string' && isPlaceholder(x));
}

/** The pattern's text when it is one plain literal (or empty), else undefined. */
export function plainLiteral(p: Pattern): string | undefined {
  if (p.length === 0) return '';
  return p.length === 1 && typeof p[0] === 'string' ? p[0] : undefined;
}

/** Applies `f` to every literal run, keeping wildcards and placeholders. */
export function mapLiterals(p: Pattern, f: (s: string) => string): Pattern {
  return normalizePattern(p.map((x) => (typeof x === 'string' ? f(x) : x)));
}

/** Renders the pattern back in Sigma syntax (escaping `*`, `?`, `\` in literals), for messages and explain. */
export function patternToSigma(p: Pattern): string {
  return p
    .map((x) => {
      if (typeof x === 'string') return x.replace(/[\\*?]/g, (c) => `\\${c}`);
      if (isWildcard(x)) return x.wildcard;
      return `%${x.placeholder}%`;
    })
    .join('');
}
