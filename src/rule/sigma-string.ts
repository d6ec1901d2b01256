/**
 * Sigma string values → patterns of literal runs and wildcards, parsed once here so no later stage ever
 * re-reads `*`, `?` or `\`. Escaping follows the spec (and pySigma): `\` escapes only `*`, `?` and `\`;
 * before any other character, or at the end, a backslash is a literal backslash.
 */
import type { Pattern, PatternPart } from '../ir/types';
import { normalizePattern } from '../ir/pattern';

export function parseSigmaString(text: string): Pattern {
  const parts: PatternPart[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        i++;
      } else {
        literal += '\\';
      }
    } else if (c === '*' || c === '?') {
      if (literal) parts.push(literal);
      literal = '';
      parts.push({ wildcard: c });
    } else {
      literal += c;
    }
  }
  if (literal) parts.push(literal);
  return normalizePattern(parts);
}
