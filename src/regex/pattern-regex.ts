/**
 * Pattern (literal runs + wildcards) → regex source, in a style chosen by the caller: how a literal is
 * written (escaped for the dialect, possibly JSON-escaped first) and what `*` and `?` become. One
 * builder serves the grep backend, the plan backend and the text-query backends.
 */
import { isWildcard, type Pattern } from '../ir/types';
import { escapeRegex, type RegexDialect } from './escape';

export interface PatternStyle {
  /** Regex source matching the literal text. */
  readonly literal: (text: string) => string;
  /** Regex source for `*`. */
  readonly anyRun: string;
  /** Regex source for `?`. */
  readonly anyOne: string;
}

export function patternRegex(pattern: Pattern, style: PatternStyle): string {
  return pattern
    .map((p) => {
      if (typeof p === 'string') return style.literal(p);
      if (isWildcard(p)) return p.wildcard === '*' ? style.anyRun : style.anyOne;
      throw new Error(`unresolved placeholder %${p.placeholder}% reached a regex builder`);
    })
    .join('');
}

/** Plain text: `*` crosses anything (the caller sets dotall where needed), `?` is one character. */
export function plainTextStyle(dialect: RegexDialect): PatternStyle {
  return { literal: (t) => escapeRegex(t, dialect), anyRun: '.*', anyOne: '.' };
}
