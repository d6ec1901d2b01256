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

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Regex source matching `text` as it appears inside a JSON string. */
export function jsonLiteralRegex(text: string, dialect: RegexDialect): string {
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
      const forms = [short, unicodeEscape(code)];
      out += `(?:${forms.map((f) => escapeRegex(f, dialect)).join('|')})`;
    } else if (code < 0x20) {
      flush();
      out += escapeRegex(unicodeEscape(code), dialect);
    } else if (ch === '/') {
      flush();
      out += `(?:/|${escapeRegex('\\/', dialect)})`;
    } else if (code > 0x7e) {
      flush();
      // Raw UTF-8, or \uXXXX escapes (one, or a surrogate pair) as ASCII-only writers produce.
      const units = code > 0xffff ? [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)] : [code];
      out += `(?:${escapeRegex(ch, dialect)}|${units.map((u) => escapeRegex(unicodeEscape(u), dialect)).join('')})`;
    } else {
      plain += ch;
    }
  }
  flush();
  return out;
}

export function jsonStringStyle(dialect: RegexDialect): PatternStyle {
  return { literal: (t) => jsonLiteralRegex(t, dialect), anyRun: JSON_RUN, anyOne: JSON_CHAR };
}
