/**
 * Sigma regexes and patterns → Lucene regular expressions (the `/.../` of query_string). Lucene's regex
 * is anchored (it must match the whole value), has no anchors, lookaround, backreferences, lazy/possessive
 * modes or inline flags, and reserves `# @ & < > ~ "` besides the usual operators. So a Sigma `re` (a
 * search) gets `.*` on each unanchored side, `^`/`$` at the edges are dropped, case-insensitivity becomes
 * `[Aa]` classes, and anything else is refused with a message naming the construct.
 *
 * Characters are escaped with a backslash only where the escape is one every Lucene query parser reads
 * (`\\`, `\/`, `\"`, `\+`...); `. # @ < >` are written as one-character classes `[.]`, which means the
 * same in every version. Control characters cannot be written at all (the regex would need a raw line
 * break in the query), so classes drop them and single ones become `.`, with a warning.
 */
import { caseVariants, classSet, complement, escapeClassSet, minus, ofChars, size, union, type CharSet } from '../../regex/char-set';
import { baseFlags, effective, type BaseFlags, type Char, type RegexNode } from '../../regex/regex-ast';
import { parseRegex } from '../../regex/parse-regex';
import { isWildcard, type Pattern } from '../../ir/types';

export type LuceneRegexResult =
  | { readonly ok: true; readonly source: string; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly reason: string };

const SURROGATES: CharSet = [[0xd800, 0xdfff]];
const EXOTIC_FOLDS: CharSet = ofChars(0x17f, 0x212a, 0x212b);
const CONTROL: CharSet = [[0, 0x1f], [0x7f, 0x7f]];
/** Operators escaped with a backslash (each is an escape the query parsers accept). */
const BACKSLASH_ESCAPED = new Set([...'\\/"+-!(){}[]^?:&|\'~*']);
/** Reserved characters written as a one-character class. */
const CLASS_WRAPPED = new Set([...'.#@<>']);
const CONTROL_WARNING = 'Lucene regular expressions cannot contain control characters (tab, line breaks): they are approximated';

function isControl(cp: number): boolean {
  return cp < 0x20 || cp === 0x7f;
}

/** One literal code point outside a class; `ci` adds its case variants. */
function literalChar(cp: number, ci: boolean, warnings: Set<string>): string {
  if (isControl(cp)) {
    warnings.add(CONTROL_WARNING);
    return '.';
  }
  const variants = ci ? simpleCaseVariants(cp) : [cp];
  if (variants.length > 1) return `[${[...variants].sort((a, b) => a - b).map(classChar).join('')}]`;
  const ch = String.fromCodePoint(cp);
  if (BACKSLASH_ESCAPED.has(ch)) return `\\${ch}`;
  if (CLASS_WRAPPED.has(ch)) return `[${ch}]`;
  return ch;
}

/**
 * The character with its upper- and lower-case forms (`s` → `Ss`). Full Unicode folding would add `ſ` to
 * `s` and the Kelvin sign to `k`, which makes every query harder to read for characters logs never hold.
 */
export function simpleCaseVariants(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  const out = new Set([cp]);
  for (const v of [ch.toLowerCase(), ch.toUpperCase(), ch.toUpperCase().toLowerCase()]) {
    const cps = [...v];
    if (cps.length === 1) out.add(cps[0]!.codePointAt(0)!);
  }
  return [...out].filter((c) => caseVariants(cp).includes(c) || c === cp);
}

