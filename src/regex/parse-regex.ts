/**
 * Sigma `re` source → regex AST. The flavour is PCRE as SigmaHQ rules write it (PCRE2 syntax, plus Python's
 * `(?P<n>..)`, `(?P=n)` and `\uHHHH`), so every real rule regex parses. Valid PCRE constructs that no
 * backend can honour (recursion, conditionals, `\K`, verbs, Unicode properties) are reported as
 * REGEX_UNSUPPORTED rather than guessed at; malformed input is REGEX_SYNTAX. Problems are collected; the
 * AST is returned only when there are none.
 *
 * Decisions: `{,m}` is a quantifier {0,m} (Python, PCRE2 ≥ 10.43); a `{` that does not start a valid
 * quantifier is literal (PCRE); `]` and `}` outside a class are literal; `\v` is PCRE's vertical-space class.
 */
import type {
  Assertion,
  AssertionKind,
  ClassItem,
  EscapeClassName,
  FlagChange,
  GroupKind,
  InlineFlags,
  PosixClassName,
  RegexNode,
} from './regex-ast';

export type RegexProblemCode = 'REGEX_SYNTAX' | 'REGEX_UNSUPPORTED';

export interface RegexProblem {
  readonly code: RegexProblemCode;
  readonly message: string;
  /** UTF-16 index into the regex source. */
  readonly offset: number;
}

export interface ParsedRegex {
  readonly ast?: RegexNode;
  readonly problems: readonly RegexProblem[];
  /** Number of capturing groups (numbered and named). */
  readonly groupCount: number;
}

/** PCRE2's largest repeat count. */
export const MAX_REPEAT = 65535;
/** Deeper nesting is refused, so recursive translators cannot overflow the stack. */
export const MAX_NESTING = 200;

const POSIX_NAMES: readonly PosixClassName[] = [
  'alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph',
  'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit',
];

const ESCAPE_CLASSES: Readonly<Record<string, { name: EscapeClassName; negated: boolean }>> = {
  d: { name: 'digit', negated: false },
  D: { name: 'digit', negated: true },
  w: { name: 'word', negated: false },
  W: { name: 'word', negated: true },
  s: { name: 'space', negated: false },
  S: { name: 'space', negated: true },
  h: { name: 'hspace', negated: false },
  H: { name: 'hspace', negated: true },
  v: { name: 'vspace', negated: false },
  V: { name: 'vspace', negated: true },
};

const CONTROL_ESCAPES: Readonly<Record<string, number>> = { t: 9, n: 10, r: 13, f: 12, e: 27, a: 7 };

class Failure extends Error {}

interface Mods {
  i?: boolean;
  m?: boolean;
  s?: boolean;
  x?: boolean;
}

