/**
 * Literal strings a regex match must contain, for a prefilter: every string the regex matches contains at
 * least one of them (sound: a prefilter built on them never drops a true match). `undefined` when no such
 * set exists (`.*`, `\d+`) or it would be useless (an empty literal).
 *
 * Method: each node gets an "exact" set (every text the node consumes is one of these; a superset is
 * fine) when small, and a "cover" (every text it consumes contains one of these). Runs of exact items in
 * a sequence are multiplied out; the best candidate (longest shortest literal, then fewest) wins.
 * Case-insensitive parts are expanded to the variants that ASCII case-insensitive comparison would miss
 * (Kelvin sign for `k`, `É` for `é`), so `caseInsensitive` means ASCII case folding only.
 */
import { caseVariants, classSet, escapeClassSet, size, type CharSet } from './char-set';
import { assertNever, baseFlags, effective, type BaseFlags, type RegexNode } from './regex-ast';

export interface RequiredLiterals {
  /** At least one of these occurs in every match. Never empty strings. */
  readonly literals: readonly string[];
  /** Compare ignoring ASCII case (some part of the regex is case-insensitive). */
  readonly caseInsensitive: boolean;
}

/** Largest exact set kept while multiplying out. */
export const MAX_EXACT = 64;
/** Largest character class expanded into single-character literals. */
export const MAX_CLASS_EXPANSION = 10;
/** Longest repeat expanded exactly (`a{3}`). */
const MAX_REPEAT_EXPANSION = 8;

interface Info {
  readonly exact?: ReadonlySet<string>;
  readonly cover?: ReadonlySet<string>;
}

export function requiredLiterals(ast: RegexNode, flags: BaseFlags | string = {}): RequiredLiterals | undefined {
  const base = typeof flags === 'string' ? baseFlags(flags) : flags;
  let caseInsensitive = false;

  const charVariants = (cp: number, ci: boolean): string[] => {
    if (!ci) return [String.fromCodePoint(cp)];
    caseInsensitive = true;
    const seen = new Map<string, string>();
    for (const v of caseVariants(cp)) {
      const s = String.fromCodePoint(v);
      seen.set(v < 0x80 ? s.toLowerCase() : s, s);
    }
    return [...seen.keys()];
  };

  const setStrings = (set: CharSet, ci: boolean): ReadonlySet<string> | undefined => {
    if (size(set) > MAX_CLASS_EXPANSION * 4) return undefined;
    const out = new Set<string>();
    for (const [a, b] of set) for (let c = a; c <= b; c++) for (const v of charVariants(c, ci)) out.add(v);
    return out.size <= MAX_CLASS_EXPANSION ? out : undefined;
  };

  const info = (node: RegexNode): Info => {
    switch (node.kind) {
      case 'char':
        return { exact: new Set(charVariants(node.codePoint, effective(base, node.inline, 'i'))) };
      case 'class': {
        const ci = effective(base, node.inline, 'i');
        const set = classSet(node, false);
        // `[Rr]` is a case-insensitive `r`: one literal compared ignoring case beats 2^n spellings.
        const letter = asciiCasePair(set);
        if (letter !== undefined) return { exact: new Set(charVariants(letter, true)) };
        const exact = setStrings(set, ci);
        return exact ? { exact } : {};
      }
      case 'escape-class': {
        const exact = setStrings(escapeClassSet(node.name, node.negated), false);
        return exact ? { exact } : {};
      }
      case 'any':
      case 'backreference':
        return {};
      case 'assertion':
      case 'flags':
        return { exact: new Set(['']) };
      case 'group':
        switch (node.group) {
          case 'lookahead':
          case 'negative-lookahead':
          case 'lookbehind':
          case 'negative-lookbehind':
            return { exact: new Set(['']) };
          case 'capturing':
          case 'named':
          case 'non-capturing':
          case 'atomic':
            return info(node.body);
          default:
            return assertNever(node.group);
        }
      case 'alternation': {
        const infos = node.alternatives.map(info);
        const exact = infos.every((i) => i.exact) ? unionAll(infos.map((i) => i.exact!)) : undefined;
        const covers = infos.map(coverOf);
        const cover = covers.every((c) => c) ? unionAll(covers as ReadonlySet<string>[]) : undefined;
        return {
          ...(exact && exact.size <= MAX_EXACT ? { exact } : {}),
          ...(cover ? { cover } : {}),
        };
      }
      case 'quantifier': {
        const body = info(node.body);
        if (body.exact && node.max !== undefined && node.max <= MAX_REPEAT_EXPANSION) {
          let exact: Set<string> | undefined = new Set();
          let power: ReadonlySet<string> = new Set(['']);
          for (let n = 0; n <= node.max && exact; n++) {
            if (n >= node.min) for (const s of power) exact.add(s);
            const next = cross(power, body.exact);
            if (!next || exact.size > MAX_EXACT) exact = undefined;
            else power = next;
          }
          if (exact && exact.size <= MAX_EXACT) return { exact, ...(node.min >= 1 ? { cover: coverOf(body) } : {}) };
        }
        const cover = node.min >= 1 ? coverOf(body) : undefined;
        return cover ? { cover } : {};
      }
      case 'sequence': {
        let run: ReadonlySet<string> | undefined = new Set(['']);
        let allExact = true;
        let best: ReadonlySet<string> | undefined;
        const consider = (c: ReadonlySet<string> | undefined) => {
          if (c && better(c, best)) best = c;
        };
        for (const item of node.items) {
          const i = info(item);
          if (i.exact) {
            const next: ReadonlySet<string> | undefined = run ? cross(run, i.exact) : undefined;
            if (next) run = next;
            else {
              consider(run);
              run = i.exact;
              allExact = false;
            }
          } else {
            consider(run);
            consider(i.cover);
            run = new Set(['']);
            allExact = false;
          }
        }
        consider(run);
        return { ...(allExact && run ? { exact: run } : {}), ...(best ? { cover: best } : {}) };
      }
      default:
        return assertNever(node);
    }
  };

  const top = coverOf(info(ast));
  if (!top || top.size === 0 || [...top].some((s) => s === '')) return undefined;
  return { literals: minimal([...top], caseInsensitive), caseInsensitive };
}

