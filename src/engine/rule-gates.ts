/**
 * Logsource gates: the part of each rule's condition that tests a few fields present in every Windows event
 * (EventID, Channel) for exact values. The line prefilter reads those fields while it validates a JSON line
 * (see GateField), so a line whose candidate rules all fail their gate is never decoded: with thousands of
 * rules, a word like "microsoft" makes a rule a candidate on nearly every line, and its gate rules it out.
 *
 * A rule's gate is its condition with every other test replaced by `true`, and every `not` by `true` except
 * `not exists(F)` of a gate field, which holds where F's code is GATE_ABSENT: a rule for a logsource the
 * mapping does not know requires the product's key (Channel) absent, so on Windows events its gate fails
 * and its literals, which would otherwise make it a candidate on every event, are ruled out in the byte pass.
 * The gate holds on every event the rule matches; a gate test reading GATE_UNKNOWN holds too. Sound by
 * construction: a gate can only ever keep a rule.
 */
import type { MatcherPlan, PlanLeaf, PlanNode } from '../plan/types';
import { WINLOG_ALIASES } from '../event/field-index';
import { GATE_ABSENT, GATE_UNKNOWN, MAX_GATES, MAX_GATE_VALUES, gateRadixes, gateTupleKey, type GateField } from './line-prefilter';

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

/** The field whose absence the leaf `not`-ed tests (`not exists(F)`), or undefined when it cannot be a gate. */
function absentField(leaf: PlanLeaf): string | undefined {
  return leaf.kind === 'exists' && leaf.field !== null && !/[_ ]/.test(leaf.field) ? leaf.field : undefined;
}

/** A gate leaf: the field's value is one of the dictionary's (`leaf`), or the field is absent (`absent`). */
type Gate =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'leaf' | 'absent'; readonly leaf: number }
  | { readonly kind: 'and' | 'or'; readonly args: readonly Gate[] };

const TRUE: Gate = { kind: 'true' };

/** The condition projected onto the leaves `eligible` accepts, as values (`leaf`) or, under a `not`, as absent keys. */
function project(n: PlanNode, eligible: (leaf: number, absent: boolean) => boolean): Gate {
  if ('leaf' in n) return eligible(n.leaf, false) ? { kind: 'leaf', leaf: n.leaf } : TRUE;
  if ('const' in n) return n.const ? TRUE : { kind: 'false' };
  if ('not' in n) return 'leaf' in n.not && eligible(n.not.leaf, true) ? { kind: 'absent', leaf: n.not.leaf } : TRUE;
  if ('and' in n) {
    const args = n.and.map((a) => project(a, eligible)).filter((g) => g.kind !== 'true');
    return args.length === 0 ? TRUE : args.length === 1 ? args[0]! : { kind: 'and', args };
  }
  const args = n.or.map((a) => project(a, eligible));
  if (args.some((g) => g.kind === 'true')) return TRUE;
  return args.length === 1 ? args[0]! : { kind: 'or', args };
}

function leavesOf(g: Gate, out: Set<number>): Set<number> {
  if (g.kind === 'leaf' || g.kind === 'absent') out.add(g.leaf);
  else if (g.kind === 'and' || g.kind === 'or') for (const a of g.args) leavesOf(a, out);
  return out;
}

/** Whether a rule's gate holds on the current line. */
export interface GateVerdicts {
  holds(rule: number): boolean;
}

const NOT_DECIDED = 0;
const HOLDS = 1;
const FAILS = 2;

/**
 * Which rules' gates hold on a line, memoised per distinct tuple of gate codes: a log holds few
 * (EventID, Channel) pairs, so each rule's gate is evaluated at most once per pair, and only when the rule is
 * a candidate on a line with that pair. A line's tuple is looked up only when some rule asks.
 */
export class GateFilter implements GateVerdicts {
  private readonly byTuple = new Map<number, Uint8Array>();
  /** A tuple's key is its codes in mixed radix (each field's values plus the three special codes). */
  private readonly radix: readonly number[];
  /** The current line's verdicts per rule (NOT_DECIDED, HOLDS, FAILS); undefined until a rule asks. */
  private verdicts: Uint8Array | undefined;
  private codes: Uint16Array = new Uint16Array(0);
  private at = 0;

  constructor(private readonly gates: RuleGates) {
    this.radix = gateRadixes(gates.fields);
    // planRuleGates keeps the product of the radixes below 2^53, so keys are exact.
    if (this.radix.reduce((a, b) => a * b, 1) > Number.MAX_SAFE_INTEGER) throw new Error('gate tuples cannot be keyed exactly');
  }

