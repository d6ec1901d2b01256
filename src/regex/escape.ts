/**
 * Escaping of literal text for each regex dialect. Every literal that reaches a regex goes through here;
 * a property test checks that `^escape(s)$` matches exactly `s`.
 *
 * Escaped: ASCII punctuation (always safe to backslash-escape in PCRE and RE2) and control characters
 * (as `\x{..}`, so NUL and newline survive a shell argument). Letters, digits, `_`, space and non-ASCII
 * text stay as they are, so patterns remain readable.
 */

export type RegexDialect = 'pcre' | 're2';

const PUNCTUATION = /[!-/:-@[-`{-~]/;

export function escapeRegex(text: string, dialect: RegexDialect): string {
  void dialect; // both dialects take the same escapes for what we emit; kept so a new dialect has one place to differ
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) out += `\\x{${code.toString(16)}}`;
    else if (ch === '_' || !PUNCTUATION.test(ch)) out += ch;
    else out += `\\${ch}`;
  }
  return out;
}
