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

/** `null` means "no requirement": the rule must see every event. */
export type LiteralSet = readonly string[] | null;

export function requiredLiterals(node: IrNode): LiteralSet {
  switch (node.kind) {
    case 'const':
      return node.value ? null : [];
    case 'not':
      return null;
    case 'test':
      return leafLiterals(node);
    case 'or': {
      const out = new Set<string>();
      for (const a of node.args) {
        const s = requiredLiterals(a);
        if (s === null) return null;
        s.forEach((x) => out.add(x));
      }
      return [...out];
    }
    case 'and': {
      let best: LiteralSet = null;
      for (const a of node.args) {
        const s = requiredLiterals(a);
        if (s !== null && (best === null || better(s, best))) best = s;
      }
      return best;
    }
    default:
      return assertNever(node);
  }
}

/** Prefers sets whose weakest literal is longer, then smaller sets. */
function better(a: readonly string[], b: readonly string[]): boolean {
  const weakest = (s: readonly string[]) => (s.length === 0 ? Infinity : Math.min(...s.map((x) => x.length)));
  const wa = weakest(a);
  const wb = weakest(b);
  return wa !== wb ? wa > wb : a.length < b.length;
}

function leafLiterals(node: TestNode): LiteralSet {
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
