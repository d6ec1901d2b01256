/**
 * Test helper: AST → a JavaScript RegExp (flag `u`) with the meaning fixed in src/regex/char-set.ts, used as
 * the reference the PCRE/RE2/JSON translations are compared with. Returns undefined for constructs
 * JavaScript lacks (atomic groups, possessive quantifiers).
 */
import { anySet, caseClosure, classSet, escapeClassSet, ofChars, type CharSet } from '../../src/regex/char-set';
import { effective, type BaseFlags, type RegexNode } from '../../src/regex/regex-ast';

export function toJsRegExp(ast: RegexNode, flags: BaseFlags): RegExp | undefined {
  let unsupported = false;
  const set = (s: CharSet): string => {
    if (s.length === 0) return '[]';
    return `[${s.map(([a, b]) => (a === b ? u(a) : `${u(a)}-${u(b)}`)).join('')}]`;
  };
  const u = (cp: number) => `\\u{${cp.toString(16)}}`;
  const emit = (node: RegexNode): string => {
    switch (node.kind) {
      case 'alternation':
        return node.alternatives.map(emit).join('|');
      case 'sequence':
        return node.items.map((i) => `(?:${emit(i)})`).join('');
      case 'group': {
        const body = emit(node.body);
        switch (node.group) {
          case 'capturing':
            return `(${body})`;
          case 'named':
            return `(?<${node.name}>${body})`;
          case 'non-capturing':
            return `(?:${body})`;
          case 'lookahead':
            return `(?=${body})`;
          case 'negative-lookahead':
            return `(?!${body})`;
          case 'lookbehind':
            return `(?<=${body})`;
          case 'negative-lookbehind':
            return `(?<!${body})`;
          case 'atomic':
            unsupported = true;
            return '';
        }
      }
      // falls through (unreachable)
      case 'quantifier':
        if (node.mode === 'possessive') unsupported = true;
        return `(?:${emit(node.body)}){${node.min},${node.max ?? ''}}${node.mode === 'lazy' ? '?' : ''}`;
      case 'char':
        return set(effective(flags, node.inline, 'i') ? caseClosure(ofChars(node.codePoint)) : ofChars(node.codePoint));
      case 'any':
        return set(anySet(effective(flags, node.inline, 's')));
      case 'escape-class':
        return set(escapeClassSet(node.name, node.negated));
      case 'class':
        return set(classSet(node, effective(flags, node.inline, 'i')));
      case 'assertion': {
        const m = effective(flags, node.inline, 'm');
        switch (node.assertion) {
          case 'line-start':
            return m ? '(?<=^|\\n)' : '^';
          case 'line-end':
            return m ? '(?=\\n|$)' : '$';
          case 'string-start':
            return '^';
          case 'string-end':
            return '$';
          case 'string-end-newline':
            return '(?=\\n?$)';
          case 'word-boundary':
            return '\\b';
          case 'not-word-boundary':
            return '\\B';
        }
      }
      // falls through (unreachable)
      case 'backreference':
        if (node.kind !== 'backreference') return '';
        if (effective(flags, node.inline, 'i')) unsupported = true;
        return typeof node.ref === 'number' ? `\\${node.ref}` : `\\k<${node.ref}>`;
      case 'flags':
        return '';
    }
  };
  const source = emit(ast);
  return unsupported ? undefined : new RegExp(source, 'u');
}