function classChar(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return /[\\\]\[\-^"\/]/.test(ch) ? `\\${ch}` : ch;
}

/** A character set as one Lucene atom. */
function emitSet(full: CharSet, warnings: Set<string>): string | undefined {
  let set = minus(full, SURROGATES);
  if (minus(set, complement(CONTROL)).length > 0) {
    warnings.add(CONTROL_WARNING);
    set = minus(set, CONTROL);
  }
  if (set.length === 0) return undefined;
  if (set.length === 1 && set[0]![0] === set[0]![1]) return literalChar(set[0]![0], false, warnings);
  const inverse = minus(minus(complement(set), SURROGATES), CONTROL);
  const negate = inverse.length > 0 && (inverse.length < set.length || (inverse.length === set.length && size(inverse) < size(set)));
  if (inverse.length === 0) return '.';
  const ranges = negate ? inverse : set;
  const body = ranges.map(([a, b]) => (a === b ? classChar(a) : b === a + 1 ? classChar(a) + classChar(b) : `${classChar(a)}-${classChar(b)}`)).join('');
  return negate ? `[^${body}]` : `[${body}]`;
}

/** A Sigma pattern (whole-value match) as a Lucene regex body; `*` crosses anything. */
export function patternToLuceneRegex(pattern: Pattern, caseInsensitive: boolean): LuceneRegexResult {
  const warnings = new Set<string>();
  let out = '';
  for (const p of pattern) {
    if (typeof p === 'string') {
      for (const ch of p) out += literalChar(ch.codePointAt(0)!, caseInsensitive, warnings);
    } else if (isWildcard(p)) out += p.wildcard === '*' ? '.*' : '.';
    else return { ok: false, reason: `unresolved placeholder %${p.placeholder}%` };
  }
  return { ok: true, source: out === '' ? '()' : out, warnings: [...warnings] };
}

/** A Sigma `re` value (searched anywhere in the value) as a Lucene regex body. */
export function sigmaRegexToLucene(source: string, flagLetters: string): LuceneRegexResult {
  const parsed = parseRegex(source);
  if (!parsed.ast) return { ok: false, reason: `its regular expression does not parse: ${parsed.problems[0]?.message ?? 'syntax error'}` };
  const flags = baseFlags(flagLetters);
  const warnings = new Set<string>();
  const top = parsed.ast;
  const alternatives = top.kind === 'alternation' ? top.alternatives : [top];
  const outs: string[] = [];
  for (const alt of alternatives) {
    const items = [...(alt.kind === 'sequence' ? alt.items : [alt])];
    // Flag groups emit nothing; skip them when looking for edge anchors.
    const first = items.findIndex((n) => n.kind !== 'flags');
    let anchoredStart = false;
    let anchoredEnd = false;
    const head = items[first];
    if (head?.kind === 'assertion' && (head.assertion === 'string-start' || (head.assertion === 'line-start' && !effective(flags, head.inline, 'm')))) {
      anchoredStart = true;
      items.splice(first, 1);
    }
    let last = items.length - 1;
    while (last >= 0 && items[last]!.kind === 'flags') last--;
    const tail = items[last];
    if (tail?.kind === 'assertion' && (tail.assertion === 'string-end' || (tail.assertion === 'line-end' && !effective(flags, tail.inline, 'm')))) {
      anchoredEnd = true;
      items.splice(last, 1);
    }
    const body = emitNodes(items, flags, warnings);
    if (!body.ok) return body;
    outs.push(`${anchoredStart ? '' : '.*'}${body.source}${anchoredEnd ? '' : '.*'}`);
  }
  const joined = outs.length === 1 ? outs[0]! : outs.map((o) => `(${o})`).join('|');
  return { ok: true, source: joined, warnings: [...warnings] };
}

type Emitted = { readonly ok: true; readonly source: string } | { readonly ok: false; readonly reason: string };

function emitNodes(items: readonly RegexNode[], flags: BaseFlags, warnings: Set<string>): Emitted {
  let out = '';
  for (const item of items) {
    const r = emitNode(item, flags, warnings);
    if (!r.ok) return r;
    out += r.source;
  }
  return { ok: true, source: out };
}

function emitNode(node: RegexNode, flags: BaseFlags, warnings: Set<string>): Emitted {
  const ok = (source: string): Emitted => ({ ok: true, source });
  const no = (reason: string): Emitted => ({ ok: false, reason });
  switch (node.kind) {
    case 'alternation': {
      const parts: string[] = [];
      for (const a of node.alternatives) {
        const r = emitNode(a, flags, warnings);
        if (!r.ok) return r;
        parts.push(r.source === '' ? '()' : r.source);
      }
      return ok(parts.join('|'));
    }
    case 'sequence':
      return emitNodes(node.items, flags, warnings);
    case 'group': {
      switch (node.group) {
        case 'capturing':
        case 'named':
        case 'non-capturing': {
          // `(?i:...)` needs nothing here: the parser recorded its flags on the leaves (`inline`).
          const body = emitNode(node.body, flags, warnings);
          return body.ok ? ok(`(${body.source === '' ? '()' : body.source})`) : body;
        }
        case 'atomic':
          return no('its regular expression uses an atomic group (?>...), which Lucene regular expressions do not have');
        default:
          return no(`its regular expression uses a ${node.group} assertion, which Lucene regular expressions do not have`);
      }
    }
    case 'quantifier': {
      if (node.mode === 'possessive') return no('its regular expression uses a possessive quantifier, which Lucene regular expressions do not have');
      // Lazy and greedy accept the same strings; Lucene only asks whether the whole value matches.
      const body = emitNode(node.body, flags, warnings);
      if (!body.ok) return body;
      const atom = isAtom(node.body) ? body.source : `(${body.source})`;
      const bounds =
        node.min === 0 && node.max === undefined ? '*'
        : node.min === 1 && node.max === undefined ? '+'
        : node.min === 0 && node.max === 1 ? '?'
        : node.max === node.min ? `{${node.min}}`
        : `{${node.min},${node.max ?? ''}}`;
      return ok(atom + bounds);
    }
    case 'char':
      return ok(charText(node, flags, warnings));
    case 'any':
      if (!effective(flags, node.inline, 's')) warnings.add("Lucene's `.` also matches a line break, which Sigma's `.` does not (without the s flag)");
      return ok('.');
    case 'escape-class': {
      const s = emitSet(escapeClassSet(node.name, node.negated), warnings);
      return s === undefined ? no('its regular expression has a class that matches nothing') : ok(s);
    }
    case 'class': {
      // Under i, the fold adds `ſ` and the Kelvin/Angstrom signs to [a-z]; keep them out unless written.
      const ci = effective(flags, node.inline, 'i');
      const set = ci ? union(minus(classSet(node, true), EXOTIC_FOLDS), classSet(node, false)) : classSet(node, false);
      const s = emitSet(set, warnings);
      return s === undefined ? no('its regular expression has a class that matches nothing') : ok(s);
    }
    case 'assertion':
      return no(`its regular expression uses ${describeAssertion(node.assertion)} inside the pattern; Lucene regular expressions have no anchors or word boundaries`);
    case 'backreference':
      return no('its regular expression uses a backreference, which Lucene regular expressions do not have');
    case 'flags':
      return ok(''); // resolved onto the leaves by the parser
  }
}

function charText(node: Char, flags: BaseFlags, warnings: Set<string>): string {
  return literalChar(node.codePoint, effective(flags, node.inline, 'i'), warnings);
}

function isAtom(node: RegexNode): boolean {
  return node.kind === 'char' || node.kind === 'any' || node.kind === 'class' || node.kind === 'escape-class' || node.kind === 'group';
}

function describeAssertion(a: string): string {
  switch (a) {
    case 'line-start':
      return 'a `^` (not at the start, or with the m flag)';
    case 'line-end':
      return 'a `$` (not at the end, or with the m flag)';
    case 'word-boundary':
      return '`\\b`';
    case 'not-word-boundary':
      return '`\\B`';
    case 'string-end-newline':
      return '`\\Z`';
    default:
      return `an anchor (${a})`;
  }
}