  /** Moves to the line whose codes start at `codes[at]`. */
  forLine(codes: Uint16Array, at: number): GateVerdicts {
    this.codes = codes;
    this.at = at;
    this.verdicts = undefined;
    return this;
  }

  holds(rule: number): boolean {
    const verdicts = (this.verdicts ??= this.tupleVerdicts());
    let v = verdicts[rule]!;
    if (v === NOT_DECIDED) {
      const test = this.gates.tests[rule];
      v = test === undefined || test(this.codes, this.at) ? HOLDS : FAILS;
      verdicts[rule] = v;
    }
    return v === HOLDS;
  }

  /** The current line's tuple of gate codes in mixed radix (the key LinePrefilter.setDeadPairs takes). */
  tupleKey(): number {
    return gateTupleKey(this.codes, this.at, this.radix);
  }

  private tupleVerdicts(): Uint8Array {
    const key = this.tupleKey();
    let verdicts = this.byTuple.get(key);
    if (verdicts === undefined) {
      verdicts = new Uint8Array(this.gates.tests.length);
      this.byTuple.set(key, verdicts);
    }
    return verdicts;
  }
}

export function planRuleGates(plan: MatcherPlan): RuleGates {
  const values = plan.leaves.map(gateValue);
  const absent = plan.leaves.map(absentField);
  const candidate = (l: number, isAbsent: boolean): boolean => (isAbsent ? absent[l] : values[l]) !== undefined;
  // Which fields gate the most rules, each counted on its own.
  const ruleCount = new Map<string, number>();
  for (const rule of plan.rules) {
    const gate = project(rule.condition, candidate);
    const fields = new Set([...leavesOf(gate, new Set())].map((l) => plan.leaves[l]!.field!));
    for (const f of fields) ruleCount.set(f, (ruleCount.get(f) ?? 0) + 1);
  }
  // Distinct values per field bound the tuples of codes a line can have (GateFilter keys them as one number).
  const distinct = new Map<string, Set<string>>();
  plan.leaves.forEach((leaf, l) => {
    const v = values[l];
    if (v === undefined || leaf.field === null) return;
    let set = distinct.get(leaf.field);
    if (!set) distinct.set(leaf.field, (set = new Set()));
    set.add(v);
  });
  const names: string[] = [];
  let tuples = 1;
  for (const f of [...ruleCount.keys()].sort((a, b) => ruleCount.get(b)! - ruleCount.get(a)! || (a < b ? -1 : 1))) {
    if (names.length === Math.min(GATE_FIELDS, MAX_GATES)) break;
    const size = distinct.get(f)?.size ?? 0; // no values: a field only tested for absence
    // A field tested for more values than codes exist (a long IOC list) is not a gate.
    if (size > MAX_GATE_VALUES) continue;
    const radix = size + 3;
    if (tuples * radix > Number.MAX_SAFE_INTEGER) continue;
    tuples *= radix;
    names.push(f);
  }
  if (names.length === 0) return { fields: [], tests: plan.rules.map(() => undefined) };

  const fieldOf = new Map(names.map((f, i) => [f, i]));
  const dictionaries = names.map(() => new Map<string, number>());
  const code = new Map<number, { readonly gate: number; readonly id: number }>();
  /** Leaves `exists(F)` of a gate field F: the gate they test when `not`-ed. */
  const absentGate = new Map<number, number>();
  plan.leaves.forEach((leaf, l) => {
    const v = values[l];
    const g = leaf.field === null ? undefined : fieldOf.get(leaf.field);
    if (g === undefined) return;
    if (absent[l] !== undefined) absentGate.set(l, g);
    if (v === undefined) return;
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
      case 'absent': {
        // The key occurs nowhere, or the bytes cannot say; a value (null too) means the field exists.
        const gate = absentGate.get(g.leaf)!;
        return (codes, at) => {
          const c = codes[at + gate]!;
          return c === GATE_ABSENT || c === GATE_UNKNOWN;
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
    const gate = project(rule.condition, (l, isAbsent) => (isAbsent ? absentGate.has(l) : code.has(l)));
    return gate.kind === 'true' ? undefined : compile(gate);
  });
  const fields: GateField[] = names.map((name, g) => ({
    name,
    aliases: Object.keys(WINLOG_ALIASES).filter((k) => WINLOG_ALIASES[k] === name),
    values: [...dictionaries[g]!.keys()],
  }));
  return { fields, tests };
}
