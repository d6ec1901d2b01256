/**
 * Prefilter literals: for a rule's tree, a set of literals at least one of which occurs in the raw line of
 * every event the rule matches (a Candidate filter: false positives allowed, false negatives never).
 *
 * Soundness rests on three choices: a literal is a substring of text the match requires; it only holds
 * characters every log writer copies verbatim into a JSON line (printable ASCII without `\`, `"`, `/`,
 * which JSON may escape); and it is ASCII-folded, as the prefilter compares case-insensitively.
 */
import { keywordTest } from '../../ir/keyword';
import { assertNever, type IrNode, type TestNode } from '../../ir/types';
import { requiredLiteralsOfSigmaRegex } from './sigma-regex';

/** Shorter literals hit too many lines to be worth a prefilter entry. */
export const MIN_PREFILTER_LITERAL = 3;

const SAFE_RUN = /[ !#-.0-\[\]-~]+/g;

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

export function requiredLiterals(node: IrNode): LiteralCnf {
  return prune(cnf(node));
}

function cnf(node: IrNode): LiteralCnf {
  switch (node.kind) {
    case 'const':
      return node.value ? [] : [[]];
    case 'not':
      return [];
    case 'test': {
      const lits = leafLiterals(node);
      return lits === null ? [] : [lits];
    }
    case 'and':
      return node.args.flatMap(cnf);
    case 'or': {
      // (A1 ∧ A2) ∨ (B1 ∧ B2) implies (best of A) ∨ (best of B): one clause, the union of one clause per branch.
      const union = new Set<string>();
      for (const a of node.args) {
        const best = strongest(cnf(a));
        if (best === undefined) return [];
        best.forEach((x) => union.add(x));
      }
      return [[...union]];
    }
    default:
      return assertNever(node);
  }
}

/** The clause that filters best: its weakest literal is longest, then it has fewer literals. */
function strongest(clauses: LiteralCnf): readonly string[] | undefined {
  let best: readonly string[] | undefined;
  for (const c of clauses) if (best === undefined || better(c, best)) best = c;
  return best;
}

function better(a: readonly string[], b: readonly string[]): boolean {
  const weakest = (s: readonly string[]) => (s.length === 0 ? Infinity : Math.min(...s.map((x) => x.length)));
  const wa = weakest(a);
  const wb = weakest(b);
  return wa !== wb ? wa > wb : a.length < b.length;
}

/** Distinct clauses, strongest first, at most MAX_CLAUSES. */
function prune(clauses: LiteralCnf): LiteralCnf {
  const seen = new Set<string>();
  const distinct: (readonly string[])[] = [];
  for (const c of clauses) {
    const sorted = [...new Set(c)].sort();
    const key = JSON.stringify(sorted);
    if (seen.has(key)) continue;
    seen.add(key);
    distinct.push(sorted);
  }
  distinct.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  return distinct.slice(0, MAX_CLAUSES);
}

function leafLiterals(node: TestNode): readonly string[] | null {
  const test = node.field === null ? keywordTest(node.test) : node.test;
  switch (test.kind) {
    case 'string': {
      // Every literal run of the pattern appears in a matching value; the longest safe one is enough.
      let best: string | undefined;
      for (const p of test.pattern) {
        if (typeof p !== 'string') continue;
        const s = safeLiteral(p);
        if (s !== undefined && (best === undefined || s.length > best.length)) best = s;
      }
      return best === undefined ? null : [best];
    }
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
