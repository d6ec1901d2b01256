/**
 * Prefilter literals: for a rule's tree, a set of literals at least one of which occurs in the raw line of
 * every event the rule matches (a Candidate filter: false positives allowed, false negatives never).
 *
 * Soundness rests on three choices: a literal is a substring of text the match requires; it only holds
 * characters every log writer copies verbatim into a JSON line (printable ASCII without `\`, `"`, `/`,
 * which JSON may escape, nor `'`, `+`, backtick, `<`, `>`, `&`, which HTML-safe encoders such as .NET's and
 * Go's write as `\u0027`, `\u003c`, ...); and it is ASCII-folded, as the prefilter compares case-insensitively.
 */
import { keywordTest } from '../../ir/keyword';
import { assertNever, type IrNode, type TestNode, type ValueTest } from '../../ir/types';
import { clauseFrequency, literalFrequencyModel, type FrequencyEstimate } from './literal-frequency';
import { requiredLiteralsOfSigmaRegex } from './sigma-regex';

/** Shorter literals hit too many lines to be worth a prefilter entry. */
export const MIN_PREFILTER_LITERAL = 3;
/**
 * Longer literals are cut to their rarest substring of this length: any substring of a required literal is
 * required too, still rare enough to filter, and the automaton's size grows with the literals' total length.
 */
export const MAX_PREFILTER_LITERAL = 16;

