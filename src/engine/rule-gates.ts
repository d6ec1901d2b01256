/**
 * Logsource gates: the part of each rule's condition that tests a few fields present in every Windows event
 * (EventID, Channel) for exact values. The line prefilter reads those fields while it validates a JSON line
 * (see GateField), so a line whose candidate rules all fail their gate is never decoded: with thousands of
 * rules, a word like "microsoft" makes a rule a candidate on nearly every line, and its gate rules it out.
 *
 * A rule's gate is its condition with every other test replaced by `true` and every `not` by `true`, so the
 * gate holds on every event the rule matches; a gate test reading GATE_UNKNOWN holds too. Sound by
 * construction: a gate can only ever keep a rule.
 */
import type { MatcherPlan, PlanLeaf, PlanNode } from '../plan/types';
import { WINLOG_ALIASES } from '../event/field-index';
import { GATE_UNKNOWN, MAX_GATES, type GateField } from './line-prefilter';

/** Whether rule `r`'s gate holds on a line whose gate codes start at `codes[at]`. */
export type GateTest = (codes: Uint16Array, at: number) => boolean;

export interface RuleGates {
  /** The fields for the line prefilter; empty when no rule has a gate. */
  readonly fields: readonly GateField[];
  /** Per rule, its test, or undefined when nothing of its condition can be read from the gate fields. */
  readonly tests: readonly (GateTest | undefined)[];
}

/** Gate fields read per line: each costs a comparison per JSON key, so only the fields gating most rules. */
const GATE_FIELDS = 4;

/** The value text a leaf compares, folded as gate values are, or undefined when the leaf cannot be a gate. */
function gateValue(leaf: PlanLeaf): string | undefined {
  // Names with `_` or a space can be made by the field index from other keys (evtx_dump attributes, "Threat Name").
  if (leaf.field === null || /[_ ]/.test(leaf.field)) return undefined;
  if (leaf.kind === 'number') return Number.isSafeInteger(leaf.value) && leaf.value >= 0 ? String(leaf.value) : undefined;
  if (leaf.kind === 'exact') return leaf.value !== '' && /^[\x20-\x7e]*$/.test(leaf.value) ? leaf.value.toLowerCase() : undefined;
  return undefined;
}

type Gate = { readonly kind: 'true' } | { readonly kind: 'false' } | { readonly kind: 'leaf'; readonly leaf: number } | { readonly kind: 'and' | 'or'; readonly args: readonly Gate[] };

const TRUE: Gate = { kind: 'true' };

/** The condition projected onto the leaves `eligible` accepts. */
function project(n: PlanNode, eligible: (leaf: number) => boolean): Gate {
  if ('leaf' in n) return eligible(n.leaf) ? { kind: 'leaf', leaf: n.leaf } : TRUE;
  if ('const' in n) return n.const ? TRUE : { kind: 'false' };
  if ('not' in n) return TRUE;
  if ('and' in n) {
    const args = n.and.map((a) => project(a, eligible)).filter((g) => g.kind !== 'true');
    return args.length === 0 ? TRUE : args.length === 1 ? args[0]! : { kind: 'and', args };
  }
  const args = n.or.map((a) => project(a, eligible));
  if (args.some((g) => g.kind === 'true')) return TRUE;
  return args.length === 1 ? args[0]! : { kind: 'or', args };
}

function leavesOf(g: Gate, out: Set<number>): Set<number> {
  if (g.kind === 'leaf') out.add(g.leaf);
  else if (g.kind === 'and' || g.kind === 'or') for (const a of g.args) leavesOf(a, out);
  return out;
}

export function planRuleGates(plan: MatcherPlan): RuleGates {
  const values = plan.leaves.map(gateValue);
  // Which fields gate the most rules, each counted on its own.
  const ruleCount = new Map<string, number>();
  for (const rule of plan.rules) {
    const gate = project(rule.condition, (l) => values[l] !== undefined);
    const fields = new Set([...leavesOf(gate, new Set())].map((l) => plan.leaves[l]!.field!));
    for (const f of fields) ruleCount.set(f, (ruleCount.get(f) ?? 0) + 1);
  }
  const names = [...ruleCount.keys()].sort((a, b) => ruleCount.get(b)! - ruleCount.get(a)! || (a < b ? -1 : 1)).slice(0, Math.min(GATE_FIELDS, MAX_GATES));
  if (names.length === 0) return { fields: [], tests: plan.rules.map(() => undefined) };

  const fieldOf = new Map(names.map((f, i) => [f, i]));
  const dictionaries = names.map(() => new Map<string, number>());
  const code = new Map<number, { readonly gate: number; readonly id: number }>();
  plan.leaves.forEach((leaf, l) => {
    const v = values[l];
    const g = leaf.field === null ? undefined : fieldOf.get(leaf.field);
    if (v === undefined || g === undefined) return;
    const dict = dictionaries[g]!;
    let id = dict.get(v);
    if (id === undefined) dict.set(v, (id = dict.size));
    code.set(l, { gate: g, id });
  });
  const compile = (g: Gate): GateTest => {
    switch (g.kind) {
      case 'true':
        return () => true;
      case 'false':
        return () => false;
      case 'leaf': {
        const { gate, id } = code.get(g.leaf)!;
        return (codes, at) => {
          const c = codes[at + gate]!;
          return c === id || c === GATE_UNKNOWN;
        };
      }
      case 'and': {
        const args = g.args.map(compile);
        return (codes, at) => args.every((t) => t(codes, at));
      }
      case 'or': {
        const args = g.args.map(compile);
        return (codes, at) => args.some((t) => t(codes, at));
      }
    }
  };
  const tests = plan.rules.map((rule) => {
    const gate = project(rule.condition, (l) => code.has(l));
    return gate.kind === 'true' ? undefined : compile(gate);
  });
  const fields: GateField[] = names.map((name, g) => ({
    name,
    aliases: Object.keys(WINLOG_ALIASES).filter((k) => WINLOG_ALIASES[k] === name),
    values: [...dictionaries[g]!.keys()],
  }));
  return { fields, tests };
}
