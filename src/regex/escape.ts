/**
 * Escaping of literal text for each regex dialect. Every literal that reaches a regex goes through here;
 * a property test checks that `^escape(s)$` matches exactly `s`.
 *
 * Escaped: the regex metacharacters `\ ^ $ . | ? * + ( ) [ ] {}` and control characters (as `\x{..}`, so
 * NUL and newline survive a shell argument). Everything else, non-ASCII text included, stays as it is,
 * so patterns remain readable.
 */

export type RegexDialect = 'pcre' | 're2';

const METACHARACTERS = /[\\^$.|?*+()[\]{}]/;

// Both dialects take the same escapes for what we emit; the parameter keeps one place for them to differ.
export function escapeRegex(text: string, dialect: RegexDialect): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) out += `\\x{${code.toString(16)}}`;
    else if (METACHARACTERS.test(ch)) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}
