/**
 * A regex for a decoded field value → a PCRE regex for the same values in their JSON-escaped form, placed
 * by the caller right after the opening quote of `"Field":"<here>`. This is how `grep -P` over JSON lines
 * stays field-aware without a JSON parser.
 *
 * Key decision: the translation works on JSON *units* (one decoded character: a raw char, a short escape
 * `\n`, a `\uXXXX` escape, or a surrogate pair) and every position it reaches is a unit boundary, so a
 * match can never start inside an escape or run past the closing quote. A raw `"` inside the value is
 * impossible, hence `$` → `(?=")` and `^` → `(?<=")(?<!\\")` are exact.
 *
 * Contract on the JSON text (JSON.stringify and Python's json.dumps, with or without ensure_ascii):
 * ASCII printable characters other than `"` `\` `/` appear raw; `/` raw or `\/`; `"` `\` and controls
 * as short escapes or `\u00XX`; everything else raw or `\uXXXX` (surrogate pairs above the BMP; lone
 * surrogates as single escapes). Hex digits in either case. Backreferences assume one encoder per line.
 * What cannot be translated exactly (lookbehind longer than one character, a word boundary whose left
 * side is unknowable, case-insensitive backreferences) is returned as a problem, never approximated.
 */
import {
  ALL,
  EMPTY,
  NEWLINE,
  WORD,
  anySet,
  caseClosure,
  classSet,
  escapeClassSet,
  has,
  intersect,
  isEmpty,
  minus,
  ofChars,
  union,
  type CharSet,
} from './char-set';
import { emitSet, groupSource } from './emit-source';
import { assertNever, baseFlags, effective, type BaseFlags, type RegexNode } from './regex-ast';

export type JsonValueRegexResult =
  | {
      readonly kind: 'ok';
      /** PCRE source to place right after the value's opening quote; it matches iff the value matches. */
      readonly source: string;
      /** True when the regex is anchored at the value start, so no skip prefix was added. */
      readonly anchoredStart: boolean;
    }
  | { readonly kind: 'problem'; readonly problem: JsonRegexProblem };

export interface JsonRegexProblem {
  readonly code: 'REGEX_NOT_JSON_TRANSLATABLE';
  readonly message: string;
  readonly offset: number;
}

const BS = '\\\\'; // PCRE source for one literal backslash
const HEX = '[0-9a-fA-F]';
const SURROGATES: CharSet = [[0xd800, 0xdfff]];
/** Characters the contract says are always written raw. */
const PLAIN: CharSet = minus([[0x20, 0x7e]], ofChars(0x22, 0x5c, 0x2f));
const NOT_RAW: CharSet = union([[0, 0x1f]], ofChars(0x22, 0x5c), SURROGATES);
const SHORT_ESCAPES: readonly (readonly [number, string])[] = [
  [0x22, '"'], [0x5c, BS], [0x2f, '/'], [0x08, 'b'], [0x0c, 'f'], [0x0a, 'n'], [0x0d, 'r'], [0x09, 't'],
];
/** Budget for a counted repeat's copies (source characters); PCRE2's compiled-size limit is 64 KiB. */
export const MAX_REPEAT_SOURCE = 12000;
const UNKNOWN_PREV = 'the character before this word boundary, ^ (multiline) or lookbehind cannot be known inside JSON text';
const WORD_AHEAD = '(?=[0-9A-Z_a-z])';
const NOT_WORD_AHEAD = '(?![0-9A-Z_a-z])';

class Untranslatable extends Error {
  constructor(readonly problem: JsonRegexProblem) {
    super(problem.message);
  }
}

/** What may precede a position: the value start, and/or one of these characters. */
interface Prev {
  readonly start: boolean;
  readonly set: CharSet;
}

/** An assertion about the previous character: true when it is in `set`, `atStart` at the value start. */
interface PrevTest {
  readonly set: CharSet;
  readonly atStart: boolean;
  /** The assertion's remaining (lookahead) part, given whether the previous-character test held. */
  readonly emit: (held: boolean) => string;
}

