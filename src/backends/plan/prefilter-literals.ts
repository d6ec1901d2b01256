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
import { assertNever, type IrNode, type TestNode } from '../../ir/types';
import { requiredLiteralsOfSigmaRegex } from './sigma-regex';

/** Shorter literals hit too many lines to be worth a prefilter entry. */
export const MIN_PREFILTER_LITERAL = 3;
/**
 * Longer literals are cut to this length: any prefix of a required literal is required too, still rare
 * enough to filter, and the automaton's size grows with the literals' total length.
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
/** Clauses per OR branch combined when an OR is distributed, and the most combinations made. */
const OR_BRANCH_CLAUSES = 3;
const MAX_OR_COMBINATIONS = 64;

/**
 * The rule's clauses, strongest first. `common` holds literals that occur in most events (channel names):
 * they are sound but filter nothing, so a clause made of them ranks last.
 */
export function requiredLiterals(node: IrNode, common: ReadonlySet<string> = new Set()): LiteralCnf {
  const rank = ranking(common);
  const clauses = prune(cnf(node, rank), rank).slice(0, MAX_CLAUSES);
  return clauses.map((c) => [...new Set(c.map((lit) => lit.slice(0, MAX_PREFILTER_LITERAL)))]);
}

type Rank = (a: readonly string[], b: readonly string[]) => number;

/** Orders clauses: the one whose weakest literal is strongest first, then the one with fewer literals. */
function ranking(common: ReadonlySet<string>): Rank {
  const strength = (lit: string) => (common.has(lit) ? 0 : lit.length);
  const weakest = (c: readonly string[]) => (c.length === 0 ? Infinity : Math.min(...c.map(strength)));
  return (a, b) => weakest(b) - weakest(a) || a.length - b.length;
}

function cnf(node: IrNode, rank: Rank): LiteralCnf {
  switch (node.kind) {
    case 'const':
      return node.value ? [] : [[]];
    case 'not':
      return [];
    case 'test':
      return leafClauses(node);
    case 'and':
      return node.args.flatMap((a) => cnf(a, rank));
    case 'or': {
      // (A1 ∧ A2) ∨ (B1 ∧ B2) = (A1 ∨ B1) ∧ (A1 ∨ B2) ∧ (A2 ∨ B1) ∧ (A2 ∨ B2): distribute over each
      // branch's strongest clauses, so a literal every branch requires survives as a clause of its own.
      let combos: string[][] = [[]];
      for (const a of node.args) {
        const branch = prune(cnf(a, rank), rank).slice(0, OR_BRANCH_CLAUSES);
        if (branch.length === 0) return []; // a branch that requires nothing makes the OR require nothing
        const next: string[][] = [];
        for (const c of combos) for (const b of branch) next.push([...c, ...b]);
        combos = next.length <= MAX_OR_COMBINATIONS ? next : prune(next, rank).slice(0, MAX_OR_COMBINATIONS).map((c) => [...c]);
      }
      return combos;
    }
    default:
      return assertNever(node);
  }
}

/** Distinct clauses (as sets), strongest first. */
function prune(clauses: LiteralCnf, rank: Rank): (readonly string[])[] {
  const seen = new Set<string>();
  const distinct: (readonly string[])[] = [];
  for (const c of clauses) {
    const sorted = [...new Set(c)].sort();
    const key = sorted.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push(sorted);
  }
  return distinct.sort(rank);
}

/** Safe runs taken from one literal run of a pattern: `\\AppData\\Microsoft\\Credentials\\` gives three. */
const RUNS_PER_LEAF = 3;

/** All safe runs (of useful length) of a text, folded. */
function safeRuns(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SAFE_RUN)) if (m[0].length >= MIN_PREFILTER_LITERAL) out.push(m[0].toLowerCase());
  return out;
}

/**
 * A leaf's clauses. A string pattern requires every one of its literal runs, so each safe run is a clause
 * of its own (the ranking later keeps the rarest); other tests give at most one clause.
 */
function leafClauses(node: TestNode): LiteralCnf {
  const test = node.field === null ? keywordTest(node.test) : node.test;
  if (test.kind === 'string') {
    const runs = new Set<string>();
    for (const p of test.pattern) if (typeof p === 'string') for (const r of safeRuns(p)) runs.add(r);
    return [...runs]
      .sort((a, b) => b.length - a.length)
      .slice(0, RUNS_PER_LEAF)
      .map((r) => [r]);
  }
  const lits = leafLiterals(node);
  return lits === null ? [] : [lits];
}

function leafLiterals(node: TestNode): readonly string[] | null {
  const test = node.field === null ? keywordTest(node.test) : node.test;
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

/** Keys the rule requires absent: `not exists(F)` directly under the rule's top-level AND. */
export function requiredAbsentKeys(node: IrNode): string[] {
  const parts = node.kind === 'and' ? node.args : [node];
  const out: string[] = [];
  for (const p of parts) {
    if (p.kind === 'not' && p.arg.kind === 'test' && p.arg.field !== null && p.arg.test.kind === 'exists') out.push(p.arg.field);
  }
  return out;
}