export function parseRegex(source: string): ParsedRegex {
  const problems: RegexProblem[] = [];
  let pos = 0;
  let groupCount = 0;
  let depth = 0;
  const groupNames = new Set<string>();
  const backrefs: { ref: number | string; offset: number }[] = [];

  const fail = (code: RegexProblemCode, message: string, offset: number): never => {
    problems.push({ code, message, offset });
    throw new Failure(message);
  };
  const peek = (k = 0): string | undefined => source[pos + k];
  const cpAt = (i: number): number => source.codePointAt(i)!;
  const cpLen = (cp: number): number => (cp > 0xffff ? 2 : 1);

  const inlineOf = (mods: Mods): InlineFlags | undefined => {
    const out: { i?: boolean; m?: boolean; s?: boolean } = {};
    if (mods.i !== undefined) out.i = mods.i;
    if (mods.m !== undefined) out.m = mods.m;
    if (mods.s !== undefined) out.s = mods.s;
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const withInline = <T extends RegexNode>(node: T, mods: Mods): T => {
    const inline = inlineOf(mods);
    return inline ? { ...node, inline } : node;
  };

  const applyFlags = (mods: Mods, change: FlagChange): Mods => {
    const next: Mods = { ...mods };
    for (const f of change.on) if (f === 'i' || f === 'm' || f === 's' || f === 'x') next[f] = true;
    for (const f of change.off) if (f === 'i' || f === 'm' || f === 's' || f === 'x') next[f] = false;
    return next;
  };

  const skipExtended = (mods: Mods): void => {
    if (!mods.x) return;
    while (pos < source.length) {
      const c = source[pos]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') pos++;
      else if (c === '#') {
        while (pos < source.length && source[pos] !== '\n') pos++;
      } else break;
    }
  };

  /** Parses alternatives until `)` or the end. `mods` is mutable so `(?i)` carries into later branches. */
  function parseAlternation(mods: Mods): RegexNode {
    const start = pos;
    const alternatives: RegexNode[] = [];
    const state = { mods };
    for (;;) {
      alternatives.push(parseSequence(state));
      if (peek() === '|') {
        pos++;
        continue;
      }
      break;
    }
    if (alternatives.length === 1) return alternatives[0]!;
    return { kind: 'alternation', alternatives, offset: start, end: pos };
  }

  function parseSequence(state: { mods: Mods }): RegexNode {
    const start = pos;
    const items: RegexNode[] = [];
    for (;;) {
      skipExtended(state.mods);
      const c = peek();
      if (c === undefined || c === '|' || c === ')') break;
      const atom = parseAtom(state);
      if (atom === undefined) continue;
      skipExtended(state.mods);
      items.push(parseQuantifiers(atom, state.mods));
    }
    return { kind: 'sequence', items, offset: start, end: pos };
  }

  function parseQuantifiers(atom: RegexNode, mods: Mods): RegexNode {
    let node = atom;
    for (;;) {
      const qStart = pos;
      const bounds = readQuantifier();
      if (bounds === undefined) return node;
      if (node.kind === 'flags') fail('REGEX_SYNTAX', 'quantifier does not follow a repeatable item', qStart);
      if (node !== atom) {
        // `a**` or `a{2}{3}`: PCRE rejects the first, accepts the second; reject both, nobody means them.
        fail('REGEX_SYNTAX', 'nested quantifier', qStart);
      }
      let mode: 'greedy' | 'lazy' | 'possessive' = 'greedy';
      if (peek() === '?') {
        mode = 'lazy';
        pos++;
      } else if (peek() === '+') {
        mode = 'possessive';
        pos++;
      }
      node = { kind: 'quantifier', min: bounds.min, max: bounds.max, mode, body: node, offset: atom.offset, end: pos };
      skipExtended(mods);
    }
  }

  function readQuantifier(): { min: number; max: number | undefined } | undefined {
    const c = peek();
    if (c === '*') return pos++, { min: 0, max: undefined };
    if (c === '+') return pos++, { min: 1, max: undefined };
    if (c === '?') return pos++, { min: 0, max: 1 };
    if (c !== '{') return undefined;
    const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(source.slice(pos));
    if (!m || (m[1] === '' && (m[2] === undefined || m[3] === ''))) return undefined; // literal `{`
    const min = m[1] === '' ? 0 : Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
    if (min > MAX_REPEAT || (max !== undefined && max > MAX_REPEAT)) fail('REGEX_SYNTAX', `repeat count above ${MAX_REPEAT}`, pos);
    if (max !== undefined && max < min) fail('REGEX_SYNTAX', 'numbers out of order in {} quantifier', pos);
    pos += m[0].length;
    return { min, max };
  }

  function parseAtom(state: { mods: Mods }): RegexNode | undefined {
    const start = pos;
    const c = peek()!;
    switch (c) {
      case '(':
        return parseGroup(state);
      case '[':
        return parseClass(state.mods);
      case '.':
        pos++;
        return withInline({ kind: 'any', offset: start, end: pos }, state.mods);
      case '^':
        pos++;
        return assertion('line-start', start, state.mods);
      case '$':
        pos++;
        return assertion('line-end', start, state.mods);
      case '\\':
        return parseEscape(state.mods);
      case '*':
      case '+':
      case '?':
        return fail('REGEX_SYNTAX', `quantifier "${c}" does not follow a repeatable item`, start);
      case '{':
        if (/^\{\d*(,\d*)?\}/.test(source.slice(pos)) && !/^\{,?\}/.test(source.slice(pos))) {
          return fail('REGEX_SYNTAX', 'quantifier does not follow a repeatable item', start);
        }
        break;
      default:
        break;
    }
    const cp = cpAt(pos);
    pos += cpLen(cp);
    return withInline({ kind: 'char', codePoint: cp, offset: start, end: pos }, state.mods);
  }

  function assertion(kind: AssertionKind, start: number, mods: Mods): Assertion {
    const node: Assertion = { kind: 'assertion', assertion: kind, offset: start, end: pos };
    return kind === 'line-start' || kind === 'line-end' ? withInline(node, mods) : node;
  }

  function parseGroup(state: { mods: Mods }): RegexNode | undefined {
    const start = pos;
    pos++; // (
    let kind: GroupKind = 'capturing';
    let name: string | undefined;
    let flags: FlagChange | undefined;
    if (peek() === '*') fail('REGEX_UNSUPPORTED', 'backtracking verbs like (*VERB) are not supported', start);
    if (peek() === '?') {
      const rest = source.slice(pos + 1);
      const named = /^(?:P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/.exec(rest);
      if (rest.startsWith(':')) (kind = 'non-capturing'), (pos += 2);
      else if (rest.startsWith('=')) (kind = 'lookahead'), (pos += 2);
      else if (rest.startsWith('!')) (kind = 'negative-lookahead'), (pos += 2);
      else if (rest.startsWith('<=')) (kind = 'lookbehind'), (pos += 3);
      else if (rest.startsWith('<!')) (kind = 'negative-lookbehind'), (pos += 3);
      else if (rest.startsWith('>')) (kind = 'atomic'), (pos += 2);
      else if (rest.startsWith('#')) {
        const close = source.indexOf(')', pos);
        if (close < 0) fail('REGEX_SYNTAX', 'missing ) after (?# comment', start);
        pos = close + 1;
        return undefined;
      } else if (rest.startsWith('P=')) {
        const m = /^P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest);
        if (!m) return fail('REGEX_SYNTAX', 'malformed (?P=name) backreference', start);
        pos += 1 + m[0].length;
        backrefs.push({ ref: m[1]!, offset: start });
        return withInline({ kind: 'backreference', ref: m[1]!, offset: start, end: pos }, state.mods);
      } else if (named) {
        kind = 'named';
        name = named[1] ?? named[2]!;
        if (groupNames.has(name)) fail('REGEX_SYNTAX', `duplicate group name "${name}"`, start);
        groupNames.add(name);
        pos += 1 + named[0].length;
      } else {
        if (/^(?:\(|R\)|[+-]?\d+\)|&|P>|\||C\d*\))/.test(rest)) {
          fail('REGEX_UNSUPPORTED', 'conditionals, recursion, callouts and branch-reset groups are not supported', start);
        }
        const m = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
        if (!m) return fail('REGEX_SYNTAX', 'unrecognized character after (?', start);
        const on = m[1]!;
        const off = m[2] ?? '';
        for (let k = 0; k < on.length + off.length; k++) {
          const f = (on + off)[k]!;
          if (!'imsx'.includes(f)) {
            fail(
              'REGEX_UNSUPPORTED',
              `inline flag "${f}" is not supported (only i, m, s, x)`,
              pos + 1 + (k < on.length ? k : k + 1),
            );
          }
        }
        flags = { on, off };
        pos += 1 + m[0].length;
        if (m[3] === ')') {
          state.mods = applyFlags(state.mods, flags);
          return { kind: 'flags', on, off, offset: start, end: pos };
        }
        kind = 'non-capturing';
      }
    }
    const index = kind === 'capturing' || kind === 'named' ? ++groupCount : undefined;
    if (++depth > MAX_NESTING) fail('REGEX_SYNTAX', `groups nested deeper than ${MAX_NESTING}`, start);
    const inner = flags ? applyFlags(state.mods, flags) : { ...state.mods };
    const body = parseAlternation(inner);
    depth--;
    if (peek() !== ')') fail('REGEX_SYNTAX', 'missing closing parenthesis', start);
    pos++;
    return {
      kind: 'group',
      group: kind,
      ...(index !== undefined ? { index } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(flags ? { flags } : {}),
      body,
      offset: start,
      end: pos,
    };
  }

  /** A code point written as an escape (`\t`, `\x41`, `\x{263a}`, `\u0041`, `\0`, `\cA`, `\.`), or undefined. */
  function readCharEscape(inClass: boolean): number | undefined {
    const start = pos; // at the backslash
    const c = source[pos + 1];
    if (c === undefined) return fail('REGEX_SYNTAX', '\\ at end of pattern', start);
    if (c in CONTROL_ESCAPES) return (pos += 2), CONTROL_ESCAPES[c];
    if (inClass && c === 'b') return (pos += 2), 8;
    if (c === 'x') {
      const braced = /^\{([0-9a-fA-F]+)\}/.exec(source.slice(pos + 2));
      if (braced) return checkCodePoint(parseInt(braced[1]!, 16), start, 2 + braced[0].length);
      if (source[pos + 2] === '{') return fail('REGEX_SYNTAX', 'malformed \\x{...} escape', start);
      const m = /^[0-9a-fA-F]{0,2}/.exec(source.slice(pos + 2))![0];
      return (pos += 2 + m.length), m === '' ? 0 : parseInt(m, 16);
    }
    if (c === 'u') {
      const m = /^[0-9a-fA-F]{4}/.exec(source.slice(pos + 2));
      if (!m) return fail('REGEX_SYNTAX', 'malformed \\u escape (need four hex digits)', start);
      return checkCodePoint(parseInt(m[0], 16), start, 6);
    }
    if (c === 'o') {
      const m = /^\{([0-7]+)\}/.exec(source.slice(pos + 2));
      if (!m) return fail('REGEX_SYNTAX', 'malformed \\o{...} escape', start);
      return checkCodePoint(parseInt(m[1]!, 8), start, 2 + m[0].length);
    }
    if (c === '0') {
      const m = /^0[0-7]{0,2}/.exec(source.slice(pos + 1))![0];
      return (pos += 1 + m.length), parseInt(m, 8);
    }
    if (c === 'c') {
      const x = source[pos + 2];
      if (x === undefined || x.charCodeAt(0) > 127) return fail('REGEX_SYNTAX', '\\c must be followed by an ASCII character', start);
      return (pos += 3), x.toUpperCase().charCodeAt(0) ^ 0x40;
    }
    if (inClass && /[1-7]/.test(c)) {
      const m = /^[0-7]{1,3}/.exec(source.slice(pos + 1))![0];
      return (pos += 1 + m.length), parseInt(m, 8);
    }
    if (/[A-Za-z0-9]/.test(c)) return undefined;
    const cp = cpAt(pos + 1);
    pos += 1 + cpLen(cp);
    return cp;
  }

  function checkCodePoint(cp: number, start: number, length: number): number {
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail('REGEX_SYNTAX', 'character code point out of range', start);
    pos = start + length;
    return cp;
  }

  function parseEscape(mods: Mods): RegexNode | undefined {
    const start = pos;
    const c = source[pos + 1];
    if (c !== undefined) {
      const cls = ESCAPE_CLASSES[c];
      if (cls) return (pos += 2), { kind: 'escape-class', ...cls, offset: start, end: pos };
      const simple: Record<string, AssertionKind> = {
        b: 'word-boundary',
        B: 'not-word-boundary',
        A: 'string-start',
        z: 'string-end',
        Z: 'string-end-newline',
      };
      const a = simple[c];
      if (a) return (pos += 2), assertion(a, start, mods);
      if (c === 'Q') {
        const close = source.indexOf('\\E', pos + 2);
        const endText = close < 0 ? source.length : close;
        const chars: RegexNode[] = [];
        for (let k = pos + 2; k < endText; ) {
          const cp = cpAt(k);
          chars.push(withInline({ kind: 'char', codePoint: cp, offset: k, end: k + cpLen(cp) }, mods));
          k += cpLen(cp);
        }
        pos = close < 0 ? source.length : close + 2;
        return { kind: 'sequence', items: chars, offset: start, end: pos };
      }
      if (c === 'E') return (pos += 2), undefined; // stray \E is ignored by PCRE
      if (/[1-9]/.test(c)) {
        const m = /^[1-9]\d*/.exec(source.slice(pos + 1))![0];
        pos += 1 + m.length;
        backrefs.push({ ref: Number(m), offset: start });
        return withInline({ kind: 'backreference', ref: Number(m), offset: start, end: pos }, mods);
      }
      if (c === 'g' || c === 'k') {
        const m =
          c === 'g'
            ? /^g(?:\{(\d+|[A-Za-z_]\w*)\}|(\d+))/.exec(source.slice(pos + 1))
            : /^k(?:<([A-Za-z_]\w*)>|\{([A-Za-z_]\w*)\}|'([A-Za-z_]\w*)')/.exec(source.slice(pos + 1));
        if (!m) return fail('REGEX_UNSUPPORTED', `unsupported \\${c} reference (relative or malformed)`, start);
        const raw = m[1] ?? m[2] ?? m[3]!;
        const ref = /^\d+$/.test(raw) ? Number(raw) : raw;
        pos += 1 + m[0].length;
        backrefs.push({ ref, offset: start });
        return withInline({ kind: 'backreference', ref, offset: start, end: pos }, mods);
      }
      if (c === 'p' || c === 'P' || c === 'X' || c === 'R' || c === 'N' || c === 'C') {
        return fail('REGEX_UNSUPPORTED', `\\${c} (Unicode property or special escape) is not supported`, start);
      }
      if (c === 'K' || c === 'G') return fail('REGEX_UNSUPPORTED', `\\${c} is not supported`, start);
    }
    const cp = readCharEscape(false);
    if (cp === undefined) return fail('REGEX_SYNTAX', `unrecognized escape \\${c ?? ''}`, start);
    return withInline({ kind: 'char', codePoint: cp, offset: start, end: pos }, mods);
  }

  function parseClass(mods: Mods): RegexNode {
    const start = pos;
    pos++; // [
    let negated = false;
    if (peek() === '^') (negated = true), pos++;
    const items: ClassItem[] = [];
    let first = true;
    for (;;) {
      const c = peek();
      if (c === undefined) return fail('REGEX_SYNTAX', 'missing terminating ] for character class', start);
      if (c === ']' && !first) {
        pos++;
        break;
      }
      first = false;
      const itemStart = pos;
      if (c === '[') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(source.slice(pos));
        if (m) {
          const name = m[2] as PosixClassName;
          if (!POSIX_NAMES.includes(name)) fail('REGEX_SYNTAX', `unknown POSIX class name "${m[2]}"`, pos);
          items.push({ kind: 'class-posix', name, negated: m[1] === '^', offset: itemStart });
          pos += m[0].length;
          continue;
        }
      }
      const from = readClassAtom();
      if (typeof from !== 'number') {
        items.push({ ...from, offset: itemStart });
        continue;
      }
      if (peek() === '-' && peek(1) !== undefined && peek(1) !== ']') {
        const save = pos;
        pos++;
        const to = readClassAtom();
        if (typeof to !== 'number') {
          // `[a-\d]`: PCRE2 rejects it; say so instead of guessing.
          fail('REGEX_SYNTAX', 'invalid range in character class', save);
        } else {
          if (to < from) fail('REGEX_SYNTAX', 'range out of order in character class', itemStart);
          items.push({ kind: 'class-range', from, to: to as number, offset: itemStart });
          continue;
        }
      }
      items.push({ kind: 'class-char', codePoint: from, offset: itemStart });
    }
    return withInline({ kind: 'class', negated, items, offset: start, end: pos }, mods);
  }

  function readClassAtom(): number | { kind: 'class-escape'; name: EscapeClassName; negated: boolean } {
    const start = pos;
    if (peek() === '\\') {
      const c = source[pos + 1];
      const cls = c !== undefined ? ESCAPE_CLASSES[c] : undefined;
      if (cls) return (pos += 2), { kind: 'class-escape', ...cls };
      if (c === 'Q' || c === 'E' || c === 'p' || c === 'P') fail('REGEX_UNSUPPORTED', `\\${c} inside a class is not supported`, start);
      const cp = readCharEscape(true);
      if (cp === undefined) return fail('REGEX_SYNTAX', `unrecognized escape \\${c ?? ''} in character class`, start);
      return cp;
    }
    const cp = cpAt(pos);
    pos += cpLen(cp);
    return cp;
  }

  let ast: RegexNode | undefined;
  try {
    ast = parseAlternation({});
    if (pos < source.length) fail('REGEX_SYNTAX', 'unmatched closing parenthesis', pos);
    for (const b of backrefs) {
      if (typeof b.ref === 'number' ? b.ref > groupCount : !groupNames.has(b.ref)) {
        fail('REGEX_SYNTAX', `reference to non-existent group ${b.ref}`, b.offset);
      }
    }
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    ast = undefined;
  }
  return ast && problems.length === 0 ? { ast, problems, groupCount } : { problems, groupCount };
}
