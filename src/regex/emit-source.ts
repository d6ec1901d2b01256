/**
 * AST → regex source text for PCRE2 or RE2, with the meaning fixed by `char-set.ts`. Inline and base flags
 * are resolved here, so the output carries no global flags: case-insensitive literal runs become `(?i:..)`,
 * classes are written out from their code-point sets, `.` under `s` is `(?s:.)`, and `$` without `m` is
 * end-of-value only (`\z` in PCRE, whose `$` would also match before a final newline).
 * Shared by `to-pcre.ts` and `re2-safety.ts`; RE2-unsafe nodes must be filtered by the caller.
 */
import { escapeRegex, type RegexDialect } from './escape';
import { caseVariants, classSet, complement, escapeClassSet, minus, size, type CharSet } from './char-set';

const SURROGATES: CharSet = [[0xd800, 0xdfff]];
import { assertNever, effective, type BaseFlags, type Char, type RegexNode } from './regex-ast';

export function emitSource(ast: RegexNode, flags: BaseFlags, dialect: RegexDialect): string {
  const emit = (node: RegexNode): string => {
    switch (node.kind) {
      case 'alternation':
        return node.alternatives.map(emit).join('|');
      case 'sequence':
        return emitSequence(node.items);
      case 'group':
        return groupSource(node.group, node.name, emit(node.body), dialect);
      case 'quantifier': {
        const body = emit(node.body);
        const wrapped = needsGroupForQuantifier(node.body) ? `(?:${body})` : body;
        const bounds =
          node.min === 0 && node.max === undefined ? '*'
          : node.min === 1 && node.max === undefined ? '+'
          : node.min === 0 && node.max === 1 ? '?'
          : node.max === node.min ? `{${node.min}}`
          : `{${node.min},${node.max ?? ''}}`;
        const mode = node.mode === 'lazy' ? '?' : node.mode === 'possessive' ? '+' : '';
        return wrapped + bounds + mode;
      }
      case 'char':
        return emitChars([node]);
      case 'any':
        return effective(flags, node.inline, 's') ? '(?s:.)' : '.';
      case 'escape-class':
        return emitEscapeClass(node.name, node.negated, dialect);
      case 'class':
        return emitSet(classSet(node, effective(flags, node.inline, 'i')), dialect);
      case 'assertion': {
        const m = effective(flags, node.inline, 'm');
        switch (node.assertion) {
          case 'line-start':
            return m ? '(?m:^)' : '^';
          case 'line-end':
            return m ? '(?m:$)' : dialect === 'pcre' ? '\\z' : '$';
          case 'string-start':
            return '\\A';
          case 'string-end':
            return '\\z';
          case 'string-end-newline':
            return '\\Z';
          case 'word-boundary':
            return '\\b';
          case 'not-word-boundary':
            return '\\B';
          default:
            return assertNever(node.assertion);
        }
      }
      case 'backreference': {
        const ref = typeof node.ref === 'number' ? `\\${node.ref}` : `\\k<${node.ref}>`;
        return effective(flags, node.inline, 'i') ? `(?i:${ref})` : `(?:${ref})`;
      }
      case 'flags':
        return ''; // resolved onto the leaves
      default:
        return assertNever(node);
    }
  };

  // Consecutive chars are written together so `(?i)abc` becomes one `(?i:abc)` rather than three groups.
  const emitSequence = (items: readonly RegexNode[]): string => {
    let out = '';
    let run: Char[] = [];
    for (const item of items) {
      if (item.kind === 'char') {
        run.push(item);
        continue;
      }
      out += emitChars(run);
      run = [];
      out += emit(item);
    }
    return out + emitChars(run);
  };

  const emitChars = (chars: readonly Char[]): string => {
    let out = '';
    let folded = '';
    const flush = () => {
      if (folded) out += `(?i:${folded})`;
      folded = '';
    };
    for (const c of chars) {
      const text = escapeRegex(String.fromCodePoint(c.codePoint), dialect);
      if (effective(flags, c.inline, 'i') && caseVariants(c.codePoint).length > 1) folded += text;
      else {
        flush();
        out += text;
      }
    }
    flush();
    return out;
  };

  return emit(ast);
}

/** A quantified body must be one atom: a single char's text may be several (`(?i:a)` is fine, `ab` is not). */
function needsGroupForQuantifier(body: RegexNode): boolean {
  switch (body.kind) {
    case 'group':
    case 'any':
    case 'class':
    case 'escape-class':
    case 'backreference':
      return false;
    case 'char':
      return false; // escapeRegex gives one atom; `(?i:x)` is a group
    default:
      return true;
  }
}

/** grep 3.8 -P: bare `\D` `\S` `\W` do not match non-ASCII characters, while `[^\d]` does; so negations are classes. */
function emitEscapeClass(name: string, negated: boolean, dialect: RegexDialect): string {
  const letter = name[0]!;
  if (name === 'digit' || name === 'word' || (name === 'space' && dialect === 'pcre')) {
    return negated ? `[^\\${letter}]` : `\\${letter}`;
  }
  return emitSet(escapeClassSet(name as 'space' | 'hspace' | 'vspace', negated), dialect);
}

/** A set as one atom: a single escaped char, `[...]`, `[^...]`, or `(?!)` when empty. */
export function emitSet(full: CharSet, dialect: RegexDialect): string {
  // Surrogate code points cannot occur in UTF-8 text and both engines reject them in classes: drop them.
  const set = minus(full, SURROGATES);
  if (set.length === 0) return dialect === 'pcre' ? '(?!)' : '[^\\x00-\\x{10ffff}]';
  if (set.length === 1 && set[0]![0] === set[0]![1]) return escapeRegex(String.fromCodePoint(set[0]![0]), dialect);
  const inverse = minus(complement(set), SURROGATES);
  const negate = inverse.length > 0 && (inverse.length < set.length || (inverse.length === set.length && size(inverse) < size(set)));
  const body = (negate ? inverse : set).map(([a, b]) => (a === b ? classChar(a) : b === a + 1 ? classChar(a) + classChar(b) : `${classChar(a)}-${classChar(b)}`)).join('');
  return negate ? `[^${body}]` : `[${body}]`;
}

function classChar(cp: number): string {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0x2028 || cp === 0x2029 || cp > 0xffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    return `\\x{${cp.toString(16)}}`;
  }
  const ch = String.fromCodePoint(cp);
  return /[\\\]\[^\-]/.test(ch) ? `\\${ch}` : /[!-/:-@`{-~]/.test(ch) ? `\\${ch}` : ch;
}

/** A group's syntax around its body, in a dialect (RE2 names groups `(?P<name>...)`). */
export function groupSource(group: string, name: string | undefined, body: string, dialect: RegexDialect): string {
  switch (group) {
    case 'capturing':
      return `(${body})`;
    case 'named':
      return dialect === 're2' ? `(?P<${name}>${body})` : `(?<${name}>${body})`;
    case 'non-capturing':
      return `(?:${body})`;
    case 'atomic':
      return `(?>${body})`;
    case 'lookahead':
      return `(?=${body})`;
    case 'negative-lookahead':
      return `(?!${body})`;
    case 'lookbehind':
      return `(?<=${body})`;
    case 'negative-lookbehind':
      return `(?<!${body})`;
    default:
      throw new Error(`unknown group kind ${group}`);
  }
}