function coverOf(i: Info): ReadonlySet<string> | undefined {
  const exactUsable = i.exact && ![...i.exact].includes('') ? i.exact : undefined;
  if (exactUsable && (!i.cover || better(exactUsable, i.cover))) return exactUsable;
  return i.cover && ![...i.cover].includes('') ? i.cover : undefined;
}

/** Longer shortest literal wins; then fewer literals. Sets with an empty string never win. */
function better(a: ReadonlySet<string>, b: ReadonlySet<string> | undefined): boolean {
  if (a.size === 0 || [...a].includes('')) return false;
  if (!b) return true;
  const minA = Math.min(...[...a].map((s) => s.length));
  const minB = Math.min(...[...b].map((s) => s.length));
  return minA !== minB ? minA > minB : a.size < b.size;
}

function cross(a: ReadonlySet<string>, b: ReadonlySet<string>): ReadonlySet<string> | undefined {
  if (a.size * b.size > MAX_EXACT) return undefined;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

function unionAll(sets: readonly ReadonlySet<string>[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const s of sets) for (const x of s) out.add(x);
  return out;
}

/** Drops literals that contain another literal of the set: the shorter one already covers them. */
function minimal(literals: readonly string[], caseInsensitive: boolean): string[] {
  const key = (s: string) => (caseInsensitive ? s.replace(/[A-Z]/g, (c) => c.toLowerCase()) : s);
  const unique = [...new Map(literals.map((s) => [key(s), s])).values()].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const s of unique) if (!kept.some((k) => key(s).includes(key(k)))) kept.push(s);
  return kept;
}

/** The lower-case letter when `set` is exactly an ASCII letter in both cases. */
function asciiCasePair(set: CharSet): number | undefined {
  if (set.length !== 2) return undefined;
  const [a, b] = set as [readonly [number, number], readonly [number, number]];
  const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
  return a[0] === a[1] && b[0] === b[1] && isUpper(a[0]) && b[0] === a[0] + 32 ? b[0] : undefined;
}