export function toJsonValueRegex(ast: RegexNode, flags: BaseFlags | string = {}): JsonValueRegexResult {
  const base = typeof flags === 'string' ? baseFlags(flags) : flags;
  const anchored = startsAnchored(ast, base);
  try {
    if (anchored) {
      return { kind: 'ok', source: translate(ast, base, { start: true, set: EMPTY }), anchoredStart: true };
    }
    // Unanchored: skip whole units first. A prefix whose last character matters to a leading `\b` or `^`
    // (under m) is split by the kind of that character.
    const options = [{ prefix: `${ANY_UNIT}*?`, prev: { start: true, set: ALL } }];
    return { kind: 'ok', source: unanchored(ast, base, options), anchoredStart: false };
  } catch (e) {
    if (e instanceof Untranslatable) return { kind: 'problem', problem: e.problem };
    throw e;
  }
}

/** PCRE source matching `text` in its JSON-escaped form (for literal values placed inside a JSON string). */
export function jsonEscapeLiteralRegex(text: string, caseInsensitive = false): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += unitFor(caseInsensitive ? caseClosure(ofChars(cp)) : ofChars(cp));
  }
  return out;
}

/** One JSON unit decoding to any character of `set`. */
export function unitFor(set: CharSet): string {
  if (isEmpty(set)) return '(?!)';
  const excluded = minus(ALL, set);
  if (isEmpty(excluded)) return ANY_UNIT;
  // A big set (`.`, `[^\\]`) is "any unit but these": units are unambiguous at a unit boundary.
  if (excluded.length < set.length) return `(?!${unitFor(excluded)})${ANY_UNIT}`;
  const alts: string[] = [];
  const raw = minus(set, NOT_RAW);
  if (!isEmpty(raw)) alts.push(emitSet(raw, 'pcre'));
  const shorts = SHORT_ESCAPES.filter(([cp]) => has(set, cp)).map(([, e]) => e);
  if (shorts.length === 1) alts.push(BS + (shorts[0] === '/' ? '\\/' : shorts[0]));
  else if (shorts.length > 1) alts.push(`${BS}[${shorts.map((e) => (e === '/' ? '\\/' : e)).join('')}]`);
  alts.push(...unicodeEscapes(minus(set, PLAIN)));
  if (alts.length === 1 && isSingleAtom(alts[0]!)) return alts[0]!;
  return `(?:${alts.join('|')})`;
}

function isSingleAtom(s: string): boolean {
  return /^(?:\[(?:[^\]\\]|\\.)*\]|\\?.|\\x\{[0-9a-f]+\}|\\\\)$/su.test(s);
}

/** `\uXXXX` forms (and surrogate pairs) of the characters in `set`. */
function unicodeEscapes(set: CharSet): string[] {
  const out: string[] = [];
  const bmp = intersect(set, [[0, 0xd7ff], [0xe000, 0xffff]]);
  const high = intersect(set, [[0xd800, 0xdbff]]);
  const low = intersect(set, [[0xdc00, 0xdfff]]);
  const astral = intersect(set, [[0x10000, 0x10ffff]]);
  if (!isEmpty(bmp)) out.push(`${BS}u${hex4(bmp, [[0, 0xffff]], PLAIN)}`);
  // A lone high surrogate is one unit only when no low surrogate escape follows (else it is half a pair).
  if (!isEmpty(high)) out.push(`${BS}u${hex4(high, [[0, 0xffff]])}(?!${BS}u[dD][c-fC-F])`);
  if (!isEmpty(low)) out.push(`${BS}u${hex4(low, [[0, 0xffff]])}`);
  if (!isEmpty(astral)) {
    const pairs: string[] = [];
    for (const [a, b] of astral) pairs.push(...surrogatePairs(a, b));
    out.push(pairs.length === 1 ? pairs[0]! : `(?:${pairs.join('|')})`);
  }
  return out;
}