// Printable ASCII minus \ " / (JSON escapes) and ' + ` < > & (HTML-safe encoders: System.Text.Json, Go, PowerShell 5).
const SAFE_RUN = /[ !#-%(-*,-.0-;=?-\[\]-_a-~]+/g;

/** The longest substring of `text` that a raw line must contain verbatim, folded; undefined if too short. */
export function safeLiteral(text: string): string | undefined {
  let best = '';
  for (const m of text.matchAll(SAFE_RUN)) if (m[0].length > best.length) best = m[0];
  return best.length >= MIN_PREFILTER_LITERAL ? best.toLowerCase() : undefined;
}

/**
 * A conjunction of clauses, each a set of literals of which one must occur. `[]` requires nothing (every
 * event is a candidate); a clause `[]` can never be satisfied (the rule cannot match).
 */
export type LiteralCnf = readonly (readonly string[])[];

/** Clauses kept per rule: checking a clause costs a few lookups per candidate line. */
export const MAX_CLAUSES = 4;
/** Clauses per OR branch combined when an OR is distributed, and the most combinations kept after each branch. */
const OR_BRANCH_CLAUSES = 4;
const MAX_OR_COMBINATIONS = 64;
/** Safe runs of one string pattern kept as clauses (the rarest): `\\AppData\\Local\\Microsoft\\Vault\\` has four. */
const RUNS_PER_LEAF = 4;

/**
 * The rule's clauses, the rarest first by `estimate` (see literal-frequency.ts; build the model once per rule
 * set, it memoizes), chosen to be diverse: the engine posts a rule under its least-seen clause and checks the
 * others, so a clause sharing a literal with a kept one adds little.
 */
export function requiredLiterals(node: IrNode, estimate: FrequencyEstimate = literalFrequencyModel()): LiteralCnf {
  const ctx: Ctx = { estimate, windows: new Map() };
  return diverse(prune(cnf(node, ctx), ctx), ctx, MAX_CLAUSES);
}

interface Ctx {
  readonly estimate: FrequencyEstimate;
  /** Memo of rarestWindow. */
  readonly windows: Map<string, string>;
}

/** A clause's literals, sorted and distinct. */
type Clause = readonly string[];

const clauseOf = (lits: Iterable<string>): Clause => [...new Set(lits)].sort();

function cnf(node: IrNode, ctx: Ctx): Clause[] {
  switch (node.kind) {
    case 'const':
      return node.value ? [] : [[]];
    case 'not':
      return [];
    case 'test':
      return leafClauses(node, ctx);
    case 'and':
      return node.args.flatMap((a) => cnf(a, ctx));
    case 'or': {
      const branches: Clause[][] = [];
      for (const a of node.args) {
        const branch = prune(cnf(a, ctx), ctx, OR_BRANCH_CLAUSES);
        if (branch.length === 0) return []; // a branch that requires nothing makes the OR require nothing
        branches.push(branch);
      }
      return distribute(branches, ctx);
    }
    default:
      return assertNever(node);
  }
}

/**
 * An OR of CNFs as one CNF: (A1 ∧ A2) ∨ (B1 ∧ B2) = (A1 ∨ B1) ∧ (A1 ∨ B2) ∧ (A2 ∨ B1) ∧ (A2 ∨ B2), over each
 * branch's rarest clauses, keeping the MAX_OR_COMBINATIONS rarest combinations after each branch (a beam:
 * with additive costs the best combinations of all branches extend the best ones of the first branches).
 * Combinations are bitsets over the branches' literals: in a long OR they share most literals, and string
 * sets would make each step cost the square of the branch count.
 */
function distribute(branches: readonly (readonly Clause[])[], ctx: Ctx): Clause[] {
  const literals: string[] = [];
  const bitOf = new Map<string, number>();
  const asBits = (c: Clause) =>
    c.map((l) => {
      let b = bitOf.get(l);
      if (b === undefined) {
        bitOf.set(l, (b = literals.length));
        literals.push(l);
      }
      return b;
    });
  const branchBits = branches.map((b) => b.map(asBits));
  const weight = literals.map((l) => ctx.estimate(l));
  const words = (literals.length + 31) >>> 5;
  interface Combo {
    readonly bits: Uint32Array;
    readonly sum: number;
    readonly size: number;
  }
  let combos: Combo[] = [{ bits: new Uint32Array(words), sum: 0, size: 0 }];
  for (const branch of branchBits) {
    const next = new Map<string, Combo>();
    for (const c of combos) {
      for (const b of branch) {
        const bits = c.bits.slice();
        let sum = c.sum;
        let size = c.size;
        for (const i of b) {
          const mask = 1 << (i & 31);
          if ((bits[i >>> 5]! & mask) !== 0) continue;
          bits[i >>> 5]! |= mask;
          sum += weight[i]!;
          size++;
        }
        const key = bits.join(',');
        if (!next.has(key)) next.set(key, { bits, sum, size });
      }
    }
    const ranked = [...next.entries()].sort(
      ([ka, a], [kb, b]) => Math.min(1, a.sum) - Math.min(1, b.sum) || a.size - b.size || (ka < kb ? -1 : ka > kb ? 1 : 0),
    );
    combos = [];
    for (const [, c] of ranked) {
      if (combos.length >= MAX_OR_COMBINATIONS) break;
      if (!combos.some((k) => isSubset(k.bits, c.bits))) combos.push(c);
    }
  }
  return combos.map((c) => {
    const out: string[] = [];
    for (let i = 0; i < literals.length; i++) if ((c.bits[i >>> 5]! & (1 << (i & 31))) !== 0) out.push(literals[i]!);
    return out.sort();
  });
}

/**
 * The first `limit` distinct clauses, the rarest first, without those implied by another (a
 * superset of a clause holds whenever it does); ties go to fewer literals, then to the literals' order, for
 * stable plans. A superset never ranks before its subset, so one pass in rank order finds them.
 */
function prune(clauses: readonly Clause[], ctx: Ctx, limit = Infinity): Clause[] {
  const seen = new Set<string>();
  const distinct: { clause: Clause; key: string; freq: number }[] = [];
  for (const c of clauses) {
    const key = c.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push({ clause: c, key, freq: clauseFrequency(c, ctx.estimate) });
  }
  distinct.sort((a, b) => a.freq - b.freq || a.clause.length - b.clause.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const kept: Clause[] = [];
  for (const d of distinct) {
    if (kept.length >= limit) break;
    if (kept.length > 0) {
      const members = new Set(d.clause);
      if (kept.some((k) => k.length < members.size && k.every((l) => members.has(l)))) continue;
    }
    kept.push(d.clause);
  }
  return kept;
}

function isSubset(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i]! & ~b[i]!) !== 0) return false;
  return true;
}

/**
 * Up to `max` of the ranked clauses: each time the rarest, where a clause sharing a literal with one already
 * taken ranks after every clause that shares none (when the taken clause held by that literal, so does it).
 */
function diverse(ranked: readonly Clause[], ctx: Ctx, max: number): Clause[] {
  const taken: Clause[] = [];
  const used = new Set<string>();
  const rest = [...ranked];
  while (taken.length < max && rest.length > 0) {
    let best = 0;
    let bestScore = Infinity;
    rest.forEach((c, i) => {
      const score = clauseFrequency(c, ctx.estimate) + (c.some((l) => used.has(l)) ? 1 : 0);
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    });
    const [c] = rest.splice(best, 1);
    taken.push(c!);
    for (const l of c!) used.add(l);
  }
  return taken;
}

/**
 * The rarest window of a required literal, at most MAX_PREFILTER_LITERAL characters (any substring of a
 * required literal is required too; the automaton's size grows with the literals' length). Ties go to the
 * earliest.
 */
