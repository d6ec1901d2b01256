/**
 * Sets of code points as sorted, disjoint, non-adjacent inclusive ranges, and the meaning we give to the
 * regex's single-character items. This is the one place that says what `\w`, `\s`, `.`, `[[:punct:]]` and
 * case-insensitive matching mean, so every translator agrees.
 *
 * Meaning chosen (it is PCRE2's without UCP, which is what `grep -P` 3.8 does in a UTF-8 locale, and
 * RE2's apart from `\s` including VT): `\d` `\w` `\s` `\b` and POSIX classes are ASCII; `.` is any code
 * point but `\n` (unless `s`); case folding is Unicode simple case folding.
 */
import type { CharClass, ClassItem, EscapeClassName, PosixClassName } from './regex-ast';

export type Range = readonly [number, number];
export type CharSet = readonly Range[];

export const MAX_CODE_POINT = 0x10ffff;
export const EMPTY: CharSet = [];
export const ALL: CharSet = [[0, MAX_CODE_POINT]];

export function normalize(ranges: readonly Range[]): CharSet {
  const sorted = [...ranges].filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function ofChars(...codePoints: number[]): CharSet {
  return normalize(codePoints.map((c) => [c, c] as const));
}

export function union(...sets: CharSet[]): CharSet {
  return normalize(sets.flat());
}

export function complement(set: CharSet): CharSet {
  const out: Range[] = [];
  let next = 0;
  for (const [a, b] of set) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

export function intersect(a: CharSet, b: CharSet): CharSet {
  return complement(union(complement(a), complement(b)));
}

export function minus(a: CharSet, b: CharSet): CharSet {
  return intersect(a, complement(b));
}

export function has(set: CharSet, cp: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = set[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

export function size(set: CharSet): number {
  return set.reduce((n, [a, b]) => n + b - a + 1, 0);
}

export function isEmpty(set: CharSet): boolean {
  return set.length === 0;
}

export function isSubset(a: CharSet, b: CharSet): boolean {
  return isEmpty(minus(a, b));
}

const r = (a: string, b: string = a): Range => [a.codePointAt(0)!, b.codePointAt(0)!];

export const DIGIT: CharSet = [r('0', '9')];
export const WORD: CharSet = normalize([r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')]);
export const SPACE: CharSet = normalize([[9, 13], [32, 32]]);
export const HSPACE: CharSet = normalize([
  [9, 9], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x180e, 0x180e], [0x2000, 0x200a],
  [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000],
]);
export const VSPACE: CharSet = normalize([[0x0a, 0x0d], [0x85, 0x85], [0x2028, 0x2029]]);
export const NEWLINE: CharSet = [[10, 10]];

export function escapeClassSet(name: EscapeClassName, negated: boolean): CharSet {
  const base = { digit: DIGIT, word: WORD, space: SPACE, hspace: HSPACE, vspace: VSPACE }[name];
  return negated ? complement(base) : base;
}

const POSIX: Readonly<Record<PosixClassName, CharSet>> = {
  alnum: normalize([r('0', '9'), r('A', 'Z'), r('a', 'z')]),
  alpha: normalize([r('A', 'Z'), r('a', 'z')]),
  ascii: [[0, 0x7f]],
  blank: normalize([[9, 9], [32, 32]]),
  cntrl: normalize([[0, 0x1f], [0x7f, 0x7f]]),
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [r('a', 'z')],
  print: [[0x20, 0x7e]],
  punct: normalize([r('!', '/'), r(':', '@'), r('[', '`'), r('{', '~')]),
  space: SPACE,
  upper: [r('A', 'Z')],
  word: WORD,
  xdigit: normalize([r('0', '9'), r('A', 'F'), r('a', 'f')]),
};

export function posixSet(name: PosixClassName, negated: boolean): CharSet {
  return negated ? complement(POSIX[name]) : POSIX[name];
}

export function anySet(dotAll: boolean): CharSet {
  return dotAll ? ALL : complement(NEWLINE);
}

function itemSet(item: ClassItem, caseInsensitive: boolean): CharSet {
  switch (item.kind) {
    case 'class-char':
      return caseInsensitive ? caseClosure(ofChars(item.codePoint)) : ofChars(item.codePoint);
    case 'class-range':
      return caseInsensitive ? caseClosure([[item.from, item.to]]) : [[item.from, item.to]];
    case 'class-escape':
      return escapeClassSet(item.name, item.negated);
    case 'class-posix':
      return posixSet(item.name, item.negated);
  }
}

/** The characters a `[...]` matches. Case folding applies to its literal chars and ranges, as in PCRE2. */
export function classSet(node: CharClass, caseInsensitive: boolean): CharSet {
  const set = union(...node.items.map((item) => itemSet(item, caseInsensitive)));
  return node.negated ? complement(set) : set;
}

/** The characters equal to `cp` under case-insensitive matching (including `cp`). */
export function caseVariants(cp: number): readonly number[] {
  return foldOrbits().byChar.get(cp) ?? [cp];
}

export function caseClosure(set: CharSet): CharSet {
  const extra: number[] = [];
  for (const orbit of foldOrbits().orbits) if (orbit.some((c) => has(set, c))) extra.push(...orbit);
  return extra.length === 0 ? set : union(set, ofChars(...extra));
}

interface FoldTable {
  readonly orbits: readonly (readonly number[])[];
  readonly byChar: ReadonlyMap<number, readonly number[]>;
}

let foldTable: FoldTable | undefined;

/**
 * Case-folding equivalence classes, built once. Candidates come from toLowerCase/toUpperCase; a pair is
 * kept only if a `iu` RegExp (Unicode simple case folding, like PCRE2 and RE2) says they are equal, so
 * `ı` does not join `i`, while Kelvin sign `K` joins `k`.
 */
function foldOrbits(): FoldTable {
  if (foldTable) return foldTable;
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let p = parent.get(x) ?? x;
    while (p !== (parent.get(p) ?? p)) p = parent.get(p) ?? p;
    return p;
  };
  const single = (s: string): number | undefined => {
    const cps = [...s];
    return cps.length === 1 ? cps[0]!.codePointAt(0) : undefined;
  };
  for (let c = 0; c <= 0x1ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const s = String.fromCodePoint(c);
    const lower = s.toLowerCase();
    const upper = s.toUpperCase();
    if (lower === s && upper === s) continue;
    const cands = [single(lower), single(upper), single(upper.toLowerCase()), single(lower.toUpperCase())];
    let re: RegExp | undefined;
    for (const d of cands) {
      if (d === undefined || d === c) continue;
      re ??= new RegExp(`^\\u{${c.toString(16)}}$`, 'iu');
      if (re.test(String.fromCodePoint(d))) {
        const a = find(c);
        const b = find(d);
        if (a !== b) parent.set(a, b);
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (const c of parent.keys()) {
    const root = find(c);
    const g = groups.get(root) ?? [root];
    if (c !== root) g.push(c);
    groups.set(root, g);
  }
  const orbits = [...groups.values()].map((g) => [...new Set(g)].sort((a, b) => a - b));
  const byChar = new Map<number, readonly number[]>();
  for (const o of orbits) for (const c of o) byChar.set(c, o);
  foldTable = { orbits, byChar };
  return foldTable;
}
