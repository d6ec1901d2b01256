/**
 * Which parts of a regex RE2 cannot run, and the RE2 source for the rest. RE2 guarantees linear-time
 * matching by refusing lookaround, backreferences, atomic groups, possessive quantifiers, `\Z`, and
 * repeat counts above 1000. The caller turns each finding into a REGEX_NOT_RE2_SAFE diagnostic; nothing
 * here approximates an unsafe construct (dropping a lookahead would silently change the meaning).
 */
import { emitSource } from './emit-source';
import { baseFlags, type BaseFlags, type RegexNode } from './regex-ast';

/** RE2's largest repeat count (`{n,m}`). */
export const RE2_MAX_REPEAT = 1000;

export type Re2UnsafeName =
  | 'lookahead'
  | 'negative lookahead'
  | 'lookbehind'
  | 'negative lookbehind'
  | 'backreference'
  | 'atomic group'
  | 'possessive quantifier'
  | 'end before final newline (\\Z)'
  | 'repeat count above 1000';

export interface Re2Problem {
  readonly name: Re2UnsafeName;
  /** UTF-16 index into the regex source. */
  readonly offset: number;
}

export function re2Problems(ast: RegexNode): readonly Re2Problem[] {
  const out: Re2Problem[] = [];
  const visit = (node: RegexNode): void => {
    switch (node.kind) {
      case 'alternation':
        node.alternatives.forEach(visit);
        return;
      case 'sequence':
        node.items.forEach(visit);
        return;
      case 'group': {
        const unsafe: Partial<Record<string, Re2UnsafeName>> = {
          lookahead: 'lookahead',
          'negative-lookahead': 'negative lookahead',
          lookbehind: 'lookbehind',
          'negative-lookbehind': 'negative lookbehind',
          atomic: 'atomic group',
        };
        const name = unsafe[node.group];
        if (name) out.push({ name, offset: node.offset });
        visit(node.body);
        return;
      }
      case 'quantifier':
        if (node.mode === 'possessive') out.push({ name: 'possessive quantifier', offset: node.offset });
        if (node.min > RE2_MAX_REPEAT || (node.max ?? 0) > RE2_MAX_REPEAT) {
          out.push({ name: 'repeat count above 1000', offset: node.offset });
        }
        visit(node.body);
        return;
      case 'assertion':
        if (node.assertion === 'string-end-newline') out.push({ name: 'end before final newline (\\Z)', offset: node.offset });
        return;
      case 'backreference':
        out.push({ name: 'backreference', offset: node.offset });
        return;
      case 'char':
      case 'any':
      case 'escape-class':
      case 'class':
      case 'flags':
        return;
    }
  };
  visit(ast);
  return out;
}

export type Re2SourceResult =
  | { readonly kind: 'ok'; readonly source: string }
  | { readonly kind: 'unsafe'; readonly problems: readonly Re2Problem[] };

/**
 * RE2 source with the same meaning as `ast` under `flags` (base flags, e.g. "ims" from Sigma modifiers).
 * The output has no global flags, uses `(?P<name>..)`, `\x{..}` escapes and explicit classes where RE2's
 * reading differs (`\s` includes VT as in PCRE).
 */
export function toRe2Source(ast: RegexNode, flags: BaseFlags | string = {}): Re2SourceResult {
  const problems = re2Problems(ast);
  if (problems.length > 0) return { kind: 'unsafe', problems };
  return { kind: 'ok', source: emitSource(ast, typeof flags === 'string' ? baseFlags(flags) : flags, 're2') };
}