function surrogatePairs(a: number, b: number): string[] {
  const hi = (c: number) => 0xd800 + ((c - 0x10000) >> 10);
  const lo = (c: number) => 0xdc00 + ((c - 0x10000) & 0x3ff);
  const pair = (h0: number, h1: number, l0: number, l1: number) =>
    `${BS}u${hex4([[h0, h1]], [[0, 0xffff]])}${BS}u${hex4([[l0, l1]], [[0, 0xffff]])}`;
  const [ha, hb, la, lb] = [hi(a), hi(b), lo(a), lo(b)];
  if (ha === hb) return [pair(ha, ha, la, lb)];
  const out: string[] = [];
  let from = ha;
  let to = hb;
  if (la !== 0xdc00) (out.push(pair(ha, ha, la, 0xdfff)), (from = ha + 1));
  const last = lb !== 0xdfff ? pair(hb, hb, 0xdc00, lb) : undefined;
  if (last) to = hb - 1;
  if (from <= to) out.push(pair(from, to, 0xdc00, 0xdfff));
  if (last) out.push(last);
  return out;
}

/**
 * Four hex digits (either case) whose value is in `set` ⊆ `universe`. Values in `dontCare` never occur
 * (the contract writes them raw), so they may be matched or not, whichever gives the shorter pattern.
 */
function hex4(set: CharSet, universe: CharSet, dontCare: CharSet = EMPTY): string {
  const loose = intersect(union(set, dontCare), universe);
  const rest = minus(universe, loose);
  if (isEmpty(rest)) return `${HEX}{4}`;
  const tight = minus(set, dontCare);
  const candidates = [
    { ranges: rest.length, text: () => `(?!${hexRanges(rest)})${HEX}{4}` },
    { ranges: tight.length, text: () => hexRanges(tight) },
    { ranges: loose.length, text: () => hexRanges(loose) },
  ];
  return candidates.reduce((a, b) => (b.ranges < a.ranges ? b : a)).text();
}

function hexRanges(set: CharSet): string {
  const parts = set.map(([a, b]) => rangePattern(a, b, 4));
  return parts.length === 1 ? parts[0]! : `(?:${parts.join('|')})`;
}

function rangePattern(lo: number, hi: number, width: number): string {
  if (width === 0) return '';
  const d = 16 ** (width - 1);
  const lf = Math.floor(lo / d);
  const hf = Math.floor(hi / d);
  const lr = lo % d;
  const hr = hi % d;
  const anyRest = width > 2 ? `${HEX}{${width - 1}}` : width === 2 ? HEX : '';
  if (lf === hf) {
    return lr === 0 && hr === d - 1 ? hexDigits(lf, lf) + anyRest : hexDigits(lf, lf) + rangePattern(lr, hr, width - 1);
  }
  const parts: string[] = [];
  let from = lf;
  let to = hf;
  if (lr !== 0) (parts.push(hexDigits(lf, lf) + rangePattern(lr, d - 1, width - 1)), (from = lf + 1));
  const tail = hr !== d - 1 ? hexDigits(hf, hf) + rangePattern(0, hr, width - 1) : undefined;
  if (tail !== undefined) to = hf - 1;
  if (from <= to) parts.push(hexDigits(from, to) + anyRest);
  if (tail !== undefined) parts.push(tail);
  return parts.length === 1 ? parts[0]! : `(?:${parts.join('|')})`;
}

function hexDigits(a: number, b: number): string {
  if (a === b && a < 10) return String(a);
  let cls = '';
  if (a <= 9) cls += a === Math.min(b, 9) ? String(a) : `${a}-${Math.min(b, 9)}`;
  if (b >= 10) {
    const from = Math.max(a, 10) - 10;
    const to = b - 10;
    const lower = (k: number) => String.fromCharCode(97 + k);
    const upper = (k: number) => String.fromCharCode(65 + k);
    cls += from === to ? lower(from) + upper(from) : `${lower(from)}-${lower(to)}${upper(from)}-${upper(to)}`;
  }
  return `[${cls}]`;
}

