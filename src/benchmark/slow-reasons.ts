/**
 * Why a plan rule is expensive, read from the plan itself (leaves, prefilter) and the measured pass
 * rate. Pure: no clock, no I/O. The thresholds are named so the report can quote them.
 */
import type { MatcherPlan, PlanNode, PlanRule } from '../plan/types';
import { assertNever } from '../util/assert-never';
import type { SlowReason } from './types';

/** A rule with at least this many distinct leaves is called a huge expansion. */
export const HUGE_EXPANSION_LEAVES = 64;
/** A rule with literals that still passes the prefilter on this share of events has a common literal. */
export const COMMON_LITERAL_PASS_RATE = 0.05;
/** Literals quoted per common-literal reason. */
const QUOTED_LITERALS = 3;

export function ruleLeaves(node: PlanNode, into: Set<number> = new Set()): Set<number> {
  if ('leaf' in node) into.add(node.leaf);
  else if ('not' in node) ruleLeaves(node.not, into);
  else if ('and' in node) for (const n of node.and) ruleLeaves(n, into);
  else if ('or' in node) for (const n of node.or) ruleLeaves(n, into);
  return into;
}

/** `(?i:`, `(?s)`, `^`... then `.*` or `.+`: the match cannot start from a literal. */
const LEADING_WILDCARD = /^(?:\(\?[a-zA-Z]*(?::|\))|\^|\()*\.[*+]/;

export function isLeadingWildcardRegex(source: string): boolean {
  return LEADING_WILDCARD.test(source);
}

export function slowReasons(plan: MatcherPlan, rule: PlanRule, passRate: number): SlowReason[] {
  const reasons: SlowReason[] = [];
  const leaves = [...ruleLeaves(rule.condition)].map((i) => plan.leaves[i]!);
  if (rule.prefilter.length === 0) reasons.push({ kind: 'no-literal' });
  else if (passRate >= COMMON_LITERAL_PASS_RATE) {
    const literals = rule.prefilter[0]!.slice(0, QUOTED_LITERALS).map((i) => plan.literals[i]!);
    reasons.push({ kind: 'common-literal', passRate, literals });
  }
  if (leaves.length >= HUGE_EXPANSION_LEAVES) reasons.push({ kind: 'huge-expansion', leaves: leaves.length });
  let leading = 0;
  let regex = 0;
  let keyword = 0;
  for (const leaf of leaves) {
    if (leaf.kind === 'regex') {
      if (isLeadingWildcardRegex(leaf.source)) leading++;
      else regex++;
    }
    if (leaf.field === null) keyword++;
  }
  if (leading > 0) reasons.push({ kind: 'leading-wildcard-regex', count: leading });
  if (regex > 0) reasons.push({ kind: 'regex', count: regex });
  if (keyword > 0) reasons.push({ kind: 'keyword', count: keyword });
  return reasons;
}

export function describeReason(r: SlowReason): string {
  switch (r.kind) {
    case 'no-literal':
      return 'no usable literal (evaluated on every event)';
    case 'common-literal':
      return `common literal (${r.literals.map((l) => JSON.stringify(l)).join(', ')}: passes ${(r.passRate * 100).toFixed(1)}% of events)`;
    case 'huge-expansion':
      return `huge expansion (${r.leaves} leaves)`;
    case 'leading-wildcard-regex':
      return `leading-wildcard regex (${leaves(r.count)})`;
    case 'regex':
      return `regex (${leaves(r.count)})`;
    case 'keyword':
      return `keyword search over every string (${leaves(r.count)})`;
    default:
      return assertNever(r);
  }
}

function leaves(n: number): string {
  return `${n} lea${n === 1 ? 'f' : 'ves'}`;
}
