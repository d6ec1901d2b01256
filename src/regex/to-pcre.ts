/**
 * AST → PCRE2 source for `grep -P`, with flags resolved (no leading `(?i)` needed) and `$` meaning end of
 * value as in RE2, so grep and the RE2 plan agree. Assumes grep's PCRE2 runs without UCP (grep 3.8 in a
 * UTF-8 locale: `\w`, `\d`, `\b` are ASCII).
 */
import { emitSource } from './emit-source';
import { baseFlags, type BaseFlags, type RegexNode } from './regex-ast';

export function toPcreSource(ast: RegexNode, flags: BaseFlags | string = {}): string {
  return emitSource(ast, typeof flags === 'string' ? baseFlags(flags) : flags, 'pcre');
}