/**
 * Any one JSON unit, for skipping ahead in an unanchored search and for large sets. Atomic, with the
 * surrogate pair tried first, so a pair is never taken apart; `\\.` covers the short escapes (valid JSON
 * has a `\\u` only before four hex digits, which the earlier branches take).
 */
const ANY_UNIT = `(?>[^"${BS}]|${BS}(?:u[dD][89abAB]${HEX}{2}${BS}u[dD][c-fC-F]${HEX}{2}|u${HEX}{4}|.))`;

function unanchored(ast: RegexNode, base: BaseFlags, options: readonly { prefix: string; prev: Prev }[]): string {
  const alts: string[] = [];
  for (const option of options) {
    try {
      alts.push(option.prefix + translate(ast, base, option.prev, true));
    } catch (e) {
      if (!(e instanceof NeedsSplit)) throw e;
      // Splitting only helps when the skipped prefix is what leaves the previous character open.
      const decided = isEmpty(option.prev.set) || isEmpty(minus(option.prev.set, e.set)) || isEmpty(intersect(option.prev.set, e.set));
      if (decided && (!option.prev.start || isEmpty(option.prev.set))) {
        throw new Untranslatable({ code: 'REGEX_NOT_JSON_TRANSLATABLE', message: UNKNOWN_PREV, offset: e.offset });
      }
      // Split "some characters skipped, last one in prev.set" by the test the body needs.
      const parts: { prefix: string; prev: Prev }[] = [];
      if (option.prev.start) parts.push({ prefix: '', prev: { start: true, set: EMPTY } });
      for (const part of [intersect(option.prev.set, e.set), minus(option.prev.set, e.set)]) {
        if (!isEmpty(part)) parts.push({ prefix: `${ANY_UNIT}*?${unitFor(part)}`, prev: { start: false, set: part } });
      }
      alts.push(unanchored(ast, base, parts));
    }
  }
  return alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`;
}

/** Thrown at the top level when a leading assertion needs the skipped prefix split by character kind. */
class NeedsSplit extends Error {
  constructor(readonly set: CharSet, readonly offset: number) {
    super('split needed');
  }
}

function startsAnchored(node: RegexNode, base: BaseFlags): boolean {
  switch (node.kind) {
    case 'alternation':
      return node.alternatives.every((a) => startsAnchored(a, base));
    case 'sequence': {
      for (const item of node.items) {
        if (item.kind === 'flags') continue;
        return startsAnchored(item, base);
      }
      return false;
    }
    case 'group':
      return (node.group === 'capturing' || node.group === 'named' || node.group === 'non-capturing' || node.group === 'atomic') && startsAnchored(node.body, base);
    case 'assertion':
      return node.assertion === 'string-start' || (node.assertion === 'line-start' && !effective(base, node.inline, 'm'));
    default:
      return false;
  }
}

interface Tail {
  readonly set: CharSet;
  readonly mayBeEmpty: boolean;
}

/** The characters `node` can end with, and whether it can match the empty string. */
function tail(node: RegexNode, base: BaseFlags): Tail {
  switch (node.kind) {
    case 'alternation': {
      const ts = node.alternatives.map((a) => tail(a, base));
      return { set: union(...ts.map((t) => t.set)), mayBeEmpty: ts.some((t) => t.mayBeEmpty) };
    }
    case 'sequence': {
      let set: CharSet = EMPTY;
      for (let j = node.items.length - 1; j >= 0; j--) {
        const t = tail(node.items[j]!, base);
        set = union(set, t.set);
        if (!t.mayBeEmpty) return { set, mayBeEmpty: false };
      }
      return { set, mayBeEmpty: true };
    }
    case 'group':
      return node.group === 'capturing' || node.group === 'named' || node.group === 'non-capturing' || node.group === 'atomic'
        ? tail(node.body, base)
        : { set: EMPTY, mayBeEmpty: true };
    case 'quantifier': {
      if (node.max === 0) return { set: EMPTY, mayBeEmpty: true };
      const t = tail(node.body, base);
      return { set: t.set, mayBeEmpty: node.min === 0 || t.mayBeEmpty };
    }
    case 'char':
    case 'any':
    case 'escape-class':
    case 'class':
      return { set: charSetOf(node, base)!, mayBeEmpty: false };
    case 'backreference':
      return { set: ALL, mayBeEmpty: true };
    case 'assertion':
    case 'flags':
      return { set: EMPTY, mayBeEmpty: true };
    default:
      return assertNever(node);
  }
}

/** The set of a single-character node, or undefined for other nodes. */
function charSetOf(node: RegexNode, base: BaseFlags): CharSet | undefined {
  switch (node.kind) {
    case 'char':
      return effective(base, node.inline, 'i') ? caseClosure(ofChars(node.codePoint)) : ofChars(node.codePoint);
    case 'any':
      return anySet(effective(base, node.inline, 's'));
    case 'escape-class':
      return escapeClassSet(node.name, node.negated);
    case 'class':
      return classSet(node, effective(base, node.inline, 'i'));
    default:
      return undefined;
  }
}

function translate(ast: RegexNode, base: BaseFlags, topPrev: Prev, splittable = false): string {
  const problem = (message: string, offset: number): never => {
    throw new Untranslatable({ code: 'REGEX_NOT_JSON_TRANSLATABLE', message, offset });
  };

  /** The previous-character test of a node, if it has one. */
  const prevTest = (node: RegexNode): PrevTest | undefined => {
    if (node.kind === 'assertion') {
      switch (node.assertion) {
        case 'word-boundary':
          return { set: WORD, atStart: false, emit: (held) => (held ? NOT_WORD_AHEAD : WORD_AHEAD) };
        case 'not-word-boundary':
          return { set: WORD, atStart: false, emit: (held) => (held ? WORD_AHEAD : NOT_WORD_AHEAD) };
        case 'line-start':
          return effective(base, node.inline, 'm') ? { set: NEWLINE, atStart: true, emit: (held) => (held ? '' : '(?!)') } : undefined;
        default:
          return undefined;
      }
    }
    if (node.kind === 'group' && (node.group === 'lookbehind' || node.group === 'negative-lookbehind')) {
      const body = singleItem(node.body);
      const set = body ? charSetOf(body, base) : undefined;
      if (!set) return problem('a lookbehind longer than one character cannot be matched exactly inside JSON text', node.offset);
      const positive = node.group === 'lookbehind';
      return { set, atStart: false, emit: (held) => (held === positive ? '' : '(?!)') };
    }
    return undefined;
  };

  const decide = (test: PrevTest, prev: Prev): boolean | undefined => {
    const outcomes = new Set<boolean>();
    if (prev.start) outcomes.add(test.atStart);
    if (!isEmpty(intersect(prev.set, test.set))) outcomes.add(true);
    if (!isEmpty(minus(prev.set, test.set))) outcomes.add(false);
    return outcomes.size === 1 ? [...outcomes][0] : outcomes.size === 0 ? false : undefined;
  };

  const emit = (node: RegexNode, prev: Prev, atTop: boolean): string => {
    switch (node.kind) {
      case 'alternation':
        return `(?:${node.alternatives.map((a) => emit(a, prev, atTop)).join('|')})`;
      case 'sequence':
        return emitSequence(node.items, prev, atTop);
      case 'group': {
        const test = prevTest(node);
        if (test) return emitTest(test, prev, node.offset, atTop);
        const body = emit(node.body, prev, atTop);
        // Lookbehind is handled by prevTest above; anything that reaches here has plain group syntax.
        if (node.group === 'lookbehind' || node.group === 'negative-lookbehind') return problem('lookbehind', node.offset);
        return groupSource(node.group, node.name, body, 'pcre');
      }
      case 'quantifier': {
        // Later iterations follow the body itself; the first follows `prev`.
        const t = tail(node.body, base);
        const bodyPrev: Prev = { start: prev.start, set: union(prev.set, t.set) };
        const body = emit(node.body, bodyPrev, false);
        // PCRE compiles a counted repeat by copying its body; JSON units are long, so big counts overflow.
        if (Math.max(node.min, node.max ?? 0) * body.length > MAX_REPEAT_SOURCE) {
          return problem(`this repeat count makes the JSON-text regex too large for grep -P`, node.offset);
        }
        const bounds = node.max === undefined ? `{${node.min},}` : `{${node.min},${node.max}}`;
        const mode = node.mode === 'lazy' ? '?' : node.mode === 'possessive' ? '+' : '';
        return `(?:${body})${bounds}${mode}`;
      }
      case 'char':
      case 'any':
      case 'escape-class':
      case 'class':
        return unitFor(charSetOf(node, base)!);
      case 'assertion': {
        const test = prevTest(node);
        if (test) return emitTest(test, prev, node.offset, atTop);
        const m = effective(base, node.inline, 'm');
        switch (node.assertion) {
          case 'line-start':
          case 'string-start':
            return `(?<=")(?<!${BS}")`;
          case 'line-end':
            return m ? `(?=${BS}n|${BS}u000[aA]|")` : '(?=")';
          case 'string-end':
            return '(?=")';
          case 'string-end-newline':
            return `(?=(?:${BS}n|${BS}u000[aA])?")`;
          default:
            return problem(`assertion ${node.assertion}`, node.offset);
        }
      }
      case 'backreference':
        if (effective(base, node.inline, 'i')) {
          return problem('a case-insensitive backreference cannot be matched exactly inside JSON text', node.offset);
        }
        return typeof node.ref === 'number' ? `(?:\\${node.ref})` : `(?:\\k<${node.ref}>)`;
      case 'flags':
        return '';
      default:
        return assertNever(node);
    }
  };

  const emitTest = (test: PrevTest, prev: Prev, offset: number, atTop: boolean): string => {
    const held = decide(test, prev);
    if (held !== undefined) return test.emit(held);
    if (atTop && splittable) throw new NeedsSplit(test.set, offset);
    return problem(UNKNOWN_PREV, offset);
  };

  const emitSequence = (items: readonly RegexNode[], outer: Prev, atTop: boolean): string => {
    let out = '';
    let consumed = false; // has a non-empty item definitely matched since the sequence start?
    for (let k = 0; k < items.length; k++) {
      const item = items[k]!;
      const prev = prevBefore(items, k, outer);
      const itemSet = charSetOf(item, base);
      // A single character followed by undecidable previous-character tests: split the character.
      if (itemSet) {
        const tests: PrevTest[] = [];
        let j = k + 1;
        for (; j < items.length; j++) {
          const t = prevTest(items[j]!);
          if (!t) break;
          tests.push(t);
        }
        if (tests.some((t) => decide(t, { start: false, set: itemSet }) === undefined)) {
          let parts: CharSet[] = [itemSet];
          for (const t of tests) parts = parts.flatMap((p) => [intersect(p, t.set), minus(p, t.set)]).filter((p) => !isEmpty(p));
          out += `(?:${parts.map((p) => unitFor(p) + tests.map((t) => t.emit(decide(t, { start: false, set: p })!)).join('')).join('|')})`;
          k = j - 1;
          consumed = true;
          continue;
        }
      }
      out += emit(item, prev, atTop && !consumed);
      if (!tail(item, base).mayBeEmpty) consumed = true;
    }
    return out;
  };

  const prevBefore = (items: readonly RegexNode[], k: number, outer: Prev): Prev => {
    let set: CharSet = EMPTY;
    for (let j = k - 1; j >= 0; j--) {
      const t = tail(items[j]!, base);
      set = union(set, t.set);
      if (!t.mayBeEmpty) return { start: false, set };
    }
    return { start: outer.start, set: union(set, outer.set) };
  };

  return emit(ast, topPrev, true);
}

function singleItem(node: RegexNode): RegexNode | undefined {
  if (node.kind === 'sequence') {
    const items = node.items.filter((i) => i.kind !== 'flags');
    return items.length === 1 ? singleItem(items[0]!) : undefined;
  }
  if (node.kind === 'group' && node.group === 'non-capturing') return singleItem(node.body);
  return node;
}

