/**
 * Regex pieces that match text as it appears inside a JSON string literal (between the quotes).
 * A decoded character may be written raw or escaped (`\"`, `\\`, `\n`, `\u00e9`, `\/`), so each literal
 * character becomes the alternation of the forms JSON writers produce.
 */
import { escapeRegex, type RegexDialect } from './escape';
import type { PatternStyle } from './pattern-regex';

/** One JSON string unit: a plain character or an escape sequence. */
export const JSON_CHAR = '(?:[^"\\\\]|\\\\u[0-9a-fA-F]{4}|\\\\.)';
/** Any run of JSON string content, never past the closing quote. */
export const JSON_RUN = '(?:[^"\\\\]|\\\\.)*';

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** `\uXXXX` for one UTF-16 unit, as regex source that accepts either case of the hex digits. */
function unicodeEscapeRegex(unit: number, dialect: RegexDialect): string {
  const hex = unit
    .toString(16)
    .padStart(4, '0')
    .split('')
    .map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d))
    .join('');
  return `${escapeRegex('\\', dialect)}u${hex}`;
}

/** The `\u` escape of a code point (one unit, or a surrogate pair). */
function escapedForm(code: number, dialect: RegexDialect): string {
  const units = code > 0xffff ? [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)] : [code];
  return units.map((u) => unicodeEscapeRegex(u, dialect)).join('');
}

/**
 * ASCII characters that some JSON writers escape as `\uXXXX` though they need not: .NET's encoder
 * (`'` `<` `>` `&` `+` `` ` ``), Go's (`<` `>` `&`).
 */
const SOMETIMES_ESCAPED = new Set(["'", '<', '>', '&', '+', '`']);

/**
 * Regex source matching `text` as it appears inside a JSON string. With `caseInsensitive`, an escaped
 * non-ASCII letter also matches the escape of its other case (`\u00e9` for É): `grep -i` folds raw
 * letters but cannot fold the hex digits of an escape.
 */
export function jsonLiteralRegex(text: string, dialect: RegexDialect, caseInsensitive = false): string {
  let out = '';
  let plain = '';
  const flush = () => {
    out += escapeRegex(plain, dialect);
    plain = '';
  };
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) {
      flush();
      out += `(?:${escapeRegex(short, dialect)}|${escapedForm(code, dialect)})`;
    } else if (code < 0x20) {
      flush();
      out += escapedForm(code, dialect);
    } else if (ch === '/') {
      flush();
      out += `(?:/|${escapeRegex('\\/', dialect)})`;
    } else if (SOMETIMES_ESCAPED.has(ch)) {
      flush();
      out += `(?:${escapeRegex(ch, dialect)}|${escapedForm(code, dialect)})`;
    } else if (code > 0x7e) {
      flush();
      // Raw UTF-8, or \uXXXX escapes (one, or a surrogate pair) as ASCII-only writers produce.
      const variants = new Set([ch]);
      if (caseInsensitive) for (const v of [ch.toLowerCase(), ch.toUpperCase()]) if ([...v].length === 1) variants.add(v);
      const escapes = [...variants].map((v) => escapedForm(v.codePointAt(0)!, dialect));
      out += `(?:${escapeRegex(ch, dialect)}|${escapes.join('|')})`;
    } else {
      plain += ch;
    }
  }
  flush();
  return out;
}

export function jsonStringStyle(dialect: RegexDialect, caseInsensitive = false): PatternStyle {
  return { literal: (t) => jsonLiteralRegex(t, dialect, caseInsensitive), anyRun: JSON_RUN, anyOne: JSON_CHAR };
}