function rarestWindow(lit: string, ctx: Ctx): string {
  if (lit.length <= MAX_PREFILTER_LITERAL) return lit;
  let w = ctx.windows.get(lit);
  if (w !== undefined) return w;
  let best = Infinity;
  for (const cand of literalWindows(lit)) {
    const f = ctx.estimate(cand);
    if (f < best) {
      best = f;
      w = cand;
    }
  }
  ctx.windows.set(lit, w!);
  return w!;
}

/**
 * The windows of MAX_PREFILTER_LITERAL characters of a longer literal that start where a word starts, and
 * the last one: words are what the frequency table measures, so a window cut mid-word
 * (`icrosoft-windows`) would be estimated from its length alone.
 */
export function literalWindows(lit: string): string[] {
  const n = MAX_PREFILTER_LITERAL;
  if (lit.length <= n) return [lit];
  const out = new Set<string>();
  for (let i = 0; i + n <= lit.length; i++) {
    if (i === 0 || (!isWordChar(lit.charCodeAt(i - 1)) && isWordChar(lit.charCodeAt(i)))) out.add(lit.slice(i, i + n));
  }
  out.add(lit.slice(lit.length - n));
  return [...out];
}

function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
}

/** All safe runs (of useful length) of a text, folded. */
function safeRuns(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SAFE_RUN)) if (m[0].length >= MIN_PREFILTER_LITERAL) out.push(m[0].toLowerCase());
  return out;
}

/**
 * A leaf's clauses. A string pattern requires every one of its literal runs, so each safe run is a clause
 * of its own (the rarest RUNS_PER_LEAF are kept); other tests give at most one clause.
 */
function leafClauses(node: TestNode, ctx: Ctx): Clause[] {
  const test = node.field === null ? keywordTest(node.test) : node.test;
  if (test.kind === 'string') {
    const runs = new Set<string>();
    for (const p of test.pattern) if (typeof p === 'string') for (const r of safeRuns(p)) runs.add(rarestWindow(r, ctx));
    return prune(
      [...runs].map((r) => [r]),
      ctx,
      RUNS_PER_LEAF,
    );
  }
  const lits = leafLiterals(test);
  return lits === null ? [] : [clauseOf(lits.map((l) => rarestWindow(l, ctx)))];
}

/** A non-string test's literals, one of which occurs in every line it matches; null when none are known. */
function leafLiterals(test: ValueTest): readonly string[] | null {
  switch (test.kind) {
    case 'string':
      return null; // see leafClauses
    case 'number': {
      const s = safeLiteral(String(test.value));
      return s === undefined ? null : [s];
    }
    case 'bool':
      return [String(test.value)];
    case 'regex': {
      const lits = requiredLiteralsOfSigmaRegex(test.source, test.flags);
      if (!lits) return null;
      const safe = lits.map(safeLiteral);
      return safe.every((s): s is string => s !== undefined) ? [...new Set(safe)] : null;
    }
    case 'null':
    case 'exists':
    case 'cidr':
    case 'compare':
    case 'fieldref':
    case 'timepart':
      return null;
    default:
      return assertNever(test);
  }
}

/**
 * Every literal the prefilter could take from a tree (long ones as their windows), with the alphanumeric
 * words inside them cut to MAX_PREFILTER_LITERAL: the candidates whose line frequency bench/derive-literal-frequency.ts measures.
 */
export function prefilterCandidates(node: IrNode, out: Set<string> = new Set()): Set<string> {
  const add = (lit: string) => {
    for (const l of [...literalWindows(lit), ...(lit.match(/[a-z0-9]{3,}/g) ?? [])]) if (l.length >= MIN_PREFILTER_LITERAL) out.add(l.slice(0, MAX_PREFILTER_LITERAL));
  };
  switch (node.kind) {
    case 'const':
      break;
    case 'not':
      prefilterCandidates(node.arg, out);
      break;
    case 'and':
    case 'or':
      for (const a of node.args) prefilterCandidates(a, out);
      break;
    case 'test': {
      const test = node.field === null ? keywordTest(node.test) : node.test;
      if (test.kind === 'string') {
        for (const p of test.pattern) if (typeof p === 'string') for (const r of safeRuns(p)) add(r);
      } else for (const l of leafLiterals(test) ?? []) add(l);
      break;
    }
    default:
      assertNever(node);
  }
  return out;
}

/** Keys the rule requires absent: `not exists(F)` directly under the rule's top-level AND. */
export function requiredAbsentKeys(node: IrNode): string[] {
  const parts = node.kind === 'and' ? node.args : [node];
  const out: string[] = [];
  for (const p of parts) {
    if (p.kind === 'not' && p.arg.kind === 'test' && p.arg.field !== null && p.arg.test.kind === 'exists') out.push(p.arg.field);
  }
  return out;
}
